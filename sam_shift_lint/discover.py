"""Which files to check: explicit files, directories walked recursively, or standard input."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterator, List, Optional

TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")
SKIPPED_DIRECTORIES = {"node_modules", ".aws-sam", "__pycache__", "cdk.out", ".venv", "venv"}
MARKER = b"AWS::Serverless"
# The marker as UTF-16 text, so a SAM template saved as UTF-16 is reported (unsupported) rather than skipped.
WIDE_MARKERS = (MARKER.decode().encode("utf-16-le"), MARKER.decode().encode("utf-16-be"))


@dataclass
class Source:
    """A file to check. ``raw`` is set for standard input; ``explicit`` when the user named it."""

    path: str
    display: str
    explicit: bool
    raw: Optional[bytes] = None


def iter_sources(paths: List[str], stdin_filename: Optional[str], read_stdin) -> Iterator[Source]:  # type: ignore[no-untyped-def]
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


def mentions_serverless(raw: bytes) -> bool:
    """A SAM template names ``AWS::Serverless`` (its Transform or a resource type); anything else is skipped."""
    return MARKER in raw or any(marker in raw for marker in WIDE_MARKERS)


def mentions_iam(raw: bytes) -> bool:
    """A policy file, or a template that may hold a deploy role, has a ``Statement``; whether it really is
    one is decided once the file is parsed."""
    return b"Statement" in raw


def is_binary(raw: bytes) -> bool:
    """NUL bytes: not a UTF-8 text file (a named one is reported even though it cannot mention SAM)."""
    return b"\x00" in raw
