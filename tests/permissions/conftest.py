"""``permissions(*args)`` (the real command), and ``permissions_helpers`` importable from these tests (the suite runs
with ``--import-mode=importlib``)."""
from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

_HERE = str(Path(__file__).parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

REPO = Path(__file__).resolve().parent.parent.parent


@pytest.fixture(scope="session")
def permissions(bin_path: Callable[[str], Path]) -> Callable[..., subprocess.CompletedProcess[str]]:
    """``permissions(*args)``: ``sam-shift-lint permissions ARGS`` (cwd: the checkout), a finished process."""

    def run(*args: str | Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
        command = [str(bin_path("sam-shift-lint")), "permissions", *map(str, args)]
        return subprocess.run(command, capture_output=True, text=True, cwd=cwd, check=False, timeout=300)

    return run


