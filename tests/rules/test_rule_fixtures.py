"""Fixture-based tests for the rules W9101-E9107.

``tests/rules/<RULE_ID>/`` holds real templates: ``*.fail.yaml|json`` (with ``<name>.expected.json`` beside
them: every finding of all seven rules as ``[rule, line, column]``, derived by hand) and ``*.pass.yaml|json``
(no finding of their directory's rule; an optional ``<name>.expected.json`` lists what other rules report).
Each fixture is checked through the engine, the installed ``sam-shift-lint`` executable and real cfn-lint (the
rule pack loaded both as ``sam_shift_lint.rules`` and from the checkout's ``rules/``). The SAM translator is the
oracle for what SAM itself rejects: ``sam_oracle.json`` names, per fixture, each function the translator must
reject and its exact message; every other fixture must translate cleanly.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from sam_shift_lint.checks.registry import all_rules, rule_ids
from sam_shift_lint.engine import check_file

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
BIN = Path(os.path.dirname(os.path.abspath(sys.executable)))  # not resolved: a venv's python is a symlink
# The gradual-deployment rules these fixtures are about (other rule families have their own tests).
RULE_IDS = list(rule_ids("deployment"))
SELECT = "--select=" + ",".join(RULE_IDS)
FIXTURE_SUFFIXES = (".yaml", ".yml", ".json")
ORACLE = json.loads((HERE / "sam_oracle.json").read_text())

Triple = tuple[str, int, int]


def _fixtures() -> list[Path]:
    found = []
    for rule_dir in sorted(HERE.iterdir()):
        if rule_dir.is_dir() and rule_dir.name in RULE_IDS:
            for path in sorted(rule_dir.iterdir()):
                if path.suffix in FIXTURE_SUFFIXES and not path.name.endswith(".expected.json"):
                    found.append(path)
    return found


FIXTURES = _fixtures()


def fixture_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def expected_path(path: Path) -> Path:
    return path.with_name(path.name.rsplit(".", 1)[0] + ".expected.json")


def expected(path: Path) -> list[Triple]:
    file = expected_path(path)
    if not file.exists():
        return []
    return sorted((rule, line, column) for rule, line, column in json.loads(file.read_text()))


def kind(path: Path) -> str:
    return "fail" if ".fail." in path.name else "pass"


def tool(name: str) -> str:
    """An executable of the environment running the tests (never one found on PATH)."""
    found = BIN / name
    if not found.exists():  # pragma: no cover
        pytest.fail(f"{name} is not installed next to {sys.executable}", pytrace=False)
    return str(found)


# ------------------------------------------------------------------------------------------------ layout


def test_rules_are_registered() -> None:
    assert set(RULE_IDS) <= {rule.id for rule in all_rules()}


def test_every_rule_has_fixtures() -> None:
    for rule in RULE_IDS:
        names = [path.name for path in FIXTURES if path.parent.name == rule]
        assert any(".fail." in name for name in names), f"{rule} has no failing fixture"
        assert any(".pass." in name for name in names), f"{rule} has no passing fixture"
        assert any(name.endswith(".json") for name in names), f"{rule} has no JSON fixture"


def test_special_encodings_are_covered() -> None:
    raw = [path.read_bytes() for path in FIXTURES]
    assert any(data.startswith(b"\xef\xbb\xbf") for data in raw), "no fixture with a BOM"
    assert any(b"\r\n" in data for data in raw), "no fixture with CRLF line endings"
    assert any(data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data for data in raw)


@pytest.mark.parametrize("path", FIXTURES, ids=fixture_id)
def test_expectation_file_matches_kind(path: Path) -> None:
    rules = {rule for rule, _, _ in expected(path)}
    assert rules <= set(RULE_IDS), f"unknown rule ids in {expected_path(path).name}"
    if kind(path) == "fail":
        assert expected_path(path).exists(), f"{path.name} needs {expected_path(path).name}"
        assert path.parent.name in rules, f"{path.name} does not expect its own rule {path.parent.name}"
    else:
        assert path.parent.name not in rules, f"passing fixture {path.name} expects {path.parent.name}"


# ------------------------------------------------------------------------------------------------ engine


@pytest.mark.parametrize("path", FIXTURES, ids=fixture_id)
def test_engine(path: Path, snapshots) -> None:  # type: ignore[no-untyped-def]
    result = check_file(str(path))
    assert result.error is None
    found = sorted((f.rule, f.line, f.column) for f in result.findings if f.rule in RULE_IDS)
    if snapshots.enabled and found != expected(path) and (found or expected_path(path).exists()):
        snapshots.write(expected_path(path), json.dumps([list(triple) for triple in found]) + "\n")
    assert found == expected(path)


# ------------------------------------------------------------------------------------------------ CLI


@pytest.fixture(scope="session")
def cli_report(shared_once) -> dict[str, list[dict[str, Any]]]:  # type: ignore[no-untyped-def]
    """One run of the installed executable over every fixture, grouped by file (once per session, across
    xdist workers: ``shared_once`` in tests/conftest.py)."""
    return shared_once("tests/rules: sam-shift-lint over the fixtures", _cli_report)


def _cli_report() -> dict[str, list[dict[str, Any]]]:
    process = subprocess.run(
        [tool("sam-shift-lint"), "--format", "json", SELECT, *map(str, FIXTURES)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert process.stderr == ""
    assert process.returncode == 1
    report: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in json.loads(process.stdout):
        report[item["file"]].append(item)
    return report


@pytest.mark.parametrize("path", FIXTURES, ids=fixture_id)
def test_cli(path: Path, cli_report: dict[str, list[dict[str, Any]]]) -> None:
    items = cli_report.get(str(path), [])
    for item in items:
        assert set(item) == {
            "rule", "severity", "message", "file", "line", "column", "end_line", "end_column", "resource", "path", "fix"
        }
        assert item["severity"] == ("error" if item["rule"].startswith("E") else "warning")
        assert item["resource"] and item["path"][:2] == ["Resources", item["resource"]]
        assert (item["end_line"], item["end_column"]) >= (item["line"], item["column"])
    assert sorted((i["rule"], i["line"], i["column"]) for i in items) == expected(path)


def test_cli_exit_code_per_kind(tmp_path: Path) -> None:
    clean = [str(path) for path in FIXTURES if kind(path) == "pass" and not expected(path)]
    process = subprocess.run([tool("sam-shift-lint"), SELECT, *clean], capture_output=True, text=True, timeout=120)
    assert (process.returncode, process.stderr) == (0, ""), process.stdout


# ------------------------------------------------------------------------------------------------ cfn-lint


CFN_LINT_MODES = {
    "installed": "sam_shift_lint.rules",
    "checkout": str(REPO / "rules") + os.sep,
}
# cfn-lint's own rule families, skipped for speed (parse errors, E0xxx, still show; ours are E91xx/W91xx).
CFN_LINT_OWN_RULES = ["E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "I"]


@pytest.fixture(scope="session")
def cfn_lint_reports(tmp_path_factory: pytest.TempPathFactory, shared_once) -> dict[str, dict[str, list[Triple]]]:  # type: ignore[no-untyped-def]
    """cfn-lint over every fixture, once per way of loading the rule pack (both processes run at once):
    our rules' findings by mode and file (once per session, across xdist workers: ``shared_once``)."""
    reports = shared_once("tests/rules: cfn-lint over the fixtures", lambda: _cfn_lint_reports(tmp_path_factory))
    return {mode: {file: [tuple(t) for t in found] for file, found in by_file.items()} for mode, by_file in reports.items()}


def _cfn_lint_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[Triple]]]:
    cwd = tmp_path_factory.mktemp("cfn-lint")  # away from the checkout: nothing importable by accident
    processes = {
        mode: subprocess.Popen(
            [
                tool("cfn-lint"),
                "--format",
                "json",
                *map(str, FIXTURES),
                "--ignore-checks",
                *CFN_LINT_OWN_RULES,
                f"--append-rules={rules}",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=str(cwd),
        )
        for mode, rules in CFN_LINT_MODES.items()
    }
    return {mode: _cfn_lint_findings(*process.communicate(timeout=180)) for mode, process in processes.items()}


def _cfn_lint_findings(stdout: str, stderr: str) -> dict[str, list[Triple]]:
    assert stdout.strip().startswith("["), stderr
    by_file: dict[str, list[Triple]] = defaultdict(list)
    for match in json.loads(stdout):
        rule = match["Rule"]["Id"]
        assert rule not in ("E0000", "E0001", "E0002"), match  # parse, transform or rule-crash errors
        if rule in RULE_IDS:
            start = match["Location"]["Start"]
            by_file[match["Filename"]].append((rule, start["LineNumber"], start["ColumnNumber"]))
    return by_file


def assert_cfn_lint_matches(by_file: dict[str, list[Triple]]) -> None:
    mismatches = {}
    for path in FIXTURES:
        found = sorted(by_file.get(str(path), []))
        if found != expected(path):
            mismatches[fixture_id(path)] = {"cfn-lint": found, "expected": expected(path)}
    assert not mismatches, json.dumps(mismatches, indent=1)


@pytest.mark.slow  # runs cfn-lint
def test_cfn_lint_installed_rule_pack(cfn_lint_reports: dict[str, dict[str, list[Triple]]]) -> None:
    """``cfn-lint t.yaml --append-rules=sam_shift_lint.rules``"""
    assert_cfn_lint_matches(cfn_lint_reports["installed"])


@pytest.mark.slow  # runs cfn-lint
def test_cfn_lint_rules_directory_from_checkout(cfn_lint_reports: dict[str, dict[str, list[Triple]]]) -> None:
    """``cfn-lint t.yaml --append-rules=<checkout>/rules/``"""
    assert_cfn_lint_matches(cfn_lint_reports["checkout"])


# ------------------------------------------------------------------------------------------------ SAM oracle


def translator_errors(sam_translator, path: Path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """{logical id: message without the "Resource with id [..] is invalid. " prefix} for every resource the SAM
    translator rejects ({} when it translates)."""
    errors = {}
    for logical_id, message in sam_translator.errors(path).items():
        prefix = f"Resource with id [{logical_id}] is invalid. "
        assert message.startswith(prefix), message
        errors[logical_id] = message[len(prefix):]
    return errors


def test_oracle_names_real_fixtures() -> None:
    names = {fixture_id(path) for path in FIXTURES}
    assert set(ORACLE) <= names
    for name, functions in ORACLE.items():
        assert name.split("/")[0] in ("E9103", "E9104", "E9106", "E9107"), name
        assert ".fail." in name and functions


@pytest.mark.parametrize("path", FIXTURES, ids=fixture_id)
def test_sam_translator_agrees(path: Path, sam_translator, snapshots) -> None:  # type: ignore[no-untyped-def]
    errors = translator_errors(sam_translator, path)
    if snapshots.enabled and errors != ORACLE.get(fixture_id(path), {}):
        _update_oracle(snapshots, fixture_id(path), errors)
    assert errors == ORACLE.get(fixture_id(path), {})


def _update_oracle(snapshots, name: str, errors: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    """Snapshot update: sam_oracle.json gets the translator's answer for ``name`` (no entry when it translates)."""
    if errors:
        ORACLE[name] = errors
    else:
        ORACLE.pop(name, None)
    snapshots.write(HERE / "sam_oracle.json", json.dumps(ORACLE, indent=2, ensure_ascii=False) + "\n")


SAM_MESSAGE_RULES = (
    ("requires AutoPublishAlias property", "E9103"),
    ("is missing required Property 'Type'", "E9104"),
    ("AutoPublishAlias name (", "E9106"),
    ("'AutoPublishAlias' must be a string or a Ref", "E9106"),
    ("Type of property 'AutoPublishAlias' is invalid", "E9106"),
    ("Alias name is required", "E9106"),
    ("Property 'DeploymentPreference' should be a map", "E9107"),
    ("'Hooks' property of 'DeploymentPreference' must be a dictionary", "E9107"),
    ("Alarms must be a list", "E9107"),
    ("Fn::If requires 3 arguments", "E9107"),
    ("Invalid value for property PassthroughCondition", "E9107"),
    ("intrinsic functions supported for property PassthroughCondition", "E9107"),
    ("Attribute 'Properties' should be a map", "E9107"),
)


@pytest.mark.parametrize("name", sorted(ORACLE))
def test_every_sam_rejection_is_reported(name: str) -> None:
    """Each function SAM rejects gets a finding of the rule that names that rejection."""
    path = HERE / name
    findings = {(f.resource, f.rule) for f in check_file(str(path)).findings if f.rule in RULE_IDS}
    for function, message in ORACLE[name].items():
        rules = [rule for text, rule in SAM_MESSAGE_RULES if text in message]
        assert len(rules) == 1, message
        assert (function, rules[0]) in findings, f"{function}: SAM says {message!r}"


# ------------------------------------------------------------------------------------------------ messages

CLOSEST_TYPE = {
    ("E9105/typos.fail.yaml", 15): "did you mean 'Canary10Percent5Minutes'?",
    ("E9105/typos.fail.yaml", 20): "did you mean 'Linear10PercentEvery1Minute'?",
    ("E9105/typos.fail.yaml", 25): "did you mean 'Canary10Percent5Minutes'?",
    ("E9105/typos.fail.yaml", 30): "did you mean 'Canary10Percent5Minutes'?",
    ("E9105/typos.fail.yaml", 35): "did you mean 'AllAtOnce'?",
    ("E9105/typos.fail.yaml", 40): "did you mean 'CodeDeployDefault.LambdaLinear10PercentEvery3Minutes'?",
    ("E9105/typos.fail.yaml", 45): "is not a string",
    ("E9105/typos.fail.yaml", 50): "must be a string, not a list",
    ("E9105/intrinsics.fail.yaml", 36): "'Canary10Percent5Minute' (a possible value) is not a Lambda deployment type; did you mean 'Canary10Percent5Minutes'?",
    ("E9105/intrinsics.fail.yaml", 41): "did you mean 'Linear10PercentEvery10Minutes'?",
    ("E9105/intrinsics.fail.yaml", 46): "did you mean 'Canary10Percent30Minutes'?",
    ("E9105/intrinsics.fail.yaml", 51): "did you mean 'AllAtOnce'?",
    ("E9105/intrinsics.fail.yaml", 56): "did you mean 'Canary10Percent10Minutes'?",
    ("E9105/intrinsics.fail.yaml", 61): "not an AWS::CodeDeploy::DeploymentConfig",
    ("E9105/globals.fail.yaml", 10): "did you mean 'Linear10PercentEvery2Minutes' or 'Linear10PercentEvery3Minutes'?",
    ("E9105/json-typo.fail.json", 5): "did you mean 'Canary10Percent15Minutes'?",
}


@pytest.mark.parametrize("name,line", sorted(CLOSEST_TYPE), ids=lambda value: str(value))
def test_unknown_type_message_names_the_closest_type(name: str, line: int) -> None:
    findings = check_file(str(HERE / name)).findings
    messages = [f.message for f in findings if f.rule == "E9105" and f.line == line]
    assert messages and all(CLOSEST_TYPE[(name, line)] in message for message in messages), messages


def test_possibly_disabled_preference_says_when_enabled() -> None:
    findings = check_file(str(HERE / "E9103" / "enabled-intrinsics.fail.yaml")).findings
    by_function = {f.resource: f.message for f in findings if f.rule == "E9103"}
    assert "(when enabled)" in by_function["EnabledParameter"]
    assert "(when enabled)" not in by_function["EnabledIf"]
