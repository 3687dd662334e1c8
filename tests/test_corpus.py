"""The real ``sam-shift-lint`` executable over the whole public corpus (``/work/shared/corpus``).

One process per corpus directory (``--format json``). Asserted for each directory:

* no traceback and no internal error; exit code 0, 1 or 2;
* every stderr line is ``<path>: error: <reason>`` and names an existing corpus file, one line per bad file;
* every file that contains ``AWS::Serverless`` is accounted for: reported in the JSON, named on stderr,
  or checked clean (re-checked in-process to prove the CLI did not drop it);
* parse failures agree with ``MANIFEST.tsv``'s ``parse_ok`` (ruamel.yaml round-trip / ``json.loads``),
  except for the explicitly explained categories in :data:`EXPLAINED_DISAGREEMENTS`.

The corpus is read-only; the tests skip when it is absent (``corpus_dir`` in conftest.py; a failure under CI).
"""
from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sam_shift_lint.checks.registry import FILE_ERROR

DIRECTORIES = ("sam", "sam_no_transform")
MARKER = b"AWS::Serverless"
ERROR_LINE = re.compile(r"^(?P<path>.+?): error: (?P<reason>\S.*)$")

pytestmark = pytest.mark.slow


# ------------------------------------------------------------------------------------------ helpers


def read_manifest(corpus: Path) -> dict[str, dict[str, str]]:
    manifest = corpus / "MANIFEST.tsv"
    if not manifest.is_file():
        pytest.skip(f"{manifest} is absent")
    with open(manifest, newline="", encoding="utf-8") as handle:
        return {row["file"]: row for row in csv.DictReader(handle, delimiter="\t")}


def serverless_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file() and MARKER in p.read_bytes())


class CliRun:
    def __init__(self, directory: Path, completed: dict[str, Any]) -> None:
        self.directory = directory
        self.returncode: int = completed["returncode"]
        self.stdout: str = completed["stdout"]
        self.stderr: str = completed["stderr"]
        items: list[dict] = json.loads(self.stdout) if self.stdout.strip() else []
        # the files that could not be checked are findings too (E9000): kept apart from the checks' findings
        self.file_errors = [item for item in items if item["rule"] == FILE_ERROR.META.id]
        self.findings = [item for item in items if item["rule"] != FILE_ERROR.META.id]
        self.stderr_lines = [line for line in self.stderr.splitlines() if line.strip()]
        self.errors: dict[Path, str] = {}
        for line in self.stderr_lines:
            match = ERROR_LINE.match(line)
            if match:
                self.errors[Path(match["path"]).resolve()] = match["reason"]

    @property
    def reported(self) -> set[Path]:
        return {Path(finding["file"]).resolve() for finding in self.findings}


@pytest.fixture(scope="session")
def cli_runs(corpus_dir: Path, corpus_cli_json: Callable[[str], dict[str, Any]]) -> Callable[[str], CliRun]:
    """``cli_runs(name)``: ``sam-shift-lint --format json <corpus>/<name>``, one process per directory per session
    (``corpus_cli_json`` in conftest.py: shared with test_parity.py and across xdist workers)."""
    runs: dict[str, CliRun] = {}

    def run(name: str) -> CliRun:
        if name not in runs:
            runs[name] = CliRun(corpus_dir / name, corpus_cli_json(name))
        return runs[name]

    return run


# ------------------------------------------------------------------------------------------ the CLI run


@pytest.mark.parametrize("name", DIRECTORIES)
def test_cli_runs_cleanly_over_corpus(name: str, cli_runs: Callable[[str], CliRun]) -> None:
    run = cli_runs(name)
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    assert "internal error" not in run.stderr, run.stderr[-3000:]
    assert run.returncode in (0, 1, 2), (run.returncode, run.stderr[-2000:])
    assert run.returncode == (2 if run.errors else 1 if run.findings else 0)

    malformed = [line for line in run.stderr_lines if not ERROR_LINE.match(line)]
    assert not malformed, f"stderr lines not of the form '<path>: error: <reason>': {malformed[:5]}"
    named = [Path(ERROR_LINE.match(line)["path"]).resolve() for line in run.stderr_lines]  # type: ignore[index]
    assert len(named) == len(set(named)), "a bad file is reported more than once on stderr"
    corpus_root = run.directory.resolve()
    for path in named:
        assert path.is_file() and corpus_root in path.parents, f"stderr names {path}, not a file of {corpus_root}"
    assert not (run.reported & set(named)), "a file is both reported with findings and named as unreadable"
    assert sorted(Path(item["file"]).resolve() for item in run.file_errors) == sorted(named), "E9000 for each error line"

    for finding in run.findings:
        assert re.fullmatch(r"[EWI]9\d\d\d", finding["rule"]), finding
        assert finding["line"] >= 1 and finding["column"] >= 1, finding
        assert (finding["end_line"], finding["end_column"]) >= (finding["line"], finding["column"]), finding


@pytest.mark.parametrize("name", DIRECTORIES)
def test_every_serverless_file_is_accounted_for(name: str, cli_runs: Callable[[str], CliRun]) -> None:
    from sam_shift_lint.engine import check_file

    run = cli_runs(name)
    expected = {path.resolve() for path in serverless_files(run.directory)}
    errored = set(run.errors)
    reported = run.reported
    assert reported <= expected, f"findings for files outside the corpus set: {sorted(reported - expected)[:5]}"
    assert errored <= expected
    clean = expected - reported - errored
    checked = len(expected) - len(errored)
    counts = (
        f"{name}: {len(expected)} files with AWS::Serverless: {checked} checked "
        f"({len(reported)} with findings, {len(clean)} clean), {len(errored)} errors; {len(run.findings)} findings"
    )
    print(f"\n[corpus] {counts}")

    # The JSON has no per-file list of clean files: prove each one really is clean rather than skipped.
    not_clean = []
    for path in sorted(clean):
        result = check_file(str(path))
        if result.error or result.findings or not result.checked:
            not_clean.append((str(path), result.error, len(result.findings)))
    assert not not_clean, f"{counts}; files the CLI neither reported nor named but that are not clean: {not_clean[:5]}"
    assert checked == len(reported) + len(clean), counts


# ------------------------------------------------------------------------------------------ MANIFEST.tsv

_BLOCK_HEADER = re.compile(r"""(?:^|[\s:\-])[|>][0-9+\-]*[ \t]*(?:#.*)?$""")


def has_short_blank_line_before_block_scalar_content(text: str) -> bool:
    """A block scalar (``|``/``>``) whose first line(s) hold only spaces, fewer than the content's indentation.

    YAML 1.2 (§8.1.1.1) only forbids leading empty lines *more* indented than the first content line; libyaml
    (PyYAML, used by cfn-lint, the SAM CLI and us) accepts them, but ruamel.yaml's scanner raises "more
    indented follow up line than first in a block scalar" when the first line is whitespace-only.
    """
    lines = text.splitlines()
    for index, line in enumerate(lines[:-2]):
        if not _BLOCK_HEADER.search(line.rstrip()):
            continue
        blank = lines[index + 1]
        if not blank or blank.strip() or set(blank) != {" "}:
            continue
        for follower in lines[index + 2:]:
            if follower.strip():
                if len(follower) - len(follower.lstrip(" ")) > len(blank):
                    return True
                break
    return False


def _ruamel_rejects_block_scalar_indentation(path: Path) -> bool:
    try:
        from ruamel.yaml import YAML
        from ruamel.yaml.scanner import ScannerError
    except ImportError:  # pragma: no cover - ruamel.yaml is a dependency
        return True
    try:
        YAML().load(path.read_text(encoding="utf-8-sig"))
    except ScannerError as error:
        return "more indented follow up line than first in a block scalar" in str(error)
    except Exception:
        return False
    return False


# (direction, category, reason, predicate(path, our error or None)). Add a category only after confirming
# which side is right; never list files by name.
EXPLAINED_DISAGREEMENTS: list[tuple[str, str, str, Callable[[Path, str | None], bool]]] = [
    (
        "manifest-rejects-we-accept",
        "whitespace-only first line in a block scalar",
        "ruamel.yaml rejects a block scalar whose first line holds only spaces (fewer than the content's "
        "indentation); YAML 1.2 and libyaml (cfn-lint, SAM CLI, CloudFormation tooling) accept it",
        lambda path, _error: has_short_blank_line_before_block_scalar_content(path.read_text(encoding="utf-8-sig"))
        and _ruamel_rejects_block_scalar_indentation(path),
    ),
]


def _explain(direction: str, path: Path, error: str | None) -> str | None:
    for rule_direction, category, _reason, predicate in EXPLAINED_DISAGREEMENTS:
        if rule_direction == direction and predicate(path, error):
            return category
    return None


def test_parse_failures_agree_with_manifest(corpus_dir: Path, cli_runs: Callable[[str], CliRun]) -> None:
    manifest = read_manifest(corpus_dir)
    unexplained: list[str] = []
    explained: dict[str, list[str]] = {}
    totals = {"agree_ok": 0, "agree_bad": 0}
    for name in DIRECTORIES:
        run = cli_runs(name)
        for path in serverless_files(run.directory):
            relative = path.relative_to(corpus_dir).as_posix()
            row = manifest.get(relative)
            assert row is not None, f"{relative} is not in MANIFEST.tsv"
            manifest_ok = row["parse_ok"] == "1"
            error = run.errors.get(path.resolve())
            we_ok = error is None
            if manifest_ok == we_ok:
                totals["agree_ok" if we_ok else "agree_bad"] += 1
                continue
            direction = "manifest-accepts-we-reject" if manifest_ok else "manifest-rejects-we-accept"
            category = _explain(direction, path, error)
            if category is None:
                unexplained.append(f"{direction}: {relative}: {error or 'parsed by us'}")
            else:
                explained.setdefault(f"{direction}: {category}", []).append(relative)
    summary = (
        f"parse agreement with MANIFEST.tsv: {totals['agree_ok']} both parse, {totals['agree_bad']} both reject; "
        + "; ".join(f"{key}: {len(files)}" for key, files in sorted(explained.items()))
    )
    print(f"\n[corpus] {summary}")
    assert not unexplained, f"{summary}\nunexplained disagreements:\n" + "\n".join(unexplained)


def test_block_scalar_category_is_narrow() -> None:
    """The allow-list predicate recognises the quirk and nothing ordinary."""
    quirk = "A:\n  B: !Sub |\n     \n      {\n        x\n      }\n"
    ordinary = "A:\n  B: |\n\n      text\n  C: >-\n      more\n"
    over_indented = "A:\n  B: |\n          \n      text\n"  # invalid YAML on every parser: not this category
    assert has_short_blank_line_before_block_scalar_content(quirk)
    assert not has_short_blank_line_before_block_scalar_content(ordinary)
    assert not has_short_blank_line_before_block_scalar_content(over_indented)
    from sam_shift_lint.parsing.document import parse

    assert parse("quirk.yaml", quirk).data() == {"A": {"B": {"Fn::Sub": "\n{\n  x\n}\n"}}}
