"""Regression tests for what the SAM translator does with null ``Type`` and non-map ``Properties``, checked
against the translator itself (the messages must describe its behaviour)."""
from __future__ import annotations

from pathlib import Path

from sam_shift_lint.engine import check_file

RULES = Path(__file__).resolve().parent.parent / "rules"


def test_null_type_is_accepted_and_the_group_gets_no_deployment_config(sam_translator) -> None:  # type: ignore[no-untyped-def]
    path = RULES / "E9104" / "empty-type.fail.yaml"
    output = sam_translator.transform(path)
    groups = {k: v["Properties"] for k, v in output["Resources"].items() if v["Type"] == "AWS::CodeDeploy::DeploymentGroup"}
    assert "DeploymentConfigName" not in groups["EmptyNullDeploymentGroup"]
    assert "DeploymentConfigName" not in groups["ExplicitNullDeploymentGroup"]
    assert groups["EmptyStringDeploymentGroup"]["DeploymentConfigName"] == ""
    messages = {f.resource: f.message for f in check_file(str(path)).findings if f.rule == "E9104"}
    for function in ("EmptyNull", "ExplicitNull"):
        assert "SAM accepts it" in messages[function] and "without a DeploymentConfigName" in messages[function]
        assert "reject" not in messages[function]
    assert "DeploymentConfigName ''" in messages["EmptyString"]


def test_null_properties_get_no_globals(sam_translator) -> None:  # type: ignore[no-untyped-def]
    path = RULES / "E9107" / "null-properties.fail.yaml"
    assert sam_translator.errors(path) == {"NoProperties": "Resource with id [NoProperties] is invalid. Attribute 'Properties' should be a map."}
    findings = check_file(str(path)).findings
    about = [(f.rule, f.resource) for f in findings]
    # No W9101/W9102/E9103 from Globals merged into it (SAM merges none): only the shape finding.
    assert about == [("E9107", "NoProperties")]
