"""Values far longer than any name they could be a misspelling of: the suggestion search must not be
quadratic in them (found by fuzzing: a 100 KB ``DeploymentPreference.Type`` took 10 s, 1 MB would take 100 s)."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from hostile_inputs import run_cli

from sam_shift_lint.engine import check_document
from sam_shift_lint.parsing.document import load


def _template(deployment_type: str) -> str:
    function = {
        "Type": "AWS::Serverless::Function",
        "Properties": {
            "Handler": "app.handler",
            "Runtime": "python3.12",
            "CodeUri": "s3://bucket/key",
            "AutoPublishAlias": "live",
            "DeploymentPreference": {"Type": deployment_type},
        },
    }
    return json.dumps({"Transform": "AWS::Serverless-2016-10-31", "Resources": {"Fn": function}})


def test_a_megabyte_deployment_type_is_reported_quickly_and_quoted_short(tmp_path: Path) -> None:
    path = tmp_path / "template.json"
    path.write_text(_template("Canary10Percent5Minutez" * 45_000), encoding="utf-8")  # ~1 MB
    started = time.monotonic()
    result = run_cli(str(path))
    elapsed = time.monotonic() - started
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert any(" E9105 " in line for line in lines)
    assert max(len(line) for line in lines) < 1000  # the value is cut; the message lists the valid types
    assert elapsed < 10, f"{elapsed:.1f} s"  # was about 100 s; a check of this file takes well under 1 s


def test_a_misspelt_type_still_gets_its_suggestion(tmp_path: Path) -> None:
    path = tmp_path / "template.json"
    path.write_text(_template("Canary10Percent5Minutez"), encoding="utf-8")
    result = run_cli(str(path))
    assert "Canary10Percent5Minutes" in result.stdout


def test_a_long_resource_type_named_by_a_hook_is_quoted_short(tmp_path: Path) -> None:
    """E9116 names the type of the resource a hook refers to: a 20,000-character ``Type`` was quoted whole (found
    by fuzzing, seed 9091 input 3632); it is cut at 200 characters as every quoted value is."""
    template = json.loads(_template("Canary10Percent5Minutes"))
    template["Resources"]["Fn"]["Properties"]["DeploymentPreference"]["Hooks"] = {"PostTraffic": {"Ref": "Check"}}
    template["Resources"]["Check"] = {"Type": "x" * 20_000, "Properties": {}}
    path = tmp_path / "template.json"
    path.write_text(json.dumps(template), encoding="utf-8")
    result = run_cli("--format", "json", str(path))
    messages = [item["message"] for item in json.loads(result.stdout) if item["rule"] == "E9116"]
    assert messages == [f"Function 'Fn': Hooks.PostTraffic names 'Check' ({'x' * 197}...), which is not a Lambda function"]


def _many_sub_variables(count: int) -> str:
    """A permission whose ``Fn::Sub`` text references ``count`` variables of its map, each a function's ARN."""
    text = "".join(f"${{V{index}}}" for index in range(count)) + ":live"
    variables = {f"V{index}": {"Fn::GetAtt": ["Api", "Arn"]} for index in range(count)}
    function = {
        "Type": "AWS::Serverless::Function",
        "Properties": {"Handler": "app.handler", "Runtime": "python3.12", "CodeUri": "s3://bucket/key", "AutoPublishAlias": "live"},
    }
    permission = {
        "Type": "AWS::Lambda::Permission",
        "Properties": {"Action": "lambda:InvokeFunction", "Principal": "sns.amazonaws.com", "FunctionName": {"Fn::Sub": [text, variables]}},
    }
    return json.dumps({"Transform": "AWS::Serverless-2016-10-31", "Resources": {"Api": function, "Permission": permission}})


def test_an_fn_sub_with_many_variables_is_read_in_linear_time() -> None:
    """W9122 reads an ``Fn::Sub``'s variables into its text in one pass: one ``str.replace`` over the whole text
    per variable was quadratic (a 1 MB template holds tens of thousands of them). CPU time (the best of three) of
    the rule on n and 4n variables: linear work takes about 4 times as long, the old way 16 times; the bound is 8."""
    from sam_shift_lint.checks.registry import select_rules
    from sam_shift_lint.engine import check_document
    from sam_shift_lint.parsing.document import parse

    rules = select_rules(["W9122"])

    def cpu(count: int) -> float:
        document = parse("template.json", _many_sub_variables(count))
        times = []
        for _ in range(3):
            document.memo.clear()
            started = time.process_time()
            findings = check_document(document, rules)
            times.append(time.process_time() - started)
        assert [finding.rule for finding in findings] == ["W9122"]  # the last reference ends ':live'
        return min(times)

    cpu(10)  # warm up: imports
    small, large = cpu(5_000), cpu(20_000)
    assert large < 8 * small, f"{small:.3f} s for n variables, {large:.3f} s for 4n"


# ---------------------------------------------------------------------------------------------- quoted values

LONG = "x" * 3_000  # a value of the template, far past the 200 characters a message quotes
CUT = "x" * 197 + "..."


def _function(**properties: Any) -> dict[str, Any]:
    return {"Type": "AWS::Serverless::Function",
            "Properties": {"Handler": "app.handler", "Runtime": "python3.12", "CodeUri": "s3://bucket/key", **properties}}


def _deploy_role(statements: list[dict[str, Any]]) -> dict[str, Any]:
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "cloudformation.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
    policy = {"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}}
    return {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": trust, "Policies": [policy]}}


PREFERENCE = {"Type": "Canary10Percent5Minutes"}
LONG_VALUE_TEMPLATES: dict[str, dict[str, Any]] = {
    # a policy template's name (W9114 quoted the names of the policies SAM drops whole: seed 20261129 input 1678)
    "W9114": {"Fn": _function(Role="arn:aws:iam::123456789012:role/r", Policies=[{LONG: {}}])},
    "E9119": {"Fn": _function(AutoPublishAlias="live", DeploymentPreference={**PREFERENCE, "Alarms": [LONG, LONG]})},
    "E9118": {"Fn": _function(AutoPublishAlias="live", DeploymentPreference={
        **PREFERENCE, "Alarms": [f"arn:aws:cloudwatch:us-east-1:123456789012:alarm:{LONG}"]})},
    "E9106": {"Fn": _function(AutoPublishAlias={"Ref": LONG}, DeploymentPreference=PREFERENCE)},
    "W9122": {"Fn": _function(AutoPublishAlias=LONG, DeploymentPreference=PREFERENCE),
              "Permission": {"Type": "AWS::Lambda::Permission", "Properties": {
                  "Action": "lambda:InvokeFunction", "Principal": "sns.amazonaws.com",
                  "FunctionName": {"Fn::Sub": "${Fn.Arn}:" + LONG}}}},
    "W9123": {"Fn": _function(AutoPublishAlias="live", ProvisionedConcurrencyConfig={"ProvisionedConcurrentExecutions": 1},
                              DeploymentPreference={"Type": LONG}),  # a custom configuration's name
              "Config": {"Type": "AWS::CodeDeploy::DeploymentConfig", "Properties": {
                  "DeploymentConfigName": LONG, "ComputePlatform": "Lambda",
                  "TrafficRoutingConfig": {"Type": "TimeBasedCanary",
                                           "TimeBasedCanary": {"CanaryPercentage": 10, "CanaryInterval": 5}}}}},
    # the type of the resource an Alarms entry refers to (seed 20261129 input 225748 quoted 2,000 characters of it)
    "E9118:resource-type": {"Fn": _function(AutoPublishAlias="live", DeploymentPreference={**PREFERENCE, "Alarms": [{"Ref": "NotAnAlarm"}]}),
                            "NotAnAlarm": {"Type": LONG, "Properties": {}}},
    "E9118:attribute-type": {"Fn": _function(AutoPublishAlias="live", DeploymentPreference={
                                 **PREFERENCE, "Alarms": [{"Fn::GetAtt": ["NotAnAlarm", "Arn"]}]}),
                             "NotAnAlarm": {"Type": LONG, "Properties": {}}},  # seed 20261130 input 499881
    # a hook named by a literal name, listed in what the CodeDeploy role lacks (seed 20261129 input 172207: 20,279 characters)
    "E9205": {"Fn": _function(AutoPublishAlias="live", DeploymentPreference={
                  **PREFERENCE, "Role": {"Fn::GetAtt": ["CodeDeployRole", "Arn"]}, "Hooks": {"PreTraffic": LONG}}),
              "CodeDeployRole": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {
                  "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "codedeploy.amazonaws.com"},
                                                          "Action": "sts:AssumeRole"}]}}}},
    # a condition name, quoted by a rule that does not cut it: the engine's guard does (seed 20261130 input 839732)
    "W9120": {"Fn": {**_function(AutoPublishAlias="live", DeploymentPreference=PREFERENCE), "Condition": LONG}},
    # a statement's Sid, named where an explicit Deny takes a permission away (E9201)
    "E9201": {"Fn": _function(AutoPublishAlias="live", DeploymentPreference=PREFERENCE),
              "DeployRole": _deploy_role([{"Effect": "Allow", "Action": "*", "Resource": "*"},
                                          {"Sid": LONG, "Effect": "Deny", "Action": "codedeploy:*", "Resource": "*"}])},
}


@pytest.mark.parametrize("case", sorted(LONG_VALUE_TEMPLATES))
def test_a_long_value_is_quoted_cut_in_the_message(case: str, tmp_path: Path) -> None:
    """Every value of the template a message quotes is cut at 200 characters (marked with ...), as
    ``model.values.describe`` cuts it; a 3,000-character one was quoted whole. ``case``: the rule id, and after
    a colon which value when a rule quotes several."""
    rule = case.split(":")[0]
    path = tmp_path / "template.json"
    template = {"Transform": "AWS::Serverless-2016-10-31", "Resources": LONG_VALUE_TEMPLATES[case]}
    path.write_text(json.dumps(template), encoding="utf-8")
    messages = [f.message for f in check_document(load(str(path))) if f.rule == rule]
    assert messages, f"no {rule} finding"
    for message in messages:
        assert CUT in message and "x" * 198 not in message, message[:400]
        assert len(message) < 1500
