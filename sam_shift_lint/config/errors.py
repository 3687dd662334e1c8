"""The one error a configuration file can raise (its own module, so that finding a configuration, which every
run does, loads nothing else)."""
from __future__ import annotations


class ConfigError(Exception):
    """A configuration file that cannot be used: ``path`` (the file), ``key`` (dotted, as written in the file,
    or "" for the whole file) and ``problem``. One line: ``<path>: error: <key>: <problem>``."""

    def __init__(self, path: str, key: str, problem: str) -> None:
        super().__init__(f"{key}: {problem}" if key else problem)
        self.path = path
        self.key = key
        self.problem = problem
