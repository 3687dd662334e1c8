"""The template-side IAM view (``sam_shift_lint.roles``): deploy-role recognition, which policies belong to a
role, what a hook function runs with, and the facts about SAM and AWS managed policies it relies on."""
from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from sam_shift_lint.model.iam_view import (
    KNOWN_MANAGED_POLICIES,
    SAM_POLICY_TEMPLATES_NEVER_GRANT,
    HiddenPolicy,
    iam_view,
    managed_policy,
    wants_iam_checks,
)
from sam_shift_lint.model.sam import SamTemplate
from sam_shift_lint.parsing.document import parse


def template(text: str) -> SamTemplate:
    return SamTemplate(parse("t.yaml", textwrap.dedent(text)))


def role_yaml(name: str, principal: str, extra: str = "") -> str:
    return f"""
  {name}:
    Type: AWS::IAM::Role{extra}
    Properties:
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {principal}
            Action: sts:AssumeRole
"""


@pytest.mark.parametrize(
    "principal",
    [
        "{Service: cloudformation.amazonaws.com}",
        "{Service: [lambda.amazonaws.com, cloudformation.amazonaws.com]}",
        "{Service: !Sub 'cloudformation.${AWS::URLSuffix}'}",
        "{Service: !Join ['', [cloudformation., !Ref AWS::URLSuffix]]}",
        "{Service: cloudformation.amazonaws.com.cn}",
        "{Service: [!If [Cn, cloudformation.amazonaws.com.cn, cloudformation.amazonaws.com]]}",
    ],
)
def test_a_role_cloudformation_may_assume_is_a_deploy_role(principal: str) -> None:
    view = iam_view(template("Resources:" + role_yaml("R", principal)))
    assert [r.logical_id for r in view.profiled_roles()] == ["R"]
    assert view.roles["R"].profile == "deploy-role"


@pytest.mark.parametrize(
    "principal",
    ["{Service: lambda.amazonaws.com}", "{AWS: arn:aws:iam::123456789012:root}", "'*'", "{Service: cloudformation.example.com}"],
)
def test_other_trust_policies_are_not(principal: str) -> None:
    assert not iam_view(template("Resources:" + role_yaml("R", principal))).profiled_roles()


def test_a_deny_statement_does_not_make_a_deploy_role() -> None:
    text = "Resources:" + role_yaml("R", "{Service: cloudformation.amazonaws.com}").replace("Effect: Allow", "Effect: Deny")
    assert not iam_view(template(text)).profiled_roles()


def test_codestar_names_and_metadata() -> None:
    text = "Parameters: {ProjectId: {Type: String}}\nResources:"
    text += role_yaml("CodeStarWorkerProjCloudFormation", "{Service: lambda.amazonaws.com}")
    text += role_yaml("ByName", "{Service: lambda.amazonaws.com}") + "      RoleName: !Sub 'CodeStarWorker-${ProjectId}-CloudFormation'\n"
    text += role_yaml("Custom", "{Service: lambda.amazonaws.com}", "\n    Metadata: {sam-shift-lint: {profile: ./team-profile.json}}")
    text += role_yaml("OptOut", "{Service: cloudformation.amazonaws.com}", "\n    Metadata: {sam-shift-lint: {profile: none}}")
    view = iam_view(template(text))
    found = {r.logical_id: (r.profile, r.deploy_reason) for r in view.profiled_roles()}
    assert found == {
        "CodeStarWorkerProjCloudFormation": ("deploy-role", "its logical id matches CodeStarWorker*CloudFormation*"),
        "ByName": ("deploy-role", "its RoleName matches CodeStarWorker*CloudFormation*"),
        "Custom": ("./team-profile.json", "Metadata sam-shift-lint.profile is ./team-profile.json"),
    }


def test_policies_attached_to_a_role() -> None:
    text = """\
    Resources:
      R:
        Type: AWS::IAM::Role
        Properties:
          RoleName: named-role
          AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: cloudformation.amazonaws.com}, Action: sts:AssumeRole}]}
          Policies:
            - PolicyName: inline
              PolicyDocument: {Statement: [{Effect: Allow, Action: s3:*, Resource: '*'}]}
            - !If [C, {PolicyName: maybe, PolicyDocument: {Statement: [{Effect: Allow, Action: sns:*, Resource: '*'}]}}, !Ref AWS::NoValue]
          ManagedPolicyArns:
            - !Ref Managed
            - arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole
            - arn:aws:iam::aws:policy/AdministratorAccess
      ByRef:
        Type: AWS::IAM::Policy
        Properties: {PolicyName: a, Roles: [!Ref R], PolicyDocument: {Statement: [{Effect: Allow, Action: lambda:*, Resource: '*'}]}}
      ByName:
        Type: AWS::IAM::Policy
        Properties: {PolicyName: b, Roles: [named-role], PolicyDocument: {Statement: [{Effect: Allow, Action: iam:*, Resource: '*'}]}}
      RolePolicy:
        Type: AWS::IAM::RolePolicy
        Properties: {PolicyName: c, RoleName: !Ref R, PolicyDocument: {Statement: [{Effect: Allow, Action: apigateway:*, Resource: '*'}]}}
      Managed:
        Type: AWS::IAM::ManagedPolicy
        Properties: {PolicyDocument: {Statement: [{Effect: Allow, Action: codedeploy:*, Resource: '*'}]}}
      ManagedByRoles:
        Type: AWS::IAM::ManagedPolicy
        Properties: {Roles: [!Ref R], PolicyDocument: {Statement: [{Effect: Allow, Action: cloudwatch:*, Resource: '*'}]}}
      Elsewhere:
        Type: AWS::IAM::Policy
        Properties: {PolicyName: d, Roles: [other-role], PolicyDocument: {Statement: [{Effect: Allow, Action: ec2:*, Resource: '*'}]}}
    """
    role = iam_view(template(text)).roles["R"]
    assert [d.label for d in role.inline] == ["R policy inline", "R policy maybe"]
    assert role.inline[1].condition == "C"
    assert {d.resource for d in role.attached} == {"ByRef", "ByName", "RolePolicy", "Managed", "ManagedByRoles"}
    assert role.policies.may_be_granted_elsewhere("codedeploy:CreateDeployment")  # AdministratorAccess may grant anything
    assert [h.description for h in role.hidden] == ["managed policy AWSLambdaBasicExecutionRole", "managed policy AdministratorAccess"]


def test_hidden_policies() -> None:
    basic = managed_policy("arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")
    assert basic.services == frozenset({"logs"})
    assert basic.may_grant("logs:PutLogEvents") and not basic.may_grant("codedeploy:PutLifecycleEventHookExecutionStatus")
    assert managed_policy("SomethingElse").may_grant("codedeploy:Anything")
    template_entry = HiddenPolicy("SAM policy template X", None, SAM_POLICY_TEMPLATES_NEVER_GRANT)
    assert not template_entry.may_grant("codedeploy:PutLifecycleEventHookExecutionStatus")
    assert template_entry.may_grant("lambda:InvokeFunction")


def _function_policies(text: str, name: str) -> list[str]:
    tpl = template(text)
    view, role, _ = iam_view(tpl).function_policies(tpl.functions[name])
    return [d.label for d in view.documents] + [h.description for h in view.hidden] + ([f"role {role.logical_id}"] if role else []) + (
        [view.note] if view.note else []
    )


def test_what_a_sam_function_runs_with() -> None:
    text = """\
    Transform: AWS::Serverless-2016-10-31
    Resources:
      Plain:
        Type: AWS::Serverless::Function
        Properties: {Handler: a.b, Runtime: python3.12, CodeUri: s/}
      Mixed:
        Type: AWS::Serverless::Function
        Properties:
          Handler: a.b
          Runtime: python3.12
          CodeUri: s/
          Policies:
            - AWSXrayWriteOnlyAccess
            - SQSPollerPolicy: {QueueName: q}
            - Statement: [{Effect: Allow, Action: s3:GetObject, Resource: '*'}]
            - !If [C, {Statement: [{Effect: Allow, Action: sns:Publish, Resource: '*'}]}, !Ref AWS::NoValue]
      WithRole:
        Type: AWS::Serverless::Function
        Properties: {Handler: a.b, Runtime: python3.12, CodeUri: s/, Role: !GetAtt R.Arn, Policies: [AWSLambdaExecute]}
      External:
        Type: AWS::Serverless::Function
        Properties: {Handler: a.b, Runtime: python3.12, CodeUri: s/, Role: arn:aws:iam::123456789012:role/x}
      R:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}
    """
    assert _function_policies(text, "Plain") == ["managed policy AWSLambdaBasicExecutionRole"]
    assert _function_policies(text, "Mixed") == [
        "Mixed Policies[2]",
        "Mixed Policies[3]",
        "managed policy AWSLambdaBasicExecutionRole",
        "managed policy AWSXrayWriteOnlyAccess",
        "SAM policy template SQSPollerPolicy",
    ]
    assert _function_policies(text, "WithRole") == ["role R", "SAM ignores Policies when Role is set"]
    assert _function_policies(text, "External") == ["a role defined outside the template"]


def test_which_templates_the_iam_rules_look_at() -> None:
    assert wants_iam_checks(template("Transform: AWS::Serverless-2016-10-31\nResources: {}\n"))
    assert wants_iam_checks(template("Resources:" + role_yaml("R", "{Service: cloudformation.amazonaws.com}")))
    assert not wants_iam_checks(template("Resources:" + role_yaml("R", "{Service: lambda.amazonaws.com}")))


# ------------------------------------------------------------------------------------ facts, checked against SAM


def _samtranslator_data(name: str) -> dict:
    samtranslator = pytest.importorskip("samtranslator")
    found = sorted(Path(samtranslator.__file__).parent.rglob(name))
    assert found, f"{name} not found in samtranslator"
    return json.loads(found[0].read_text())


def test_no_sam_policy_template_grants_a_codedeploy_action() -> None:
    """sam-deployments.md section 5: no CodeDeploy-hook policy template exists (the hook check relies on it)."""
    templates = _samtranslator_data("policy_templates.json")["Templates"]
    assert len(templates) > 50
    for name, body in templates.items():
        statements = body["Definition"]["Statement"]
        for statement in statements if isinstance(statements, list) else [statements]:
            actions = statement.get("Action", [])
            for action in actions if isinstance(actions, list) else [actions]:
                service = str(action).split(":", 1)[0].lower()
                assert service not in SAM_POLICY_TEMPLATES_NEVER_GRANT, (name, action)


def test_known_managed_policies_are_real_aws_managed_policies() -> None:
    managed = _samtranslator_data("aws_managed_policies.json") if _has("aws_managed_policies.json") else None
    if managed is None:
        pytest.skip("samtranslator bundles no managed policy map")
    missing = [name for name in KNOWN_MANAGED_POLICIES if name not in managed["aws"]]
    assert not missing, missing


def _has(name: str) -> bool:
    samtranslator = pytest.importorskip("samtranslator")
    return any(Path(samtranslator.__file__).parent.rglob(name))
