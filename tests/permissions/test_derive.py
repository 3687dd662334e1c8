"""Property-aware pruning, scoping and PassRole on small real templates (translated by the real translator,
handler data from cfn-lint's real schemas)."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from sam_shift_lint.permissions import Deriver, Options, derive_files
from sam_shift_lint.permissions.derive import Derivation
from sam_shift_lint.permissions.needs import Need


@pytest.fixture(scope="module")
def deriver() -> Deriver:
    return Deriver(Options())


def derive(tmp_path: Path, text: str, deriver: Deriver | None = None, **options: object) -> Derivation:
    path = tmp_path / "template.yaml"
    path.write_text(textwrap.dedent(text))
    opts = Options(**options)  # type: ignore[arg-type]
    result, errors = derive_files([str(path)], opts, deriver if not options else Deriver(opts))
    assert errors == []
    return result


def needs_of(result: Derivation, logical_id: str) -> list[Need]:
    return [n for n in result.needs if n.logical_id == logical_id]


def actions_of(result: Derivation, logical_id: str) -> set[str]:
    return {n.action for n in needs_of(result, logical_id)}


def sam_function(extra: str = "") -> str:
    """A SAM function with local code, and ``extra`` (YAML, dedented) among its properties."""
    lines = textwrap.dedent(extra).strip("\n").splitlines()
    return "\n".join(
        ["Transform: AWS::Serverless-2016-10-31", "Resources:", "  Fn:", "    Type: AWS::Serverless::Function", "    Properties:",
         "      Runtime: python3.12", "      Handler: index.handler", "      CodeUri: src/"] + ["      " + line for line in lines]
    ) + "\n"


def test_kms_and_vpc_permissions_only_with_a_key_and_a_vpc(tmp_path: Path, deriver: Deriver) -> None:
    plain = derive(tmp_path, sam_function(), deriver)
    assert not {a for a in actions_of(plain, "Fn") if a.startswith(("kms:", "ec2:"))}
    pruned = [n.text for n in plain.notes if n.logical_id == "Fn" and n.kind == "pruned"]
    assert any(t.startswith("kms:CreateGrant") and "KmsKeyArn" in t for t in pruned)
    with_both = derive(tmp_path, sam_function("""
        KmsKeyArn: arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab
        VpcConfig:
          SubnetIds: [subnet-1]
          SecurityGroupIds: [sg-1]
        """), deriver)
    needs = needs_of(with_both, "Fn")
    kms = {(n.action, n.resource) for n in needs if n.action.startswith("kms:")}
    assert ("kms:Decrypt", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab") in kms
    assert {"ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs", "ec2:DescribeNetworkInterfaces"} <= {n.action for n in needs}
    assert {n.resource for n in needs if n.action.startswith("ec2:Describe")} == {"*"}  # no resource-level permission


def test_sam_tags_its_roles_so_their_tag_permissions_stay(tmp_path: Path, deriver: Deriver) -> None:
    result = derive(tmp_path, sam_function(), deriver)
    assert {"iam:TagRole", "iam:UntagRole"} <= actions_of(result, "FnRole")  # SAM tags the role it makes
    plain = derive(tmp_path, """\
        Resources:
          Role:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: {Statement: []}
        """, deriver)
    assert not {"iam:TagRole", "iam:UntagRole"} & actions_of(plain, "Role")
    assert "iam:ListRoleTags" not in actions_of(plain, "Role")
    stack_tags = derive(tmp_path, """\
        Resources:
          Role:
            Type: AWS::IAM::Role
            Properties:
              AssumeRolePolicyDocument: {Statement: []}
        """, stack_tags=True)
    assert {"iam:TagRole", "iam:UntagRole"} <= actions_of(stack_tags, "Role")


def test_named_resources_get_exact_arns_and_generated_ones_stack_patterns(tmp_path: Path, deriver: Deriver) -> None:
    result = derive(tmp_path, """\
        Parameters:
          Env: {Type: String}
        Resources:
          Named:
            Type: AWS::SQS::Queue
            Properties:
              QueueName: !Sub orders-${Env}-${AWS::Region}
          Generated:
            Type: AWS::SQS::Queue
          Table:
            Type: AWS::DynamoDB::Table
            Properties:
              TableName: !Ref AWS::StackName
              KeySchema: [{AttributeName: id, KeyType: HASH}]
              AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
        """, deriver)
    assert {n.resource for n in needs_of(result, "Named") if n.action == "sqs:CreateQueue"} == {
        "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:orders-*-${AWS::Region}"
    }
    assert {n.resource for n in needs_of(result, "Generated") if n.action == "sqs:CreateQueue"} == {
        "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${StackName}-*"
    }
    assert {n.resource for n in needs_of(result, "Table") if n.action == "dynamodb:CreateTable"} == {
        "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${StackName}"
    }
    with_value = derive(tmp_path, """\
        Parameters:
          Env: {Type: String}
        Resources:
          Named:
            Type: AWS::SQS::Queue
            Properties:
              QueueName: !Sub orders-${Env}
        """, parameters={"Env": "prod"})
    assert {n.resource for n in needs_of(with_value, "Named") if n.action == "sqs:CreateQueue"} == {
        "arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:orders-prod"
    }


def test_pass_role_names_the_role_and_the_service(tmp_path: Path, deriver: Deriver) -> None:
    result = derive(tmp_path, """\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Machine:
            Type: AWS::Serverless::StateMachine
            Properties:
              Definition: {StartAt: A, States: {A: {Type: Pass, End: true}}}
              Role: arn:aws:iam::123456789012:role/service-role/machine
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.12
              Handler: index.handler
              InlineCode: "def handler(e, c): pass"
              Role: !GetAtt ExecRole.Arn
          ExecRole:
            Type: AWS::IAM::Role
            Properties:
              RoleName: exec-role
              Path: /app/
              AssumeRolePolicyDocument: {Statement: []}
        """, deriver)
    passes = {(n.logical_id, n.resource, n.condition) for n in result.needs if n.action == "iam:PassRole"}
    assert passes == {
        ("Machine", "arn:aws:iam::123456789012:role/service-role/machine", (("StringEquals", "iam:PassedToService", ("states.amazonaws.com",)),)),
        ("Fn", "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/app/exec-role", (("StringEquals", "iam:PassedToService", ("lambda.amazonaws.com",)),)),
    }
    # inline code: nothing is read from S3
    assert not any(n.action.startswith("s3:") for n in needs_of(result, "Fn"))


def test_alias_needs_codedeploy_only_with_a_deployment_preference(tmp_path: Path, deriver: Deriver) -> None:
    alias_only = derive(tmp_path, sam_function("AutoPublishAlias: live"), deriver)
    assert not any(a.startswith("codedeploy:") for a in actions_of(alias_only, "FnAliaslive"))
    shifted = derive(tmp_path, sam_function("AutoPublishAlias: live\nDeploymentPreference: {Type: Linear10PercentEvery1Minute}"), deriver)
    alias = needs_of(shifted, "FnAliaslive")
    groups = {n.resource for n in alias if n.action == "codedeploy:CreateDeployment"}
    assert groups == {"arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:${StackName}-*/${StackName}-*"}
    assert {n.resource for n in alias if n.action == "codedeploy:GetDeploymentConfig"} == {
        "arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentconfig:CodeDeployDefault.LambdaLinear10PercentEvery1Minute"
    }
    assert all(n.handler == "update" for n in alias if n.action.startswith("codedeploy:"))
    assert {n.purpose for n in alias} == {"LambdaAliasesForGradualDeployment", "CodeDeployForLambdaAliasesInGradualDeployment"}


def test_conditional_resources_and_values_are_marked(tmp_path: Path, deriver: Deriver) -> None:
    result = derive(tmp_path, """\
        Conditions:
          Prod: !Equals [!Ref AWS::Region, us-east-1]
        Resources:
          Queue:
            Type: AWS::SQS::Queue
            Condition: Prod
          Fn:
            Type: AWS::Lambda::Function
            Properties:
              Role: arn:aws:iam::123456789012:role/r
              Code: {ZipFile: "x"}
              Runtime: python3.12
              Handler: index.handler
              KmsKeyArn: !If [Prod, arn:aws:kms:us-east-1:123456789012:key/k, !Ref AWS::NoValue]
        """, deriver)
    assert all(n.conditional for n in needs_of(result, "Queue"))
    kms = [n for n in needs_of(result, "Fn") if n.action.startswith("kms:")]
    assert kms and all(n.conditional for n in kms)
    assert not any(n.conditional for n in needs_of(result, "Fn") if n.action == "lambda:CreateFunction")


def test_alarms_with_ec2_actions_may_create_cloudwatch_service_linked_role(tmp_path: Path, deriver: Deriver) -> None:
    result = derive(tmp_path, """\
        Conditions:
          Prod: !Equals [!Ref AWS::Region, us-east-1]
        Resources:
          Stop:
            Type: AWS::CloudWatch::Alarm
            Properties:
              AlarmName: stop
              ComparisonOperator: GreaterThanThreshold
              EvaluationPeriods: 1
              Threshold: 1
              AlarmActions:
                - !Ref Topic
                - !Sub arn:${AWS::Partition}:automate:${AWS::Region}:ec2:stop
          Recover:
            Type: AWS::CloudWatch::Alarm
            Properties:
              ComparisonOperator: GreaterThanThreshold
              EvaluationPeriods: 1
              Threshold: 1
              OKActions: [!If [Prod, arn:aws:automate:us-east-1:ec2:recover, !Ref AWS::NoValue]]
          Notify:
            Type: AWS::CloudWatch::Alarm
            Properties:
              ComparisonOperator: GreaterThanThreshold
              EvaluationPeriods: 1
              Threshold: 1
              AlarmActions: [!Ref Topic, arn:aws:automate:us-east-1:ec2]
          Topic:
            Type: AWS::SNS::Topic
        """, deriver)
    role = "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/events.amazonaws.com/AWSServiceRoleForCloudWatchEvents"
    linked = [n for n in needs_of(result, "Stop") if n.action == "iam:CreateServiceLinkedRole"]
    assert {(n.resource, n.condition, n.handler, n.conditional) for n in linked} == {
        (role, (("StringEquals", "iam:AWSServiceName", ("events.amazonaws.com",)),), handler, False) for handler in ("create", "update")
    }
    assert [n.text for n in result.notes if n.logical_id == "Stop" and n.text.startswith("iam:")] == [
        "iam:CreateServiceLinkedRole: an EC2 alarm action; PutMetricAlarm creates AWSServiceRoleForCloudWatchEvents when the account does not have it yet"
    ]
    recover = [n for n in needs_of(result, "Recover") if n.action == "iam:CreateServiceLinkedRole"]
    assert recover and all(n.conditional for n in recover)  # the EC2 action is only under Prod
    assert "iam:CreateServiceLinkedRole" not in actions_of(result, "Notify")  # an SNS topic; no EC2 action named


def test_types_without_handler_data_are_assumed_and_said(tmp_path: Path, deriver: Deriver) -> None:
    result = derive(tmp_path, """\
        Resources:
          Build:
            Type: AWS::CodeBuild::Project
            Properties: {}
          Handle:
            Type: AWS::CloudFormation::WaitConditionHandle
          Custom:
            Type: Custom::Thing
            Properties:
              ServiceToken: !GetAtt Fn.Arn
          Fn:
            Type: AWS::Lambda::Function
            Properties:
              FunctionName: provider
              Role: arn:aws:iam::123456789012:role/r
              Code: {ZipFile: "x"}
              Runtime: python3.12
              Handler: index.handler
        """, deriver)
    assert result.without_handlers == {"AWS::CodeBuild::Project": 1, "AWS::CloudFormation::WaitConditionHandle": 1}
    assert {(n.action, n.resource) for n in needs_of(result, "Build")} == {("codebuild:*", "*")}
    warnings = [n.text for n in result.warnings if n.logical_id == "Build"]
    assert warnings == ["AWS::CodeBuild::Project has no handler permissions in cfn-lint's schemas: assumed codebuild:* on * (review it)"]
    assert needs_of(result, "Handle") == []
    assert [n.text for n in result.notes if n.logical_id == "Handle"] == [
        "AWS::CloudFormation::WaitConditionHandle: nothing to grant (CloudFormation makes the presigned URL itself)"
    ]
    invoke = {(n.action, n.resource) for n in needs_of(result, "Custom")}
    assert invoke == {("lambda:InvokeFunction", "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:provider")}


def test_retained_resources_need_no_delete_handler(tmp_path: Path, deriver: Deriver) -> None:
    result = derive(tmp_path, """\
        Resources:
          Kept:
            Type: AWS::SQS::Queue
            DeletionPolicy: Retain
            UpdateReplacePolicy: Retain
          Gone:
            Type: AWS::SQS::Queue
            DeletionPolicy: Retain
        """, deriver)
    assert "sqs:DeleteQueue" not in actions_of(result, "Kept")
    assert "sqs:DeleteQueue" in actions_of(result, "Gone")  # replaced resources are still deleted


def test_malformed_and_unknown_published_actions_are_dropped_with_a_note(tmp_path: Path, deriver: Deriver) -> None:
    result = derive(tmp_path, """\
        Resources:
          Logs:
            Type: AWS::Logs::LogGroup
            Properties:
              DataProtectionPolicy: {Name: p}
          Bucket:
            Type: AWS::S3::Bucket
        """, deriver)
    dropped = [n.text for n in result.notes if n.kind == "dropped"]
    assert "'s3:REST.PUT.OBJECT' is not an IAM action (create, update)" in dropped
    assert any("'s3:DeleteBucketCors' is not in cfn-lint's Policies.json" in text for text in dropped)
    assert "s3:DeleteBucketCors" not in actions_of(result, "Bucket")


def test_nested_applications_are_not_fetched_and_are_warned_about(tmp_path: Path, deriver: Deriver, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    result = derive(tmp_path, """\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          App:
            Type: AWS::Serverless::Application
            Properties:
              Location:
                ApplicationId: arn:aws:serverlessrepo:us-east-1:077246666028:applications/hello
                SemanticVersion: 1.0.0
          Local:
            Type: AWS::Serverless::Application
            Properties:
              Location: ./nested/template.yaml
          Fn:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.12
              Handler: index.handler
              CodeUri: s3://my-bucket/code.zip
              Policies: [AmazonDynamoDBReadOnlyAccess]
        """, deriver)
    sar = {(n.action, n.resource) for n in needs_of(result, "App")}
    assert ("serverlessrepo:CreateCloudFormationTemplate", "arn:aws:serverlessrepo:us-east-1:077246666028:applications/hello") in sar
    assert ("cloudformation:CreateStack", "arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/${StackName}-*/*") in sar
    assert ("s3:GetObject", "arn:${AWS::Partition}:s3:::${ArtifactBucket}/*") in {(n.action, n.resource) for n in needs_of(result, "Local")}
    assert not any(n.action == "s3:GetObject" for n in needs_of(result, "App"))  # SAR's template URL is presigned
    assert len([n for n in result.warnings if "nested application" in n.text]) == 2
    # an explicit code location is scoped to it; the managed policy name resolved from the bundled map
    assert ("s3:GetObject", "arn:${AWS::Partition}:s3:::my-bucket/code.zip") in {(n.action, n.resource) for n in needs_of(result, "Fn")}
    attach = {n.resource for n in needs_of(result, "FnRole") if n.action == "iam:AttachRolePolicy"}
    assert attach == {"arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${StackName}-*"}
