"""Apply a unified diff: exactly (no fuzz, no whitespace tolerance) in Python, or with the real ``git apply``."""
from __future__ import annotations

import os
import re
import subprocess
import tempfile

_HUNK = re.compile(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
NO_NEWLINE = "\\ No newline at end of file\n"


class PatchError(Exception):
    pass


def _lines(text: str) -> list[str]:
    """Lines split at ``\\n`` only, as ``git`` and the tool's diffs split them."""
    return re.findall(r"[^\n]*\n|[^\n]+", text)


def apply_unified(before: str, diff: str) -> str:
    """``before`` with the one-file unified ``diff`` applied; PatchError when a hunk does not match exactly."""
    old = _lines(before)
    lines = _lines(diff)
    index = 0
    while index < len(lines) and not lines[index].startswith("@@"):
        index += 1
    out: list[str] = []
    position = 0  # next unconsumed line of ``old``
    while index < len(lines):
        match = _HUNK.match(lines[index])
        if not match:
            raise PatchError(f"expected a hunk header, got {lines[index]!r}")
        start = int(match.group(1)) - (0 if match.group(2) == "0" else 1)
        if start < position:
            raise PatchError("overlapping hunks")
        out.extend(old[position:start])
        position = start
        index += 1
        removed: list[str] = []
        added: list[str] = []
        while index < len(lines) and not lines[index].startswith("@@"):
            line = lines[index]
            if line == NO_NEWLINE:
                previous = lines[index - 1][:1]
                if previous in (" ", "-"):
                    removed[-1] = removed[-1][:-1]
                if previous in (" ", "+"):
                    added[-1] = added[-1][:-1]
            elif line[:1] == " ":
                removed.append(line[1:])
                added.append(line[1:])
            elif line[:1] == "-":
                removed.append(line[1:])
            elif line[:1] == "+":
                added.append(line[1:])
            else:
                raise PatchError(f"unexpected diff line {line!r}")
            index += 1
        if old[position: position + len(removed)] != removed:
            raise PatchError(f"hunk at line {start + 1} does not match the original")
        out.extend(added)
        position += len(removed)
    out.extend(old[position:])
    return "".join(out)


def git_apply(name: str, before: bytes, diff: bytes, timeout: float = 30) -> bytes:
    """The bytes of ``name`` after ``git apply`` of ``diff`` in a scratch repository holding ``before``."""
    with tempfile.TemporaryDirectory(prefix="fuzz-git-") as root:
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(before)
        patch = os.path.join(root, ".fuzz.patch")
        with open(patch, "wb") as handle:
            handle.write(diff)
        environment = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "HOME": root}
        subprocess.run(["git", "init", "-q", root], check=True, capture_output=True, timeout=timeout, env=environment)
        completed = subprocess.run(
            ["git", "apply", "--whitespace=nowarn", ".fuzz.patch"], cwd=root, capture_output=True, timeout=timeout, env=environment
        )
        if completed.returncode != 0:
            raise PatchError(f"git apply failed: {completed.stderr.decode(errors='replace').strip()[:300]}")
        with open(path, "rb") as handle:
            return handle.read()
