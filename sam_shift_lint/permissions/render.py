"""The derived policies as text: IAM policy JSON (default), YAML, or a CloudFormation snippet
(``AWS::IAM::ManagedPolicy`` resources whose ARNs with placeholders are ``!Sub`` strings).

Placeholders the user gave values for (``--region``, ``--account-id``, ``--partition``, ``--stack-name``,
``--artifact-bucket``) are filled in; the others stay: in JSON and YAML as text, in the CloudFormation
snippet as ``!Sub`` (``${StackName}`` and ``${ArtifactBucket}`` become template parameters).
Strings are always written quoted with JSON escapes (non-ASCII escaped too), which YAML reads the same way.
"""
from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from sam_shift_lint.permissions.policy import Statement, document, substitute
from sam_shift_lint.permissions.values import ARTIFACT_BUCKET, STACK

FORMATS = ("json", "yaml", "cfn")
_SIMPLE_KEY = re.compile(r"[A-Za-z][A-Za-z0-9:]*")
PARAMETERS = {
    STACK: ("StackName", "The name of the stack these permissions deploy"),
    ARTIFACT_BUCKET: ("ArtifactBucket", "The S3 bucket sam deploy (or sam package) uploads code and templates to"),
}


class Sub(str):
    """A string CloudFormation substitutes (``!Sub``)."""


def render(policies: Sequence[Sequence[Statement]], fmt: str, values: Mapping[str, str], description: str = "") -> str:
    docs = [_filled(document(list(p)), values) for p in policies]
    if fmt == "json":
        return json.dumps(docs[0] if len(docs) == 1 else docs, indent=2, ensure_ascii=True) + "\n"
    if fmt == "yaml":
        return "\n".join(_yaml(docs[0] if len(docs) == 1 else docs, 0)) + "\n"
    if fmt == "cfn":
        return _cfn(docs, description)
    raise ValueError(fmt)


def _filled(value: Any, values: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return substitute(value, values)
    if isinstance(value, list):
        return [_filled(v, values) for v in value]
    if isinstance(value, dict):
        return {k: _filled(v, values) for k, v in value.items()}
    return value


def _subs(value: Any) -> Any:
    """Strings holding a placeholder become :class:`Sub`."""
    if isinstance(value, str):
        return Sub(value) if "${" in value else value
    if isinstance(value, list):
        return [_subs(v) for v in value]
    if isinstance(value, dict):
        return {k: _subs(v) for k, v in value.items()}
    return value


def _cfn(docs: list[dict[str, Any]], description: str) -> str:
    text = json.dumps(docs)
    parameters = {name: {"Type": "String", "Description": about} for placeholder, (name, about) in PARAMETERS.items() if placeholder in text}
    resources = {}
    for index, doc in enumerate(docs, start=1):
        name = "DeployPermissions" if len(docs) == 1 else f"DeployPermissions{index}"
        part = "" if len(docs) == 1 else f" (part {index} of {len(docs)})"
        properties: dict[str, Any] = {"Description": (description or "Deploy permissions") + part, "PolicyDocument": _subs(doc)}
        resources[name] = {"Type": "AWS::IAM::ManagedPolicy", "Properties": properties}
    template: dict[str, Any] = {"AWSTemplateFormatVersion": "2010-09-09"}
    if parameters:
        template["Parameters"] = parameters
    template["Resources"] = resources
    return "\n".join(_yaml(template, 0)) + "\n"


def _scalar(value: Any) -> str:
    if isinstance(value, Sub):
        return "!Sub " + json.dumps(str(value), ensure_ascii=True)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return json.dumps(value, ensure_ascii=True)


def _key(key: str) -> str:
    return key if _SIMPLE_KEY.fullmatch(key) else json.dumps(key, ensure_ascii=True)


def _yaml(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return [pad + "{}"]
        lines = []
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{_key(key)}:")
                lines += _yaml(item, indent + 2)
            elif isinstance(item, (dict, list)):
                lines.append(f"{pad}{_key(key)}: {'{}' if isinstance(item, dict) else '[]'}")
            else:
                lines.append(f"{pad}{_key(key)}: {_scalar(item)}")
        return lines
    if isinstance(value, list):
        if not value:
            return [pad + "[]"]
        lines = []
        for item in value:
            if isinstance(item, (dict, list)) and item:
                inner = _yaml(item, indent + 2)
                lines.append(pad + "- " + inner[0][indent + 2 :])
                lines += inner[1:]
            else:
                lines.append(f"{pad}- {_scalar(item)}")
        return lines
    return [pad + _scalar(value)]
