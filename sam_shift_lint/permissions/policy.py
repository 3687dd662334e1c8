"""Needs into IAM policy statements: grouped per purpose and resource set, in a stable order, within IAM's
size limits.

Each distinct (action, resource, condition) is granted once, in the statement of one purpose (the
resource's own service before another's, then by name: deterministic). Within a purpose, actions with the
same resources share a statement. Statements are ordered by Sid, actions and resources alphabetically.

Size: IAM counts a policy's characters without white space: at most 6,144 for a managed policy, 10,240 for
all the inline policies of a role together. The pseudo parameters still in the text count as the longest
value they can take (``${AWS::Region}`` 14, ``${AWS::Partition}`` 10, ``${AWS::AccountId}`` 12);
``${StackName}`` and ``${ArtifactBucket}`` count as written unless their values are given (a stack name can
be 128 characters: counting every occurrence so would split most policies for nothing). A policy over the
limit is split into several, by whole statements; a statement too large alone is split by actions (then by
resources).
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sam_shift_lint.permissions.needs import Condition, Need, sid, type_service
from sam_shift_lint.permissions.values import ACCOUNT, PARTITION, REGION
from sam_shift_lint.records import record

VERSION = "2012-10-17"
MANAGED_POLICY_LIMIT = 6144
INLINE_POLICY_LIMIT = 10240
# the longest text each pseudo parameter can stand for (aws-us-gov, ap-southeast-5, 12 digits)
LONGEST = {PARTITION: 10, REGION: 14, ACCOUNT: 12}


@record(frozen=True)
class Statement:
    sid: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]
    condition: Condition = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"Sid": self.sid, "Effect": "Allow"}
        out["Action"] = self.actions[0] if len(self.actions) == 1 else list(self.actions)
        out["Resource"] = self.resources[0] if len(self.resources) == 1 else list(self.resources)
        if self.condition:
            out["Condition"] = self.condition_block()
        return out

    def condition_block(self) -> dict[str, dict[str, Any]]:
        """The ``Condition`` element: operator, then key, then one value or a list (as IAM writes them)."""
        block: dict[str, dict[str, Any]] = {}
        for operator, key, values in self.condition:
            block.setdefault(operator, {})[key] = values[0] if len(values) == 1 else list(values)
        return block


def document(statements: Sequence[Statement]) -> dict[str, Any]:
    return {"Version": VERSION, "Statement": [s.to_json() for s in statements]}


def _own_service_first(need: Need) -> tuple[int, str]:
    cross = need.action.split(":", 1)[0].lower() != type_service(need.resource_type)
    return (1 if cross else 0, need.purpose)


def statements(needs: Iterable[Need]) -> list[Statement]:
    """The statements granting every need once."""
    chosen: dict[tuple[str, str, Condition], Need] = {}
    for need in needs:
        current = chosen.get(need.key)
        if current is None or _own_service_first(need) < _own_service_first(current):
            chosen[need.key] = need
    grouped: dict[tuple[str, Condition], dict[str, set[str]]] = {}
    spelling: dict[str, str] = {}
    for need in chosen.values():
        spelling.setdefault(need.action.lower(), need.action)
        grouped.setdefault((need.purpose, need.condition), {}).setdefault(need.action.lower(), set()).add(need.resource)
    out: list[Statement] = []
    for (purpose, condition), by_action in sorted(grouped.items(), key=lambda item: (item[0][0], repr(item[0][1]))):
        by_resources: dict[tuple[str, ...], list[str]] = {}
        for action, resources in by_action.items():
            by_resources.setdefault(tuple(sorted(resources)), []).append(spelling[action])
        for arns, actions in sorted(by_resources.items(), key=lambda item: sorted(a.lower() for a in item[1])):
            out.append(Statement(sid(purpose), tuple(sorted(actions, key=str.lower)), arns, condition))
    return _unique_sids(out)


def _unique_sids(statements: list[Statement]) -> list[Statement]:
    seen: dict[str, int] = {}
    for s in statements:
        seen[s.sid] = seen.get(s.sid, 0) + 1
    counter: dict[str, int] = {}
    out = []
    for s in statements:
        if seen[s.sid] > 1:
            counter[s.sid] = counter.get(s.sid, 0) + 1
            s = Statement(f"{s.sid}{counter[s.sid]}", s.actions, s.resources, s.condition)
        out.append(s)
    return out


def substitute(text: str, values: Mapping[str, str]) -> str:
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def size(statements: Sequence[Statement], values: Mapping[str, str] | None = None) -> int:
    """The characters IAM counts (no white space), placeholders at their longest unless ``values`` gives them."""
    return document_size(document(statements), values)


def document_size(policy: Mapping[str, Any], values: Mapping[str, str] | None = None) -> int:
    """:func:`size` of a policy document as written (a ``permissions`` output's JSON)."""
    text = json.dumps(policy, separators=(",", ":"), ensure_ascii=False)
    text = substitute(text, values or {})
    for placeholder, longest in LONGEST.items():
        text = text.replace(placeholder, "x" * longest)
    return len(text)


def split(statements: Sequence[Statement], limit: int, values: Mapping[str, str] | None = None) -> list[list[Statement]]:
    """The statements in as few policies as greedy packing gives, each at most ``limit`` characters."""
    policies: list[list[Statement]] = []
    current: list[Statement] = []
    for statement in statements:
        for piece in _pieces(statement, limit, values):
            if current and size(current + [piece], values) > limit:
                policies.append(current)
                current = []
            current.append(piece)
    if current or not policies:
        policies.append(current)
    return policies


def _pieces(statement: Statement, limit: int, values: Mapping[str, str] | None) -> list[Statement]:
    """The statement, cut by actions (then resources) until each piece fits a policy of its own."""
    if size([statement], values) <= limit:
        return [statement]
    if len(statement.actions) > 1:
        half = len(statement.actions) // 2
        halves = (statement.actions[:half], statement.actions[half:])
        parts = [Statement(f"{statement.sid}{i + 1}", a, statement.resources, statement.condition) for i, a in enumerate(halves)]
    elif len(statement.resources) > 1:
        half = len(statement.resources) // 2
        halves = (statement.resources[:half], statement.resources[half:])
        parts = [Statement(f"{statement.sid}{i + 1}", statement.actions, r, statement.condition) for i, r in enumerate(halves)]
    else:
        return [statement]  # cannot be cut: reported by the caller as over the limit
    return [piece for part in parts for piece in _pieces(part, limit, values)]
