"""Templates with ``AWS::LanguageExtensions`` before SAM's transform are judged as SAM will see them.

The offline translator does not run that transform, so this test applies the part of it these fixtures use
(parameter ``Ref``/``Fn::Sub`` to their defaults, ``Fn::If`` on ``Fn::Equals`` conditions, ``AWS::NoValue``
removal; what the CloudFormation guide and the SAM CLI's port of the transform describe) and then asks the
translator: it must reject exactly the functions the linter reports, for the reason reported.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sam_shift_lint.engine import check_file
from sam_shift_lint.parsing.document import load

HERE = Path(__file__).resolve().parent / "language_extensions"
REMOVED = object()


def _resolve(value: Any, parameters: dict[str, Any], conditions: dict[str, bool]) -> Any:
    if isinstance(value, list):
        return [item for item in (_resolve(v, parameters, conditions) for v in value) if item is not REMOVED]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        (name, argument), = value.items()
        if name == "Ref" and argument == "AWS::NoValue":
            return REMOVED
        if name == "Ref" and argument in parameters:
            return parameters[argument]
        if name == "Fn::Sub" and isinstance(argument, str) and all(
            v in parameters for v in re.findall(r"\$\{([^}]*)\}", argument)
        ):
            return re.sub(r"\$\{([^}]*)\}", lambda m: str(parameters[m.group(1)]), argument)
        if name == "Fn::If":
            return _resolve(argument[1] if conditions[argument[0]] else argument[2], parameters, conditions)
    resolved = {k: _resolve(v, parameters, conditions) for k, v in value.items()}
    return {k: v for k, v in resolved.items() if v is not REMOVED}


def as_sam_sees_it(path: Path) -> dict[str, Any]:
    data = load(str(path)).data()
    parameters = {name: spec["Default"] for name, spec in data.get("Parameters", {}).items()}
    conditions = {}
    for name, (_, (left, right)) in ((n, next(iter(c.items()))) for n, c in data.get("Conditions", {}).items()):
        conditions[name] = _resolve(left, parameters, {}) == _resolve(right, parameters, {})
    data = {k: _resolve(v, parameters, conditions) for k, v in data.items() if k not in ("Conditions",)}
    data["Transform"] = "AWS::Serverless-2016-10-31"
    data["Globals"]["Function"]["CodeUri"] = "s3://bucket/key"
    return data


def test_resolved_intrinsics_are_not_reported(sam_translator) -> None:  # type: ignore[no-untyped-def]
    path = HERE / "resolved.pass.yaml"
    assert sam_translator.errors(as_sam_sees_it(path)) == {}
    assert [f.rule for f in check_file(str(path)).findings] == []


def test_what_sam_will_reject_after_the_transform_is_reported(sam_translator) -> None:  # type: ignore[no-untyped-def]
    path = HERE / "resolved.fail.yaml"
    findings = {(f.rule, f.resource, f.line, f.column) for f in check_file(str(path)).findings}
    assert findings == {
        ("E9106", "DottedAlias", 19, 25),  # '${Stage}.live' becomes 'prod.live'
        ("E9104", "BranchWithoutType", 26, 42),  # the chosen branch has no Type
        ("E9106", "ResourceInSub", 30, 25),  # a resource in Fn::Sub stays an intrinsic for SAM
    }
    errors = sam_translator.errors(as_sam_sees_it(path))
    assert set(errors) == {"DottedAlias", "BranchWithoutType", "ResourceInSub"}
    assert "AutoPublishAlias name ('prod.live')" in errors["DottedAlias"]
    assert "missing required Property 'Type'" in errors["BranchWithoutType"]
    assert "must be a string or a Ref to a template parameter" in errors["ResourceInSub"]
