"""Hostile wildcard patterns through the command line: a policy action like ``**********a`` used to take 96 s
(each ``*`` tripled it), in a policy file and in a function's or hook's ``Policies`` alike. Every run here must
end well inside its timeout with the usual findings."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

BIN = Path(os.path.dirname(os.path.abspath(sys.executable)))
STARS = "*" * 1000
QUESTIONS = "?" * 1000
TIMEOUT = 60  # seconds; a run takes about one (the old matcher: 87 s with 9 stars)


def lint(path: Path) -> tuple[subprocess.CompletedProcess[str], list[dict[str, Any]]]:
    process = subprocess.run(
        [str(BIN / "sam-shift-lint"), "--format", "json", path.name],
        capture_output=True,
        text=True,
        cwd=str(path.parent),
        timeout=TIMEOUT,
    )
    assert "Traceback" not in process.stderr and "internal error" not in process.stderr, process.stderr
    return process, json.loads(process.stdout) if process.stdout.strip() else []


def policy_file(tmp_path: Path, *statements: dict[str, Any]) -> Path:
    path = tmp_path / "DeployCloudFormationRolePolicy.json"  # checked against the deploy-role profile
    path.write_text(json.dumps({"Version": "2012-10-17", "Statement": list(statements)}))
    return path


def test_a_thousand_stars_in_a_policy_file(tmp_path: Path) -> None:
    path = policy_file(
        tmp_path,
        {"Effect": "Allow", "Action": [STARS + "a", "lambda:" + STARS + "a", STARS + ":" + STARS + "b" + STARS], "Resource": "*"},
        {"Effect": "Allow", "Action": "lambda:*", "Resource": ["arn:" + STARS + "a", "*a" * 1000, STARS + ":" + STARS]},
        {"Effect": "Allow", "Action": "*", "NotResource": ["arn:" + STARS + "a", "*a" * 1000 + "?"]},
        {"Effect": "Deny", "NotAction": "*a" * 1000, "Resource": "*b" * 1000},
    )
    process, items = lint(path)
    assert process.returncode == 1
    rules = {item["rule"] for item in items}
    assert "E9201" in rules  # the role still lacks the CodeDeploy actions
    assert "W9204" in rules  # and the nonsense actions are reported, quoted short
    assert all(len(item["message"]) < 500 for item in items if item["rule"] == "W9204")


def test_question_mark_runs_in_a_policy_file(tmp_path: Path) -> None:
    path = policy_file(
        tmp_path,
        {"Effect": "Allow", "Action": ["s3:*" + QUESTIONS, "lambda:" + QUESTIONS + "*", "*a" + QUESTIONS], "Resource": "*"},
        {"Effect": "Allow", "Action": "codedeploy:*", "Resource": ["arn:aws:codedeploy:*" + QUESTIONS, "*" + "a?" * 1000]},
        {"Effect": "Allow", "Action": "iam:*", "NotResource": "*" + QUESTIONS},
    )
    process, items = lint(path)
    assert process.returncode == 1
    assert any(item["rule"] == "E9201" for item in items)


def test_many_statements_with_many_resources(tmp_path: Path) -> None:
    statements = [
        {
            "Effect": "Allow",
            "Action": [f"lambda:Get{i}*", f"s3:*Object{i}", "codedeploy:Get*"],
            "Resource": [f"arn:aws:s3:::bucket{i}-{j}/*" for j in range(10)],
        }
        for i in range(300)
    ]
    process, items = lint(policy_file(tmp_path, *statements))
    assert process.returncode == 1
    assert sum(item["rule"] == "E9201" for item in items) == 1


TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
      AutoPublishAlias: live
      DeploymentPreference:
        Type: AllAtOnce
        Hooks:
          PreTraffic: !Ref Hook
      Policies:
        - Statement:
            - Effect: Allow
              Action: '{stars}a'
              Resource: 'arn:{stars}b'
  Hook:
    Type: AWS::Serverless::Function
    Properties:
      FunctionName: CodeDeployHook_pre
      Handler: hooks.pre
      Runtime: python3.12
      CodeUri: src/
      DeploymentPreference:
        Enabled: false
      Policies:
        - Statement:
            - Effect: Allow
              Action: ['{stars}a', 'codedeploy:{stars}x', 'lambda:{questions}']
              Resource: ['arn:{stars}b', '{stars}:{stars}c', !Sub 'arn:${{AWS::Partition}}:lambda:{stars}']
            - Effect: Allow
              Action: lambda:InvokeFunction
              NotResource: ['{stars}?', '*a{questions}']
"""


def test_a_thousand_stars_in_function_and_hook_policies(tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    path.write_text(TEMPLATE.format(stars=STARS, questions=QUESTIONS))
    process, items = lint(path)
    assert process.returncode == 1
    by_rule = {(item["rule"], item["resource"]) for item in items}
    assert ("E9203", "Hook") in by_rule  # the hook still cannot report its status
    assert ("W9204", "Api") in by_rule and ("W9204", "Hook") in by_rule


def test_unclosed_sub_variables_in_a_policy(tmp_path: Path) -> None:
    path = tmp_path / "template.yaml"
    text = TEMPLATE.format(stars="", questions="").replace("!Sub 'arn:${AWS::Partition}:lambda:'", "!Sub '" + "${" * 200_000 + "'")
    assert "${${${" in text
    path.write_text(text)
    process, items = lint(path)  # a regex search for ${...} rescans from every ${: minutes
    assert process.returncode == 1
    assert any(item["rule"] == "E9203" for item in items)
