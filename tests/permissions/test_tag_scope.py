"""Tagging actions (``ec2:CreateTags`` can be scoped to 106 EC2 resource types) are scoped to what the resource
really tags, from the resource table's ``tags``; a type the table does not map keeps every type, and ``--explain``
says so. Real templates through the real command; the expected ARNs are cfn-lint's Policies.json prefixes."""
from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from permissions_helpers import assert_valid_policy, grants

from sam_shift_lint.iam.resource_types import resource_types
from sam_shift_lint.permissions.derive import normalize_action
from sam_shift_lint.permissions.schemas import ProviderSchemas
from sam_shift_lint.permissions.scope import TAGGING_NAMES, prefixes
from sam_shift_lint.permissions.tables import resource_table

Run = Callable[..., subprocess.CompletedProcess[str]]
EC2 = "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:"

VPC = """\
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/24
      Tags: [{Key: team, Value: a}]
"""

NETWORK = """\
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}
  Subnet:
    Type: AWS::EC2::Subnet
    Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24}
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: web, VpcId: !Ref Vpc}
"""

INSTANCE = """\
Resources:
  Host:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-0123456789abcdef0
      InstanceType: t3.micro
      PropagateTagsToVolumeOnCreation: true
      Tags: [{Key: team, Value: a}]
"""

FLEET = """\
Resources:
  Fleet:
    Type: AWS::EC2::CapacityReservationFleet
    Properties:
      InstanceTypeSpecifications:
        - {InstanceType: m5.large, InstancePlatform: Linux/UNIX, AvailabilityZone: us-east-1a}
      TotalTargetCapacity: 1
      TagSpecifications:
        - ResourceType: capacity-reservation-fleet
          Tags: [{Key: team, Value: a}]
"""

FUNCTION = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: jobs
      Runtime: python3.12
      Handler: index.handler
      CodeUri: src/
      Tags: {team: a}
"""


def _derive(permissions: Run, tmp_path: Path, text: str, *args: str) -> subprocess.CompletedProcess[str]:
    template = tmp_path / "template.yaml"
    template.write_text(text)
    return permissions(template, *args)


def _resources(policy: dict, action: str) -> set[str]:
    return {resource for granted, resource, _ in grants(policy) if granted == action}


def test_one_vpc_is_one_policy_with_its_tags_on_the_vpc(permissions: Run, tmp_path: Path) -> None:
    run = _derive(permissions, tmp_path, VPC)
    assert run.returncode == 0, run.stderr
    assert "split" not in run.stderr
    policy = json.loads(run.stdout)
    assert_valid_policy(policy)  # one document (not a list of split parts), within 6,144 characters
    assert _resources(policy, "ec2:CreateTags") == {EC2 + "vpc/*"}
    assert _resources(policy, "ec2:DeleteTags") == {EC2 + "vpc/*"}
    # the other actions are scoped as before: CreateVpc also on the IPAM and IPv6 pools it may allocate from
    assert EC2 + "vpc/*" in _resources(policy, "ec2:CreateVpc") and len(_resources(policy, "ec2:CreateVpc")) == 3


def test_each_network_resource_tags_its_own_type(permissions: Run, tmp_path: Path) -> None:
    run = _derive(permissions, tmp_path, NETWORK, "--explain")
    assert run.returncode == 0, run.stderr
    policy = json.loads(run.stdout)
    assert_valid_policy(policy)
    assert _resources(policy, "ec2:CreateTags") == {EC2 + "vpc/*", EC2 + "subnet/*", EC2 + "security-group/*"}
    assert "wide:" not in run.stderr


def test_an_instance_tags_what_run_instances_creates(permissions: Run, tmp_path: Path) -> None:
    run = _derive(permissions, tmp_path, INSTANCE)
    assert run.returncode == 0, run.stderr
    policy = json.loads(run.stdout)
    assert_valid_policy(policy)
    expected = {EC2 + kind + "/*" for kind in ("instance", "volume", "network-interface", "spot-instances-request")}
    assert _resources(policy, "ec2:CreateTags") == expected
    assert _resources(policy, "ec2:DeleteTags") == expected


def test_an_unmapped_type_keeps_every_type_and_explain_says_so(permissions: Run, tmp_path: Path) -> None:
    run = _derive(permissions, tmp_path, FLEET, "--explain")
    assert run.returncode == 0, run.stderr
    parts = json.loads(run.stdout)
    policies = parts if isinstance(parts, list) else [parts]
    tagged = {r for policy in policies for r in _resources(policy, "ec2:CreateTags")}
    wide = prefixes("ec2:CreateTags", resource_types())
    assert tagged == set(wide) and len(tagged) > 50  # today's behaviour: every resource type the action applies to
    kinds = len(resource_types().action_types("ec2:CreateTags"))
    line = (f"    wide: ec2:CreateTags ({kinds} resource types), ec2:DeleteTags ({len(resource_types().action_types('ec2:DeleteTags'))} "
            "resource types): tagging, on every resource type it applies to: which of them AWS::EC2::CapacityReservationFleet "
            "tags is not in the resource table (resources.json 'tags')")
    assert line in run.stderr.splitlines()


def test_a_type_whose_arns_scope_its_tagging_needs_no_tags_entry(permissions: Run, tmp_path: Path) -> None:
    run = _derive(permissions, tmp_path, FUNCTION, "--explain")
    assert run.returncode == 0, run.stderr
    policy = json.loads(run.stdout)
    assert _resources(policy, "lambda:TagResource") == {
        "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:jobs",
        "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:jobs:*",
    }
    assert "wide:" not in run.stderr


@pytest.mark.parametrize("type_name", sorted(t for t, e in resource_table().items() if e.tags))
def test_every_tags_entry_covers_the_types_tagging_actions(type_name: str) -> None:
    """Each tagging action the type's schema lists (its ``tagging`` section, or a handler permission named like
    one) of a service in ``tags`` can be scoped to one of them: else the entry would never take effect for it."""
    types = resource_types()
    entry = resource_table()[type_name]
    for key in entry.tags:
        service, _, kind = key.partition(":")
        assert types.arn_patterns(service, kind), f"{key}: no such resource type in Policies.json"
    schema = ProviderSchemas("us-east-1").get(type_name)
    assert schema is not None
    listed = {normalize_action(p) for p in schema.tagging_permissions}
    published = listed | {normalize_action(p) for ps in schema.handlers.values() for p in ps}
    tagging = {p for p in published if p and (p.partition(":")[2].lower() in TAGGING_NAMES or p in listed)}
    services = {key.partition(":")[0] for key in entry.tags}
    checked = [a for a in tagging if a.split(":")[0] in services and types.action_types(a)]
    assert checked, f"{type_name}: no tagging action its tags could scope"
    for action in checked:
        kinds = set(types.action_types(action))
        assert any(key.partition(":")[2] in kinds for key in entry.tags), (type_name, action)


def test_tags_why_explains_every_mapping_that_is_not_the_types_own_name() -> None:
    for type_name, entry in resource_table().items():
        own = type_name.split("::")[2].lower()
        if entry.tags and [key.partition(":")[2].replace("-", "") for key in entry.tags] != [own]:
            assert entry.tags_why, type_name


BUCKET = """\
Resources:
  Named:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: reports
      Tags: [{Key: team, Value: a}]
  Generated:
    Type: AWS::S3::Bucket
    Properties:
      Tags: [{Key: team, Value: a}]
"""


@pytest.mark.parametrize(("args", "generated"), [((), "arn:${AWS::Partition}:s3:::*"), (("--stack-name", "Prod"), "arn:${AWS::Partition}:s3:::prod-*")])
def test_a_bucket_tags_itself_named_where_its_name_is_known(permissions: Run, tmp_path: Path, args: tuple[str, ...], generated: str) -> None:
    """s3:TagResource applies to six S3 resource types; a bucket's is the bucket: its ARN where the template or
    --stack-name gives its name, else every bucket (the only S3 type whose prefix that is)."""
    run = _derive(permissions, tmp_path, BUCKET, "--explain", *args)
    assert run.returncode == 0, run.stderr
    policy = json.loads(run.stdout)
    for action in ("s3:TagResource", "s3:UntagResource", "s3:ListTagsForResource"):
        assert _resources(policy, action) == {"arn:${AWS::Partition}:s3:::reports", generated}
    assert "wide:" not in run.stderr


@pytest.mark.parametrize("type_name", sorted(t for t, e in resource_table().items() if e.tags))
def test_tags_narrow_only_tagging_actions(type_name: str) -> None:
    """A schema's ``tagging`` section may list more than tagging APIs (``s3:PutBucketTagging``,
    ``ec2:DescribeVpcEndpoints``, ``apigateway:GET``): ``tags`` narrows those too, so each must apply to nothing
    but the types in ``tags`` (or to none: ``*``). ``apigateway:GET`` there would be cut to the tagged type."""
    types = resource_types()
    entry = resource_table()[type_name]
    schema = ProviderSchemas("us-east-1").get(type_name)
    assert schema is not None
    for published in schema.tagging_permissions:
        action = normalize_action(published)
        if action is None or action.partition(":")[2].lower() in TAGGING_NAMES:
            continue
        service = action.partition(":")[0]
        kinds = {f"{service}:{kind}" for kind in types.action_types(action)}
        assert kinds <= set(entry.tags), (type_name, action, kinds - set(entry.tags))
