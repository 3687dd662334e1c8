"""The reviewed data tables of ``permissions/data/`` (see the ``about`` entry of each file): how resources are
named and scoped (``resources.json``), which handler permissions depend on which properties
(``conditional.json``) and which update-handler permissions every deployment of new code calls
(``deployments.json``). Loaded once, checked for shape (a malformed table is a bug in the package: it raises)."""
from __future__ import annotations

import json
import os
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from sam_shift_lint.records import record

DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
DEFAULT_HANDLERS = ("create", "update", "delete")


@record(frozen=True)
class PassRole:
    """Properties holding a role that CloudFormation passes to ``to`` (a service principal)."""

    paths: tuple[str, ...]
    to: str
    why: str = ""


@record(frozen=True)
class TypeEntry:
    """How one resource type is named and scoped."""

    name_property: str | None
    generated: str | None  # the pattern of a name CloudFormation generates; None: the type has no name
    ref: str  # "name" | "arn" | "other"
    arn: str | None  # the key of ``arns`` an ARN-valued Ref or GetAtt Arn gives
    arns: Mapping[str, tuple[str, ...]]  # "service:type" (lower-case) -> ARN templates
    service: str | None  # the IAM service of ``own``
    own: tuple[str, ...]
    passes_roles: tuple[PassRole, ...]
    tags: tuple[str, ...] = ()  # "service:type" (lower-case): what the resource's tagging actions tag
    tags_why: str = ""


@record(frozen=True)
class Rule:
    """Permissions of a type needed only when a property is used."""

    types: tuple[str, ...]
    actions: tuple[str, ...]  # IAM glob patterns
    handlers: tuple[str, ...]
    needed_if_any: tuple[str, ...]
    why: str
    basis: str


@record(frozen=True)
class DeploymentRule:
    """Update-handler permissions of a type that an ordinary deployment (new code) calls."""

    types: tuple[str, ...]
    actions: tuple[str, ...]  # exact IAM actions
    why: str
    basis: str


def _load(name: str) -> Any:
    with open(os.path.join(DATA_DIR, name), encoding="utf-8") as handle:
        return json.load(handle)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise ValueError(f"{where}: expected a list of strings")
    return tuple(value)


@lru_cache(maxsize=1)
def resource_table() -> Mapping[str, TypeEntry]:
    data = _load("resources.json")
    table: dict[str, TypeEntry] = {}
    for type_name, raw in data["types"].items():
        name = raw.get("name") or {}
        arns = {key.lower(): _strings(value, f"{type_name}.arns.{key}") for key, value in (raw.get("arns") or {}).items()}
        roles = tuple(
            PassRole(_strings(spec["paths"], f"{type_name}.passes_roles"), str(spec["to"]), str(spec.get("why", "")))
            for spec in raw.get("passes_roles") or ()
        )
        if raw.get("ref") not in ("name", "arn", "other"):
            raise ValueError(f"{type_name}.ref must be name, arn or other")
        if raw.get("arn") is not None and raw["arn"].lower() not in arns:
            raise ValueError(f"{type_name}.arn names no entry of arns")
        tags = tuple(key.lower() for key in _strings(raw.get("tags", []), f"{type_name}.tags"))
        if any(key.count(":") != 1 for key in tags):
            raise ValueError(f"{type_name}.tags: expected service:type")
        table[type_name] = TypeEntry(
            name_property=name.get("property"),
            generated=name.get("generated"),
            ref=raw["ref"],
            arn=raw["arn"].lower() if raw.get("arn") else None,
            arns=arns,
            service=raw.get("service"),
            own=_strings(raw.get("own", []), f"{type_name}.own"),
            passes_roles=roles,
            tags=tags,
            tags_why=str(raw.get("tags_why", "")),
        )
    return table


@lru_cache(maxsize=1)
def link_templates() -> Mapping[str, tuple[str, ...]]:
    """ARN templates (``{value}``: a name or ARN given as text) for references to a resource of a type."""
    return {key.lower(): _strings(value, f"links.{key}") for key, value in _load("resources.json")["links"].items()}


@lru_cache(maxsize=1)
def conditional_rules() -> tuple[Rule, ...]:
    rules = []
    for index, raw in enumerate(_load("conditional.json")["rules"]):
        where = f"conditional.json rule {index}"
        handlers = _strings(raw.get("handlers", list(DEFAULT_HANDLERS)), where)
        _basis(raw, where)
        rules.append(
            Rule(
                types=_strings(raw["types"], where),
                actions=_strings(raw["actions"], where),
                handlers=handlers,
                needed_if_any=_strings(raw["needed_if_any"], where),
                why=str(raw["why"]),
                basis=str(raw["basis"]),
            )
        )
    return tuple(rules)


def _basis(raw: Mapping[str, Any], where: str) -> str:
    if not raw.get("why") or raw.get("basis") not in ("schema", "docs", "inferred"):
        raise ValueError(f"{where}: needs 'why' and a 'basis' of schema, docs or inferred")
    return str(raw["basis"])


@lru_cache(maxsize=1)
def deployment_rules() -> tuple[DeploymentRule, ...]:
    rules = []
    for index, raw in enumerate(_load("deployments.json")["rules"]):
        where = f"deployments.json rule {index}"
        basis = _basis(raw, where)
        rules.append(DeploymentRule(_strings(raw["types"], where), _strings(raw["actions"], where), str(raw["why"]), basis))
    return tuple(rules)
