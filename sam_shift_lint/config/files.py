"""Finding and reading configuration files.

For a file, the configuration is the closest one found walking up from its directory (as ruff does): in each
directory ``.sam-shift-lint.toml`` (the whole file is the table) and then ``pyproject.toml`` (only with a
``[tool.sam-shift-lint]`` table; without one it does not count and the walk goes on), up to the filesystem
root. Settings are not merged across files: the closest one applies alone.

Each directory is looked at once per process (:class:`ConfigFinder` caches the answer for every directory on
the way), and the TOML reader is imported only when a file is read. A ``pyproject.toml`` whose text does not
contain ``sam-shift-lint`` cannot hold the table and is not parsed at all.
"""
from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from sam_shift_lint.config import ConfigError
from sam_shift_lint.parsing.document import read_bytes
from sam_shift_lint.parsing.errors import DocumentError

if TYPE_CHECKING:  # the keys and their checks load only when a configuration file is read
    from sam_shift_lint.config.schema import Config

DOTFILE = ".sam-shift-lint.toml"
PYPROJECT = "pyproject.toml"
TABLE = "sam-shift-lint"
PYPROJECT_PREFIX = f"tool.{TABLE}."
MAX_CONFIG_BYTES = 1024 * 1024


def _toml_loads(text: str) -> dict[str, Any]:
    """TOML's reader, imported only when a configuration file is read: ``tomllib``, or on Python 3.10 its
    backport ``tomli`` (a dependency there)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    result: dict[str, Any] = tomllib.loads(text)
    return result


def _read_toml(path: str) -> dict[str, Any] | None:
    """The file's TOML data; None for a ``pyproject.toml`` that cannot hold our table."""
    try:
        raw = read_bytes(path, MAX_CONFIG_BYTES)
    except DocumentError as error:
        raise ConfigError(path, "", f"cannot read: {error}") from None
    if os.path.basename(path) == PYPROJECT and TABLE.encode() not in raw:
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ConfigError(path, "", f"not valid UTF-8 (byte offset {error.start})") from None
    try:
        return _toml_loads(text.removeprefix("\ufeff"))
    except ValueError as error:  # tomllib.TOMLDecodeError
        raise ConfigError(path, "", f"invalid TOML: {str(error).splitlines()[0][:200]}") from None


def load_config(path: str, root: str | None = None, required: bool = True) -> Config | None:
    """The configuration in ``path`` (a ``.sam-shift-lint.toml``, a ``pyproject.toml`` or any TOML file written
    like ``.sam-shift-lint.toml``). ``root``: where relative paths are resolved from (default: the file's
    directory). ``required``: a ``pyproject.toml`` without the table is an error (else None)."""
    path = os.path.abspath(path)
    data = _read_toml(path)
    pyproject = os.path.basename(path) == PYPROJECT
    table: Any = data
    if pyproject:
        tool = (data or {}).get("tool")
        table = tool.get(TABLE) if isinstance(tool, dict) else None
        if table is None:
            if required:
                raise ConfigError(path, "", f"has no [tool.{TABLE}] table")
            return None
        if not isinstance(table, dict):
            raise ConfigError(path, f"tool.{TABLE}", "must be a table")
    assert isinstance(table, dict)
    from sam_shift_lint.config.schema import read_table

    base = os.path.abspath(root) if root is not None else os.path.dirname(path)
    return read_table(table, path, base, PYPROJECT_PREFIX if pyproject else "", find_repository(base))


class ConfigFinder:
    """The closest configuration for each directory, each directory looked at once. A broken configuration is
    remembered too: every file below it gets the same :class:`ConfigError`."""

    def __init__(self) -> None:
        self._by_directory: dict[str, Config | ConfigError | None] = {}

    def for_file(self, path: str) -> Config | None:
        """The configuration for the file ``path`` (``-`` or empty: the current directory's)."""
        directory = os.getcwd() if path in ("", "-") else os.path.dirname(os.path.abspath(path))
        return self.for_directory(directory)

    def for_directory(self, directory: str) -> Config | None:
        directory = os.path.abspath(directory)
        walked: list[str] = []
        found: Config | ConfigError | None = None
        current = directory
        while True:
            if current in self._by_directory:
                found = self._by_directory[current]
                break
            walked.append(current)
            found = self._here(current)
            if found is not None:
                break
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        for seen in walked:
            self._by_directory[seen] = found
        if isinstance(found, ConfigError):
            raise found
        return found

    @staticmethod
    def _here(directory: str) -> Config | ConfigError | None:
        for name in (DOTFILE, PYPROJECT):
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate):
                try:
                    config = load_config(candidate, required=False)
                except ConfigError as error:
                    return error
                if config is not None:
                    return config
        return None


_REPOSITORIES: dict[str, str | None] = {}


def find_repository(directory: str) -> str | None:
    """The top of the git working tree holding ``directory`` (the closest ancestor with a ``.git`` entry, a
    directory or, in a worktree or submodule, a file), or None; found without running git, cached."""
    directory = os.path.abspath(directory)
    walked = []
    current = directory
    result: str | None = None
    while True:
        if current in _REPOSITORIES:
            result = _REPOSITORIES[current]
            break
        walked.append(current)
        if os.path.lexists(os.path.join(current, ".git")):
            result = current
            break
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    for seen in walked:
        _REPOSITORIES[seen] = result
    return result
