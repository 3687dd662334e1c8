"""E9206 and W9207: a deploy role against what the templates it deploys need, through the real command (and real
cfn-lint with the rule pack for a role in a template), on real files in temporary directories."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from deploykit import POLICY_NAME, TOOLCHAIN, by_rule, cfn_lint, codestar_project, findings, write_policy

CODEDEPLOY = ("codedeploy:CreateApplication", "codedeploy:CreateDeploymentGroup", "codedeploy:CreateDeployment")


def test_the_seeds_case_names_the_codedeploy_actions_with_the_resources_needing_them(tmp_path: Path) -> None:
    """The example CodeStar project with gradual deployment turned on: its CloudFormation role policy lacks the
    CodeDeploy actions; E9206 names them with the generated resources that need them, and E9201 (whose profile
    asks for the same actions) does not repeat them."""
    project = codestar_project(tmp_path, gradual=True)
    process, items = findings(POLICY_NAME, cwd=project)
    assert process.returncode == 1
    [error] = by_rule(items, "E9206")
    message = error["message"]
    assert message.startswith("Policy does not allow what the templates it deploys need (template.yml): ")
    assert "; codedeploy:CreateDeploymentGroup for GetHelloWorldDeploymentGroup, PostHelloWorldDeploymentGroup;" in message
    assert ": codedeploy:CreateApplication for ServerlessDeploymentApplication;" in message
    assert (error["line"], error["column"]) == (3, 5)  # at Statement, as E9201
    for rule in by_rule(items, "E9201"):
        for action in CODEDEPLOY:
            assert action not in rule["message"], rule["message"]
    assert "cloudformation:CreateChangeSet" not in message  # the caller's, not the deploy role's


def test_e9201_reports_the_profiles_actions_again_when_e9206_does_not_run(tmp_path: Path) -> None:
    project = codestar_project(tmp_path, gradual=True)
    _, items = findings("--ignore", "E9206", POLICY_NAME, cwd=project)
    [profile] = by_rule(items, "E9201")
    assert "codedeploy-deploymentgroup: codedeploy:CreateDeploymentGroup" in profile["message"]
    assert by_rule(items, "E9206") == []


def test_before_gradual_deployment_e9201_keeps_the_codedeploy_actions(tmp_path: Path) -> None:
    """The template does not need CodeDeploy yet: E9201 asks for it (the profile prepares the role), E9206 does not."""
    project = codestar_project(tmp_path)
    _, items = findings(POLICY_NAME, cwd=project)
    [profile] = by_rule(items, "E9201")
    assert "codedeploy:CreateDeploymentGroup" in profile["message"]
    assert all("codedeploy:" not in item["message"] for item in by_rule(items, "E9206"))


def test_a_policy_that_allows_everything_the_templates_need_passes(tmp_path: Path) -> None:
    project = codestar_project(tmp_path, gradual=True)
    write_policy(project / POLICY_NAME, [{"Effect": "Allow", "Action": "*", "Resource": "*"}])
    process, items = findings(POLICY_NAME, cwd=project)
    assert (process.returncode, items) == (0, [])


def test_an_explicit_deny_wins_and_is_named(tmp_path: Path) -> None:
    project = codestar_project(tmp_path, gradual=True)
    write_policy(project / POLICY_NAME, [
        {"Effect": "Allow", "Action": "*", "Resource": "*"},
        {"Sid": "NoAliases", "Effect": "Deny", "Action": "lambda:CreateAlias", "Resource": "*"},
    ])
    _, items = findings(POLICY_NAME, cwd=project)
    [error] = by_rule(items, "E9206")
    assert error["message"] == (
        "Policy does not allow what the templates it deploys need (template.yml): lambda:CreateAlias for GetHelloWorldAliaslive, "
        f"PostHelloWorldAliaslive (denied by {POLICY_NAME} Statement[1] (NoAliases))"
    )


def test_pass_role_is_allowed_for_the_service_its_condition_names(tmp_path: Path) -> None:
    """Passing roles to Lambda is allowed (the Condition names it); passing one to CodeDeploy is not."""
    project = codestar_project(tmp_path, gradual=True)
    write_policy(project / POLICY_NAME, [
        {"Effect": "Allow", "NotAction": "iam:PassRole", "Resource": "*"},
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*",
         "Condition": {"StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}}},
    ])
    _, items = findings(POLICY_NAME, cwd=project)
    [error] = by_rule(items, "E9206")
    assert error["message"] == (
        "Policy does not allow what the templates it deploys need (template.yml): iam:PassRole for GetHelloWorldDeploymentGroup, "
        "PostHelloWorldDeploymentGroup"
    )


def test_what_is_needed_only_under_a_template_condition_is_w9207(tmp_path: Path) -> None:
    project = codestar_project(tmp_path)
    template = (project / "template.yml").read_text()
    template = template.replace("Resources:\n", "Conditions:\n  Queued: !Equals [!Ref Stage, Prod]\n\nResources:\n  Jobs:\n"
                                "    Type: AWS::SQS::Queue\n    Condition: Queued\n", 1)
    (project / "template.yml").write_text(template)
    write_policy(project / POLICY_NAME, [{"Effect": "Allow", "NotAction": "sqs:*", "Resource": "*"}])
    _, items = findings(POLICY_NAME, cwd=project)
    [warning] = by_rule(items, "W9207")
    assert warning["message"].startswith(
        "Policy does not allow what the templates it deploys need only in some cases (template.yml): "
        "sqs:CreateQueue for Jobs (under a template condition); "
    )
    assert by_rule(items, "E9206") == []


def test_a_policy_file_without_a_pairing_is_checked_as_before(tmp_path: Path) -> None:
    project = codestar_project(tmp_path, gradual=True)
    (project / "template.yml").rename(project / "app.yml")
    _, items = findings(POLICY_NAME, cwd=project)
    assert [item["rule"] for item in items] == ["E9201"]
    assert "codedeploy:CreateDeploymentGroup" in items[0]["message"]


def test_a_template_that_cannot_be_translated_is_reported_on_the_policy(tmp_path: Path) -> None:
    project = codestar_project(tmp_path, gradual=True)
    template = (project / "template.yml").read_text().replace("Type: AllAtOnce", "Type: AllAtOnce\n      Hooks: 3")
    (project / "template.yml").write_text(template)
    _, items = findings(POLICY_NAME, cwd=project)
    messages = [item["message"] for item in by_rule(items, "E9206")]
    assert any(m.startswith("Policy: cannot check it against template.yml, which it deploys: SAM cannot translate it: ") for m in messages), messages


def toolchain_project(tmp_path: Path, key: str) -> Path:
    project = codestar_project(tmp_path, gradual=True)
    (project / POLICY_NAME).unlink()
    (project / "pipeline").mkdir()
    (project / "pipeline" / "toolchain.yml").write_text(TOOLCHAIN)
    (project / "pyproject.toml").write_text(f'[tool.sam-shift-lint.deploy-roles]\n"{key}" = "template.yml"\n')
    return project


def test_a_role_in_a_toolchain_template_same_findings_from_both_doors(tmp_path: Path) -> None:
    project = toolchain_project(tmp_path, "pipeline/toolchain.yml#CloudFormationTrustRole")
    _, items = findings("pipeline/toolchain.yml", cwd=project)
    [error] = by_rule(items, "E9206")
    assert error["message"].startswith("Deploy role 'CloudFormationTrustRole' does not allow what the templates it deploys need (../template.yml): ")
    assert "codedeploy:CreateDeploymentGroup for GetHelloWorldDeploymentGroup, PostHelloWorldDeploymentGroup;" in error["message"]
    ours = sorted((i["rule"], i["line"], i["column"], i["message"]) for i in items)
    pack = sorted(
        (m["Rule"]["Id"], m["Location"]["Start"]["LineNumber"], m["Location"]["Start"]["ColumnNumber"], m["Message"])
        for m in cfn_lint(project / "pipeline" / "toolchain.yml")
    )
    assert pack == ours


def test_without_a_role_every_deploy_role_is_paired_and_a_missing_role_is_reported(tmp_path: Path) -> None:
    project = toolchain_project(tmp_path, "pipeline/toolchain.yml")
    _, items = findings("pipeline/toolchain.yml", cwd=project)
    assert [i["resource"] for i in by_rule(items, "E9206")] == ["CloudFormationTrustRole"]  # not BuildRole
    project = toolchain_project(tmp_path / "other", "pipeline/toolchain.yml#Missing")
    _, items = findings("pipeline/toolchain.yml", cwd=project)
    assert [i["message"] for i in by_rule(items, "E9206")] == [
        "The pairing (tool.sam-shift-lint.deploy-roles.\"pipeline/toolchain.yml#Missing\") names role 'Missing', "
        "which the template does not have"
    ]


def test_a_codestar_toolchain_template_is_paired_automatically(tmp_path: Path) -> None:
    project = codestar_project(tmp_path, gradual=True)
    (project / "toolchain.yml").write_text(TOOLCHAIN)
    _, items = findings("toolchain.yml", cwd=project)
    [error] = by_rule(items, "E9206")
    assert error["resource"] == "CloudFormationTrustRole"
    assert "(template.yml): " in error["message"]


def test_a_policy_paired_in_the_configuration_is_checked_when_found_in_a_walk(tmp_path: Path) -> None:
    project = codestar_project(tmp_path, gradual=True)
    (project / POLICY_NAME).rename(project / "deploy-policy.json")
    (project / "pyproject.toml").write_text('[tool.sam-shift-lint.deploy-roles]\n"deploy-policy.json" = "template.yml"\n')
    _, items = findings(".", cwd=project)
    [error] = by_rule(items, "E9206")
    assert error["file"] == "./deploy-policy.json"
    assert error["message"].count("codedeploy:CreateDeploymentGroup") == 1
    assert by_rule(items, "E9201") == []  # not named like CodeStar's and no profile: E9201 does not check it


def test_what_is_assumed_for_a_type_without_handler_data_is_w9207(tmp_path: Path) -> None:
    project = codestar_project(tmp_path)
    template = (project / "template.yml").read_text()
    template = template.replace("Resources:\n", "Resources:\n  Build:\n    Type: AWS::CodeBuild::Project\n    Properties: {}\n", 1)
    (project / "template.yml").write_text(template)
    write_policy(project / POLICY_NAME, [{"Effect": "Allow", "NotAction": "codebuild:*", "Resource": "*"}])
    _, items = findings(POLICY_NAME, cwd=project)
    assert [i["message"].split(": ", 1)[1] for i in by_rule(items, "W9207")] == ["codebuild:* for Build (assumed for a type without handler data)"]
    assert by_rule(items, "E9206") == []


def test_a_template_is_derived_once_however_many_policies_deploy_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two policy files paired with the same template, in one run: one derivation (the translator and the handler
    data are the expensive part), and both policies are checked against it."""
    from sam_shift_lint.checks.deploy import deploy_needs
    from sam_shift_lint.cli import main

    project = codestar_project(tmp_path, gradual=True)
    (project / "second-policy.json").write_bytes((project / POLICY_NAME).read_bytes())
    (project / ".sam-shift-lint.toml").write_text(
        f'[deploy-roles]\n"{POLICY_NAME}" = "template.yml"\n"second-policy.json" = "template.yml"\n'
    )
    derived: list[str] = []
    real_derive = deploy_needs._derive

    def counting(template: str, region: str) -> object:
        derived.append(template)
        return real_derive(template, region)

    monkeypatch.setattr(deploy_needs, "_DERIVED", {})
    monkeypatch.setattr(deploy_needs, "_derive", counting)
    monkeypatch.chdir(project)
    assert main(["--jobs", "1", "--select", "E9206", "--format", "json", POLICY_NAME, "second-policy.json"]) == 1
    reported = {item["file"] for item in json.loads(capsys.readouterr().out) if item["rule"] == "E9206"}
    assert reported == {POLICY_NAME, "second-policy.json"}
    assert derived == [str(project / "template.yml")]
