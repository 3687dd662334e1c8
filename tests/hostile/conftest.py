"""Make ``hostile_inputs`` importable from the hostile-input tests (the suite runs with ``--import-mode=importlib``),
and give them a temporary directory another user can traverse."""
from __future__ import annotations

import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)


@pytest.fixture
def public_tmp() -> Iterator[Path]:
    """A temporary directory any user can traverse (pytest's own is private to its owner), for processes run
    as another user; removed afterwards whatever modes the test left in it."""
    path = Path(tempfile.mkdtemp(prefix="sam-shift-lint-hostile-"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        for root, dirs, _files in os.walk(path):
            for name in dirs:
                os.chmod(os.path.join(root, name), stat.S_IRWXU)
        shutil.rmtree(path, ignore_errors=True)
