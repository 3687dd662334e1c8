"""The CodeDeploy role rule's fixes keep templates deployable: for every E9205 fixture and fix case, the SAM
translator accepts the template before and after ``--unsafe-fixes --fix``, and afterwards only findings without
a fix (a missing trust, a denied or conditional grant) are left."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
RULE = "E9205"
TEMPLATES = sorted(
    [p for p in (HERE / RULE).iterdir() if p.suffix in (".yaml", ".json") and not p.name.endswith(".expected.json")]
    + [p for p in (HERE.parent / "iam_fixes").glob("e9205_*/input.*")]
)


# The managed policy map the translator gets (offline).
MANAGED_POLICIES = {"AWSLambdaBasicExecutionRole": "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"}


def lint(path: Path, *args: str) -> list[dict[str, Any]]:
    result = subprocess.run(
        [sys.executable, "-m", "sam_shift_lint", "--format", "json", "--select", RULE, *args, str(path)],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout) if "--fix" not in args else []


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fix_keeps_the_template_translatable(path: Path, tmp_path: Path, sam_translator) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / path.name
    shutil.copy(path, target)
    assert sam_translator.errors(target, MANAGED_POLICIES) == {}
    before = lint(target, "--unsafe-fixes")
    subprocess.run(
        [sys.executable, "-m", "sam_shift_lint", "--select", RULE, "--unsafe-fixes", "--fix", str(target)],
        capture_output=True, timeout=120,
    )
    assert sam_translator.errors(target, MANAGED_POLICIES) == {}
    after = lint(target, "--unsafe-fixes")
    assert all(not (item["fix"] and item["fix"]["edits"]) for item in after), after
    fixable = [item for item in before if item["fix"] and item["fix"]["edits"]]
    assert len(after) <= len(before)  # a finding with denied grants stays (without a fix)
    if fixable:
        assert target.read_bytes() != path.read_bytes()
