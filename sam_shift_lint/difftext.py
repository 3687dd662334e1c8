"""Unified diffs that ``git apply`` accepts, including CRLF lines and a missing final newline."""
from __future__ import annotations

import difflib
import os
import re

NO_NEWLINE = "\\ No newline at end of file\n"


def _diff_path(path: str) -> str:
    relative = os.path.relpath(path) if os.path.isabs(path) else os.path.normpath(path)
    return relative.replace(os.sep, "/")


def _lines(text: str) -> list[str]:
    """Lines split at ``\n`` only (keeping ``\r`` and other separators inside lines, as git does)."""
    return re.findall(r"[^\n]*\n|[^\n]+", text)


def unified_diff(path: str, before: str, after: str) -> str:
    """A ``git apply``-able diff of one file (``a/`` and ``b/`` prefixes, three lines of context)."""
    if before == after:
        return ""
    old_lines = _lines(before)
    new_lines = _lines(after)
    name = _diff_path(path)
    out: list[str] = []
    for line in difflib.unified_diff(old_lines, new_lines, f"a/{name}", f"b/{name}", n=3):
        if line.startswith(("---", "+++")):
            out.append(line.rstrip("\r\n") + "\n")
            continue
        if line.endswith("\n"):
            out.append(line)
        else:  # the last line of a file without a final newline
            out.append(line + "\n")
            out.append(NO_NEWLINE)
    header = f"diff --git a/{name} b/{name}\n"
    return header + "".join(out)
