"""Fixtures shared by every test directory.

* ``bin_path(name)``: an executable of the environment running the tests (the directory of
  ``sys.executable``: ``.venv/bin`` in the README's set-up). Tests run ``sam-shift-lint``,
  ``cfn-lint``, ``pre-commit`` ... through it, never through ``PATH``, so a tool installed globally
  (this machine has an old cfn-lint in its site-packages) cannot stand in for the venv's.
* ``repo_root``: the checkout.
* ``corpus_dir``: the shared corpus, ``../shared/corpus`` beside the checkout (or
  ``$SAM_SHIFT_LINT_SHARED/corpus``). Missing: skipped locally, a failure under CI.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
# Not resolved: sys.executable is a symlink in a venv and its target lives outside the venv.
BIN_DIR = Path(os.path.dirname(os.path.abspath(sys.executable)))
SHARED_DIR = Path(os.environ.get("SAM_SHIFT_LINT_SHARED", REPO_ROOT.parent / "shared"))


def _executable(name: str) -> Path:
    candidates = [BIN_DIR / name]
    if os.name == "nt":
        candidates += [BIN_DIR / f"{name}.exe", BIN_DIR / "Scripts" / f"{name}.exe"]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    pytest.fail(
        f"{name!r} is not installed next to {sys.executable} (looked in {BIN_DIR}); "
        "install the package with its test extras into this environment: pip install -e '.[test]'",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def bin_path() -> Callable[[str], Path]:
    """``bin_path("pre-commit")`` -> the path of that executable in the test environment (fails if absent)."""
    return _executable


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    corpus = SHARED_DIR / "corpus"
    if not corpus.is_dir():
        message = f"the shared corpus is not at {corpus} (set SAM_SHIFT_LINT_SHARED to the shared/ directory)"
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return corpus
