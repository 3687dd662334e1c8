"""Statements from needs: one grant per need, Sids that say why and are unique, stable order, IAM's size limit
with splitting, and the three output formats."""
from __future__ import annotations

import json

import yaml
from permissions_helpers import iam_size

from sam_shift_lint.permissions.needs import Need, pass_role_purpose, purpose
from sam_shift_lint.permissions.policy import MANAGED_POLICY_LIMIT, Statement, document, size, split, statements
from sam_shift_lint.permissions.render import render


def need(action: str, resource: str, purpose_: str = "LambdaFunctions", kind: str = "AWS::Lambda::Function", condition: tuple = ()) -> Need:  # type: ignore[type-arg]
    return Need(action, resource, condition, purpose_, "t.yaml", "Fn", kind, "create")


FN = "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${StackName}-*"


def test_purposes_say_why() -> None:
    assert purpose("AWS::Lambda::Alias", "lambda:CreateAlias", gradual=True) == "LambdaAliasesForGradualDeployment"
    assert purpose("AWS::Lambda::Alias", "codedeploy:CreateDeployment", gradual=True) == "CodeDeployForLambdaAliasesInGradualDeployment"
    assert purpose("AWS::Lambda::Function", "kms:Decrypt") == "KmsForLambdaFunctions"
    assert purpose("AWS::IAM::Policy", "iam:PutRolePolicy") == "IAMPolicies"
    assert purpose("AWS::ApiGatewayV2::Api", "apigateway:POST") == "ApiGatewayV2Apis"
    assert pass_role_purpose("codedeploy.amazonaws.com") == "PassRoleToCodeDeploy"
    assert pass_role_purpose("ecs-tasks.amazonaws.com") == "PassRoleToEcsTasks"


def test_each_need_is_granted_once_in_a_stable_order() -> None:
    needs = [
        need("lambda:GetFunction", FN),
        need("lambda:CreateFunction", FN),
        need("lambda:GetFunction", FN, "LambdaVersionsForGradualDeployment", "AWS::Lambda::Version"),
        need("lambda:TagResource", FN),
        need("kms:Decrypt", "arn:aws:kms:us-east-1:1:key/k", "KmsForLambdaFunctions"),
    ]
    first = statements(needs)
    assert statements(list(reversed(needs))) == first
    assert [s.sid for s in first] == ["KmsForLambdaFunctions", "LambdaFunctions"]
    assert first[1].actions == ("lambda:CreateFunction", "lambda:GetFunction", "lambda:TagResource")
    granted = [(a, r) for s in first for a in s.actions for r in s.resources]
    assert len(granted) == len(set(granted)) == 4


def test_sids_are_unique_when_a_purpose_has_several_resource_sets() -> None:
    result = statements([need("lambda:CreateFunction", FN), need("lambda:AddPermission", FN + ":live")])
    assert [s.sid for s in result] == ["LambdaFunctions1", "LambdaFunctions2"]


def test_size_counts_as_iam_does() -> None:
    result = statements([need("lambda:CreateFunction", FN), need("iam:PassRole", "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/r", "PassRoleToLambda",
                                                                  condition=(("StringEquals", "iam:PassedToService", ("lambda.amazonaws.com",)),))])
    assert size(result) == iam_size(document(result))
    assert size(result, {"${StackName}": "s"}) == iam_size(json.loads(json.dumps(document(result)).replace("${StackName}", "s")))


def test_large_policies_are_split_within_the_limit() -> None:
    needs = [need(f"lambda:Action{i:03d}", f"arn:aws:lambda:us-east-1:123456789012:function:f{i}", f"Purpose{i % 7}") for i in range(300)]
    result = statements(needs)
    assert size(result) > 3 * MANAGED_POLICY_LIMIT
    policies = split(result, MANAGED_POLICY_LIMIT)
    assert len(policies) >= 4
    assert all(size(p) <= MANAGED_POLICY_LIMIT for p in policies)
    assert [s for p in policies for s in p] == result  # nothing lost, nothing reordered
    # one statement larger than the limit is cut by actions
    big = [Statement("Big", tuple(f"lambda:A{i:04d}" for i in range(900)), ("*",))]
    pieces = split(big, MANAGED_POLICY_LIMIT)
    assert len(pieces) > 1 and all(size(p) <= MANAGED_POLICY_LIMIT for p in pieces)
    assert sorted(a for p in pieces for s in p for a in s.actions) == sorted(big[0].actions)


def test_formats() -> None:
    result = [statements([need("lambda:CreateFunction", FN), need("s3:GetObject", "arn:${AWS::Partition}:s3:::${ArtifactBucket}/*", "ReadDeploymentArtifacts"),
                          need("codedeploy:StopDeployment", "*", "CodeDeployDeploymentGroups")])]
    as_json = json.loads(render(result, "json", {}))
    assert as_json == document(result[0])
    assert yaml.safe_load(render(result, "yaml", {})) == as_json
    filled = json.loads(render(result, "json", {"${StackName}": "app", "${AWS::Region}": "eu-west-1"}))
    assert filled["Statement"][1]["Resource"] == "arn:${AWS::Partition}:lambda:eu-west-1:${AWS::AccountId}:function:app-*"
    cfn = render(result + result, "cfn", {"${StackName}": "app"}, "Deploy permissions for t.yaml")
    lines = cfn.splitlines()
    assert "  ArtifactBucket:" in lines and "  StackName:" not in lines  # given values need no parameter
    assert "  DeployPermissions1:" in lines and "  DeployPermissions2:" in lines
    assert '            Resource: !Sub "arn:${AWS::Partition}:s3:::${ArtifactBucket}/*"' in lines
    assert '            Resource: "*"' in lines
    assert '      Description: "Deploy permissions for t.yaml (part 2 of 2)"' in lines
