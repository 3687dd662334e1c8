"""Line breaks as the parsers count them, so that positions and edits agree with the parser's marks.

YAML is read by libyaml (YAML 1.1, as cfn-lint and the SAM CLI read it), which breaks lines at CRLF, CR, LF,
NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR (U+2029); YAML 1.2 keeps only CRLF, CR and LF,
but the node positions come from libyaml, so YAML text is split the libyaml way. JSON breaks lines at CRLF,
CR and LF only (U+2028 is an ordinary character inside a JSON string).

Not every line break is one of the file's line endings: a quoted or plain scalar written over several lines holds
line breaks of its own (``'a<U+2028>b'`` is two lines to libyaml), which are part of its value. The file's line
ending (:func:`file_newline`) is found among the other breaks, and NEL, U+2028 and U+2029 are a line ending only
in a file that breaks its lines with nothing else: YAML 1.2 parsers (ruamel.yaml) read them as content after a
plain scalar, so a line ``key: value<U+2028>`` added to a file that such a parser accepted would break it.
"""
from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable

from sam_shift_lint.lazy_pattern import lazy_compile
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, Sequence

YAML_LINE_BREAKS = "\r\n\x85\u2028\u2029"  # the characters libyaml breaks lines at (CR LF is one break)
YAML_1_1_BREAKS = "\x85\u2028\u2029"  # line breaks to YAML 1.1 only (YAML 1.2 reads them as content)
# The same as the sequences SARIF's ``run.newlineSequences`` lists (CR LF first: one break, not two).
YAML_NEWLINE_SEQUENCES = ("\r\n", "\n", "\r", "\x85", "\u2028", "\u2029")
YAML_BREAK = lazy_compile("\r\n|[\r\n\x85\u2028\u2029]")
JSON_BREAK = lazy_compile("\r\n|[\r\n]")
# Line breaks on which YAML 1.1 (libyaml, PyYAML) and YAML 1.2 (ruamel.yaml) agree.
COMMON_BREAK = lazy_compile("\r\n|\n")
DEFAULT_NEWLINE = "\n"


def break_pattern(format: str) -> re.Pattern[str]:
    """The line breaks of a document of ``format`` ("yaml" or "json")."""
    return JSON_BREAK if format == "json" else YAML_BREAK


@functools.lru_cache(maxsize=8)
def line_starts(text: str, format: str = "yaml") -> list[int]:
    """Offsets where lines begin (cached: every edit of a file builds positions on the same text)."""
    return [0, *(match.end() for match in break_pattern(format).finditer(text))]


@functools.lru_cache(maxsize=8)
def has_yaml_1_1_breaks(text: str) -> bool:
    """Does ``text`` hold a NEL, U+2028 or U+2029 (cached: every edit of a file asks about the same text)?"""
    return any(char in text for char in YAML_1_1_BREAKS)


def only_common_breaks(text: str) -> bool:
    """Does ``text`` break lines only with LF or CRLF (where every YAML version sees the same lines)?"""
    return "\r" not in COMMON_BREAK.sub("", text) and not any(char in text for char in YAML_1_1_BREAKS)


class ScalarLines:
    """Where the flow scalars (plain or quoted, keys too) written over more than one line are: the line breaks
    inside them belong to a value, and are not line endings of the file. Block scalars are left out: their lines
    are lines of the file, each indented as the structure says."""

    def __init__(self, root: Node, text: str) -> None:
        spans: list[tuple[int, int]] = []
        stack = [root]
        while stack:
            node = stack.pop()
            if isinstance(node, Mapping):
                argument = _short_form_scalar(node)
                if argument is not None:  # ``!Ref<break>X``: the break after the tag is the file's, not the value's
                    start = _value_start(text, node.span.start + len(node.short_tag or ""), argument.span.end)
                    if YAML_BREAK.search(text, start, argument.span.end):
                        spans.append((start, argument.span.end))
                    continue
                for key, value in node.entries.values():
                    stack.append(key)
                    stack.append(value)
            elif isinstance(node, Sequence):
                stack.extend(node.items)
            elif isinstance(node, Scalar) and node.span.end_line > node.span.line and node.style not in ("|", ">"):
                spans.append((node.span.start, node.span.end))
        spans.sort()
        self.starts = [start for start, _ in spans]
        self.ends = [end for _, end in spans]

    def holds(self, offset: int) -> bool:
        """Is the character at ``offset`` inside one of these scalars (not at its first character)?"""
        index = bisect.bisect_left(self.starts, offset) - 1
        return index >= 0 and offset < self.ends[index]


def _short_form_scalar(node: Mapping) -> Scalar | None:
    """The scalar a short-form tag is written on (``!Ref X``, ``!GetAtt A.b``), which the parser gives the span of
    the whole node, tag included; None for other mappings and for a tag on a list or a map."""
    if node.short_tag is None or len(node.entries) != 1:
        return None
    _, argument = next(iter(node.entries.values()))
    if isinstance(argument, Sequence) and argument.items and argument.span == node.span:
        argument = argument.items[0]  # ``!GetAtt A.b``: both parts carry the node's span
    if isinstance(argument, Scalar) and argument.span.start == node.span.start and argument.style not in ("|", ">"):
        return argument
    return None


def _value_start(text: str, offset: int, end: int) -> int:
    """Where the value begins after a tag: past spaces, tabs, line breaks and comments."""
    while offset < end:
        char = text[offset]
        if char == "#":
            while offset < end and text[offset] not in YAML_LINE_BREAKS:
                offset += 1
        elif char in " \t" or char in YAML_LINE_BREAKS:
            offset += 1
        else:
            break
    return offset


def file_newline(text: str, format: str, scalar_lines: Callable[[], ScalarLines]) -> str:
    """The file's line ending: what a line added where no line is beside it ends with (and what replaces a line
    ending that is not the file's, see :meth:`~sam_shift_lint.editing.positions.SourceText.newline_at`). It is the
    first line break outside multi-line scalars (``scalar_lines``, asked only when the text has such breaks of
    more than one kind) that every YAML version reads as one (CR LF, LF, CR); else the first NEL, U+2028 or U+2029
    outside them; LF when there is none."""
    pattern = break_pattern(format)
    first = pattern.search(text)
    if first is None:
        return DEFAULT_NEWLINE
    if format == "json" or _uniform(text, first.group()):
        return first.group()  # JSON strings hold no raw line breaks; one kind of break everywhere: that one
    inside = scalar_lines()
    loose = ""
    for match in pattern.finditer(text):
        if inside.holds(match.start()):
            continue
        if match.group() not in YAML_1_1_BREAKS:
            return match.group()
        loose = loose or match.group()
    return loose or DEFAULT_NEWLINE


def _uniform(text: str, newline: str) -> bool:
    """Does ``text`` break lines only with ``newline``, with one outside every scalar (it ends the text, or
    it is LF, the default anyway)?"""
    others = [char for char in YAML_LINE_BREAKS if char not in newline]
    if any(char in text for char in others):
        return False
    if newline == "\r\n" and not text.count("\r") == text.count("\n") == text.count("\r\n"):
        return False
    return newline == DEFAULT_NEWLINE or text.endswith(newline)
