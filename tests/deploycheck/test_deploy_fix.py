"""``--fix --unsafe-fixes`` for E9206: the statements ``sam-shift-lint permissions`` would write for what is missing,
in the policy file (concrete region and account) or in the toolchain template's role (``!Sub``); a second check
is clean of E9206, and the fix is unsafe (not applied without ``--unsafe-fixes``)."""
from __future__ import annotations

import json
from pathlib import Path

from deploykit import POLICY_NAME, TOOLCHAIN, by_rule, codestar_project, findings, run, write_policy


def test_the_policy_file_gets_the_scoped_statements(tmp_path: Path) -> None:
    project = codestar_project(tmp_path, gradual=True)
    _, items = findings(POLICY_NAME, cwd=project)
    [error] = by_rule(items, "E9206")
    assert error["fix"]["applicability"] == "unsafe"
    before = (project / POLICY_NAME).read_text()
    safe = run("--fix", "--ignore", "E9201", POLICY_NAME, cwd=project)
    assert safe.returncode == 1 and (project / POLICY_NAME).read_text() == before  # unsafe: not applied
    fixed = run("--fix", "--unsafe-fixes", POLICY_NAME, cwd=project)
    assert fixed.returncode in (0, 1), fixed.stdout + fixed.stderr
    _, again = findings(POLICY_NAME, cwd=project)
    assert by_rule(again, "E9206") == [], again
    statements = json.loads((project / POLICY_NAME).read_text())["Statement"]
    groups = [s for s in statements if "codedeploy:CreateDeploymentGroup" in s["Action"]]
    assert groups and all("${" not in json.dumps(s) for s in statements)
    resources = [r for s in groups for r in (s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]])]
    assert "arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:*-*/*-*" in resources
    assert not any("Condition" in s for s in statements)  # iam:PassRole on * was already there


def test_without_a_region_the_fix_says_which_flag_to_pass(tmp_path: Path) -> None:
    project = codestar_project(tmp_path, gradual=True)
    write_policy(project / POLICY_NAME, [{"Effect": "Allow", "Action": ["lambda:*", "iam:*", "apigateway:*", "s3:*"], "Resource": "*"}])
    _, items = findings(POLICY_NAME, cwd=project)
    [error] = by_rule(items, "E9206")
    assert error["fix"]["applicability"] == "display"
    assert error["fix"]["description"] == "Pass --region and --account-id: the file's ARNs do not agree on them"
    fixed = run("--fix", "--unsafe-fixes", "--region", "eu-west-1", "--account-id", "111122223333", POLICY_NAME, cwd=project)
    assert fixed.returncode in (0, 1), fixed.stderr
    _, again = findings("--region", "eu-west-1", "--account-id", "111122223333", POLICY_NAME, cwd=project)
    assert by_rule(again, "E9206") == []
    assert "arn:aws:codedeploy:eu-west-1:111122223333:application:*-*" in (project / POLICY_NAME).read_text()


def test_the_toolchain_role_gets_sub_statements_in_its_inline_policy(tmp_path: Path) -> None:
    project = codestar_project(tmp_path, gradual=True)
    (project / POLICY_NAME).unlink()
    (project / "toolchain.yml").write_text(TOOLCHAIN)
    fixed = run("--fix", "--unsafe-fixes", "toolchain.yml", cwd=project)
    assert fixed.returncode in (0, 1), fixed.stdout + fixed.stderr
    _, again = findings("toolchain.yml", cwd=project)
    assert by_rule(again, "E9206") == [], again
    text = (project / "toolchain.yml").read_text()
    assert text.startswith(TOOLCHAIN.split("  BuildRole:")[0][:200])
    assert "!Sub 'arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:*-*/*-*'" in text or \
        "!Sub arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:*-*/*-*" in text, text


def test_pass_role_is_added_with_the_service_it_is_passed_to(tmp_path: Path) -> None:
    project = codestar_project(tmp_path, gradual=True)
    write_policy(project / POLICY_NAME, [{"Effect": "Allow", "NotAction": "iam:PassRole", "Resource": "*"}])
    flags = ("--region", "us-east-1", "--account-id", "123456789012")
    fixed = run("--fix", "--unsafe-fixes", *flags, POLICY_NAME, cwd=project)
    assert fixed.returncode in (0, 1), fixed.stderr
    statements = json.loads((project / POLICY_NAME).read_text())["Statement"]
    services = sorted(s["Condition"]["StringEquals"]["iam:PassedToService"] for s in statements if "Condition" in s)
    assert services == ["codedeploy.amazonaws.com", "lambda.amazonaws.com"]
    _, again = findings(*flags, POLICY_NAME, cwd=project)
    assert by_rule(again, "E9206") == []
