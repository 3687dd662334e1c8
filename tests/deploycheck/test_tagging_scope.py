"""E9206 on a deploy role that may tag only what the template creates: tagging actions are needed on the tagged
resource (a VPC's ``ec2:CreateTags`` on ``vpc/*``), not on every type they can apply to, so a role scoped like
that passes (before, E9206 asked for ``ec2:CreateTags`` on 105 other EC2 types). Real files, the real command."""
from __future__ import annotations

import subprocess
from pathlib import Path

from deploykit import by_rule, findings, write_policy

TEMPLATE = """\
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.0.0.0/16
      Tags: [{Key: team, Value: a}]
"""
POLICY = "DeployCloudFormationRolePolicy.json"  # paired with template.yml beside it (CodeStar layout)


def _project(tmp_path: Path, resources: list[str]) -> Path:
    (tmp_path / "template.yml").write_text(TEMPLATE)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write_policy(tmp_path / POLICY, [
        {"Effect": "Allow", "Action": "ec2:*", "Resource": resources},
        {"Effect": "Allow", "Action": "ec2:Describe*", "Resource": "*"},
    ])
    return tmp_path


# what CreateVpc and CreateVpcEncryptionControl may touch besides the VPC (the IPAM and IPv6 pools, the control)
OTHERS = ["arn:aws:ec2:*:*:ipam-pool/*", "arn:aws:ec2:*:*:ipv6pool-ec2/*", "arn:aws:ec2:*:*:vpc-encryption-control/*"]


def test_a_role_that_tags_only_vpcs_deploys_a_vpc(tmp_path: Path) -> None:
    project = _project(tmp_path, ["arn:aws:ec2:*:*:vpc/*", *OTHERS])
    _, items = findings(POLICY, cwd=project)
    assert by_rule(items, "E9206") == [] and by_rule(items, "W9207") == []


def test_a_role_that_cannot_tag_the_vpc_is_told_so(tmp_path: Path) -> None:
    project = _project(tmp_path, ["arn:aws:ec2:*:*:subnet/*", *OTHERS])
    _, items = findings(POLICY, cwd=project)
    [error] = by_rule(items, "E9206")
    assert "ec2:CreateTags for Vpc" in error["message"] and "ec2:CreateVpc for Vpc" in error["message"]
