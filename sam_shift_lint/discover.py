"""Which files to check: explicit files, directories walked recursively, or standard input.

A directory that cannot be listed is not skipped silently: it becomes a :class:`Source` with an ``error``
(reported like a file that cannot be read), and the walk goes on with the rest.
"""
from __future__ import annotations

import errno
import os
from collections.abc import Callable, Iterator

from sam_shift_lint.records import record

TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")
SKIPPED_DIRECTORIES = {"node_modules", ".aws-sam", "__pycache__", "cdk.out", ".venv", "venv"}


@record
class Source:
    """A file to check. ``raw`` is set for standard input; ``explicit`` when the user named it; ``error`` when
    it could not even be listed (a directory that cannot be read)."""

    path: str
    display: str
    explicit: bool
    raw: bytes | None = None
    error: str | None = None


def iter_sources(paths: list[str], stdin_filename: str | None, read_stdin: Callable[[], bytes]) -> Iterator[Source]:
    for path in paths:
        if path == "-":
            yield Source(stdin_filename or "-", stdin_filename or "-", True, read_stdin())
        elif os.path.isdir(path):
            yield from _walk(path)
        else:
            yield Source(path, path, True)


def _walk(directory: str) -> Iterator[Source]:
    failed: list[OSError] = []
    for root, dirs, files in os.walk(directory, onerror=failed.append):
        yield from _unlisted(failed)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRECTORIES)
        for name in sorted(files):
            if name.lower().endswith(TEMPLATE_SUFFIXES):
                path = os.path.join(root, name)
                yield Source(path, path, False)
    yield from _unlisted(failed)


def _unlisted(failed: list[OSError]) -> Iterator[Source]:
    """A Source with an error for each directory ``os.walk`` could not list since the last call."""
    while failed:
        error = failed.pop(0)
        path = os.fsdecode(error.filename) if error.filename is not None else "?"
        yield Source(path, path, False, error=f"cannot read directory: {_reason(error)}")


def _reason(error: OSError) -> str:
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return error.strerror or str(error)
