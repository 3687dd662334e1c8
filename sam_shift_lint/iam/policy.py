"""The policy model: documents and statements parsed from plain data (JSON/YAML, intrinsics included).

Accepted shapes are IAM's: ``Statement`` as a map or a list; ``Action``/``NotAction`` and
``Resource``/``NotResource`` as a string or a list; a document given as a JSON string. CloudFormation
``Fn::If`` around a statement keeps both branches, each marked with the template condition (it exists
only when that condition holds). Nothing here raises on bad input: what cannot be read is recorded in
``problems`` and the affected statement or value is ignored or Unknown.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from sam_shift_lint.iam.intrinsics import DEFAULT_CONTEXT, NOVALUE, Context, intrinsic_name, resolve
from sam_shift_lint.iam.pattern import Pattern, Unknown
from sam_shift_lint.records import record

PathItem = str | int
Path = tuple[PathItem, ...]

ALLOW = "Allow"
DENY = "Deny"


@record(frozen=True)
class Clause:
    """An ``Action``/``NotAction`` or ``Resource``/``NotResource`` element.

    ``negated`` is True for the ``Not...`` form. Action values are kept as written (matching ignores
    case); resource values are patterns or Unknown.
    """

    values: tuple[Any, ...]
    negated: bool = False

    @property
    def known(self) -> tuple[Any, ...]:
        """The values that are not Unknown."""
        return tuple(v for v in self.values if not isinstance(v, Unknown))

    @property
    def has_unknown(self) -> bool:
        """Does any value fail to resolve?"""
        return any(isinstance(v, Unknown) for v in self.values)


@record(frozen=True)
class Statement:
    """One statement. ``index`` is its position in the ``Statement`` list (0 for a map), ``path`` the
    key path from the document root (e.g. ``("Statement", 2)`` or ``("Statement", 2, "Fn::If", 1)``).

    ``effect`` is ``"Allow"``, ``"Deny"`` or ``None`` (unresolvable). ``action``/``resource`` are
    ``None`` when the element is missing or unreadable (the statement then matches nothing).
    ``conditional`` is True when an IAM ``Condition`` or a template condition (``Fn::If``) gates it.
    """

    index: int
    path: Path
    sid: str | None
    effect: str | None
    action: Clause | None
    resource: Clause | None
    condition: Any = None
    template_condition: str | None = None

    @property
    def conditional(self) -> bool:
        """Does the statement apply only under some condition?"""
        return bool(self.condition) or self.template_condition is not None


@record(frozen=True)
class PolicyDocument:
    """A parsed policy; ``id`` is whatever the caller uses to name it (a logical id, a file name)."""

    id: str
    statements: tuple[Statement, ...]
    version: str | None = None
    problems: tuple[str, ...] = ()


def parse_policy(data: Any, doc_id: str, context: Context | None = None) -> PolicyDocument:
    """Parse a policy document (a dict, or a JSON string of one)."""
    problems: list[str] = []
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except ValueError as exc:
            return PolicyDocument(doc_id, (), None, (f"policy is not JSON: {exc}",))
    if not isinstance(data, dict) or "Statement" not in data:
        return PolicyDocument(doc_id, (), None, ("policy has no Statement",))
    version = data.get("Version")
    version = version if isinstance(version, str) else None
    base = context or DEFAULT_CONTEXT
    ctx = Context(base.values, base.names, version, base.patterns)
    statements: list[Statement] = []
    node = data["Statement"]
    if isinstance(node, list):
        for index, item in enumerate(node):
            statements.extend(_statements(item, index, ("Statement", index), None, ctx, problems))
    else:
        statements.extend(_statements(node, 0, ("Statement",), None, ctx, problems))
    return PolicyDocument(doc_id, tuple(statements), version, tuple(problems))


def _statements(
    node: Any, index: int, path: Path, cond: str | None, ctx: Context, problems: list[str]
) -> Iterator[Statement]:
    name = intrinsic_name(node)
    if name == "Fn::If":
        args = node[name]
        if not (isinstance(args, list) and len(args) == 3 and isinstance(args[0], str)):
            problems.append(f"{_where(path)}: malformed Fn::If")
            return
        for branch in (1, 2):
            yield from _statements(args[branch], index, path + ("Fn::If", branch), args[0], ctx, problems)
        return
    if name == "Ref" and node[name] == "AWS::NoValue":
        return
    if not isinstance(node, dict) or name is not None:
        problems.append(f"{_where(path)}: statement is not a map")
        return
    effect = node.get("Effect")
    if (isinstance(effect, str) or effect is None) and effect not in (ALLOW, DENY):
        problems.append(f"{_where(path)}: Effect must be Allow or Deny, got {effect!r}; statement ignored")
        return
    yield _statement(node, index, path, cond, ctx, problems)


def _statement(
    node: dict[str, Any], index: int, path: Path, cond: str | None, ctx: Context, problems: list[str]
) -> Statement:
    sid = node.get("Sid") if isinstance(node.get("Sid"), str) else None
    effect = node.get("Effect")
    return Statement(
        index=index,
        path=path,
        sid=sid,
        effect=effect if effect in (ALLOW, DENY) else None,  # an intrinsic: unknown
        action=_clause(node, "Action", _action_value, ctx, path, problems),
        resource=_clause(node, "Resource", _resource_value, ctx, path, problems),
        condition=node.get("Condition"),
        template_condition=cond,
    )


def _clause(
    node: dict[str, Any], key: str, read: Callable[[Any, Context], Any], ctx: Context, path: Path, problems: list[str]
) -> Clause | None:
    not_key = "Not" + key
    if key in node and not_key in node:
        problems.append(f"{_where(path)}: both {key} and {not_key}")
        return None
    if key not in node and not_key not in node:
        return None
    negated = not_key in node
    raw = node[not_key if negated else key]
    items = raw if isinstance(raw, list) else [raw]
    values = [v for v in (read(item, ctx) for item in items) if v is not NOVALUE]
    return Clause(tuple(values), negated)


def _action_value(item: Any, ctx: Context) -> Any:
    if isinstance(item, str):
        return item
    value = resolve(item, ctx)
    if isinstance(value, Pattern) and not value.symbols:
        return value.text
    if isinstance(value, Pattern):
        return Unknown(f"action depends on {', '.join(sorted(value.symbols))}")
    return value


def _resource_value(item: Any, ctx: Context) -> Any:
    return resolve(item, ctx)


def _where(path: Path) -> str:
    return "/".join(str(p) for p in path)
