"""Golden tests for the IAM fixes (E9201, W9202, E9203): one directory per case under ``tests/iam_fixes/``.

Each case holds ``input.<ext>``, ``expected.<ext>`` (reviewed by hand: what a careful human would write) and
``expected.diff``; optionally ``case.json`` with ``filename`` (the name the file is checked under: policy
files are recognised by name), ``args`` (extra CLI arguments) and ``fix_exit`` (exit code of ``--fix``,
default 0). For every case the real CLI runs on a temporary copy:

* ``--fix`` rewrites the file to exactly ``expected.<ext>`` (bytes: BOM, CRLF, indentation, final newline);
* ``--diff`` writes nothing and prints exactly ``expected.diff`` (exit 1 when there is a change);
* ``git apply`` of that diff onto a pristine copy gives the same bytes;
* a second ``--fix`` changes nothing and leaves the mtime alone (idempotence);
* after the fix no IAM finding with an applicable fix remains;
* every fix in the JSON report, applied alone by its line/column edits, gives a file that parses.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sam_shift_lint.checks.registry import rule_ids
from sam_shift_lint.parsing.document import parse

HERE = Path(__file__).resolve().parent
CASES = sorted(p.name for p in HERE.iterdir() if p.is_dir() and any(p.glob("input.*")))
IAM_RULES = rule_ids("iam")


class Case:
    def __init__(self, name: str) -> None:
        self.name = name
        self.directory = HERE / name
        self.source = next(self.directory.glob("input.*"))
        self.ext = self.source.name.split(".", 1)[1]
        config = self.directory / "case.json"
        self.config: dict[str, Any] = json.loads(config.read_text()) if config.exists() else {}

    @property
    def filename(self) -> str:
        return self.config.get("filename", f"input.{self.ext}")

    @property
    def args(self) -> list[str]:
        return list(self.config.get("args", []))

    @property
    def expected(self) -> bytes:
        return (self.directory / f"expected.{self.ext}").read_bytes()

    @property
    def expected_diff(self) -> str:
        return (self.directory / "expected.diff").read_bytes().decode("utf-8")


def cli(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "sam_shift_lint", *args], cwd=cwd, capture_output=True, timeout=60, env={**os.environ, "NO_COLOR": "1"}
    )


@pytest.fixture(params=CASES)
def case(request: pytest.FixtureRequest, tmp_path: Path) -> Case:
    found = Case(request.param)
    shutil.copy(found.source, tmp_path / found.filename)
    return found


def test_fix_writes_expected_bytes_and_is_idempotent(case: Case, tmp_path: Path) -> None:
    target = tmp_path / case.filename
    result = cli(["--fix", *case.args, case.filename], tmp_path)
    assert b"internal error" not in result.stderr, result.stderr
    assert result.returncode == case.config.get("fix_exit", 0), (result.stdout, result.stderr)
    assert target.read_bytes() == case.expected
    before = target.stat().st_mtime_ns
    again = cli(["--fix", "--show-fixes", *case.args, case.filename], tmp_path)
    assert target.read_bytes() == case.expected
    assert target.stat().st_mtime_ns == before, "a second --fix rewrote the file"
    assert b"Fixed" not in again.stdout, again.stdout


def test_after_the_fix_no_fixable_iam_finding_remains(case: Case, tmp_path: Path) -> None:
    cli(["--fix", *case.args, case.filename], tmp_path)
    result = cli(["--format", "json", *case.args, case.filename], tmp_path)
    unsafe = "--unsafe-fixes" in case.args
    for item in json.loads(result.stdout):
        fix = item["fix"]
        applicable = fix and fix["edits"] and (fix["applicability"] == "safe" or (unsafe and fix["applicability"] == "unsafe"))
        assert not (item["rule"] in IAM_RULES and applicable), item


def test_diff_prints_expected_and_writes_nothing(case: Case, tmp_path: Path) -> None:
    target = tmp_path / case.filename
    original = target.read_bytes()
    result = cli(["--diff", *case.args, case.filename], tmp_path)
    assert target.read_bytes() == original
    assert result.stdout.decode("utf-8") == case.expected_diff
    assert result.returncode == (1 if case.expected_diff else 0)


def test_diff_applies_with_git(case: Case, tmp_path: Path) -> None:
    if not case.expected_diff:
        pytest.skip("nothing to apply")
    git = shutil.which("git")
    if git is None:  # pragma: no cover
        pytest.skip("git is not installed")
    patch = tmp_path / "change.diff"
    patch.write_bytes(case.expected_diff.encode("utf-8"))
    subprocess.run([git, "apply", "--unsafe-paths", "--directory", ".", str(patch)], cwd=tmp_path, check=True, capture_output=True)
    assert (tmp_path / case.filename).read_bytes() == case.expected


def _apply(text: str, edits: list[dict[str, Any]]) -> str:
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(location: dict[str, int]) -> int:
        return starts[location["line"] - 1] + location["column"] - 1

    for edit in sorted(edits, key=lambda e: offset(e["location"]), reverse=True):
        text = text[: offset(edit["location"])] + edit["content"] + text[offset(edit["end_location"]):]
    return text


def test_each_reported_fix_alone_gives_a_parsable_file(case: Case, tmp_path: Path) -> None:
    args = [a for a in case.args if a != "--unsafe-fixes"]
    result = cli(["--format", "json", *args, case.filename], tmp_path)
    text = (tmp_path / case.filename).read_bytes().decode("utf-8-sig")
    fixes = [item for item in json.loads(result.stdout) if item["rule"] in IAM_RULES and item["fix"] and item["fix"]["edits"]]
    if not fixes and not case.expected_diff:
        pytest.skip("no fix offered")
    for item in fixes:
        fixed = _apply(text, item["fix"]["edits"])
        parse(case.filename, fixed)  # raises on a broken file


def test_display_only_fix_says_which_flags_to_pass(tmp_path: Path) -> None:
    found = Case("policy_display_only")
    shutil.copy(found.source, tmp_path / found.filename)
    result = cli(["--format", "json", *found.args, found.filename], tmp_path)
    (item,) = json.loads(result.stdout)
    assert item["fix"]["applicability"] == "display" and not item["fix"]["edits"]
    assert "--region and --account-id" in item["fix"]["description"]
    assert "pass --region and --account-id" in item["message"]


def test_inferred_placeholder_values_are_unsafe(tmp_path: Path) -> None:
    found = Case("w9202_policy_inferred_unsafe")
    shutil.copy(found.source, tmp_path / found.filename)
    result = cli(["--fix", found.filename], tmp_path)  # without --unsafe-fixes
    assert (tmp_path / found.filename).read_bytes() == found.source.read_bytes()
    assert result.returncode == 1 and b"W9202" in result.stdout
