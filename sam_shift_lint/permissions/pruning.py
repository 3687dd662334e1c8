"""Which published handler permissions a resource does not need, given what its properties use.

Provider schemas list what a handler *may* call. Three reviewed rules take out what this resource cannot
make it call:

1. ``data/conditional.json``: permissions needed only with a property (KMS with a key, EC2 with a VPC ...).
2. Tagging: the schema's tagging permissions (``tagging.permissions``) when the resource has no tags, the
   type gets no CloudFormation system tags (``cloudFormationSystemTags``), and the stack is not deployed
   with stack-level tags (which CloudFormation copies onto every resource). Those the read handler also
   lists stay: reading a resource lists its tags whether it has any or not.
3. The delete handler of a resource that is kept on deletion and on replacement (``DeletionPolicy`` and
   ``UpdateReplacePolicy`` both ``Retain``): CloudFormation never calls it.
"""
from __future__ import annotations

from collections.abc import Mapping
from fnmatch import fnmatchcase
from typing import Any

from sam_shift_lint.permissions.schemas import TypeSchema
from sam_shift_lint.permissions.tables import Rule, conditional_rules
from sam_shift_lint.permissions.values import has_condition, select
from sam_shift_lint.records import record


@record(frozen=True)
class Verdict:
    """``pruned``: why the permission is not needed (None: it is); ``conditional``: needed only when a
    template condition holds (the property that needs it is inside an ``Fn::If``)."""

    pruned: str | None = None
    conditional: bool = False


KEEP = Verdict()


def _matches(action: str, patterns: tuple[str, ...]) -> bool:
    lowered = action.lower()
    return any(fnmatchcase(lowered, p.lower()) for p in patterns)


def present(resource: Mapping[str, Any], path: str) -> list[Any]:
    """The values at ``path`` (relative to Properties; ``@`` relative to the resource)."""
    if path.startswith("@"):
        return list(select(resource, path[1:]))
    properties = resource.get("Properties")
    return list(select(properties, path)) if isinstance(properties, dict) else []


def retained(resource: Mapping[str, Any]) -> bool:
    """Is the delete handler never called (kept on deletion and on replacement)?"""
    return resource.get("DeletionPolicy") == "Retain" and resource.get("UpdateReplacePolicy") == "Retain"


class Pruner:
    def __init__(self, stack_tags: bool = False) -> None:
        self.stack_tags = stack_tags
        self.rules: dict[str, list[Rule]] = {}
        for rule in conditional_rules():
            for kind in rule.types:
                self.rules.setdefault(kind, []).append(rule)

    def verdict(self, action: str, handler: str, resource: Mapping[str, Any], schema: TypeSchema) -> Verdict:
        conditional = False
        for rule in self.rules.get(schema.type_name, ()):
            if handler not in rule.handlers or not _matches(action, rule.actions):
                continue
            found = [value for path in rule.needed_if_any for value in present(resource, path)]
            if not found:
                paths = " or ".join(p.lstrip("@") for p in rule.needed_if_any)
                return Verdict(f"needed only with {paths}: {rule.why} (reviewed table, basis: {rule.basis})")
            conditional = conditional or all(has_condition(value) for value in found)
        tag_reason = self._tagging(action, handler, resource, schema)
        if tag_reason:
            return Verdict(tag_reason)
        return Verdict(None, conditional)

    def _tagging(self, action: str, handler: str, resource: Mapping[str, Any], schema: TypeSchema) -> str | None:
        if handler == "read" or self.stack_tags or schema.system_tags or not schema.tagging_permissions:
            return None
        lowered = action.lower()
        if lowered not in {p.lower() for p in schema.tagging_permissions}:
            return None
        if lowered in {p.lower() for p in schema.handlers.get("read", ())}:
            return None
        if schema.tag_property and present(resource, schema.tag_property):
            return None
        return f"a tagging permission, and the resource has no {schema.tag_property or 'Tags'} (without --stack-tags)"
