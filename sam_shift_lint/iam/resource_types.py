"""Which resources each IAM action applies to, and the ARN formats of those resources, from cfn-lint's
``Policies.json`` (the Service Authorization Reference).

``Policies.json`` keeps, per service, ``Actions.<action>.Resources`` (the resource types an action can be
scoped to; none: the action supports no resource-level permission, so only ``"*"`` works) and
``Resources.<type>.ARNFormats``, with the resource-specific part of each format already cut to ``.*``
(``arn:${Partition}:lambda:${Region}:${Account}:function:.*``). What is kept here is that, as ARN *prefixes*
in template syntax: ``arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:*``.

Loaded on first use through the same compact cache as the action catalog (:mod:`.catalog_cache`, its own
entry kind), so it is not parsed on every run.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from sam_shift_lint.iam import catalog_cache
from sam_shift_lint.iam.actions import CatalogUnavailable, policies_json_path, read_policies_json
from sam_shift_lint.records import record

KIND = "iam-resource-types"
# {service: [{action: [type, ...]}, {type: [ARN pattern, ...]}]}, names lower-cased
Compact = dict[str, list[Any]]

_PLACEHOLDERS = {"Partition": "${AWS::Partition}", "Region": "${AWS::Region}", "Account": "${AWS::AccountId}"}
_VARIABLE = re.compile(r"\$\{([^}]*)\}")


def arn_pattern(arn_format: str) -> str:
    """A Policies.json ARN format as a template-syntax pattern: ``${Partition}``, ``${Region}`` and
    ``${Account}`` become the pseudo parameters, any other variable and the ``.*`` tail become ``*``."""
    text = arn_format.replace(".*", "*")
    text = _VARIABLE.sub(lambda m: _PLACEHOLDERS.get(m.group(1), "*"), text)
    while "**" in text:
        text = text.replace("**", "*")
    return text


def compact_from_policies(data: Mapping[str, Any]) -> Compact:
    compact: Compact = {}
    for service, body in data.items():
        if not isinstance(body, dict):
            continue
        actions: dict[str, list[str]] = {}
        for action, entry in (body.get("Actions") or {}).items():
            types = entry.get("Resources") if isinstance(entry, dict) else None
            actions[str(action).lower()] = [str(t).lower() for t in types or () if isinstance(t, str)]
        formats: dict[str, list[str]] = {}
        for name, entry in (body.get("Resources") or {}).items():
            arns = entry.get("ARNFormats") if isinstance(entry, dict) else None
            formats[str(name).lower()] = sorted({arn_pattern(a) for a in arns or () if isinstance(a, str)})
        compact[str(service).lower()] = [actions, formats]
    return compact


def is_compact(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    for entry in value.values():
        if not (isinstance(entry, list) and len(entry) == 2 and all(isinstance(part, dict) for part in entry)):
            return False
        if not all(isinstance(v, list) and all(isinstance(s, str) for s in v) for part in entry for v in part.values()):
            return False
    return True


@record(frozen=True)
class ResourceTypes:
    """``action_types("lambda:CreateAlias") == ("function",)``; ``arn_patterns("lambda", "function")``."""

    services: Mapping[str, list[Any]]

    def known(self, action: str) -> bool:
        service, _, name = action.lower().partition(":")
        entry = self.services.get(service)
        return entry is not None and name in entry[0]

    def action_types(self, action: str) -> tuple[str, ...]:
        """The resource types the action can be scoped to (lower-case); () when it supports none."""
        service, _, name = action.lower().partition(":")
        entry = self.services.get(service)
        return tuple(entry[0].get(name, ())) if entry is not None else ()

    def arn_patterns(self, service: str, resource_type: str) -> tuple[str, ...]:
        entry = self.services.get(service.lower())
        return tuple(entry[1].get(resource_type.lower(), ())) if entry is not None else ()


@lru_cache(maxsize=1)
def resource_types() -> ResourceTypes:
    """The data, from the compact cache or from cfn-lint's Policies.json (raises :class:`CatalogUnavailable`)."""
    path = policies_json_path()

    def build() -> Compact:
        return compact_from_policies(read_policies_json(path))

    try:
        return ResourceTypes(catalog_cache.load(path, build, kind=KIND, valid=is_compact))
    except OSError as error:
        raise CatalogUnavailable(f"cannot read {path}: {error.strerror or error}") from None
