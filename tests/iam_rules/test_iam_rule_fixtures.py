"""Fixture-based tests for the IAM rules E9201, W9202, E9203 and W9204.

``tests/iam_rules/<RULE_ID>/`` holds templates and standalone policy files: ``*.fail.*`` with
``<name>.expected.json`` beside them (every finding of the *IAM* rules as ``[rule, line, column]``, checked by
hand), and ``*.pass.*`` (no finding of their directory's rule; an optional ``<name>.expected.json`` lists what
the other IAM rules report). ``<name>.args.json`` holds extra command-line arguments (``--policy-profile`` ...).

Each fixture is checked through the engine and the installed ``sam-shift-lint`` executable; templates also
through real cfn-lint (the rule pack loaded both as ``sam_shift_lint.rules`` and from the checkout's ``rules/``),
and SAM templates through the SAM translator, which must accept them (the fixtures are deployable SAM).
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

from sam_shift_lint.checks.registry import rule_ids
from sam_shift_lint.cli.arguments import fix_settings_from, lint_settings_from
from sam_shift_lint.cli.parser import build_parser
from sam_shift_lint.engine import check_document, is_policy_document
from sam_shift_lint.parsing.document import load

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
BIN = Path(os.path.dirname(os.path.abspath(sys.executable)))
RULE_IDS = rule_ids("iam")
SUFFIXES = (".yaml", ".yml", ".json")
Triple = tuple[str, int, int]


def _fixtures() -> list[Path]:
    found = []
    for rule in RULE_IDS:
        for path in sorted((HERE / rule).iterdir()):
            if path.suffix in SUFFIXES and not path.name.endswith((".expected.json", ".args.json")):
                found.append(path)
    return found


FIXTURES = _fixtures()


def fixture_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def _stem(path: Path) -> str:
    return path.name.rsplit(".", 1)[0]


def expected(path: Path) -> list[Triple]:
    file = path.with_name(_stem(path) + ".expected.json")
    return sorted((rule, line, column) for rule, line, column in json.loads(file.read_text())) if file.exists() else []


def args_of(path: Path) -> list[str]:
    file = path.with_name(_stem(path) + ".args.json")
    return json.loads(file.read_text()) if file.exists() else []


def is_policy(path: Path) -> bool:
    return is_policy_document(load(str(path)))


TEMPLATES = [path for path in FIXTURES if not is_policy(path)]


def ours(rule: str) -> bool:
    return rule in RULE_IDS


def tool(name: str) -> str:
    found = BIN / name
    if not found.exists():  # pragma: no cover
        pytest.fail(f"{name} is not installed next to {sys.executable}", pytrace=False)
    return str(found)


# ------------------------------------------------------------------------------------------------ layout


def test_every_rule_has_passing_and_failing_fixtures_in_both_formats() -> None:
    for rule in RULE_IDS:
        names = [p.name for p in FIXTURES if p.parent.name == rule]
        assert any(".fail." in n for n in names) and any(".pass." in n for n in names), rule
        assert any(n.endswith(".json") for n in names) and any(n.endswith(".yaml") for n in names), rule


def test_policy_files_and_special_encodings_are_covered() -> None:
    policies = [p for p in FIXTURES if is_policy(p)]
    assert {p.parent.name for p in policies} >= {"E9201", "W9202", "W9204"}
    raw = [p.read_bytes() for p in FIXTURES]
    assert any(data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data for data in raw)


@pytest.mark.parametrize("path", FIXTURES, ids=fixture_id)
def test_expectation_matches_kind(path: Path) -> None:
    rules = {rule for rule, _, _ in expected(path)}
    assert rules <= set(RULE_IDS)
    if ".fail." in path.name:
        assert path.parent.name in rules, f"{path.name} does not expect {path.parent.name}"
    else:
        assert path.parent.name not in rules


# ------------------------------------------------------------------------------------------------ engine


def config_for(path: Path) -> Any:
    args = build_parser().parse_args(args_of(path) + ["PATH"])
    return lint_settings_from(args), fix_settings_from(args)


@pytest.mark.parametrize("path", FIXTURES, ids=fixture_id)
def test_engine(path: Path, snapshots) -> None:  # type: ignore[no-untyped-def]
    document = load(str(path))
    findings = [f for f in check_document(document, None, *config_for(path)) if ours(f.rule)]
    found = sorted((f.rule, f.line, f.column) for f in findings)
    expected_file = path.with_name(_stem(path) + ".expected.json")
    if snapshots.enabled and found != expected(path) and (found or expected_file.exists()):
        snapshots.write(expected_file, json.dumps([list(triple) for triple in found]) + "\n")
    assert found == expected(path)
    for finding in findings:
        assert (finding.end_line, finding.end_column) >= (finding.line, finding.column)
        if is_policy(path):
            assert finding.resource is None and finding.path[:1] in ((), ("Statement",))
        else:
            assert finding.resource and finding.path[:2] == ("Resources", finding.resource), finding


# ------------------------------------------------------------------------------------------------ CLI


@pytest.fixture(scope="session")
def cli_report(shared_once) -> dict[str, list[dict[str, Any]]]:  # type: ignore[no-untyped-def]
    """The installed executable over every fixture (one process per set of extra arguments; once per session,
    across xdist workers: ``shared_once`` in tests/conftest.py)."""
    return shared_once("tests/iam_rules: sam-shift-lint over the fixtures", _cli_report)


def _cli_report() -> dict[str, list[dict[str, Any]]]:
    groups: dict[tuple[str, ...], list[Path]] = defaultdict(list)
    for path in FIXTURES:
        groups[tuple(args_of(path))].append(path)
    report: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for extra, paths in groups.items():
        process = subprocess.run(
            [tool("sam-shift-lint"), "--format", "json", "--select", ",".join(RULE_IDS), *extra, *map(str, paths)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert process.stderr == "" and process.returncode in (0, 1), process.stderr
        for item in json.loads(process.stdout):
            report[item["file"]].append(item)
    return report


@pytest.mark.parametrize("path", FIXTURES, ids=fixture_id)
def test_cli(path: Path, cli_report: dict[str, list[dict[str, Any]]]) -> None:
    items = cli_report.get(str(path), [])
    for item in items:
        assert item["severity"] == ("error" if item["rule"].startswith("E") else "warning")
        if not is_policy(path):
            assert item["path"][:2] == ["Resources", item["resource"]]
    assert sorted((i["rule"], i["line"], i["column"]) for i in items) == expected(path)


# ------------------------------------------------------------------------------------------------ cfn-lint

CFN_LINT_MODES = {"installed": "sam_shift_lint.rules", "checkout": str(REPO / "rules") + os.sep}
CFN_LINT_OWN_RULES = ["E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8", "I"]


@pytest.fixture(scope="session")
def cfn_lint_reports(tmp_path_factory: pytest.TempPathFactory, shared_once) -> dict[str, dict[str, list[Triple]]]:  # type: ignore[no-untyped-def]
    """cfn-lint over the template fixtures, once per way of loading the rule pack (once per session, across
    xdist workers: ``shared_once`` in tests/conftest.py)."""
    reports = shared_once("tests/iam_rules: cfn-lint over the fixtures", lambda: _cfn_lint_reports(tmp_path_factory))
    return {mode: {file: [tuple(t) for t in found] for file, found in by_file.items()} for mode, by_file in reports.items()}


def _cfn_lint_reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, list[Triple]]]:
    cwd = tmp_path_factory.mktemp("cfn-lint")
    processes = {
        mode: subprocess.Popen(
            [tool("cfn-lint"), "--format", "json", *map(str, TEMPLATES), "--ignore-checks", *CFN_LINT_OWN_RULES,
             f"--append-rules={rules}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=str(cwd),
        )
        for mode, rules in CFN_LINT_MODES.items()
    }
    reports = {}
    for mode, process in processes.items():
        stdout, stderr = process.communicate(timeout=300)
        assert stdout.strip().startswith("["), stderr
        by_file: dict[str, list[Triple]] = defaultdict(list)
        for match in json.loads(stdout):
            rule = match["Rule"]["Id"]
            assert rule not in ("E0000", "E0001", "E0002"), match
            if ours(rule):
                start = match["Location"]["Start"]
                by_file[match["Filename"]].append((rule, start["LineNumber"], start["ColumnNumber"]))
        reports[mode] = by_file
    return reports


@pytest.mark.slow  # runs cfn-lint
@pytest.mark.parametrize("mode", sorted(CFN_LINT_MODES))
def test_cfn_lint_reports_the_same(mode: str, cfn_lint_reports: dict[str, dict[str, list[Triple]]]) -> None:
    mismatches = {}
    for path in TEMPLATES:
        found = sorted(cfn_lint_reports[mode].get(str(path), []))
        if found != expected(path):
            mismatches[fixture_id(path)] = {"cfn-lint": found, "expected": expected(path)}
    assert not mismatches, json.dumps(mismatches, indent=1)


# ------------------------------------------------------------------------------------------------ SAM


@pytest.mark.parametrize("path", [p for p in TEMPLATES if b"AWS::Serverless-2016-10-31" in p.read_bytes()], ids=fixture_id)
def test_sam_translator_accepts_the_template(path: Path, sam_translator) -> None:  # type: ignore[no-untyped-def]
    managed = sam_translator.policy_arns("AWSLambdaBasicExecutionRole", "AWSCodeDeployFullAccess", "AWSLambdaRole")
    translated = sam_translator.transform(path, managed)
    assert "Resources" in translated
