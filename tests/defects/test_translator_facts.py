"""Regression tests for what the SAM translator does with null ``Type`` and non-map ``Properties``, checked
against the translator itself (the messages must describe its behaviour)."""
from __future__ import annotations

from pathlib import Path

from sam_shift_lint.engine import check_file
from sam_shift_lint.parsing.document import load

from .translator import translator_errors

RULES = Path(__file__).resolve().parent.parent / "rules"


def _data(path: Path) -> dict:  # type: ignore[type-arg]
    data = load(str(path)).data()
    data["Globals"]["Function"]["CodeUri"] = "s3://bucket/key"
    return data  # type: ignore[no-any-return]


def test_null_type_is_accepted_and_the_group_gets_no_deployment_config() -> None:
    from samtranslator.translator.transform import transform

    from .translator import _NoNetworkPolicyLoader

    path = RULES / "E9104" / "empty-type.fail.yaml"
    output = transform(_data(path), {}, _NoNetworkPolicyLoader())
    groups = {k: v["Properties"] for k, v in output["Resources"].items() if v["Type"] == "AWS::CodeDeploy::DeploymentGroup"}
    assert "DeploymentConfigName" not in groups["EmptyNullDeploymentGroup"]
    assert "DeploymentConfigName" not in groups["ExplicitNullDeploymentGroup"]
    assert groups["EmptyStringDeploymentGroup"]["DeploymentConfigName"] == ""
    messages = {f.resource: f.message for f in check_file(str(path)).findings if f.rule == "E9104"}
    for function in ("EmptyNull", "ExplicitNull"):
        assert "SAM accepts it" in messages[function] and "without a DeploymentConfigName" in messages[function]
        assert "reject" not in messages[function]
    assert "DeploymentConfigName ''" in messages["EmptyString"]


def test_null_properties_get_no_globals() -> None:
    path = RULES / "E9107" / "null-properties.fail.yaml"
    assert translator_errors(_data(path)) == {"NoProperties": "Resource with id [NoProperties] is invalid. Attribute 'Properties' should be a map."}
    findings = check_file(str(path)).findings
    about = [(f.rule, f.resource) for f in findings]
    # No W9101/W9102/E9103 from Globals merged into it (SAM merges none): only the shape finding.
    assert about == [("E9107", "NoProperties")]
