"""A sample of fuzz inputs through the real ``sam-shift-lint`` executable: real exit codes and stderr, ``--fix`` in
place (twice), ``--diff`` applied with the real ``git apply``, and ``--fix`` on standard input, each compared with
the in-process result of the same input. One process per command over all the sample's files."""
from __future__ import annotations

import dataclasses
import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from fuzzkit.cases import Seed, corpus_files, load_seeds, make_case
from fuzzkit.choose import RandomChooser
from fuzzkit.oracle import Case, Options, Report, run_with_timeout

from sam_shift_lint.checks.registry import FILE_ERROR

FIXABLE = 6
BROKEN = 2
OTHER = 2


@dataclasses.dataclass
class Sample:
    cases: list[Case]
    reports: dict[str, Report]

    @property
    def names(self) -> list[str]:
        return [case.name for case in self.cases]


@pytest.fixture(scope="module")
def sample(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Sample:
    """Inputs of the long run's mix the oracle finds nothing wrong with in-process: some fixed, some refused
    (unparsable), some clean or not ours; default fix options, unique file names."""
    files = corpus_files(corpus_dir, 2500)
    seeds: list[Seed] = load_seeds(files[:: max(1, len(files) // 80)], corpus_dir)
    workdir = str(tmp_path_factory.mktemp("fuzz-cli-inprocess"))
    wanted = {"fixed": FIXABLE, "broken": BROKEN, "other": OTHER}
    cases: list[Case] = []
    reports: dict[str, Report] = {}
    for index in range(3000):
        made = make_case(RandomChooser(f"cli-{index}"), seeds)
        base = os.path.basename(made.name)
        case = Case(made.raw, f"c{index}-{base}", format="json", origin=made.origin)
        report = run_with_timeout(case, workdir, Options(), 1.0)
        kind = "fixed" if report.fixed is not None else "broken" if report.error is not None else "other"
        if report.failures or wanted[kind] == 0 or (kind == "other" and report.fixable):
            continue
        wanted[kind] -= 1
        cases.append(case)
        reports[case.name] = report
        if not any(wanted.values()):
            break
    assert not any(wanted.values()), f"the sample is incomplete: still wanted {wanted}"
    return Sample(cases, reports)


def _write(directory: Path, sample: Sample) -> Path:
    directory.mkdir()
    for case in sample.cases:
        (directory / case.name).write_bytes(case.raw)
    return directory


def _run(bin_path: Callable[[str], Path], cwd: Path, *args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([str(bin_path("sam-shift-lint")), *args], cwd=cwd, input=stdin, capture_output=True, timeout=120)


def _stderr_ok(completed: subprocess.CompletedProcess[bytes]) -> str:
    text = completed.stderr.decode("utf-8")
    assert "Traceback" not in text and "internal error" not in text, text
    return text


def test_check_exit_code_and_error_lines(sample: Sample, tmp_path: Path, bin_path: Callable[[str], Path]) -> None:
    directory = _write(tmp_path / "check", sample)
    completed = _run(bin_path, directory, "--format", "json", *sample.names)
    assert completed.returncode == 2, completed.stderr  # the broken files
    errors = _stderr_ok(completed).splitlines()
    broken = [case.name for case in sample.cases if sample.reports[case.name].error is not None]
    assert len(errors) == len(broken), errors
    assert all(line.startswith(f"{name}: ") for line, name in zip(sorted(errors), sorted(broken))), errors
    items = json.loads(completed.stdout)
    findings = [item for item in items if item["rule"] != FILE_ERROR.META.id]
    expected = sum(sample.reports[name].findings for name in sample.names)
    assert len(findings) == expected
    assert {finding["file"] for finding in findings} <= set(sample.names)
    assert sorted(item["file"] for item in items if item["rule"] == FILE_ERROR.META.id) == sorted(broken)  # in the report too


def test_diff_applied_with_git_is_the_fix(sample: Sample, tmp_path: Path, bin_path: Callable[[str], Path]) -> None:
    directory = _write(tmp_path / "diff", sample)
    completed = _run(bin_path, directory, "--diff", *sample.names)
    assert completed.returncode == 2, completed.stderr
    _stderr_ok(completed)
    expected = "".join(sample.reports[name].diff or "" for name in sample.names)
    assert completed.stdout.decode("utf-8") == expected
    subprocess.run(["git", "init", "-q", "."], cwd=directory, check=True, capture_output=True)
    (directory / "fuzz.patch").write_bytes(completed.stdout)
    applied = subprocess.run(["git", "apply", "fuzz.patch"], cwd=directory, capture_output=True)
    assert applied.returncode == 0, applied.stderr
    for case in sample.cases:
        assert (directory / case.name).read_bytes() == (sample.reports[case.name].fixed or case.raw), case.name


def test_fix_in_place_twice(sample: Sample, tmp_path: Path, bin_path: Callable[[str], Path]) -> None:
    directory = _write(tmp_path / "fix", sample)
    first = _run(bin_path, directory, "--fix", *sample.names)
    assert first.returncode == 2, first.stderr
    _stderr_ok(first)
    fixed = {case.name: (directory / case.name).read_bytes() for case in sample.cases}
    for case in sample.cases:
        assert fixed[case.name] == (sample.reports[case.name].fixed or case.raw), case.name
    second = _run(bin_path, directory, "--fix", *sample.names)
    assert second.returncode == 2, second.stderr  # the broken files are still broken
    _stderr_ok(second)
    assert {case.name: (directory / case.name).read_bytes() for case in sample.cases} == fixed


def test_fix_on_standard_input(sample: Sample, tmp_path: Path, bin_path: Callable[[str], Path]) -> None:
    case = next(case for case in sample.cases if sample.reports[case.name].fixed is not None)
    completed = _run(bin_path, tmp_path, "-", "--stdin-filename", case.name, "--fix", stdin=case.raw)
    assert completed.returncode in (0, 1), completed.stderr
    _stderr_ok(completed)
    assert completed.stdout == sample.reports[case.name].fixed
