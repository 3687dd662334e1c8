"""Golden tests for ``--fix`` and ``--diff``: one directory per case under ``tests/fixes/``.

Each case holds ``input.<ext>``, ``expected.<ext>`` (written by hand: what a careful human would change)
and ``expected.diff`` (neither is ever rewritten by a snapshot update); optionally ``case.json`` (``args``:
extra CLI arguments; ``fix_exit``: the exit code of ``--fix``, default 0; ``stdin``: feed the file on
standard input) and the exact text reports ``check.stdout`` (check mode, same arguments) and ``fix.stdout``
(the ``--fix`` run), which ``SAM_SHIFT_LINT_UPDATE_SNAPSHOTS=1`` rewrites when they differ (tests/conftest.py).

For every case the real CLI is run on a temporary copy:

* ``--fix`` rewrites the file to exactly ``expected.<ext>`` (bytes);
* ``--diff`` writes nothing, prints exactly ``expected.diff`` and exits 1 when there is a change;
* ``git apply`` of that diff onto a pristine copy yields the same bytes as ``--fix``;
* a second ``--fix`` changes nothing and leaves the mtime alone;
* every fix in the JSON report, applied alone by its line/column edits, gives a file that parses and
  no longer has that finding.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from sam_shift_lint.cli import main as cli_main
from sam_shift_lint.engine import check_document
from sam_shift_lint.parsing.document import load
from sam_shift_lint.parsing.lines import line_starts

HERE = Path(__file__).resolve().parent
CASE_NAMES = sorted(p.name for p in HERE.iterdir() if p.is_dir() and any(p.glob("input.*")))
FIX_FLAGS = {"--fix-only", "--exit-non-zero-on-fix", "--show-fixes"}


@dataclass
class Case:
    name: str
    directory: Path
    ext: str
    config: dict[str, Any] = field(default_factory=dict)

    @property
    def input_name(self) -> str:
        return f"input.{self.ext}"

    @property
    def input(self) -> bytes:
        return (self.directory / self.input_name).read_bytes()

    @property
    def expected(self) -> bytes:
        return (self.directory / f"expected.{self.ext}").read_bytes()

    @property
    def expected_diff(self) -> str:
        return (self.directory / "expected.diff").read_bytes().decode("utf-8")

    @property
    def args(self) -> list[str]:
        return list(self.config.get("args", []))

    @property
    def stdin(self) -> bool:
        return bool(self.config.get("stdin"))

    def optional_text(self, name: str) -> str | None:
        path = self.directory / name
        return path.read_bytes().decode("utf-8") if path.exists() else None


def load_case(name: str) -> Case:
    directory = HERE / name
    source = next(directory.glob("input.*"))
    config_path = directory / "case.json"
    config = json.loads(config_path.read_text()) if config_path.exists() else {}
    return Case(name, directory, source.name.split(".", 1)[1], config)


EXECUTABLE: list[Path] = []  # the venv's sam-shift-lint (tests/conftest.py: never the one on PATH)


@pytest.fixture(autouse=True, scope="module")
def _sam_shift_lint(bin_path) -> None:  # type: ignore[no-untyped-def]
    EXECUTABLE[:] = [bin_path("sam-shift-lint")]


def cli(args: list[str], cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(EXECUTABLE[0]), *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
    )


def workdir(tmp_path: Path, case: Case) -> Path:
    target = tmp_path / "work"
    target.mkdir()
    (target / case.input_name).write_bytes(case.input)
    return target


def run_fix(case: Case, cwd: Path, args: list[str]) -> subprocess.CompletedProcess:
    if case.stdin:
        data = (cwd / case.input_name).read_bytes()
        return cli(["--fix", *args, "--stdin-filename", case.input_name, "-"], cwd, stdin=data)
    return cli(["--fix", *args, case.input_name], cwd)


@pytest.fixture(params=CASE_NAMES)
def case(request: pytest.FixtureRequest) -> Case:
    return load_case(request.param)


def test_fix_writes_expected_bytes(case: Case, tmp_path: Path, snapshots) -> None:  # type: ignore[no-untyped-def]
    cwd = workdir(tmp_path, case)
    result = run_fix(case, cwd, case.args)
    stderr = result.stderr.decode()
    assert "internal error" not in stderr, stderr
    if case.stdin:
        assert result.stdout == case.expected, "stdin --fix must print the fixed text on stdout"
        assert (cwd / case.input_name).read_bytes() == case.input
    else:
        assert (cwd / case.input_name).read_bytes() == case.expected
    assert result.returncode == case.config.get("fix_exit", 0), (result.stdout.decode(), stderr)
    expected_report = case.optional_text("fix.stdout")
    if expected_report is not None:
        report = stderr if case.stdin else result.stdout.decode()
        if snapshots.enabled and report != expected_report:  # a generated report, not the hand-written fix
            snapshots.write(case.directory / "fix.stdout", report)
            expected_report = case.optional_text("fix.stdout")
        assert report == expected_report
    assert sorted(p.name for p in cwd.iterdir()) == [case.input_name], "temporary files left behind"


@pytest.mark.parametrize("name", [n for n in CASE_NAMES if (HERE / n / "check.stdout").exists()])
def test_check_report(name: str, tmp_path: Path, snapshots) -> None:  # type: ignore[no-untyped-def]
    """Check mode before fixing: ``[*]`` markers and the fix hint (hidden unsafe fixes, display-only fixes)."""
    case = load_case(name)
    expected_report = case.optional_text("check.stdout")
    assert expected_report is not None
    cwd = workdir(tmp_path, case)
    args = [a for a in case.args if a not in FIX_FLAGS]
    result = cli([*args, case.input_name], cwd)
    if snapshots.enabled and result.stdout.decode() != expected_report:
        snapshots.write(case.directory / "check.stdout", result.stdout.decode())
        expected_report = case.optional_text("check.stdout")
    assert result.stdout.decode() == expected_report
    assert (cwd / case.input_name).read_bytes() == case.input


def test_diff_matches_and_applies(case: Case, tmp_path: Path) -> None:
    cwd = workdir(tmp_path, case)
    args = [a for a in case.args if a not in FIX_FLAGS]
    if case.stdin:
        result = cli(["--diff", *args, "--stdin-filename", case.input_name, "-"], cwd, stdin=case.input)
    else:
        result = cli(["--diff", *args, case.input_name], cwd)
    diff = result.stdout.decode("utf-8")
    assert "internal error" not in result.stderr.decode()
    assert (cwd / case.input_name).read_bytes() == case.input, "--diff must not write"
    assert diff == case.expected_diff
    assert result.returncode == (1 if case.expected != case.input else 0)
    if not diff:
        return
    patch = tmp_path / "change.diff"
    patch.write_bytes(result.stdout)
    applied = subprocess.run(["git", "apply", "--whitespace=nowarn", str(patch)], cwd=cwd, capture_output=True)
    assert applied.returncode == 0, applied.stderr.decode()
    assert (cwd / case.input_name).read_bytes() == case.expected


def test_second_fix_changes_nothing(case: Case, tmp_path: Path) -> None:
    cwd = workdir(tmp_path, case)
    target = cwd / case.input_name
    target.write_bytes(case.expected)
    past = 1_000_000_000
    os.utime(target, (past, past))
    result = run_fix(case, cwd, [a for a in case.args if a != "--exit-non-zero-on-fix"])
    assert "internal error" not in result.stderr.decode()
    if case.stdin:
        assert result.stdout == case.expected
    assert target.read_bytes() == case.expected
    assert os.stat(target).st_mtime == past
    if "--show-fixes" in case.args:
        assert b"Fixed" not in result.stdout


def _offset(text: str, line: int, column: int, format: str) -> int:
    """The offset of a 1-based line and column, lines broken as the file's parser breaks them (a YAML file's
    CR, NEL and U+2028 too, as libyaml counts lines; see sam_shift_lint/parsing/lines.py)."""
    return line_starts(text, format)[line - 1] + column - 1


def test_json_fixes_apply_alone(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    """Each fix in ``--format json``, applied alone from its line/column edits, parses and removes its finding.
    (The JSON report is produced in-process by ``cli.main``: the same code path, without a process start.)"""
    cwd = workdir(tmp_path, case)
    args = [a for a in case.args if a not in FIX_FLAGS]
    monkeypatch.chdir(cwd)
    cli_main(["--format", "json", *args, case.input_name])
    findings = json.loads(capsys.readouterr().out)
    unsafe = "--unsafe-fixes" in args
    document = load(case.input_name, case.input)
    checked = 0
    for finding in findings:
        fix = finding["fix"]
        if fix is None:
            continue
        assert fix["applicability"] in ("safe", "unsafe", "display")
        if fix["applicability"] == "display":
            assert fix["edits"] == []
            continue
        if fix["applicability"] == "unsafe" and not unsafe:
            continue
        text = document.text
        edits = [
            (_offset(text, e["location"]["line"], e["location"]["column"], document.format),
             _offset(text, e["end_location"]["line"], e["end_location"]["column"], document.format), e["content"])
            for e in fix["edits"]
        ]
        for start, end, content in sorted(edits, reverse=True):
            text = text[:start] + content + text[end:]
        fixed = load(case.input_name, b"\xef\xbb\xbf" * document.bom + text.encode())
        left = {(f.rule, f.resource) for f in check_document(fixed)}
        assert (finding["rule"], finding["resource"]) not in left, finding
        checked += 1
    if case.expected != case.input:
        assert checked, "a case with changes has at least one applicable fix in the JSON report"


def test_every_case_is_complete() -> None:
    assert len(CASE_NAMES) >= 40
    for name in CASE_NAMES:
        case = load_case(name)
        assert (case.directory / f"expected.{case.ext}").exists(), name
        assert (case.directory / "expected.diff").exists(), name


if shutil.which("git") is None:  # pragma: no cover
    pytestmark = pytest.mark.skip(reason="git is needed for git apply")
