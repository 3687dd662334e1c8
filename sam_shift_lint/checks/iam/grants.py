"""Granting actions in a template or policy file the way a careful human would: new statements written like the
ones beside them, appended to the right policy (the IAM rules' fixes are built from these).

New statements copy the key order of the statements beside them and whether they write ``Action`` and
``Resource`` as lists; a ``Sid`` is added only when every statement beside them has one.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Sequence as Seq

from sam_shift_lint.editing.builder import FixBuilder
from sam_shift_lint.editing.positions import EditError
from sam_shift_lint.editing.render import FlowList, Intrinsic, Value
from sam_shift_lint.model.iam_view import IamView, PathTuple, PolicyNode, Role
from sam_shift_lint.parsing.nodes import Mapping, Scalar, ScalarValue, Sequence

POLICY_VERSION = "2012-10-17"
DEFAULT_ORDER = ("Sid", "Effect", "Action", "Resource")


def _statements_of(sequence: Sequence | None) -> list[Mapping]:
    if sequence is None:
        return []
    return [item for item in sequence.items if isinstance(item, Mapping) and item.intrinsic() is None]


def new_statement(
    actions: Seq[str], resource: Value, siblings: Sequence | None, sid: str | None = None
) -> dict[str, Value]:
    """An Allow statement written like the statements beside it."""
    existing = _statements_of(siblings)
    order = list(DEFAULT_ORDER)
    if existing:
        aliases = {"NotAction": "Action", "NotResource": "Resource"}
        first = [aliases.get(key, key) for key in existing[0].keys()]
        first = [key for key in dict.fromkeys(first) if key in DEFAULT_ORDER]
        order = first + [key for key in DEFAULT_ORDER if key not in first]

    def written(key: str, items: list[Value]) -> Value:
        """A list when there are several values or the siblings mostly write lists (in flow style when
        they do), else the single value."""
        lists = [node for node in (s.get(key) for s in existing) if isinstance(node, Sequence)]
        others = sum(1 for s in existing if s.get(key) is not None and not isinstance(s.get(key), Sequence))
        if len(items) == 1 and not (lists and len(lists) > others):
            return items[0]
        flow = bool(lists) and sum(1 for node in lists if node.flow) * 2 > len(lists)
        return FlowList(items) if flow else list(items)

    values: dict[str, Value] = {
        "Effect": "Allow",
        "Action": written("Action", list(actions)),
        "Resource": written("Resource", [resource]),
    }
    if sid and existing and all("Sid" in s for s in existing):
        taken = {node.value for node in (s.get("Sid") for s in existing) if isinstance(node, Scalar)}
        values["Sid"] = unique_name(sid, taken)
    return {key: values[key] for key in order if key in values}


def unique_name(name: str, taken: set[ScalarValue]) -> str:
    """``name``, else ``name2``, ``name3``... whichever is not taken."""
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name}{number}", number + 1
    return candidate


def sid_for(name: str) -> str:
    """``codedeploy-deploymentgroup`` -> ``CodedeployDeploymentgroup`` (Sids are alphanumeric)."""
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", name) if part) or "Statement"


def sub_or_text(pattern: str) -> Value:
    """A required resource pattern as a template value: ``Fn::Sub`` when it has ``${...}``."""
    return Intrinsic("Fn::Sub", pattern) if "${" in pattern else pattern


def policy_document(statements: list[dict[str, Value]]) -> dict[str, Value]:
    return {"Version": POLICY_VERSION, "Statement": statements}


def statement_targets(documents: Seq[PolicyNode], shared: Callable[[PolicyNode], bool] = lambda d: False) -> list[tuple[Sequence, PathTuple]]:
    """(Statement list, its path) of each unconditional document whose statements are a plain list."""
    out = []
    for document in documents:
        if document.condition is not None or shared(document):
            continue
        statements = document.statements()
        if statements is not None and (statements.items or statements.flow or document.node.flow):
            out.append((statements, document.path + ("Statement",)))
    return out


StatementBuilder = Callable[[Sequence | None], list[dict[str, Value]]]  # siblings -> new statements


def grant_statements(
    edits: FixBuilder,
    documents: Seq[PolicyNode],
    build: StatementBuilder,
    owner: Mapping | None,
    owner_path: PathTuple,
    new_policy: Callable[[], Value],
    shared: Callable[[PolicyNode], bool] = lambda d: False,
) -> None:
    """Append the statements ``build`` makes to the first of ``documents`` that can take them, else add
    ``new_policy()`` to the ``Policies`` list of ``owner`` (a role's or a function's Properties)."""
    targets = statement_targets(documents, shared)
    if targets:
        sequence, path = targets[0]
        edits.append(sequence, path, build(sequence))
        return
    if owner is None:
        raise EditError("no Properties to add Policies to")
    policies = owner.get("Policies")
    if isinstance(policies, Sequence):
        edits.append(policies, owner_path + ("Policies",), [new_policy()])
    elif policies is None:
        edits.add_key(owner, owner_path, "Policies", [new_policy()])
    else:
        raise EditError("Policies is not a list")


def grant_on_role(edits: FixBuilder, view: IamView, role: Role, build: StatementBuilder, policy_name: str) -> None:
    """Grant on ``role``: in its first inline policy, else a policy attached to it alone, else a new inline
    policy named ``policy_name`` (numbered when taken)."""

    def new_policy() -> dict[str, Value]:
        return {"PolicyName": unique_name(policy_name, _policy_names(role)), "PolicyDocument": policy_document(build(None))}

    def shared(document: PolicyNode) -> bool:
        if document not in role.attached:
            return False
        return sum(1 for other in view.roles.values() if document in other.attached) > 1

    grant_statements(edits, role.inline + role.attached, build, role.properties, role.path("Properties"), new_policy, shared)


def _policy_names(role: Role) -> set[ScalarValue]:
    policies = role.properties.get("Policies") if role.properties is not None else None
    names: set[ScalarValue] = set()
    if isinstance(policies, Sequence):
        for item in policies.items:
            policy_name = item.get("PolicyName") if isinstance(item, Mapping) else None
            if isinstance(policy_name, Scalar):
                names.add(policy_name.value)
    return names
