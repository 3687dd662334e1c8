"""The configuration file: ``[tool.sam-shift-lint]`` in ``pyproject.toml``, or ``.sam-shift-lint.toml``.

Low in the layers (next to :mod:`sam_shift_lint.settings`, importing only it and :mod:`sam_shift_lint.parsing`
for its regular-file reader): finding the file (:mod:`.files`), its keys and what can be checked without the
rest of the package (:mod:`.schema`), and the glob patterns of its path settings (:mod:`.globs`). Turning a
configuration into the rules and settings for one file is :mod:`sam_shift_lint.project`'s job.
"""
from __future__ import annotations

from sam_shift_lint.config.files import ConfigFinder, find_repository, load_config
from sam_shift_lint.config.globs import Glob, GlobError, compile_glob, matches_path, relative_to
from sam_shift_lint.config.schema import FAIL_ON, KEYS, Config, ConfigError

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
