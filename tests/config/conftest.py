"""Make ``confkit`` importable from the configuration tests (the suite runs with ``--import-mode=importlib``)."""
from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from confkit import Ran, make_cli  # noqa: E402


@pytest.fixture
def cli(bin_path: Callable[[str], Path]) -> Callable[..., Ran]:
    """The venv's sam-shift-lint, run for real (see confkit.make_cli)."""
    return make_cli(bin_path)
