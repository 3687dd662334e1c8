"""``--diff OLD NEW``: the permissions a change of the templates adds.

A need of NEW is added unless a need of OLD already grants it: the same action (IAM compares actions without
regard to case), a resource pattern that covers NEW's (IAM wildcard matching, placeholders as symbols:
``role/${StackName}-*`` covers ``role/${StackName}-*`` whatever the stack is called), and the same condition
or none. So a new generated role is not "added" when an older role already had the same
``${StackName}-*`` pattern: the policy derived from OLD grants it already.
"""
from __future__ import annotations

from collections.abc import Iterable

from sam_shift_lint.iam.glob import TooComplex
from sam_shift_lint.iam.matching import resource_covers
from sam_shift_lint.permissions.needs import Condition, Need


def added(old: Iterable[Need], new: Iterable[Need]) -> list[Need]:
    """The needs of ``new`` that no need of ``old`` grants."""
    granted: dict[tuple[str, Condition], list[str]] = {}
    for need in old:
        granted.setdefault((need.action.lower(), need.condition), []).append(need.resource)
    out = []
    for need in new:
        candidates = granted.get((need.action.lower(), need.condition), []) + (granted.get((need.action.lower(), ()), []) if need.condition else [])
        if not _covers(candidates, need.resource):
            out.append(need)
    return out


def _covers(patterns: list[str], resource: str) -> bool:
    if not patterns:
        return False
    if "*" in patterns or resource in patterns:
        return True
    try:
        return resource_covers(patterns, resource)
    except TooComplex:
        return False
