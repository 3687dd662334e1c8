"""The command line around the IAM rules: flags, which files are policy files, discovery by content, speed
(cfn-lint is never imported), profiles from JSON files, and the CodeStar example end to end."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "codestar-project"
BIN = Path(os.path.dirname(os.path.abspath(sys.executable)))
POLICY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "lambda:*", "Resource": "*"}]}


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "sam-shift-lint"), *args], capture_output=True, text=True, cwd=str(cwd), timeout=120)


def json_run(*args: str, cwd: Path = REPO) -> tuple[subprocess.CompletedProcess[str], list[dict[str, Any]]]:
    process = run("--format", "json", *args, cwd=cwd)
    return process, json.loads(process.stdout) if process.stdout.strip() else []


# ------------------------------------------------------------------------------------------------ flags


@pytest.mark.parametrize(
    "args, message",
    [
        (["--region", "us-east"], "--region 'us-east' is not a region name"),
        (["--region", "US-EAST-1"], "is not a region name"),
        (["--account-id", "12345"], "--account-id '12345' is not a 12-digit AWS account id"),
        (["--account-id", "12345678901a"], "is not a 12-digit"),
        (["--policy-profile", "deploy-roles"], "--policy-profile: no bundled profile 'deploy-roles'"),
        (["--policy-profile", "missing.json"], "--policy-profile: cannot read profile missing.json"),
    ],
)
def test_bad_iam_flags_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text(json.dumps(POLICY))
    process = run(*args, "p.json", cwd=tmp_path)
    assert process.returncode == 2
    assert message in process.stderr
    assert process.stdout == ""


@pytest.mark.parametrize("region", ["us-east-1", "eu-central-2", "ap-southeast-4", "us-gov-west-1", "cn-north-1"])
def test_real_region_names_are_accepted(region: str, tmp_path: Path) -> None:
    (tmp_path / "p.json").write_text(json.dumps(POLICY))
    assert run("--region", region, "--account-id", "123456789012", "p.json", cwd=tmp_path).returncode == 0


def test_help_lists_the_iam_flags() -> None:
    out = run("--help").stdout
    for flag in ("--region", "--account-id", "--policy-profile"):
        assert flag in out


def test_list_rules_includes_the_iam_rules() -> None:
    lines = run("--list-rules").stdout.splitlines()
    assert {line.split()[0] for line in lines} >= {"E9201", "W9202", "E9203", "W9204"}


# ------------------------------------------------------------------------------------------------ policy files


def test_policy_files_are_checked_for_actions_and_placeholders_always(tmp_path: Path) -> None:
    policy = {"Statement": [{"Effect": "Allow", "Action": "lambda:InvokeFuntion", "Resource": "arn:aws:lambda:region:account-id:function:f"}]}
    (tmp_path / "any-name.json").write_text(json.dumps(policy, indent=2))
    process, items = json_run("any-name.json", cwd=tmp_path)
    assert process.returncode == 1
    assert sorted(item["rule"] for item in items) == ["W9202", "W9204"]
    assert all(item["resource"] is None and item["path"][0] == "Statement" for item in items)


def test_the_deploy_profile_applies_by_name_or_by_flag(tmp_path: Path) -> None:
    text = json.dumps(POLICY, indent=2)
    (tmp_path / "MyCloudFormationRolePolicy.json").write_text(text)
    (tmp_path / "other.json").write_text(text)
    _, by_name = json_run("MyCloudFormationRolePolicy.json", "other.json", cwd=tmp_path)
    assert [(Path(i["file"]).name, i["rule"]) for i in by_name] == [("MyCloudFormationRolePolicy.json", "E9201")]
    _, by_flag = json_run("--policy-profile", "deploy-role", "other.json", cwd=tmp_path)
    assert [i["rule"] for i in by_flag] == ["E9201"]


def test_policy_profile_applies_only_to_files_named_on_the_command_line(tmp_path: Path) -> None:
    (tmp_path / "found").mkdir()
    (tmp_path / "found" / "policy.json").write_text(json.dumps(POLICY))
    (tmp_path / "named.json").write_text(json.dumps(POLICY))
    _, items = json_run("--policy-profile", "hook-function", "named.json", "found", cwd=tmp_path)
    assert [(Path(i["file"]).name, i["rule"]) for i in items] == [("named.json", "E9201")]


def test_a_profile_from_a_json_file(tmp_path: Path) -> None:
    profile = {"name": "team", "groups": [{"name": "queues", "actions": ["sqs:SendMessage"], "resource": "*"}]}
    (tmp_path / "team.json").write_text(json.dumps(profile))
    (tmp_path / "policy.json").write_text(json.dumps(POLICY))
    _, items = json_run("--policy-profile", "team.json", "policy.json", cwd=tmp_path)
    assert [i["rule"] for i in items] == ["E9201"]
    assert "profile 'team' requires: queues: sqs:SendMessage" in items[0]["message"]


def test_a_role_metadata_profile_path_is_refused_not_read(tmp_path: Path) -> None:
    """A template may name only bundled profiles: the file beside it exists and is valid, and still is not read."""
    profile = {"name": "team", "groups": [{"name": "queues", "actions": ["sqs:SendMessage"], "resource": "*"}]}
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "team.json").write_text(json.dumps(profile))
    (tmp_path / "stack").mkdir()
    (tmp_path / "stack" / "template.yaml").write_text(
        "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Metadata:\n      sam-shift-lint:\n"
        "        profile: ../profiles/team.json\n    Properties:\n      AssumeRolePolicyDocument:\n"
        "        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]\n"
    )
    _, items = json_run("stack/template.yaml", cwd=tmp_path)
    assert [(i["rule"], i["line"], i["column"]) for i in items] == [("E9201", 6, 18)]
    assert "profile '../profiles/team.json': a template names only bundled profiles" in items[0]["message"]
    assert "sqs:SendMessage" not in items[0]["message"]


# ------------------------------------------------------------------------------------------------ discovery


def test_directory_discovery_picks_policy_files_by_content(tmp_path: Path) -> None:
    (tmp_path / "iam").mkdir()
    (tmp_path / "iam" / "deploy.json").write_text(json.dumps({"Statement": [{"Effect": "Allow", "Action": "lambda:Nope", "Resource": "*"}]}))
    (tmp_path / "iam" / "deploy.yaml").write_text("Statement:\n- Effect: Allow\n  Action: s3:GetObjekt\n  Resource: '*'\n")
    (tmp_path / "package.json").write_text(json.dumps({"name": "x", "description": "Statement of work"}))
    (tmp_path / "broken.json").write_text('{"Statement": [')
    (tmp_path / "cfn.yaml").write_text(
        "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n"
        "        Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]\n"
    )
    process, items = json_run(str(tmp_path))
    # broken.json is clearly a policy (a top-level Statement) that does not parse: reported in a walk as when
    # named (issue 10: pre-commit names files, CI walks; both must agree); package.json and cfn.yaml are not ours
    assert process.returncode == 2
    assert process.stderr.splitlines() == [f"{tmp_path / 'broken.json'}: error: 1:16: JSON syntax error: unexpected end of file"]
    assert sorted((Path(i["file"]).name, i["rule"]) for i in items) == [
        ("broken.json", "E9000"),  # in the report too
        ("deploy.json", "W9204"),
        ("deploy.yaml", "W9204"),
    ]


def test_a_named_broken_policy_file_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text('{"Statement": [')
    process = run("broken.json", cwd=tmp_path)
    assert process.returncode == 2
    assert process.stderr.splitlines() == [process.stderr.strip()] and process.stderr.startswith("broken.json: error: ")


def test_long_actions_and_arns_are_quoted_cut_at_200_characters(tmp_path: Path) -> None:
    """W9202 and W9204 quote untrusted values as the other rules do: at most 200 characters, marked ``...``
    (a 3,000-character value made a 3,000-character report line)."""
    action, arn = "s3:" + "y" * 3000, "arn:aws:lambda:REGION:ACCOUNT_ID:function:" + "f" * 3000
    (tmp_path / "policy.json").write_text(
        json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": [action, "x" * 3000 + ":y"], "Resource": arn}]})
    )
    process, items = json_run("--region", "us-east-1", "--account-id", "123456789012", "policy.json", cwd=tmp_path)
    assert process.returncode == 1
    by_rule = {rule: [i for i in items if i["rule"] == rule] for rule in ("W9202", "W9204")}
    assert len(by_rule["W9204"]) == 2 and len(by_rule["W9202"]) == 1
    placeholder = by_rule["W9202"][0]["message"]
    assert f"'{arn[:197]}...'" in placeholder and "'REGION' where the region belongs" in placeholder
    assert f"'{action[:197]}...'" in by_rule["W9204"][0]["message"] + by_rule["W9204"][1]["message"]
    for item in items:
        assert len(item["message"]) < 500, item["message"][:300]
    text = run("policy.json", cwd=tmp_path).stdout
    assert all(len(line) < 520 for line in text.splitlines()), [len(line) for line in text.splitlines()]


def test_a_named_json_file_that_is_neither_template_nor_policy_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "notes.json").write_text(json.dumps({"Statement": "not a policy", "Resources": {}}))
    process = run("notes.json", cwd=tmp_path)
    assert (process.returncode, process.stderr) == (0, "")


def test_a_plain_cloudformation_template_with_a_deploy_role_is_checked(tmp_path: Path) -> None:
    (tmp_path / "pipeline.yaml").write_text(
        "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n"
        "        Statement: [{Effect: Allow, Principal: {Service: cloudformation.amazonaws.com}, Action: sts:AssumeRole}]\n"
    )
    _process, items = json_run(str(tmp_path))
    assert [(i["rule"], i["resource"], i["path"]) for i in items] == [("E9201", "Role", ["Resources", "Role"])]


# ------------------------------------------------------------------------------------------------ speed


def test_the_cli_never_imports_cfn_lint(tmp_path: Path) -> None:
    template = REPO / "tests" / "iam_rules" / "W9204" / "typos.fail.yaml"
    policy = REPO / "tests" / "iam_rules" / "E9201" / "CodeStarWorkerCloudFormationRolePolicy.fail.json"
    code = (
        "import sys, sam_shift_lint.cli as cli\n"
        "assert 'cfnlint' not in sys.modules\n"
        f"rc = cli.main(['--format', 'json', {str(template)!r}, {str(policy)!r}])\n"
        "assert rc == 1, rc\n"
        "assert 'sam_shift_lint.iam.actions' in sys.modules  # the catalog was used\n"
        "leaked = sorted(m for m in sys.modules if m.split('.')[0] in ('cfnlint', 'samtranslator'))\n"
        "assert not leaked, leaked\n"
    )
    process = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert process.returncode == 0, process.stderr


def test_policies_json_is_found_without_importing_cfn_lint() -> None:
    code = (
        "import sys\nfrom sam_shift_lint.iam.actions import policies_json_path, catalog\n"
        "assert policies_json_path().endswith('Policies.json')\n"
        "assert 'lambda' in catalog().services and 'cfnlint' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_a_template_without_iam_statements_does_not_load_the_catalog(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n"
        "    Properties: {Handler: a.b, Runtime: python3.12, CodeUri: s/, AutoPublishAlias: live,\n"
        "      DeploymentPreference: {Type: AllAtOnce}}\n"
    )
    code = (
        "import sys\nfrom sam_shift_lint.iam import actions\nimport sam_shift_lint.cli as cli\n"
        f"assert cli.main([{str(path)!r}]) == 0\n"
        "assert actions.catalog.cache_info().currsize == 0\n"
    )
    process = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert process.returncode == 0, process.stderr


# ------------------------------------------------------------------------------------------------ CodeStar example


def test_codestar_example_end_to_end(tmp_path: Path) -> None:
    """The policy file without CodeDeploy statements is reported with E9201 and fixed so that a re-check is
    clean, once with the region/account inferred from the file and once with them given."""
    for args in ([], ["--region", "us-east-1", "--account-id", "123456789012"]):
        project = tmp_path / ("given" if args else "inferred")
        shutil.copytree(EXAMPLE, project)
        # without the template beside it the policy is not paired with it (E9206: tests/deploycheck)
        (project / "template.yml").unlink()
        policy = "CodeStarWorkerCloudFormationRolePolicy.json"
        process, items = json_run(policy, cwd=project)
        assert process.returncode == 1
        assert [i["rule"] for i in items] == ["E9201"]
        assert "codedeploy-deploymentgroup: codedeploy:CreateDeploymentGroup" in items[0]["message"]
        assert items[0]["fix"]["applicability"] == "safe"

        fixed = run("--fix", *args, policy, cwd=project)
        assert fixed.returncode == 0, fixed.stdout + fixed.stderr
        again, remaining = json_run(*args, policy, cwd=project)
        assert (again.returncode, remaining) == (0, [])
        data = json.loads((project / policy).read_text())
        added = data["Statement"][-3:]
        assert [s["Resource"] for s in added] == [
            ["arn:aws:codedeploy:us-east-1:123456789012:application:*"],
            ["arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:*"],
            ["arn:aws:codedeploy:us-east-1:123456789012:deploymentconfig:*"],
        ]
        assert (project / policy).read_text().endswith("}\n") and "\r" not in (project / policy).read_text()

        whole = run(str(project), cwd=project)  # the directory: the template's own findings remain, no E92xx
        assert "E92" not in whole.stdout and "W92" not in whole.stdout
