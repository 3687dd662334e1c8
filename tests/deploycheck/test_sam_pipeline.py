"""The automatic pairing of a `sam pipeline` layout: a checked-in bootstrap template (SAM CLI's
``stage_resources.yaml``) whose CloudFormationExecutionRole deploys the application template beside it; and the
layout `sam pipeline` itself leaves (roles named only by ARN), which is not paired. Real files laid out as
`sam pipeline` makes them (fixtures/sam-pipeline/README.md), the real command and real cfn-lint."""
from __future__ import annotations

from pathlib import Path

from deploykit import BOOTSTRAP_NAME, FULL_ACCESS, NARROWED, by_rule, cfn_lint, findings, run, sam_pipeline_project

DEPLOY_RULES = ("E9206", "W9207")
SOURCE = "(automatic: sam pipeline bootstrap template)"


def test_a_narrowed_bootstrap_role_is_checked_against_the_application_template(tmp_path: Path) -> None:
    project = sam_pipeline_project(tmp_path)
    process, items = findings(BOOTSTRAP_NAME, cwd=project)
    assert process.returncode == 1
    [error] = by_rule(items, "E9206")
    assert error["resource"] == "CloudFormationExecutionRole"
    assert error["message"].startswith(
        "Deploy role 'CloudFormationExecutionRole' does not allow what the templates it deploys need (template.yaml): "
    )
    assert "codedeploy:CreateDeploymentGroup for HelloWorldFunctionDeploymentGroup;" in error["message"]
    assert "cloudwatch:PutMetricAlarm for HelloWorldErrorsAlarm;" in error["message"]
    assert "lambda:" not in error["message"] and "iam:CreateRole" not in error["message"]
    [warning] = by_rule(items, "W9207")
    assert "iam:ListRolePolicies for HelloWorldFunctionRole, CodeDeployServiceRole (to read its state)" in warning["message"]
    assert "iam:UpdateAssumeRolePolicy for HelloWorldFunctionRole, CodeDeployServiceRole (to update a property)" in warning["message"]
    lines = (project / BOOTSTRAP_NAME).read_text().splitlines()
    policy = lines.index("        - PolicyName: DeployServerlessApplication")
    # at the role's first inline policy document
    assert (error["line"], error["column"]) == (warning["line"], warning["column"]) == (policy + 3, 13)
    assert lines[policy + 2] == "            Version: 2012-10-17"


def test_a_walk_of_the_repository_pairs_only_the_bootstrap_template(tmp_path: Path) -> None:
    """codepipeline.yaml's own CloudFormation role deploys codepipeline.yaml (the pipeline updates itself), not
    the application: it is never paired with template.yaml, even narrowed."""
    project = sam_pipeline_project(tmp_path)
    pipeline = project / "codepipeline.yaml"
    pipeline.write_text(pipeline.read_text().replace(FULL_ACCESS, NARROWED))
    _, items = findings(".", cwd=project)
    paired = [(item["file"], item["rule"]) for item in items if item["rule"] in DEPLOY_RULES]
    assert paired == [("./stage_resources.yaml", "E9206"), ("./stage_resources.yaml", "W9207")]


def test_the_layout_sam_pipeline_leaves_is_not_paired(tmp_path: Path) -> None:
    """Without a checked-in bootstrap template the repository names the deploy roles only by ARN
    (pipelineconfig.toml, the buildspecs' --role-arn, codepipeline.yaml's parameters): nothing to check offline."""
    project = sam_pipeline_project(tmp_path, bootstrap=False)
    pipeline = project / "codepipeline.yaml"
    pipeline.write_text(pipeline.read_text().replace(FULL_ACCESS, NARROWED))
    _, items = findings(".", cwd=project)
    assert [item for item in items if item["rule"] in DEPLOY_RULES] == []
    shown = run("--show-settings", "codepipeline.yaml", "template.yaml", cwd=project)
    assert shown.stdout.count("#   deploys (E9206, W9207): nothing paired") == 2, shown.stdout


def test_sam_clis_own_bootstrap_role_allows_everything(tmp_path: Path) -> None:
    """SAM CLI's CloudFormationExecutionRole grants Action '*': paired, and nothing is missing."""
    project = sam_pipeline_project(tmp_path, narrowed=False)
    process, items = findings(BOOTSTRAP_NAME, cwd=project)
    assert (process.returncode, items) == (0, [])
    shown = run("--show-settings", BOOTSTRAP_NAME, cwd=project)
    assert f"#   deploys (E9206, W9207): it deploys template.yaml {SOURCE}" in shown.stdout


def test_show_settings_says_where_the_pairing_comes_from(tmp_path: Path) -> None:
    project = sam_pipeline_project(tmp_path)
    (project / "template.yml").write_text((project / "template.yaml").read_text())
    shown = run("--show-settings", BOOTSTRAP_NAME, cwd=project)
    assert shown.returncode == 0, shown.stderr
    # sam pipeline init's default SAM_TEMPLATE is template.yaml: it wins over template.yml
    assert f"#   deploys (E9206, W9207): it deploys template.yaml {SOURCE}" in shown.stdout


def test_a_bootstrap_template_in_another_directory_is_paired_only_by_the_configuration(tmp_path: Path) -> None:
    project = sam_pipeline_project(tmp_path)
    (project / "bootstrap").mkdir()
    (project / BOOTSTRAP_NAME).rename(project / "bootstrap" / BOOTSTRAP_NAME)
    _, items = findings("bootstrap/stage_resources.yaml", cwd=project)
    assert [item for item in items if item["rule"] in DEPLOY_RULES] == []
    (project / "pyproject.toml").write_text('[tool.sam-shift-lint.deploy-roles]\n"bootstrap/stage_resources.yaml" = "template.yaml"\n')
    _, items = findings("bootstrap/stage_resources.yaml", cwd=project)
    [error] = by_rule(items, "E9206")
    assert "(../template.yaml): " in error["message"]


def test_an_empty_list_turns_the_automatic_pairing_off(tmp_path: Path) -> None:
    project = sam_pipeline_project(tmp_path)
    (project / "pyproject.toml").write_text(f'[tool.sam-shift-lint.deploy-roles]\n"{BOOTSTRAP_NAME}" = []\n')
    _, items = findings(BOOTSTRAP_NAME, cwd=project)
    assert [item["rule"] for item in items] == ["E9201"]
    shown = run("--show-settings", BOOTSTRAP_NAME, cwd=project)
    assert f'#   deploys (E9206, W9207): it deploys nothing (tool.sam-shift-lint.deploy-roles."{BOOTSTRAP_NAME}")' in shown.stdout


def test_cfn_lint_with_the_rule_pack_reports_the_same(tmp_path: Path) -> None:
    project = sam_pipeline_project(tmp_path)
    _, items = findings(BOOTSTRAP_NAME, cwd=project)
    ours = sorted((item["rule"], item["message"]) for item in items if item["rule"] in DEPLOY_RULES)
    theirs = sorted((m["Rule"]["Id"], m["Message"]) for m in cfn_lint(project / BOOTSTRAP_NAME) if m["Rule"]["Id"] in DEPLOY_RULES)
    assert [rule for rule, _ in theirs] == ["E9206", "W9207"]
    assert theirs == ours


def test_the_unsafe_fix_grants_what_the_application_needs(tmp_path: Path) -> None:
    project = sam_pipeline_project(tmp_path)
    fixed = run("--fix", "--unsafe-fixes", BOOTSTRAP_NAME, cwd=project)
    assert "Traceback" not in fixed.stderr, fixed.stderr
    _, items = findings(BOOTSTRAP_NAME, cwd=project)
    assert by_rule(items, "E9206") == []
    assert [item["rule"] for item in items if item["rule"] in DEPLOY_RULES] == ["W9207"]  # never "fixed"
    assert "codedeploy:CreateDeploymentGroup" in (project / BOOTSTRAP_NAME).read_text()
