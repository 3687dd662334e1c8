"""The seed's CodeStar project before and after turning on gradual deployment: the derived policies, and
``--diff`` between them, through the real command."""
from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from permissions_helpers import (
    CODESTAR_AFTER,
    CODESTAR_AFTER_ROLE,
    CODESTAR_BEFORE,
    REPO,
    actions,
    assert_valid_policy,
    grants,
    read_json_stdout,
    statements,
)

from sam_shift_lint.iam.matching import resource_covers

Run = Callable[..., subprocess.CompletedProcess[str]]
PASSED_TO = '{"StringEquals": {"iam:PassedToService": "%s"}}'


@pytest.fixture(scope="module")
def before(permissions: Run) -> dict[str, Any]:
    return read_json_stdout(permissions(CODESTAR_BEFORE))


@pytest.fixture(scope="module")
def after(permissions: Run) -> dict[str, Any]:
    return read_json_stdout(permissions(CODESTAR_AFTER))


@pytest.fixture(scope="module")
def diff_run(permissions: Run) -> subprocess.CompletedProcess[str]:
    return permissions("--diff", CODESTAR_BEFORE, CODESTAR_AFTER)


def test_before_is_a_valid_scoped_policy_without_codedeploy(before: dict[str, Any]) -> None:
    assert_valid_policy(before)
    granted = actions(before)
    assert {"lambda:CreateFunction", "lambda:UpdateFunctionCode", "lambda:AddPermission", "iam:CreateRole", "apigateway:POST"} <= granted
    assert not any(a.startswith("codedeploy:") for a in granted)
    assert not {"lambda:CreateAlias", "lambda:PublishVersion"} & granted
    by_action = {(a, r) for a, r, _ in grants(before)}
    # generated function names: the stack's name, then anything; the role named by the template: its pattern
    assert ("lambda:CreateFunction", "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${StackName}-*") in by_action
    assert ("iam:CreateRole", "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/CodeStar-*-Execution*") in by_action
    assert ("s3:GetObject", "arn:${AWS::Partition}:s3:::${ArtifactBucket}/*") in by_action
    passes = [(r, c) for a, r, c in grants(before) if a == "iam:PassRole"]
    assert passes == [("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/CodeStar-*-Execution*", PASSED_TO % "lambda.amazonaws.com")]
    sids = {s["Sid"]: s for s in statements(before)}
    assert sids["SamTransform"]["Resource"] == "arn:${AWS::Partition}:cloudformation:${AWS::Region}:aws:transform/Serverless-2016-10-31"
    assert sids["SamTransform"]["Action"] == "cloudformation:CreateChangeSet"


def test_no_resource_is_star_unless_the_action_has_no_resource_level_permission(after: dict[str, Any]) -> None:
    from sam_shift_lint.iam.resource_types import resource_types

    unscoped = {a for a, r, _ in grants(after) if r == "*"}
    assert unscoped == {"codedeploy:StopDeployment"}
    assert resource_types().action_types("codedeploy:StopDeployment") == ()


def test_after_adds_the_gradual_deployment_resources(before: dict[str, Any], after: dict[str, Any]) -> None:
    assert_valid_policy(after)
    assert actions(before) < actions(after)
    sids = {s["Sid"] for s in statements(after)}
    assert {"LambdaAliasesForGradualDeployment1", "LambdaVersionsForGradualDeployment1", "PassRoleToCodeDeploy"} <= sids
    assert any(s.startswith("CodeDeployDeploymentGroupsForGradualDeployment") for s in sids)
    config = [r for a, r, _ in grants(after) if a == "codedeploy:GetDeploymentConfig"]
    assert config == ["arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentconfig:CodeDeployDefault.LambdaAllAtOnce"]


def test_diff_holds_what_the_seed_lists(diff_run: subprocess.CompletedProcess[str]) -> None:
    assert diff_run.returncode == 1, diff_run.stderr  # the change adds permissions
    added = json.loads(diff_run.stdout)
    assert_valid_policy(added)
    granted = actions(added)
    profile = json.loads((REPO / "sam_shift_lint" / "iam" / "profile_data" / "deploy-role.json").read_text())
    seed_codedeploy = {a for g in profile["groups"] if g["name"].startswith("codedeploy") for a in g["actions"]}
    assert seed_codedeploy == {
        "codedeploy:CreateApplication", "codedeploy:DeleteApplication", "codedeploy:RegisterApplicationRevision",
        "codedeploy:CreateDeploymentGroup", "codedeploy:CreateDeployment", "codedeploy:DeleteDeploymentGroup",
        "codedeploy:GetDeployment", "codedeploy:GetDeploymentConfig",
    }
    assert seed_codedeploy <= granted
    assert {"lambda:CreateAlias", "lambda:UpdateAlias", "lambda:PublishVersion"} <= granted
    assert {"iam:CreateRole", "iam:AttachRolePolicy", "iam:PassRole"} <= granted  # the CodeDeploy service role
    # ... and nothing the project already needed before the change
    assert not {"lambda:CreateFunction", "apigateway:POST", "cloudformation:CreateChangeSet"} & granted
    passes = [(r, c) for a, r, c in grants(added) if a == "iam:PassRole"]
    assert passes == [("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${StackName}-*", PASSED_TO % "codedeploy.amazonaws.com")]
    # every grant falls within what the seed's deploy-role profile allows for CodeDeploy (ours is narrower)
    for group in profile["groups"]:
        if group["name"].startswith("codedeploy"):
            for action, resource, _ in grants(added):
                if action in group["actions"]:
                    assert resource_covers(group["resource"], resource), (action, resource)


def test_diff_with_the_codedeploy_role_given_passes_that_role_and_creates_none(permissions: Run) -> None:
    role = "arn:aws:iam::123456789012:role/CodeStarWorker-demo-CodeDeploy"
    run = permissions("--diff", CODESTAR_BEFORE, CODESTAR_AFTER_ROLE, "--parameter", f"CodeDeployRole={role}")
    added = read_json_stdout(run)
    assert run.returncode == 1
    granted = actions(added)
    assert "iam:CreateRole" not in granted  # no CodeDeployServiceRole: the template passes its own
    assert [(r, c) for a, r, c in grants(added) if a == "iam:PassRole"] == [(role, PASSED_TO % "codedeploy.amazonaws.com")]
    configs = {r for a, r, _ in grants(added) if a == "codedeploy:GetDeploymentConfig"}
    assert configs == {"arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentconfig:CodeDeployDefault.LambdaCanary10Percent5Minutes"}


def test_diff_of_a_template_with_itself_adds_nothing(permissions: Run) -> None:
    run = permissions("--diff", CODESTAR_AFTER, CODESTAR_AFTER)
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""
    assert "adds no permissions" in run.stderr


def test_values_fill_the_placeholders(permissions: Run) -> None:
    run = permissions(
        CODESTAR_AFTER, "--stack-name", "awscodestar-demo-lambda", "--region", "eu-west-1", "--account-id", "123456789012",
        "--partition", "aws", "--artifact-bucket", "aws-codestar-eu-west-1-123456789012-demo-pipe",
    )
    policy = read_json_stdout(run)
    assert_valid_policy(policy)
    assert "${" not in run.stdout
    resources = {r for _, r, _ in grants(policy)}
    assert "arn:aws:lambda:eu-west-1:123456789012:function:awscodestar-demo-lambda-*" in resources
    assert "arn:aws:s3:::aws-codestar-eu-west-1-123456789012-demo-pipe/*" in resources


def test_formats_say_the_same(permissions: Run, after: dict[str, Any], tmp_path: Path) -> None:
    import yaml

    as_yaml = permissions(CODESTAR_AFTER, "--format", "yaml")
    assert as_yaml.returncode == 0
    assert yaml.safe_load(as_yaml.stdout) == after
    as_cfn = permissions(CODESTAR_AFTER, "--format", "cfn")
    assert as_cfn.returncode == 0
    snippet = tmp_path / "deploy-permissions.yaml"
    snippet.write_text(as_cfn.stdout)
    from cfnlint.decode import decode

    template, errors = decode(str(snippet))
    assert not errors
    assert list(template["Parameters"]) == ["StackName", "ArtifactBucket"]
    resource = template["Resources"]["DeployPermissions"]
    assert resource["Type"] == "AWS::IAM::ManagedPolicy"
    document = resource["Properties"]["PolicyDocument"]
    # every ARN with a placeholder is a !Sub, the rest plain strings; otherwise the same policy
    def unsub(value: Any) -> Any:
        if isinstance(value, dict) and list(value) == ["Fn::Sub"]:
            return value["Fn::Sub"]
        if isinstance(value, dict):
            return {k: unsub(v) for k, v in value.items()}
        if isinstance(value, list):
            return [unsub(v) for v in value]
        return value

    assert json.loads(json.dumps(unsub(document))) == after


def test_cfn_snippet_passes_cfn_lint(permissions: Run, bin_path: Callable[[str], Path], tmp_path: Path) -> None:
    """cfn-lint itself (with its informational IAM checks: I3510 compares every Resource with the ARN formats of
    its actions) accepts the snippet."""
    run = permissions(CODESTAR_AFTER, "--format", "cfn")
    snippet = tmp_path / "deploy-permissions.yaml"
    snippet.write_text(run.stdout)
    lint = subprocess.run([str(bin_path("cfn-lint")), "-c", "I", "--", str(snippet)], capture_output=True, text=True, check=False)
    assert (lint.returncode, lint.stdout) == (0, ""), lint.stdout + lint.stderr


def test_operations_limit_the_handlers(permissions: Run, after: dict[str, Any]) -> None:
    create_only = read_json_stdout(permissions(CODESTAR_AFTER, "--operations", "create"))
    assert_valid_policy(create_only)
    granted = actions(create_only)
    assert {"lambda:CreateFunction", "lambda:CreateAlias", "lambda:GetFunction"} <= granted  # create, and read
    assert not {"lambda:DeleteFunction", "lambda:UpdateAlias", "lambda:DeleteAlias", "iam:DeleteRole"} & granted
    assert granted < actions(after)


def test_several_templates_merge_into_one_policy(permissions: Run, after: dict[str, Any]) -> None:
    merged = read_json_stdout(permissions(CODESTAR_BEFORE, CODESTAR_AFTER))
    assert_valid_policy(merged)
    assert actions(merged) == actions(after)
    # merging is independent of the order of the templates
    assert read_json_stdout(permissions(CODESTAR_AFTER, CODESTAR_BEFORE)) == merged


def test_explain_says_what_was_pruned_and_why(permissions: Run) -> None:
    run = permissions(CODESTAR_AFTER, "--explain")
    assert run.returncode == 0
    lines = run.stderr.splitlines()
    assert "  GetHelloWorld (AWS::Lambda::Function)" in lines
    assert any("pruned: kms:CreateGrant" in line and "KmsKeyArn" in line for line in lines)
    assert any("pruned: ec2:DescribeSecurityGroups" in line and "VpcConfig" in line for line in lines)
    assert any(line.startswith("    pruned: codedeploy:TagResource") and "no Tags" in line for line in lines)
    assert "  GetHelloWorldAliaslive (AWS::Lambda::Alias)" in lines
    assert any("not a proof" in line for line in lines)
