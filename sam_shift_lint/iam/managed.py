"""AWS managed policies whose statements are known offline (package data in ``managed_policy_data/``, one
JSON file per policy with its ``document`` and the ``source`` it was copied from).

A managed policy attached by ARN cannot be read offline; for the few listed here the documented statements
stand in for it. Their ARNs are written for the ``aws`` partition; the same policy exists in every
partition, so ``arn:aws:`` is read as ``arn:${AWS::Partition}:``.
"""
from __future__ import annotations

import copy
import functools
import json
from importlib import resources
from typing import Any

MANAGED_POLICY_PACKAGE_DIR = "managed_policy_data"
_AWS_ARN = "arn:aws:"
_ANY_PARTITION_ARN = "arn:${AWS::Partition}:"


@functools.cache
def _all() -> dict[str, dict[str, Any]]:
    folder = resources.files(__package__).joinpath(MANAGED_POLICY_PACKAGE_DIR)
    found = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            data = json.loads(entry.read_text(encoding="utf-8"))
            found[data["name"]] = data
    return found


def known_managed_policies() -> list[str]:
    """Names of the managed policies whose statements are known."""
    return sorted(_all())


def managed_policy_document(name_or_arn: str) -> dict[str, Any] | None:
    """The policy document of a known AWS managed policy (by name or ARN), else None."""
    name = name_or_arn.rsplit("/", 1)[-1]
    data = _all().get(name)
    if data is None:
        return None
    if name_or_arn != name and ":iam::aws:policy/" not in name_or_arn:
        return None  # a customer managed policy of the same name
    document: dict[str, Any] = _any_partition(copy.deepcopy(data["document"]))
    return document


def _any_partition(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_AWS_ARN):
        return _ANY_PARTITION_ARN + value[len(_AWS_ARN) :]
    if isinstance(value, list):
        return [_any_partition(v) for v in value]
    if isinstance(value, dict):
        return {k: _any_partition(v) for k, v in value.items()}
    return value
