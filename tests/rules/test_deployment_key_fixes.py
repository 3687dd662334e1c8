"""The fixes of W9110, W9111 and W9113 against the SAM translator: for every failing fixture of these rules, a
template the translator accepted is still accepted after ``--fix --unsafe-fixes`` (these rules only), and no
finding that had a fix is left."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
BIN = Path(os.path.dirname(os.path.abspath(sys.executable)))
RULES = ("W9110", "W9111", "W9113")
FIXTURES = sorted(p for rule in RULES for p in (HERE / rule).glob("*.fail.*") if not p.name.endswith(".expected.json"))


def report(path: Path, *extra: str) -> list[dict[str, Any]]:
    process = subprocess.run(
        [str(BIN / "sam-shift-lint"), "--format", "json", "--select", ",".join(RULES), *extra, str(path)],
        capture_output=True, text=True, timeout=60,
    )
    assert process.stderr == ""
    result: list[dict[str, Any]] = json.loads(process.stdout)
    return result


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fix_keeps_translator_acceptance(fixture: Path, tmp_path: Path, sam_translator) -> None:  # type: ignore[no-untyped-def]
    copy = tmp_path / fixture.name
    shutil.copyfile(fixture, copy)
    assert sam_translator.errors(copy) == {}
    before = [f for f in report(copy, "--unsafe-fixes") if f["fix"]]
    assert before, "the fixture has nothing to fix"
    subprocess.run(
        [str(BIN / "sam-shift-lint"), "--select", ",".join(RULES), "--unsafe-fixes", "--fix", str(copy)],
        capture_output=True, text=True, timeout=60,
    )
    assert copy.read_bytes() != fixture.read_bytes()
    assert sam_translator.errors(copy) == {}
    assert [f for f in report(copy, "--unsafe-fixes") if f["fix"]] == []
