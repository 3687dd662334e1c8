"""Line breaks as the parsers count them, so that positions and edits agree with the parser's marks.

YAML is read by libyaml (YAML 1.1, as cfn-lint and the SAM CLI read it), which breaks lines at CRLF, CR, LF,
NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029); YAML 1.2 keeps only CRLF, CR and LF,
but the node positions come from libyaml, so YAML text is split the libyaml way. JSON breaks lines at CRLF,
CR and LF only (U+2028 is an ordinary character inside a JSON string).
"""
from __future__ import annotations

import functools
import re

YAML_LINE_BREAKS = "\r\n\x85\u2028\u2029"  # the characters libyaml breaks lines at (CR LF is one break)
YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
JSON_BREAK = re.compile("\r\n|[\r\n]")
# Line breaks on which YAML 1.1 (libyaml, PyYAML) and YAML 1.2 (ruamel.yaml) agree.
COMMON_BREAK = re.compile("\r\n|\n")
DEFAULT_NEWLINE = "\n"


def break_pattern(format: str) -> re.Pattern[str]:
    """The line breaks of a document of ``format`` ("yaml" or "json")."""
    return JSON_BREAK if format == "json" else YAML_BREAK


@functools.lru_cache(maxsize=8)
def line_starts(text: str, format: str = "yaml") -> list[int]:
    """Offsets where lines begin (cached: every edit of a file builds positions on the same text)."""
    return [0, *(match.end() for match in break_pattern(format).finditer(text))]


def first_newline(text: str, format: str = "yaml") -> str:
    """The file's first line break (LF when it has none): what a line added where no line is beside it ends with."""
    match = break_pattern(format).search(text)
    return match.group() if match else DEFAULT_NEWLINE


def only_common_breaks(text: str) -> bool:
    """Does ``text`` break lines only with LF or CRLF (where every YAML version sees the same lines)?"""
    return "\r" not in COMMON_BREAK.sub("", text) and not any(char in text for char in "\x85\u2028\u2029")
