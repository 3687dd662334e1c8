"""Every open entry of ``fuzzkit/known.py`` still reproduces. When one does not, its bug was fixed: delete the
entry (the fuzz tests then fail on that bug again instead of tolerating it)."""
from __future__ import annotations

from pathlib import Path

import pytest
from fuzzkit.known import KNOWN_OPEN, Known
from fuzzkit.oracle import Case, Options, run_with_timeout


@pytest.mark.parametrize("entry", KNOWN_OPEN, ids=[entry.name for entry in KNOWN_OPEN])
def test_known_open_bug_still_reproduces(entry: Known, tmp_path: Path) -> None:
    case = Case(entry.make(), entry.file_name, unsafe=entry.unsafe, placement=entry.placement, origin=f"known:{entry.name}")
    report = run_with_timeout(case, str(tmp_path), Options(render_all=True), seconds=1.5)
    signatures = [failure.signature for failure in report.failures]
    assert any(entry.matches(signature) for signature in signatures), (
        f"{entry.name} ({entry.issue}) no longer reproduces (failures now: {signatures or 'none'}): the bug looks fixed, "
        "so delete its entry from tests/fuzz/fuzzkit/known.py"
    )


def test_known_entries_have_distinct_names() -> None:
    names = [entry.name for entry in KNOWN_OPEN]
    assert len(names) == len(set(names))
