"""Which files to check: explicit files, directories walked recursively, or standard input."""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")
SKIPPED_DIRECTORIES = {"node_modules", ".aws-sam", "__pycache__", "cdk.out", ".venv", "venv"}


@dataclass
class Source:
    """A file to check. ``raw`` is set for standard input; ``explicit`` when the user named it."""

    path: str
    display: str
    explicit: bool
    raw: bytes | None = None


def iter_sources(paths: list[str], stdin_filename: str | None, read_stdin: Callable[[], bytes]) -> Iterator[Source]:
    for path in paths:
        if path == "-":
            yield Source(stdin_filename or "-", stdin_filename or "-", True, read_stdin())
        elif os.path.isdir(path):
            yield from _walk(path)
        else:
            yield Source(path, path, True)


def _walk(directory: str) -> Iterator[Source]:
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRECTORIES)
        for name in sorted(files):
            if name.lower().endswith(TEMPLATE_SUFFIXES):
                path = os.path.join(root, name)
                yield Source(path, path, False)
