"""The checkout itself: no file carries what an unfinished merge leaves behind."""
from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
CONFLICT_MARKER = re.compile(rb"^(?:<{7}|>{7}) ", re.MULTILINE)  # a merge conflict's first and last line


def test_no_tracked_file_holds_merge_conflict_markers() -> None:
    """A conflict resolved by hand once left both sides in a docstring (scripts/fuzz.py): it still parsed, so
    nothing else failed."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout
    files = [REPO / name.decode() for name in listed.split(b"\0") if name]
    assert len(files) > 100
    marked = [str(path.relative_to(REPO)) for path in files if path.is_file() and CONFLICT_MARKER.search(path.read_bytes())]
    assert marked == []
