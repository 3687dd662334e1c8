"""The ``Resource`` of one permission: the narrowest ARN patterns that still cover what the handler touches.

For an action, cfn-lint's ``Policies.json`` says which resource types it can be scoped to (none: only
``"*"`` works). The resource table (``data/resources.json``) gives, for the template resource the handler
works on, its ARN patterns per resource type: the exact ARN where the template names the resource, a
``${StackName}-*`` pattern where CloudFormation generates the name, the ARN of a referenced resource (the
function of an alias, the role of a function). A type or resource type the table does not know gets the
ARN prefix of the resource type from ``Policies.json`` (``...:function:*``): scoped to the service, the
region and the account, never to nothing.

Tagging actions (``ec2:CreateTags``, ``sagemaker:AddTags``, ``rds:AddTagsToResource`` ...) can be scoped to
every taggable resource type of their service (106 for ``ec2:CreateTags``), but IAM matches their Resource
against the ARN of the resource being tagged. Where the resource table says what a type's tagging actions
tag (``tags``: the resource itself, and what its handler creates and tags with it: an instance's volumes and
network interfaces), they are scoped to those resource types (the resource's own ARN where the table gives
one); where it does not, as any other action: to the resource's ARNs where they cover the action, else to every
type it applies to (:attr:`Scoped.wide` says how many, for ``--explain``).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from sam_shift_lint.iam.glob import TooComplex
from sam_shift_lint.iam.matching import resource_covers
from sam_shift_lint.iam.resource_types import ResourceTypes
from sam_shift_lint.permissions.values import ACCOUNT, PARTITION, REGION, Resolver, collapse
from sam_shift_lint.records import record

# IAM tagging APIs by name (after "service:"), for schemas whose "tagging" section does not list them
TAGGING_NAMES = frozenset(
    {"createtags", "deletetags", "describetags", "tagresource", "untagresource", "listtagsforresource", "listtags",
     "addtags", "removetags", "addtagstoresource", "removetagsfromresource", "listtagsofresource"}
)


@record(frozen=True)
class Scoped:
    """The Resource patterns of one action; ``wide``: how many resource types the patterns cover because
    nothing narrower is known (the action's Policies.json prefixes; 0 when the table scoped it)."""

    resources: tuple[str, ...]
    wide: int = 0


def is_tagging(action: str, schema_tagging: Iterable[str]) -> bool:
    """A tagging action: in the schema's ``tagging.permissions``, or named like an IAM tagging API."""
    lowered = action.lower()
    return lowered.partition(":")[2] in TAGGING_NAMES or lowered in {p.lower() for p in schema_tagging}


def fill(template: str) -> str:
    return collapse(template.replace("{partition}", PARTITION).replace("{region}", REGION).replace("{account}", ACCOUNT))


def is_arn_pattern(pattern: str) -> bool:
    """A usable ARN pattern: ``arn:`` and more than wildcards after the service."""
    parts = re.sub(r"\$\{[^}]*\}", "x", pattern).split(":", 5)  # ${AWS::Region} holds colons
    return pattern.startswith("arn:") and len(parts) == 6 and parts[2] not in ("", "*") and parts[5] not in ("", "*")


def prefixes(action: str, types: ResourceTypes) -> list[str]:
    """The Policies.json ARN prefixes of every resource type the action can be scoped to."""
    service = action.split(":", 1)[0]
    return [p for kind in types.action_types(action) for p in types.arn_patterns(service, kind)]


def scope(action: str, logical_id: str, resolver: Resolver, types: ResourceTypes, tagging: bool = False) -> Scoped:
    """The Resource patterns for ``action`` done by the handler of ``logical_id`` (``tagging``: the action
    tags the resource, see :func:`is_tagging`)."""
    kinds = types.action_types(action)
    if "*" in action or "?" in action or not kinds:
        return Scoped(("*",))
    service = action.split(":", 1)[0].lower()
    entry = resolver.entry(logical_id)
    found: list[str] = []
    if entry is not None:
        if tagging and entry.tags:
            tagged = _tagged(service, kinds, entry.tags, logical_id, resolver, types)
            if tagged:
                return Scoped(tuple(minimal(tagged)))
        for kind in kinds:
            found += resolver.arns(logical_id, f"{service}:{kind}")
        found = [p for p in found if is_arn_pattern(p)]
        if not found and entry.own and entry.service == service:
            found = [fill(t) for t in entry.own]
    if found:
        return Scoped(tuple(minimal(found)))
    wide = prefixes(action, types)
    return Scoped(tuple(minimal(wide or ["*"])), sum(1 for kind in kinds if types.arn_patterns(service, kind)))


def _tagged(service: str, kinds: Sequence[str], tags: Sequence[str], logical_id: str, resolver: Resolver, types: ResourceTypes) -> list[str]:
    """The ARN patterns of the resource types in ``tags`` that the tagging action applies to: the resource's own
    (``arns``: a named bucket's ARN) where the table gives a usable one, else the type's Policies.json prefix."""
    found: list[str] = []
    for key in tags:
        key_service, _, kind = key.partition(":")
        if key_service == service and kind in kinds:
            own = [p for p in resolver.arns(logical_id, key) if is_arn_pattern(p)]
            found += own or types.arn_patterns(service, kind)
    return found


def minimal(patterns: Iterable[str]) -> list[str]:
    """The patterns without duplicates and without those another one covers, in their first order."""
    return list(_minimal(tuple(dict.fromkeys(patterns))))


@lru_cache(maxsize=4096)
def _minimal(unique: tuple[str, ...]) -> tuple[str, ...]:
    if "*" in unique:
        return ("*",)
    wild = [p for p in unique if "*" in p or "?" in p]  # only a wildcard pattern covers another one
    return tuple(p for p in unique if not _covered(p, [w for w in wild if w != p]))


def _covered(pattern: str, wider: Sequence[str]) -> bool:
    if not wider:
        return False
    try:
        return resource_covers(wider, pattern)
    except TooComplex:  # keep a pattern the glob engine cannot compare quickly
        return False
