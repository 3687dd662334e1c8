"""A file that cannot be read or parsed is a finding (E9000) in every output format, from real runs of the
command, and the run exits 2: text, JSON, parseable, SARIF (a result, a tool execution notification,
``executionSuccessful: false``), JUnit (a failing test case, never a passing "No problems found") and GitHub
annotations (errors first)."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from reporting_helpers import FILE_ERROR_ID, SAM_HEADER, run_cli, sam_function

BROKEN = SAM_HEADER + "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: [a\n"
DUPLICATE = SAM_HEADER + "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n  Fn:\n    Type: AWS::Serverless::Function\n"
FORMATS = ["text", "json", "parseable", "sarif", "junit", "github"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """good.yaml (W9101, W9102), broken.yaml (a syntax error at the end of the file), duplicate.yaml (a
    duplicate key), binary.json (NUL bytes; named, so reported) and missing.yaml (named, absent)."""
    (tmp_path / "good.yaml").write_text(sam_function("Good"))
    (tmp_path / "broken.yaml").write_text(BROKEN)
    (tmp_path / "duplicate.yaml").write_text(DUPLICATE)
    (tmp_path / "binary.json").write_bytes(b'{"Transform": "AWS::Serverless-2016-10-31"}\x00\x01')
    return tmp_path


PATHS = ["good.yaml", "broken.yaml", "duplicate.yaml", "binary.json", "missing.yaml"]
BAD = {  # file: (line, column, words of the message)
    "binary.json": (1, 1, "binary file"),
    "broken.yaml": (6, 30, "YAML syntax error"),  # the parser stops at the end of the file: the end of line 6
    "duplicate.yaml": (6, 3, "duplicate key 'Fn'"),
    "missing.yaml": (1, 1, "no such file or directory"),
}


def run_format(fmt: str, project: Path, *extra: str) -> Any:
    process = run_cli("--format", fmt, *extra, *PATHS, cwd=project)
    assert process.returncode == 2, (process.returncode, process.stderr)
    errors = sorted(line.split(": ", 1)[0] for line in process.stderr.splitlines())
    assert errors == sorted(BAD), process.stderr  # the stderr line of each stays
    return process


def test_text(project: Path) -> None:
    lines = run_format("text", project).stdout.splitlines()
    for file, (line, column, words) in BAD.items():
        (reported,) = [text for text in lines if text.startswith(f"{file}:")]
        assert reported.startswith(f"{file}:{line}:{column}: {FILE_ERROR_ID} ") and words in reported, reported
    assert lines[-2:] == ["Found 6 problems (4 errors, 2 warnings).", "[*] 2 fixable with the --fix option."]


def test_json_and_parseable(project: Path) -> None:
    items = json.loads(run_format("json", project).stdout)
    errors = {item["file"]: item for item in items if item["rule"] == FILE_ERROR_ID}
    assert sorted(errors) == sorted(BAD)
    for file, (line, column, words) in BAD.items():
        item = errors[file]
        assert (item["severity"], item["line"], item["column"], item["fix"], item["resource"]) == ("error", line, column, None, None)
        assert words in item["message"]
    assert {item["rule"] for item in items if item["file"] == "good.yaml"} == {"W9101", "W9102"}
    lines = run_format("parseable", project).stdout.splitlines()
    for file, (line, column, _) in BAD.items():
        assert any(text.startswith(f"{file}:{line}:{column}:{line}:{column}:{FILE_ERROR_ID}:") for text in lines), lines


def test_sarif(project: Path, assert_valid_sarif: Callable[[Any], None]) -> None:
    log = json.loads(run_format("sarif", project).stdout)
    assert_valid_sarif(log)
    (run,) = log["runs"]
    results = [result for result in run["results"] if result["ruleId"] == FILE_ERROR_ID]
    uris = sorted(result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for result in results)
    assert uris == sorted(BAD)
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    notifications = invocation["toolExecutionNotifications"]
    assert sorted(n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notifications) == sorted(BAD)
    for notification in notifications:
        uri = notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        line, column, words = BAD[uri]
        assert notification["level"] == "error" and words in notification["message"]["text"]
        assert notification["locations"][0]["physicalLocation"]["region"] == {"startLine": line, "startColumn": column}
        assert notification["associatedRule"]["id"] == FILE_ERROR_ID
    (descriptor,) = [rule for rule in run["tool"]["driver"]["rules"] if rule["id"] == FILE_ERROR_ID]
    assert "help" in descriptor and descriptor["defaultConfiguration"] == {"level": "error"}


def test_junit_fails(project: Path) -> None:
    root = ElementTree.fromstring(run_format("junit", project).stdout)
    failed = {case.get("classname") for case in root.iter("testcase") if case.find("failure") is not None}
    assert set(BAD) <= failed
    assert "No problems found" not in {case.get("name") for case in root.iter("testcase")}
    assert root.get("failures") == "6"


def test_junit_with_only_unreadable_files_is_not_a_passing_suite(project: Path) -> None:
    """The case of the issue: nothing but a file that cannot be parsed, exit 2, and a JUnit report that passed."""
    process = run_cli("--format", "junit", "broken.yaml", cwd=project)
    assert process.returncode == 2
    root = ElementTree.fromstring(process.stdout)
    (case,) = root.iter("testcase")
    assert case.get("name") == f"sam_shift_lint.{FILE_ERROR_ID}" and case.find("failure") is not None
    assert root.get("failures") == "1"


def test_github_errors_first_and_one_summary(project: Path) -> None:
    lines = run_format("github", project).stdout.splitlines()
    commands = [line.split(" ", 1)[0] for line in lines[:-1]]
    assert commands == ["::error"] * 4 + ["::warning"] * 2
    for file, (line, column, words) in BAD.items():
        (annotation,) = [text for text in lines if f"file={file}," in text]
        assert f",line={line},col={column},title={FILE_ERROR_ID}::" in annotation and words in annotation
    assert lines[-1] == "sam-shift-lint: Found 6 problems (4 errors, 2 warnings)."


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_selection_does_not_hide_file_errors(fmt: str, project: Path) -> None:
    """Selecting one rule, or ignoring a prefix E9000 shares with other rules, still reports unreadable files."""
    for selection in (["--select", "W9101"], ["--ignore", "E"], ["--select", FILE_ERROR_ID]):
        output = run_format(fmt, project, *selection).stdout
        assert all(file in output for file in BAD), (selection, output)


def test_ignoring_file_errors_is_a_usage_error(project: Path) -> None:
    for selector in (FILE_ERROR_ID, FILE_ERROR_ID[:4]):
        process = run_cli("--ignore", selector, "good.yaml", cwd=project)
        assert (process.returncode, process.stdout) == (2, "")
        assert process.stderr == (
            f"sam-shift-lint: error: {FILE_ERROR_ID} (file-error) cannot be ignored: a file that cannot be read or "
            "parsed always fails the run (exit 2); leave such files out of the paths instead\n"
        )


@pytest.mark.parametrize("key", ["ignore", 'per-file-ignores."*.yaml"'])
def test_a_configuration_cannot_ignore_file_errors(project: Path, key: str) -> None:
    """The configuration file is a front door too: ignoring E9000 there is an unusable configuration (one line
    naming the file and key, exit 2), and a prefix it shares with checks leaves it on."""
    (project / ".sam-shift-lint.toml").write_text(f'{key} = ["{FILE_ERROR_ID}"]\n')
    process = run_cli("good.yaml", cwd=project)
    assert process.returncode == 2
    assert process.stdout.startswith(f"{project / '.sam-shift-lint.toml'}:1:1: {FILE_ERROR_ID} ")  # in the report too
    name = key.replace('"', "")
    assert process.stderr.startswith(f"{project / '.sam-shift-lint.toml'}: error: ") and f"{FILE_ERROR_ID} (file-error) cannot be ignored" in process.stderr
    assert name.split(".")[0] in process.stderr
    (project / ".sam-shift-lint.toml").write_text('ignore = ["E"]\n')
    process = run_cli("--format", "json", "broken.yaml", cwd=project)
    assert process.returncode == 2 and [item["rule"] for item in json.loads(process.stdout)] == [FILE_ERROR_ID]


def test_fix_reports_file_errors_too(project: Path) -> None:
    process = run_cli("--fix", "--format", "json", *PATHS, cwd=project)
    assert process.returncode == 2
    items = json.loads(process.stdout)
    assert sorted(item["file"] for item in items if item["rule"] == FILE_ERROR_ID) == sorted(BAD)
    assert "AutoPublishAlias: live" in (project / "good.yaml").read_text()  # the good file is still fixed
    assert (project / "broken.yaml").read_text() == BROKEN


def test_list_rules_knows_file_errors() -> None:
    process = run_cli("--list-rules")
    assert process.stdout.splitlines()[0] == f"{FILE_ERROR_ID}  error    File could not be read, parsed or processed"
