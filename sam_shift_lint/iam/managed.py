"""AWS managed policies whose statements are known offline (package data in ``managed_policy_data/``, one
JSON file per policy with its ``document`` and the ``source`` it was copied from).

A managed policy attached by ARN cannot be read offline; for the few listed here the documented statements
stand in for it. Their ARNs are written for the ``aws`` partition; the same policy exists in every
partition, so ``arn:aws:`` is read as ``arn:${AWS::Partition}:``.
"""
from __future__ import annotations

import functools
import os
from typing import Any

MANAGED_POLICY_PACKAGE_DIR = "managed_policy_data"
_AWS_ARN = "arn:aws:"
_ANY_PARTITION_ARN = "arn:${AWS::Partition}:"


# The package's own data files, read from beside this module (not through importlib.resources, whose import
# costs more than the rest of a small template's check); the wheel installs them as plain files.
_FOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), MANAGED_POLICY_PACKAGE_DIR)


@functools.cache
def _names() -> frozenset[str]:
    """The policies known offline: one ``<name>.json`` each. Only these files are ever opened, whatever name
    a template gives."""
    return frozenset(entry[: -len(".json")] for entry in os.listdir(_FOLDER) if entry.endswith(".json"))


@functools.cache
def _load(name: str) -> dict[str, Any]:
    import json  # here: most runs read no managed policy's document

    with open(os.path.join(_FOLDER, name + ".json"), encoding="utf-8") as file:
        data: dict[str, Any] = json.load(file)
    if data.get("name") != name:
        raise ValueError(f"{MANAGED_POLICY_PACKAGE_DIR}/{name}.json holds policy {data.get('name')!r}")
    return data


def known_managed_policies() -> list[str]:
    """Names of the managed policies whose statements are known."""
    return sorted(_names())


def managed_policy_document(name_or_arn: str) -> dict[str, Any] | None:
    """The policy document of a known AWS managed policy (by name or ARN), else None."""
    name = name_or_arn.rsplit("/", 1)[-1]
    if name not in _names():
        return None
    if name_or_arn != name and ":iam::aws:policy/" not in name_or_arn:
        return None  # a customer managed policy of the same name
    data = _load(name)
    document: dict[str, Any] = _any_partition(data["document"])
    return document


def _any_partition(value: Any) -> Any:
    """``value`` with ``arn:aws:`` ARNs made partition-free, as a new structure: every list and dict is rebuilt,
    so a caller may change what it gets without changing the remembered policy."""
    if isinstance(value, str) and value.startswith(_AWS_ARN):
        return _ANY_PARTITION_ARN + value[len(_AWS_ARN) :]
    if isinstance(value, list):
        return [_any_partition(v) for v in value]
    if isinstance(value, dict):
        return {k: _any_partition(v) for k, v in value.items()}
    return value
