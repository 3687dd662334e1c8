"""The README's report examples are what the command does: the GitHub Actions workflow's sam-shift-lint steps run
as written, the --statistics example, the exit-code table."""
from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from reporting_helpers import FILE_ERROR_ID, executable, run_cli, sam_function

import sam_shift_lint

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")


def between(begin: str, end: str = "") -> str:
    """The fenced code block between ``<!-- BEGIN ... -->`` and ``<!-- END -->`` in the README."""
    match = re.search(rf"<!-- {re.escape(begin)}[^>]*-->\n```[a-z]*\n(.*?)```\n<!-- {re.escape(end)} -->", README, re.DOTALL)
    assert match, f"README.md has no block between <!-- {begin} --> and <!-- {end} -->"
    return match.group(1)


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    return yaml.safe_load(between("github-workflow:begin", "github-workflow:end"))


def test_workflow_uploads_sarif_with_the_permission_it_needs(workflow: dict[str, Any]) -> None:
    (job,) = workflow["jobs"].values()
    assert job["permissions"]["security-events"] == "write"
    assert workflow["permissions"] == {"contents": "read"}
    (upload,) = [step for step in job["steps"] if "upload-sarif" in step.get("uses", "")]
    assert upload["uses"] == "github/codeql-action/upload-sarif@v4"
    sarif_steps = [step for step in job["steps"] if "--format sarif" in step.get("run", "")]
    (sarif_step,) = sarif_steps
    assert upload["with"]["sarif_file"] in shlex.split(sarif_step["run"])
    assert "!cancelled()" in upload["if"] and "!cancelled()" in sarif_step["if"]  # also after a failed check
    install = next(step["run"] for step in job["steps"] if "pip install" in step.get("run", ""))
    assert f"@v{sam_shift_lint.__version__}" in install


def _sam_shift_lint_steps(workflow: dict[str, Any]) -> list[list[str]]:
    (job,) = workflow["jobs"].values()
    return [shlex.split(step["run"]) for step in job["steps"] if step.get("run", "").startswith("sam-shift-lint ")]


@pytest.mark.parametrize("broken", [False, True], ids=["findings", "file-error"])
def test_workflow_steps_run_as_written(
    broken: bool, workflow: dict[str, Any], tmp_path: Path, assert_valid_sarif: Callable[[Any], None]
) -> None:
    """The workflow's two sam-shift-lint steps in a checkout (a git work tree) with findings, and with a file that
    cannot be parsed: annotations and the summary, then a valid SARIF file whatever the first step's exit."""
    checkout = tmp_path / "checkout"
    (checkout / "app").mkdir(parents=True)
    subprocess.run(["git", "init", "-q"], cwd=checkout, check=True, env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull})
    (checkout / "app" / "template.yaml").write_text(sam_function("Api"))
    if broken:
        (checkout / "app" / "broken.yaml").write_text("Transform: AWS::Serverless-2016-10-31\nResources: [\n")
    annotate, sarif = _sam_shift_lint_steps(workflow)
    first = subprocess.run([executable("sam-shift-lint"), *annotate[1:]], cwd=checkout, capture_output=True, text=True, check=False)
    assert first.returncode == (2 if broken else 1)
    lines = first.stdout.splitlines()
    assert lines[-1] == f"sam-shift-lint: Found {3 if broken else 2} problems ({1 if broken else 0} error{'' if broken else 's'}, 2 warnings)."
    assert all(line.startswith("::") for line in lines[:-1])
    assert any("file=app/template.yaml," in line for line in lines)
    assert (lines[0].startswith("::error file=app/broken.yaml,line=2,col=") and f"title={FILE_ERROR_ID}::" in lines[0]) == broken
    second = subprocess.run([executable("sam-shift-lint"), *sarif[1:]], cwd=checkout, capture_output=True, text=True, check=False)
    assert second.returncode == (2 if broken else 0)  # --exit-zero: findings do not fail it, a file error does
    output = sarif[sarif.index("--output-file") + 1]
    log = json.loads((checkout / output).read_text(encoding="utf-8"))
    assert_valid_sarif(log)
    (run,) = log["runs"]
    assert run["invocations"][0]["executionSuccessful"] is not broken
    uris = {result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result in run["results"]}
    assert uris == ({"app/template.yaml", "app/broken.yaml"} if broken else {"app/template.yaml"})


def test_statistics_example() -> None:
    block = re.search(r"```text\n  \$ (sam-shift-lint --statistics [^\n]*)\n(.*?)  ```", README, re.DOTALL)
    assert block
    command, expected = shlex.split(block.group(1)), block.group(2)
    process = run_cli(*command[1:], cwd=REPO)
    assert process.stdout == "".join(line[2:] + "\n" for line in expected.splitlines())


def test_exit_code_table_in_one_place() -> None:
    tables = re.findall(r"^\| Code \| Meaning \|\n\| --- \| --- \|\n((?:\|.*\|\n)+)", README, re.MULTILINE)
    assert len(tables) == 1, "the exit codes are in one table"
    rows = [row.split(" | ", 1)[0].strip("| ") for row in tables[0].splitlines()]
    assert rows == ["0", "1", "2", "130", "141"]
    assert "`fail-on`" in tables[0] and "(#configuration)" in tables[0]
    assert FILE_ERROR_ID in tables[0] and "--output-file" in tables[0]
