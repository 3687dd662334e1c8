"""Opt-in deployment rules (``default_on=False``, off unless selected by full id) and the SAM translator's view of
the fixes of the rules about conditions, alias ARNs and version hashes.

* The fixtures of opt-in rules (``tests/rules/<ID>/`` of a rule that is off by default; the main fixture loop
  selects only what runs by default) are checked here with the rule selected: through the engine, the
  installed ``sam-shift-lint`` and cfn-lint (``--include-checks <ID>``, the rule pack loaded both ways); each
  must translate.
* Both front doors leave an opt-in rule off when it is named by a prefix only (``--select I``,
  ``--include-checks I``) or not at all.
* Every fixable finding of the fixtures of these rules is fixed on a copy (``--unsafe-fixes --fix``): a
  template the translator accepted is still accepted, and the rule no longer reports what it fixed.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from sam_shift_lint.checks.registry import RULES, rule_ids, select_rules
from sam_shift_lint.engine import check_context, new_context
from sam_shift_lint.parsing.document import load

HERE = Path(__file__).resolve().parent
BIN = Path(os.path.dirname(os.path.abspath(sys.executable)))  # not resolved: a venv's python is a symlink
FIXTURE_SUFFIXES = (".yaml", ".yml", ".json")
# cfn-lint's own rule families, skipped for speed (ours are E91xx/W91xx/I91xx).
CFN_LINT_OWN_RULES = ["E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "W1", "W2", "W3", "W4", "W5", "W6", "W7", "W8"]

Triple = tuple[str, int, int]


def fixture_id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def kind(path: Path) -> str:
    return "fail" if ".fail." in path.name else "pass"


def expected_path(path: Path) -> Path:
    return path.with_name(path.name.rsplit(".", 1)[0] + ".expected.json")


def expected(path: Path) -> list[Triple]:
    """Every deployment-family finding, opt-in rules selected, as ``[rule, line, column]``."""
    file = expected_path(path)
    return sorted((r, line, c) for r, line, c in json.loads(file.read_text())) if file.exists() else []


def tool(name: str) -> str:
    found = BIN / name
    if not found.exists():  # pragma: no cover
        pytest.fail(f"{name} is not installed next to {sys.executable}", pytrace=False)
    return str(found)


ALL_IDS = list(rule_ids("deployment", opt_in=True))
OPT_IN = [rule_id for rule_id in ALL_IDS if not RULES[rule_id].META.default_on]
SELECT_ALL = "--select=" + ",".join(ALL_IDS)
FIXED_RULES = ("W9120", "W9122", "I9125")  # the fixes whose translator acceptance this module checks


def _fixtures(rule_dirs: list[str]) -> list[Path]:
    return [
        path
        for name in rule_dirs
        for path in sorted((HERE / name).iterdir())
        if path.suffix in FIXTURE_SUFFIXES and not path.name.endswith(".expected.json")
    ]


OPT_IN_FIXTURES = _fixtures(OPT_IN)
FIX_FIXTURES = [path for path in _fixtures(list(FIXED_RULES)) if kind(path) == "fail"]


def test_opt_in_rules_exist_with_fixtures() -> None:
    assert OPT_IN, "no opt-in deployment rule"
    for rule in OPT_IN:
        names = [path.name for path in OPT_IN_FIXTURES if path.parent.name == rule]
        assert any(".fail." in name for name in names) and any(".pass." in name for name in names)
        assert any(name.endswith(".json") for name in names)
    assert not set(OPT_IN) & set(rule_ids("deployment")), "the default loop must not select opt-in rules"


@pytest.mark.parametrize("path", OPT_IN_FIXTURES, ids=fixture_id)
def test_opt_in_fixture_engine(path: Path) -> None:
    rules = select_rules(ALL_IDS)
    found = sorted((f.rule, f.line, f.column) for f in check_context(new_context(load(str(path))), rules) if f.rule in ALL_IDS)
    assert found == expected(path)
    if kind(path) == "fail":
        assert expected_path(path).exists() and path.parent.name in {rule for rule, _, _ in found}


@pytest.mark.parametrize("path", OPT_IN_FIXTURES, ids=fixture_id)
def test_opt_in_fixture_translates(path: Path, sam_translator) -> None:  # type: ignore[no-untyped-def]
    assert sam_translator.errors(path) == {}


def _cli_triples(*args: str) -> dict[str, list[Triple]]:
    process = subprocess.run(
        [tool("sam-shift-lint"), "--format", "json", *args, *map(str, OPT_IN_FIXTURES)],
        capture_output=True, text=True, timeout=120,
    )
    assert process.stderr == "" and process.returncode in (0, 1)
    by_file: dict[str, list[Triple]] = defaultdict(list)
    for item in json.loads(process.stdout):
        by_file[item["file"]].append((item["rule"], item["line"], item["column"]))
    return by_file


def test_cli_runs_opt_in_rules_only_by_full_id() -> None:
    selected = _cli_triples(SELECT_ALL)
    for path in OPT_IN_FIXTURES:
        assert sorted(selected.get(str(path), [])) == expected(path), fixture_id(path)
    for args in ([], ["--select", "I"], ["--select", ",".join(rule_ids("deployment"))]):
        found = _cli_triples(*args)
        assert not [t for items in found.values() for t in items if t[0] in OPT_IN], args


def _cfn_lint(tmp_path: Path, rules: str, *args: str) -> dict[str, list[Triple]]:
    process = subprocess.run(
        [tool("cfn-lint"), "--format", "json", *map(str, OPT_IN_FIXTURES), "--ignore-checks", *CFN_LINT_OWN_RULES,
         f"--append-rules={rules}", *args],
        capture_output=True, text=True, timeout=180, cwd=str(tmp_path),
    )
    assert process.stdout.strip().startswith("["), process.stderr
    by_file: dict[str, list[Triple]] = defaultdict(list)
    for match in json.loads(process.stdout):
        rule = match["Rule"]["Id"]
        assert rule not in ("E0000", "E0001", "E0002"), match
        if rule in ALL_IDS:
            start = match["Location"]["Start"]
            by_file[match["Filename"]].append((rule, start["LineNumber"], start["ColumnNumber"]))
    return by_file


@pytest.mark.slow  # runs cfn-lint
@pytest.mark.parametrize("rules", ["sam_shift_lint.rules", "checkout"])
def test_cfn_lint_runs_opt_in_rules_only_by_full_id(rules: str, tmp_path: Path) -> None:
    pack = str(HERE.parent.parent / "rules") + os.sep if rules == "checkout" else rules
    included = _cfn_lint(tmp_path, pack, "--include-checks", *OPT_IN)
    for path in OPT_IN_FIXTURES:
        assert sorted(included.get(str(path), [])) == expected(path), fixture_id(path)
    for args in ((), ("--include-checks", "I"), ("--include-checks", "I9")):
        found = _cfn_lint(tmp_path, pack, *args)
        assert not [t for items in found.values() for t in items if t[0] in OPT_IN], args


# ------------------------------------------------------------------------------------------------ fixes


def _rule_findings(path: Path) -> list[tuple[str, Any, Any]]:
    rules = select_rules(ALL_IDS)
    return [(f.rule, f.resource, f.path) for f in check_context(new_context(load(str(path))), rules) if f.rule in FIXED_RULES]


@pytest.mark.parametrize("path", FIX_FIXTURES, ids=fixture_id)
def test_fix_keeps_translation_and_removes_finding(path: Path, tmp_path: Path, sam_translator) -> None:  # type: ignore[no-untyped-def]
    copy = tmp_path / path.parent.name / path.name  # same folder name: CodeUri judgements do not move
    copy.parent.mkdir()
    shutil.copyfile(path, copy)
    rules = select_rules(ALL_IDS)
    before = check_context(new_context(load(str(copy))), rules)
    fixable = {(f.rule, f.resource, f.path) for f in before if f.rule in FIXED_RULES and f.fix is not None}
    if not fixable:
        pytest.skip("no fixable finding of these rules")
    accepted = sam_translator.errors(copy) == {}
    process = subprocess.run(
        [tool("sam-shift-lint"), SELECT_ALL, "--unsafe-fixes", "--fix", str(copy)], capture_output=True, text=True,
        timeout=60,
    )
    assert process.returncode in (0, 1), process.stderr
    assert copy.read_bytes() != path.read_bytes()
    if accepted:
        assert sam_translator.errors(copy) == {}
    assert not fixable & set(_rule_findings(copy))
    again = subprocess.run(
        [tool("sam-shift-lint"), SELECT_ALL, "--unsafe-fixes", "--fix", str(copy)], capture_output=True, timeout=60
    )
    assert again.returncode in (0, 1)
    fixed = copy.read_bytes()
    subprocess.run([tool("sam-shift-lint"), SELECT_ALL, "--unsafe-fixes", "--fix", str(copy)], capture_output=True, timeout=60)
    assert copy.read_bytes() == fixed  # idempotent


@pytest.mark.slow  # runs cfn-lint
def test_cfn_lint_opt_in_rule_named_in_include_checks_obeys_the_configurations_ignore(tmp_path: Path) -> None:
    fixture = HERE / "I9125" / "json-timeout.fail.json"

    def ids(directory: Path) -> list[str]:
        directory.mkdir()
        template = directory / "template.json"
        shutil.copyfile(fixture, template)
        process = subprocess.run(
            [tool("cfn-lint"), "--format", "json", str(template), "--append-rules=sam_shift_lint.rules",
             "--include-checks", "I9125"],
            capture_output=True, text=True, timeout=180, cwd=str(directory),
        )
        assert process.stdout.strip().startswith("["), process.stderr
        return [match["Rule"]["Id"] for match in json.loads(process.stdout)]

    assert "I9125" in ids(tmp_path / "plain")
    ignoring = tmp_path / "ignoring"
    ignoring.mkdir()
    (ignoring / ".sam-shift-lint.toml").write_text('ignore = ["I9125"]\n')
    assert "I9125" not in ids(ignoring / "app")
