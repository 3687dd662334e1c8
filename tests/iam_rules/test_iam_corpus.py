"""The IAM rules over the shared corpus (``/work/shared/corpus``): real policies and real SAM templates.

* ``policies/``: every file is a policy that gets checked, or one clean ``<path>: error: <reason>`` line;
  checking them against the deploy-role profile and fixing them (all fixes, flags given) never crashes and
  every fix verifies;
* ``sam/`` and ``sam_no_transform/``: the IAM checks and their fixes never crash on any template.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from sam_shift_lint.checks.registry import FILE_ERROR, rule_ids, select_rules
from sam_shift_lint.engine import check_document, is_policy_document
from sam_shift_lint.parsing.document import load
from sam_shift_lint.parsing.errors import DocumentError

pytestmark = pytest.mark.slow

ERROR_LINE = re.compile(r"^(?P<path>.+?): error: (?P<reason>\S.*)$")
IAM_RULES = rule_ids("iam")


def _stderr_errors(stderr: str) -> dict[Path, str]:
    lines = [line for line in stderr.splitlines() if line.strip()]
    malformed = [line for line in lines if not ERROR_LINE.match(line)]
    assert not malformed, malformed[:5]
    errors = {Path(ERROR_LINE.match(line)["path"]).resolve(): ERROR_LINE.match(line)["reason"] for line in lines}  # type: ignore[index]
    assert len(errors) == len(lines), "a file is named twice on stderr"
    return errors


def test_every_corpus_policy_is_checked_or_one_error_line(corpus_dir: Path, bin_path: Callable[[str], Path]) -> None:
    directory = corpus_dir / "policies"
    files = sorted(p.resolve() for p in directory.rglob("*.json"))
    assert len(files) >= 100
    process = subprocess.run(
        [str(bin_path("sam-shift-lint")), "--format", "json", "--policy-profile", "deploy-role", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "Traceback" not in process.stderr and "internal error" not in process.stderr, process.stderr[-3000:]
    errors = _stderr_errors(process.stderr)
    findings = json.loads(process.stdout)
    assert process.returncode == (2 if errors else 1)
    by_file: dict[Path, list[dict]] = {}
    file_errors = set()
    for item in findings:
        if item["rule"] == FILE_ERROR.META.id:  # a file of an error line is in the report too (E9000)
            file_errors.add(Path(item["file"]).resolve())
            continue
        assert item["rule"] in IAM_RULES, item
        by_file.setdefault(Path(item["file"]).resolve(), []).append(item)
    assert file_errors == set(errors)
    for path in files:
        if path in errors:
            assert path not in by_file
            continue
        document = load(str(path))
        assert is_policy_document(document), f"{path.name} is neither reported as an error nor a policy"
        # --policy-profile applies to every named file: each one is judged against deploy-role (these are no
        # deploy policies, so each gets an E9201).
        assert any(item["rule"] == "E9201" for item in by_file.get(path, [])), path.name
    print(f"\n[iam corpus] {len(files)} policy files: {len(files) - len(errors)} checked, {len(errors)} errors; "
          f"{len(findings)} findings: " + ", ".join(f"{r} {sum(1 for f in findings if f['rule'] == r)}" for r in IAM_RULES))


def test_fixing_every_corpus_policy_verifies(corpus_dir: Path, bin_path: Callable[[str], Path], tmp_path: Path) -> None:
    work = tmp_path / "policies"
    shutil.copytree(corpus_dir / "policies", work)
    for path in work.rglob("*"):  # the corpus is read-only; the copies must not be
        path.chmod(0o755 if path.is_dir() else 0o644)
    args = ["--policy-profile", "deploy-role", "--region", "us-east-1", "--account-id", "123456789012", "--unsafe-fixes"]
    files = sorted(str(p) for p in work.rglob("*.json"))
    fixed = subprocess.run([str(bin_path("sam-shift-lint")), "--fix", *args, *files], capture_output=True, text=True, timeout=600)
    assert "internal error" not in fixed.stderr and "Traceback" not in fixed.stderr, fixed.stderr[-3000:]
    assert len(fixed.stderr.splitlines()) <= 1, fixed.stderr  # only the file that does not parse
    again = subprocess.run(
        [str(bin_path("sam-shift-lint")), "--format", "json", *args, *files], capture_output=True, text=True, timeout=300
    )
    remaining = json.loads(again.stdout)
    fixable = [i for i in remaining if i["fix"] and i["fix"]["edits"]]
    assert not fixable, fixable[:3]
    assert not [i for i in remaining if i["rule"] == "E9201" and "pass --region" in i["message"]]


@pytest.mark.parametrize("name", ["sam", "sam_no_transform"])
def test_iam_checks_and_fixes_never_crash_on_corpus_templates(name: str, corpus_dir: Path) -> None:
    from sam_shift_lint import fixer

    directory = corpus_dir / name
    if not directory.is_dir():
        pytest.skip(f"{directory} is absent")
    iam_rules = select_rules(IAM_RULES)
    counts: dict[str, int] = {}
    refused: list[str] = []
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        try:
            document = load(str(path))
        except DocumentError:
            continue
        findings = [f for f in check_document(document) if f.rule in IAM_RULES]
        for finding in findings:
            counts[finding.rule] = counts.get(finding.rule, 0) + 1
        if any(f.fix is not None and f.fix.edits for f in findings):
            try:
                outcome = fixer.fix_document(document, rules=iam_rules, unsafe=True)
            except fixer.FixError as error:
                refused.append(f"{path.name}: {error}")
                continue
            assert not [f for f in outcome.remaining if f.fix is not None and f.fix.edits], path.name
    assert not refused, refused[:5]
    print(f"\n[iam corpus] {name}: " + ", ".join(f"{rule} {counts.get(rule, 0)}" for rule in IAM_RULES))
