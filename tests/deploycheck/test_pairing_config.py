"""``[tool.sam-shift-lint.deploy-roles]``: what a bad entry says (one line naming the file and the key, exit 2),
what may be paired (only files inside the project, regular, not too large: never opened otherwise), and what
``--show-settings`` says, through the real command."""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from deploykit import POLICY_NAME, codestar_project, findings, run, write_policy

PREFIX = "pyproject.toml: error: tool.sam-shift-lint.deploy-roles"


def errors(process: subprocess.CompletedProcess[str], project: Path) -> str:
    """stderr, with the configuration named relative to the project (the command names it absolute)."""
    return process.stderr.replace(f"{project}/", "")


def project_with(tmp_path: Path, table: str) -> Path:
    project = codestar_project(tmp_path)
    (project / "iam").mkdir()
    write_policy(project / "iam" / "deploy.json", [{"Effect": "Allow", "Action": "lambda:*", "Resource": "*"}])
    (project / "pyproject.toml").write_text("[tool.sam-shift-lint.deploy-roles]\n" + table)
    return project


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        ('"iam/deploy.json" = 3\n', '"iam/deploy.json": must be a template glob or a list of them, not an integer'),
        ('"iam/deploy.json" = ["template.yml", ""]\n', '"iam/deploy.json": holds an empty string'),
        ('"iam/deploy.json" = "../other/template.yml"\n',
         "\"iam/deploy.json\": pattern '../other/template.yml' holds '..': pairings stay inside the configuration's directory"),
        ('"../iam/deploy.json" = "template.yml"\n',
         "\"../iam/deploy.json\": pattern '../iam/deploy.json' holds '..': pairings stay inside the configuration's directory"),
        ('"toolchain.yml#Cloud-Role" = "template.yml"\n',
         "\"toolchain.yml#Cloud-Role\": pattern 'toolchain.yml#Cloud-Role' names a role after '#' that is not a logical id (letters and digits)"),
        ('"iam/deploy.json" = "services/*/template.yaml"\n', "\"iam/deploy.json\": 'services/*/template.yaml' matches no file"),
    ],
)
def test_a_bad_entry_is_one_line_naming_the_file_and_the_key(tmp_path: Path, table: str, problem: str) -> None:
    project = project_with(tmp_path, table)
    process = run("iam/deploy.json", cwd=project)
    assert process.returncode == 2
    lines = errors(process, project).splitlines()
    assert len(lines) == 1, process.stderr
    assert lines == [f"{PREFIX}.{problem}"]
    # and once in the report, as an E9000 finding on the configuration file (as for any unusable configuration)
    report = process.stdout.replace(f"{project}/", "")
    reported = re.fullmatch(r"pyproject\.toml:\d+:\d+: E9000 (.*)\nFound 1 problem \(1 error, 0 warnings\)\.\n", report, re.DOTALL)
    assert reported and reported.group(1) == f"tool.sam-shift-lint.deploy-roles.{problem}", process.stdout


def test_a_template_leading_outside_the_project_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.yaml"
    outside.write_text("Resources: {}\n")
    project = project_with(tmp_path, '"iam/deploy.json" = "link/*.yaml"\n')
    (project / "link").mkdir()
    (project / "link" / "template.yaml").symlink_to(outside)
    process = run("iam/deploy.json", cwd=project)
    assert process.returncode == 2
    assert errors(process, project).startswith(f"{PREFIX}.\"iam/deploy.json\": 'link/template.yaml' leads outside the project (")


def test_a_fifo_or_a_large_file_is_refused_without_being_opened(tmp_path: Path) -> None:
    """A FIFO would block a reader forever: the run ends, with the error, so it was never opened."""
    project = project_with(tmp_path, '"iam/deploy.json" = "pipes/*.yaml"\n')
    (project / "pipes").mkdir()
    os.mkfifo(project / "pipes" / "template.yaml")
    process = run("iam/deploy.json", cwd=project)
    assert (process.returncode, errors(process, project)) == (2, f"{PREFIX}.\"iam/deploy.json\": 'pipes/template.yaml' is not a regular file\n")
    os.unlink(project / "pipes" / "template.yaml")
    with open(project / "pipes" / "template.yaml", "wb") as handle:
        handle.truncate(6 * 1024 * 1024)
    process = run("iam/deploy.json", cwd=project)
    assert process.returncode == 2
    assert f"{PREFIX}.\"iam/deploy.json\": 'pipes/template.yaml' is too large (6291456 bytes" in errors(process, project)


def test_an_empty_list_turns_the_automatic_pairing_off(tmp_path: Path) -> None:
    project = codestar_project(tmp_path, gradual=True)
    _, paired = findings(POLICY_NAME, cwd=project)
    assert {item["rule"] for item in paired} >= {"E9206"}
    (project / "pyproject.toml").write_text(f'[tool.sam-shift-lint.deploy-roles]\n"{POLICY_NAME}" = []\n')
    _, unpaired = findings(POLICY_NAME, cwd=project)
    assert [item["rule"] for item in unpaired] == ["E9201"]


def test_show_settings_says_what_a_file_deploys_and_why(tmp_path: Path) -> None:
    project = project_with(tmp_path, '"iam/deploy.json" = ["template.yml"]\n')
    shown = run("--show-settings", "iam/deploy.json", POLICY_NAME, "template.yml", cwd=project)
    assert shown.returncode == 0, shown.stderr
    assert 'deploy-roles = {"iam/deploy.json" = ["template.yml"]}  # pyproject.toml' in shown.stdout
    assert '#   deploys (E9206, W9207): it deploys ../template.yml (tool.sam-shift-lint.deploy-roles."iam/deploy.json")' in shown.stdout
    assert "#   deploys (E9206, W9207): it deploys template.yml (automatic: CodeStar layout)" in shown.stdout
    assert "#   deploys (E9206, W9207): nothing paired" in shown.stdout
