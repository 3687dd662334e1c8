"""Unified diffs that ``git apply`` accepts, including CRLF lines, a missing final newline and file names with
control characters or bytes that are not UTF-8 (C-quoted in the headers, as git writes them)."""
from __future__ import annotations

import difflib
import os
import re

NO_NEWLINE = "\\ No newline at end of file\n"


def _diff_path(path: str) -> str:
    relative = os.path.relpath(path) if os.path.isabs(path) else os.path.normpath(path)
    return relative.replace(os.sep, "/")


# git's quote_c_style: these characters by name, every other control character, DEL and non-ASCII byte in octal
_C_ESCAPES = {0x07: "\\a", 0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0B: "\\v", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"}


def git_quoted(name: str) -> str:
    """``name`` as git writes a path in a diff header: as it is when plain, else in double quotes with C escapes
    of its bytes (``"a/x\\ny.yaml"``), which ``git apply`` reads back; so no name can break a header line."""
    raw = os.fsencode(name)
    if all(0x20 <= byte < 0x7F and byte not in (0x22, 0x5C) for byte in raw):
        return name
    quoted = "".join(
        _C_ESCAPES.get(byte) or (chr(byte) if 0x20 <= byte < 0x7F else f"\\{byte:03o}") for byte in raw
    )
    return f'"{quoted}"'


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
    old_name, new_name = git_quoted(f"a/{name}"), git_quoted(f"b/{name}")
    out: list[str] = []
    for number, line in enumerate(difflib.unified_diff(old_lines, new_lines, old_name, new_name, n=3)):
        if number < 2:  # the "---"/"+++" file headers; a later line starting so is a removed "--..." line
            out.append(line.rstrip("\r\n") + "\n")
            continue
        if line.endswith("\n"):
            out.append(line)
        else:  # the last line of a file without a final newline
            out.append(line + "\n")
            out.append(NO_NEWLINE)
    header = f"diff --git {old_name} {new_name}\n"
    return header + "".join(out)
