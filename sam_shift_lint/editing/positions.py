"""Where things are in a parsed file's text: line/column of offsets, line starts, indentation, where a node's
own text ends and where a sequence item's dash is; and the error every edit raises when it cannot be made safely."""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from sam_shift_lint.findings import Edit
from sam_shift_lint.parsing.lines import (
    DEFAULT_NEWLINE,
    YAML_1_1_BREAKS,
    YAML_BREAK,
    break_pattern,
    has_yaml_1_1_breaks,
    line_starts,
)
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, Sequence

_BLANK_BEFORE = " \t" + YAML_1_1_BREAKS  # what check_lines_read_alike looks past for the token before a line
# What ends the text of a block scalar: spaces, tabs and line breaks (not other Unicode white space, which is content).
_TRAILING = " \t\r\n\x85\u2028\u2029"


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
        last_value = next(reversed(node.entries.values()))[1]  # not list(...)[-1]: Resources may be long
        return content_end(last_value, text)
    if isinstance(node, Sequence) and not node.flow and node.items:
        return content_end(node.items[-1], text)
    if isinstance(node, Scalar) and node.style in ("|", ">") and text:
        source = text[node.span.start:node.span.end]
        header = YAML_BREAK.split(source, 1)[0].split("#", 1)[0]
        if "+" not in header:
            return node.span.start + _block_scalar_length(source, len(header))
    return node.span.end


def _block_scalar_length(source: str, header_length: int) -> int:
    """How much of a block scalar's source is its text: up to its last non-blank character, and past it the
    lines of spaces more indented than its content (``|`` then a line of 10 spaces at indentation 8 holds two
    spaces of value: a line added before them would take them out of the scalar)."""
    trimmed = len(source.rstrip(_TRAILING))
    if " " not in source[trimmed:]:
        return trimmed
    body = YAML_BREAK.split(source[header_length:], 1)[-1]
    first = next((line for line in YAML_BREAK.split(body) if line.strip(" \t")), "")
    indent = len(first) - len(first.lstrip(" "))
    end = trimmed
    breaks = list(YAML_BREAK.finditer(source, trimmed))
    for index, match in enumerate(breaks):  # each line after the last non-blank one
        line_end = breaks[index + 1].start() if index + 1 < len(breaks) else len(source)
        line = source[match.end():line_end]
        if len(line) - len(line.lstrip(" ")) > indent:
            end = line_end
    return end


def last_leaf(node: Node) -> Node:
    """The node whose text ends ``node``'s text (the leaf :func:`content_end` follows)."""
    while True:
        if isinstance(node, Mapping) and node.short_tag is not None and node.entries:
            argument = next(iter(node.entries.values()))[1]
            if (isinstance(argument, (Mapping, Sequence)) and not argument.flow) or (
                isinstance(argument, Scalar) and argument.style in ("|", ">")
            ):
                node = argument
                continue
            return node
        if isinstance(node, Mapping) and not node.flow and node.entries:
            node = next(reversed(node.entries.values()))[1]
        elif isinstance(node, Sequence) and not node.flow and node.items:
            node = node.items[-1]
        else:
            return node


def clips_at_end(node: Node, text: str) -> bool:
    """Does ``node`` end with a block scalar that does not strip its final line break (``|``, ``>``, ``|+``...)?
    At the end of a file without a final newline such a scalar has no final line break; a line added after it
    would give it one, and change its value."""
    leaf = last_leaf(node)
    if not (isinstance(leaf, Scalar) and leaf.style in ("|", ">")):
        return False
    header = YAML_BREAK.split(text[leaf.span.start:leaf.span.end], 1)[0].split("#", 1)[0]
    return "-" not in header


class SourceText:
    """Offsets of one file's text turned into lines, columns, indentation and :class:`Edit` objects. Lines are
    broken where the file's parser breaks them (:mod:`sam_shift_lint.parsing.lines`), so positions agree with
    the parser's, and a line added to the file ends as the line it follows does (:meth:`newline_at`)."""

    def __init__(self, text: str, format: str = "yaml", newline: str = DEFAULT_NEWLINE) -> None:
        self.text = text
        self.format = format
        self.breaks: re.Pattern[str] = break_pattern(format)
        self.default_newline = newline
        self.line_starts: list[int] = line_starts(text, format)

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
        """Where the line holding ``offset`` begins (``offset`` itself when it begins a line)."""
        return self.line_starts[bisect.bisect_right(self.line_starts, offset) - 1]

    def line_end(self, offset: int) -> int:
        """Where the line holding ``offset`` ends: the offset of its line break, or the end of the text."""
        index = bisect.bisect_right(self.line_starts, offset)
        if index >= len(self.line_starts):
            return len(self.text)
        return self.line_starts[index] - len(self.ending_of(index - 1))

    def next_line_start(self, offset: int) -> int | None:
        """Where the line after the one holding ``offset`` begins (None: it is the last line)."""
        index = bisect.bisect_right(self.line_starts, offset)
        return self.line_starts[index] if index < len(self.line_starts) else None

    def ending_of(self, line_index: int) -> str:
        """The line break ending the line with 0-based index ``line_index`` ("" for the last line)."""
        if line_index + 1 >= len(self.line_starts):
            return ""
        end = self.line_starts[line_index + 1]
        return "\r\n" if self.text.startswith("\r\n", end - 2) and end - 2 >= self.line_starts[line_index] else self.text[end - 1]

    def has_break(self, text: str) -> bool:
        """Does ``text`` (a part of this file) hold a line break?"""
        return self.breaks.search(text) is not None

    def newline_at(self, offset: int) -> str:
        """The line break for lines added at ``offset``: the ending of the line they follow. That is the line
        holding ``offset`` when ``offset`` is inside a line, the line above when it starts one; where that line
        has no ending (the last line of a file without a final newline), the nearest line above with one; the
        first line's ending at the start of the file. The file's own line ending (``default_newline``) instead
        when no line has an ending, when that ending is inside a scalar written over several lines (part of a
        value), or when it is a NEL, U+2028 or U+2029 in a file whose line ending is something else (a YAML 1.2
        parser would read it as content after the added lines' last value)."""
        index = bisect.bisect_right(self.line_starts, offset) - 1
        if offset == self.line_starts[index] and index > 0:
            index -= 1
        if not self.ending_of(index) and index > 0:
            index -= 1  # only the last line has no ending
        ending = self.ending_of(index)
        if not ending or ending == self.default_newline or ending in YAML_1_1_BREAKS:
            return self.default_newline
        return self.default_newline if self.inside_scalar(self.line_starts[index + 1] - len(ending)) else ending

    def opening(self, offset: int) -> str:
        """What lines inserted at ``offset`` (the start of a line) begin with: nothing, or the file's line ending
        when the break before ``offset`` is a NEL, U+2028 or U+2029 that is not the file's line ending. A YAML 1.2
        parser does not start a line there (after a comment it reads on at the same column), so the added lines
        go after a line break every YAML version reads as one; to libyaml that is one blank line more."""
        if offset > 0 and self.text[offset - 1] in YAML_1_1_BREAKS and self.text[offset - 1] != self.default_newline:
            return self.default_newline
        return ""

    def check_lines_read_alike(self, offsets: Iterable[int]) -> None:
        """Raise EditError when every line holding one of ``offsets`` (the keys or dashes of the block collection a
        fix adds to) starts after a NEL, U+2028 or U+2029 that is not the file's line ending and that ends a line
        whose last token is an indicator, a quoted value or a comment. A YAML 1.2 parser reads such a line on at the
        column the break left it at, so lines added with the collection's indentation would not line up with it
        there. (When only some lines do, or the break follows a plain value, which it then continues, YAML 1.2
        rejects the original already: there is nothing to keep.)"""
        if not has_yaml_1_1_breaks(self.text):
            return
        seen = False
        for offset in offsets:
            seen = True
            start = self.line_start(offset)
            if not self.opening(start):
                return
            end = start - 1  # back to the token before, past blank lines too (no copy of the text: one per key)
            while end > 0 and self.text[end - 1] in _BLANK_BEFORE:
                end -= 1
            line = self.text[self.line_start(end):end] if end else ""
            if not (line.endswith((":", "'", '"', "}", "]", ",", "-")) or line.lstrip(" \t").startswith("#") or " #" in line):
                return
        if seen:
            raise EditError("the collection's lines follow a line break YAML 1.2 does not read as one")

    def inside_scalar(self, offset: int) -> bool:
        """Is the character at ``offset`` inside a scalar written over more than one line? (Unknown here, without
        the node tree: no; :class:`~sam_shift_lint.editing.textedit.TextEditor` knows.)"""
        return False

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
