"""``scripts/corpus_policy_sizes.py`` (the README's corpus policy sizes) on a few real templates written here:
a real process; one template that cannot be used is counted, not fatal."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "corpus_policy_sizes.py"

VPC = "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: 10.0.0.0/16, Tags: [{Key: a, Value: b}]}\n"
FLEET = """\
Resources:
  Fleet:
    Type: AWS::EC2::CapacityReservationFleet
    Properties:
      InstanceTypeSpecifications: [{InstanceType: m5.large, InstancePlatform: Linux/UNIX, AvailabilityZone: us-east-1a}]
      TotalTargetCapacity: 1
"""
# a type cfn-lint's schemas have no handler permissions for (README: assumed codebuild:*, with a warning)
BUILD = """\
Resources:
  One:
    Type: AWS::CodeBuild::Project
    Properties: {Name: one}
  Two:
    Type: AWS::CodeBuild::Project
    Properties: {Name: two}
"""


def test_sizes_median_and_limits(tmp_path: Path) -> None:
    (tmp_path / "vpc.yaml").write_text(VPC)
    (tmp_path / "fleet.yaml").write_text(FLEET)  # its ec2:CreateTags/DeleteTags stay on every EC2 type: over 6,144
    (tmp_path / "broken.yaml").write_text("Resources:\n  A: [\n")
    (tmp_path / "build.yaml").write_text(BUILD)
    done = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path)], capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    first, second, third, fourth = done.stdout.splitlines()
    assert first == "templates: 4, translated: 3, not usable: 1"
    assert second.startswith("median: ") and second.endswith("over 6,144: 1 (split: 1); over 10,240: 0")
    assert third == "types without handler data: 1 (2 resources in 1 templates)"
    assert fourth == "  AWS::CodeBuild::Project: 1 templates, 2 resources"


def test_no_files_is_one_clear_error(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(SCRIPT), str(tmp_path)], capture_output=True, text=True, timeout=60, check=False)
    assert (done.returncode, done.stderr) == (1, f"no files under {tmp_path}\n")
