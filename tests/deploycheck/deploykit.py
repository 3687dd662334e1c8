"""Helpers for the deploy-role pairing tests (E9206, W9207): real projects in temporary directories, the real
command and real cfn-lint."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "codestar-project"
GRADUAL = REPO / "tests" / "permissions" / "fixtures" / "codestar-gradual" / "template.yml"  # the example, gradual on
BIN = Path(os.path.dirname(os.path.abspath(sys.executable)))
POLICY_NAME = "CodeStarWorkerCloudFormationRolePolicy.json"

# A CodeStar toolchain template's CloudFormation role (trusted by CloudFormation), with the example's policy inline.
TOOLCHAIN = """\
AWSTemplateFormatVersion: '2010-09-09'
Description: CodeStar toolchain (abridged)
Resources:
  CloudFormationTrustRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
        - Effect: Allow
          Principal:
            Service: [cloudformation.amazonaws.com]
          Action: sts:AssumeRole
      Policies:
      - PolicyName: CodeStarWorkerCloudFormationRolePolicy
        PolicyDocument:
          Statement:
          - Effect: Allow
            Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetBucketVersioning']
            Resource: '*'
          - Effect: Allow
            Action: ['lambda:*']
            Resource: !Sub 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:*'
          - Effect: Allow
            Action: ['apigateway:*']
            Resource: !Sub 'arn:${AWS::Partition}:apigateway:${AWS::Region}::*'
          - Effect: Allow
            Action: ['iam:*']
            Resource: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/*'
          - Effect: Allow
            Action: ['iam:PassRole']
            Resource: '*'
  BuildRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement:
        - Effect: Allow
          Principal:
            Service: [codebuild.amazonaws.com]
          Action: sts:AssumeRole
      Policies:
      - PolicyName: Build
        PolicyDocument:
          Statement:
          - Effect: Allow
            Action: ['logs:*']
            Resource: '*'
"""


def codestar_project(tmp_path: Path, gradual: bool = False, name: str = "project") -> Path:
    """A copy of the example CodeStar project (with gradual deployment turned on: ``gradual``)."""
    project = tmp_path / name
    shutil.copytree(EXAMPLE, project)
    if gradual:
        shutil.copyfile(GRADUAL, project / "template.yml")
    return project


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "sam-shift-lint"), *map(str, args)], capture_output=True, text=True, cwd=str(cwd), timeout=300)


def findings(*args: str | Path, cwd: Path) -> tuple[subprocess.CompletedProcess[str], list[dict[str, Any]]]:
    process = run("--format", "json", *args, cwd=cwd)
    assert process.returncode in (0, 1), process.stdout + process.stderr
    return process, json.loads(process.stdout)


def by_rule(items: list[dict[str, Any]], rule: str) -> list[dict[str, Any]]:
    return [item for item in items if item["rule"] == rule]


def write_policy(path: Path, statements: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"Version": "2012-10-17", "Statement": statements}, indent=2) + "\n")
    return path


def cfn_lint(template: Path, *args: str) -> list[dict[str, Any]]:
    ran = subprocess.run(
        [str(BIN / "cfn-lint"), "--format", "json", "--append-rules=sam_shift_lint.rules", *args, "--", template.name],
        cwd=template.parent, capture_output=True, text=True, timeout=300,
    )
    assert "Traceback" not in ran.stderr, ran.stderr
    return [m for m in json.loads(ran.stdout or "[]") if m["Rule"]["Id"][1:3] in ("91", "92")]


# A repository laid out as `sam pipeline` makes it, written for these tests (tests/deploycheck/fixtures/sam-pipeline/README.md says what
# each file comes from), with SAM CLI's bootstrap template checked in as stage_resources.yaml.
SAM_PIPELINE = REPO / "tests" / "deploycheck" / "fixtures" / "sam-pipeline"
BOOTSTRAP_NAME = "stage_resources.yaml"
# The bootstrap template's CloudFormationExecutionRole policy as SAM CLI writes it ...
FULL_ACCESS = """\
      Policies:
        - PolicyName: GrantCloudFormationFullAccess
          PolicyDocument:
            Version: 2012-10-17
            Statement:
              - Effect: Allow
                Action: '*'
                Resource: '*'
"""
# ... and as a team narrowed it: Lambda, API Gateway, the packaged code, IAM roles, but no CodeDeploy, no
# CloudWatch alarms, and none of the IAM role's read or update-only actions.
NARROWED = """\
      Policies:
        - PolicyName: DeployServerlessApplication
          PolicyDocument:
            Version: 2012-10-17
            Statement:
              - Effect: Allow
                Action:
                  - 'lambda:*'
                  - 'apigateway:*'
                  - 's3:GetObject'
                  - 'iam:CreateRole'
                  - 'iam:DeleteRole'
                  - 'iam:GetRole'
                  - 'iam:TagRole'
                  - 'iam:UntagRole'
                  - 'iam:AttachRolePolicy'
                  - 'iam:DetachRolePolicy'
                  - 'iam:PassRole'
                Resource: '*'
"""


def sam_pipeline_project(tmp_path: Path, narrowed: bool = True, bootstrap: bool = True, name: str = "sam-app") -> Path:
    """A copy of the `sam pipeline` fixture repository: its bootstrap template's CloudFormationExecutionRole
    ``narrowed`` (else SAM CLI's ``Action: '*'``), or no bootstrap template at all (``bootstrap`` False: the
    layout `sam pipeline` itself leaves, where the roles are only ARNs)."""
    project = tmp_path / name
    shutil.copytree(SAM_PIPELINE, project, ignore=shutil.ignore_patterns("README.md"))
    subprocess.run(["git", "init", "-q", str(project)], check=True, timeout=60)
    path = project / BOOTSTRAP_NAME
    if not bootstrap:
        path.unlink()
    elif narrowed:
        text = path.read_text()
        assert text.count(FULL_ACCESS) == 1
        path.write_text(text.replace(FULL_ACCESS, NARROWED))
    return project
