"""The configuration file: ``[tool.sam-shift-lint]`` in ``pyproject.toml``, or ``.sam-shift-lint.toml``.

Low in the layers (next to :mod:`sam_shift_lint.settings`, importing only it, ``records`` and
:mod:`sam_shift_lint.parsing` for its regular-file reader): finding the file (:mod:`.files`), its keys and what
can be checked without the rest of the package (:mod:`.schema`), the glob patterns of its path settings
(:mod:`.globs`), and its one error (:class:`ConfigError`, here: every run that looks for a configuration
loads this package anyway). Turning a configuration into the rules and settings for one
file is :mod:`sam_shift_lint.project`'s job.

The names below are loaded on first use (a run without a configuration file never loads the keys or the globs).
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from sam_shift_lint.config.files import ConfigFinder, find_repository, load_config
    from sam_shift_lint.config.globs import Glob, GlobError, compile_glob, matches_path, relative_to
    from sam_shift_lint.config.schema import FAIL_ON, KEYS, Config

_WHERE = {
    "ConfigFinder": "files",
    "find_repository": "files",
    "load_config": "files",
    "Glob": "globs",
    "GlobError": "globs",
    "compile_glob": "globs",
    "matches_path": "globs",
    "relative_to": "globs",
    "FAIL_ON": "schema",
    "KEYS": "schema",
    "Config": "schema",
}

__all__ = [
    "FAIL_ON",
    "KEYS",
    "Config",
    "ConfigError",
    "ConfigFinder",
    "Glob",
    "GlobError",
    "compile_glob",
    "find_repository",
    "load_config",
    "matches_path",
    "relative_to",
]


MAX_KEY = 120  # characters of a key quoted in a message
MAX_PROBLEM = 400  # characters of what is wrong with it (room for the list of known keys)


class ConfigError(Exception):
    """A configuration file that cannot be used: ``path`` (the file), ``key`` (dotted, as written in the file,
    or "" for the whole file) and ``problem``. One line: ``<path>: error: <key>: <problem>``, the key and the
    problem (which may quote a value) cut in the middle to a readable length: both come from the file."""

    def __init__(self, path: str, key: str, problem: str) -> None:
        key, problem = _cut(key, MAX_KEY), _cut(problem, MAX_PROBLEM)
        super().__init__(f"{key}: {problem}" if key else problem)
        self.path = path
        self.key = key
        self.problem = problem


def _cut(text: str, limit: int) -> str:
    """``text``, or its start and end around ``...`` when it is longer than ``limit`` (what is wrong with a
    quoted value is said after it)."""
    if len(text) <= limit:
        return text
    half = (limit - 3) // 2
    return text[:half] + "..." + text[len(text) - half :]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
