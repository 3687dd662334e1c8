"""Running the command for the report tests, and reading what SARIF says about files (imported by name:
conftest.py puts this directory on ``sys.path``)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from sam_shift_lint.checks.registry import FILE_ERROR

BIN_DIR = Path(os.path.dirname(os.path.abspath(sys.executable)))
FILE_ERROR_ID = FILE_ERROR.META.id
SAM_HEADER = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n"
# The line breaks SARIF counts when a run does not say (run.newlineSequences): CR LF and LF.
DEFAULT_NEWLINE_SEQUENCES = ("\r\n", "\n")


def executable(name: str) -> str:
    return str(BIN_DIR / name)


def run_cli(
    *args: str, cwd: Path | str | None = None, env: Mapping[str, str] | None = None, stdin: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    """``sam-shift-lint ARGS`` in a clean environment (no colour variables unless ``env`` sets them)."""
    environment = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    environment.update(env or {})
    return subprocess.run(
        [executable("sam-shift-lint"), *args],
        cwd=cwd,
        env=environment,
        input=stdin.decode() if stdin is not None else None,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def sam_function(name: str = "Fn", extra: str = "") -> str:
    """A SAM template with one function lacking alias and preference (W9101 + W9102)."""
    return (
        SAM_HEADER
        + f"Resources:\n  {name}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: a.b\n"
        + "      Runtime: python3.12\n"
        + extra
    )


def artifact_path(location: dict[str, Any], base_uris: dict[str, Any], cwd: Path) -> Path:
    """The file an ``artifactLocation`` names (relative URIs resolved against their base's URI)."""
    uri = location["uri"]
    if "uriBaseId" in location:
        base = urlparse(base_uris[location["uriBaseId"]]["uri"])
        return Path(unquote(base.path)) / unquote(uri)
    parsed = urlparse(uri)
    assert parsed.scheme == "file", uri
    return Path(unquote(parsed.path))


def sarif_lines(text: str, newline_sequences: Sequence[str] = DEFAULT_NEWLINE_SEQUENCES) -> list[str]:
    """The file's lines as SARIF counts them with the run's ``newlineSequences``, each with its line break."""
    breaks = "|".join(re.escape(sequence) for sequence in sorted(newline_sequences, key=len, reverse=True))
    return re.findall(rf"(?:(?!{breaks}).)*(?:{breaks})|(?:(?!{breaks}).)+$", text, re.DOTALL)


def region_problems(region: dict[str, int], text: str, newline_sequences: Sequence[str] = DEFAULT_NEWLINE_SEQUENCES) -> list[str]:
    """Why ``region`` does not lie within ``text`` (SARIF's rules: a position is at most one past the last
    character of its line, line break included; nothing lies past the last line)."""
    lines = sarif_lines(text, newline_sequences)
    problems = []
    start = (region["startLine"], region.get("startColumn", 1))
    end = (region.get("endLine", start[0]), region.get("endColumn"))
    for name, (line, column) in (("start", start), ("end", end)):
        if line < 1 or line > max(1, len(lines)):
            problems.append(f"{name} line {line} of {len(lines)}")
        elif column is not None and lines and column > len(lines[line - 1]) + 1:
            problems.append(f"{name} column {column} past line {line} ({len(lines[line - 1])} characters)")
    if end[1] is not None and (end[0], end[1]) < start:
        problems.append(f"ends before it starts: {start} {end}")
    return problems


def decoded(path: Path) -> tuple[str, bool]:
    """A file's text as the tool reads it (UTF-8, BOM removed, line breaks kept) and whether it had a BOM."""
    raw = path.read_bytes()
    bom = raw.startswith(b"\xef\xbb\xbf")
    return raw.decode("utf-8-sig" if bom else "utf-8"), bom


def apply_replacements(text: str, replacements: list[dict[str, Any]]) -> str:
    """SARIF replacements (charOffset/charLength into the unmodified text) applied together; they must not
    overlap."""
    ordered = sorted(replacements, key=lambda item: (item["deletedRegion"]["charOffset"], item["deletedRegion"].get("charLength", 0)))
    out, position = [], 0
    for item in ordered:
        start = item["deletedRegion"]["charOffset"]
        end = start + item["deletedRegion"].get("charLength", 0)
        assert position <= start <= end <= len(text), (position, start, end, len(text))
        out += [text[position:start], item.get("insertedContent", {}).get("text", "")]
        position = end
    return "".join(out) + text[position:]
