"""Handler permissions from the CloudFormation resource provider schemas that cfn-lint ships.

cfn-lint keeps one schema per resource type under ``cfnlint/data/schemas/resources/<hash>.json`` and, per
region, a map from type name to hash (``cfnlint/data/schemas/providers/<region>.json``). The schemas keep
their ``handlers`` section: for each handler (``create``, ``read``, ``update``, ``delete``, ``list``) the IAM
permissions the handler *may* call (AWS's published data: a superset, some entries conditional on
properties), and the ``tagging`` section (which property holds tags, which actions tag). The files are read
directly (found with ``importlib.util.find_spec``, cfn-lint is not imported) and only for the types a
template uses.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
from collections.abc import Mapping
from typing import Any

from sam_shift_lint.records import record

OPERATIONS = ("create", "update", "delete")  # what --operations chooses from
HANDLERS = ("create", "read", "update", "delete")  # read: CloudFormation calls it during every operation
DEFAULT_REGION = "us-east-1"
_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d{1,2}")


class SchemaUnavailable(RuntimeError):
    """cfn-lint's provider schemas cannot be found or read (one line, for the user)."""


@record(frozen=True)
class TypeSchema:
    """What sam-shift-lint uses of one resource type's provider schema."""

    type_name: str
    handlers: Mapping[str, tuple[str, ...]]  # handler -> permissions as published (absent: no such handler)
    tag_property: str | None  # "Tags" for "/properties/Tags"
    tagging_permissions: tuple[str, ...]  # the actions the schema says tagging needs
    system_tags: bool  # CloudFormation adds its aws:cloudformation:* tags to this type
    taggable: bool

    @property
    def has_handlers(self) -> bool:
        return bool(self.handlers)


def cfnlint_dir() -> str:
    """The directory of the installed cfn-lint package, found without importing it."""
    try:
        spec = importlib.util.find_spec("cfnlint")
    except (ImportError, ValueError):
        spec = None
    for location in list(spec.submodule_search_locations or ()) if spec is not None else []:
        if os.path.isdir(os.path.join(location, "data", "schemas")):
            return str(location)
    raise SchemaUnavailable("cfn-lint's resource schemas are not installed (pip install cfn-lint)")


def valid_region(region: str) -> bool:
    return bool(_REGION.fullmatch(region))


class ProviderSchemas:
    """The provider schemas of one region, read on demand (one small JSON file per type looked up)."""

    def __init__(self, region: str = DEFAULT_REGION, root: str | None = None) -> None:
        if not valid_region(region):
            raise SchemaUnavailable(f"not a region name: {region[:40]!r}")
        self.region = region
        self._root = os.path.join(root or cfnlint_dir(), "data", "schemas")
        index = os.path.join(self._root, "providers", f"{region}.json")
        if not os.path.isfile(index):
            raise SchemaUnavailable(f"cfn-lint has no resource schemas for region {region}")
        self._index: dict[str, str] = _read_json(index)
        self._cache: dict[str, TypeSchema | None] = {}

    def known(self, type_name: str) -> bool:
        return type_name in self._index

    def get(self, type_name: str) -> TypeSchema | None:
        """The schema of ``type_name`` in this region, or None when the region has no such type."""
        if type_name not in self._cache:
            digest = self._index.get(type_name)
            found = None
            if isinstance(digest, str) and re.fullmatch(r"[0-9a-f]+", digest):
                found = _type_schema(type_name, _read_json(os.path.join(self._root, "resources", f"{digest}.json")))
            self._cache[type_name] = found
        return self._cache[type_name]


def _read_json(path: str) -> Any:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as error:
        raise SchemaUnavailable(f"cannot read cfn-lint's schema file {path}: {error}") from None


def _strings(value: Any) -> tuple[str, ...]:
    return tuple(item for item in value if isinstance(item, str)) if isinstance(value, list) else ()


def _type_schema(type_name: str, schema: Any) -> TypeSchema:
    schema = schema if isinstance(schema, dict) else {}
    handlers: dict[str, tuple[str, ...]] = {}
    raw = schema.get("handlers")
    for name in HANDLERS:
        entry = raw.get(name) if isinstance(raw, dict) else None
        if isinstance(entry, dict):
            handlers[name] = _strings(entry.get("permissions"))
    tagging = schema.get("tagging") if isinstance(schema.get("tagging"), dict) else {}
    prop = tagging.get("tagProperty")
    tag_property = prop[len("/properties/"):].replace("/", ".") if isinstance(prop, str) and prop.startswith("/properties/") else None
    if tag_property is None and tagging.get("taggable") and "Tags" in (schema.get("properties") or {}):
        tag_property = "Tags"
    return TypeSchema(
        type_name=type_name,
        handlers=handlers,
        tag_property=tag_property,
        tagging_permissions=_strings(tagging.get("permissions")),
        system_tags=tagging.get("cloudFormationSystemTags") is True,
        taggable=tagging.get("taggable") is True,
    )
