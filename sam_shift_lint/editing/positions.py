"""Where things are in a parsed file's text: line/column of offsets, line starts, indentation, where a node's
own text ends and where a sequence item's dash is; and the error every edit raises when it cannot be made safely."""
from __future__ import annotations

import bisect
import functools
import re

from sam_shift_lint.findings import Edit
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, Sequence


class EditError(Exception):
    """The edit cannot be made safely here (the fix is then withheld)."""


def content_end(node: Node, text: str = "") -> int:
    """Offset just after the last character that belongs to ``node`` (block collections end at their last leaf).

    The parser's end of a block collection is the start of the next token, past blank lines, comments and
    the next key's indentation; a block scalar's end is past its trailing blank lines. Neither is where
    the node's text ends, so block collections are followed to their last leaf (also inside a short-form
    intrinsic such as ``!If`` followed by a block sequence) and a block scalar ends at its last non-blank
    character, unless it keeps trailing newlines (``|+``), which then belong to its value."""
    if isinstance(node, Mapping) and node.short_tag is not None and node.entries:
        argument = next(iter(node.entries.values()))[1]
        if isinstance(argument, (Mapping, Sequence)) and not argument.flow:
            return content_end(argument, text)
        if isinstance(argument, Scalar) and argument.style in ("|", ">"):
            return content_end(argument, text)
        return node.span.end
    if isinstance(node, Mapping) and not node.flow and node.entries:
        last_value = list(node.entries.values())[-1][1]
        return content_end(last_value, text)
    if isinstance(node, Sequence) and not node.flow and node.items:
        return content_end(node.items[-1], text)
    if isinstance(node, Scalar) and node.style in ("|", ">") and text:
        source = text[node.span.start:node.span.end]
        header = source.split("\n", 1)[0].split("#", 1)[0]
        if "+" not in header:
            return node.span.start + len(source.rstrip())
    return node.span.end


@functools.lru_cache(maxsize=8)
def _line_starts(text: str) -> list[int]:
    """Offsets where lines begin; cached because every fix of a file builds an editor on the same text."""
    return [0] + [match.end() for match in re.finditer("\n", text)]


class SourceText:
    """Offsets of one file's text turned into lines, columns, indentation and :class:`Edit` objects."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts: list[int] = _line_starts(text)

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column), both from 1."""
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def line_of(self, node: Node) -> int:
        return self.position(node.span.start)[0]

    def edit(self, start: int, end: int, content: str) -> Edit:
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Edit(start, end, content, line, column, end_line, end_column)

    def line_start(self, offset: int) -> int:
        return self.text.rfind("\n", 0, offset) + 1

    def leading_whitespace(self, offset: int) -> str:
        start = self.line_start(offset)
        end = start
        while end < len(self.text) and self.text[end] in " \t":
            end += 1
        return self.text[start:end]

    def dash_offset(self, item: Node) -> tuple[int, str]:
        """(offset of the ``-`` before a block sequence item, the gap between dash and item)."""
        start = item.span.start
        if isinstance(item, Mapping) and item.short_tag is None and item.entries:
            start = next(iter(item.entries.values()))[0].span.start
        position = start - 1
        while position >= 0 and self.text[position] == " ":
            position -= 1
        if position < 0 or self.text[position] != "-":
            raise EditError("cannot find the dash of a sequence item")
        if self.text[self.line_start(position):position].strip():
            raise EditError("compact nested sequences are not edited")
        return position, self.text[position + 1:start]
