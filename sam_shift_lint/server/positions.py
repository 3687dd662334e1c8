"""Offsets into a buffer's text (Python string indexes: code points, what the parsers' spans hold) to LSP
positions and back.

LSP lines end at ``\\n``, ``\\r\\n`` or ``\\r`` only (not at U+2028 or NEL, which YAML also breaks at), and a
position's character counts code units of the negotiated encoding: UTF-16 unless the client offered another
(``general.positionEncodings``), so a character outside the BMP (an emoji) counts two. Every conversion goes
through offsets, never through the parsers' line numbers.
"""
from __future__ import annotations

import bisect
import re

_LSP_BREAK = re.compile(r"\r\n|\r|\n")
UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def units(text: str, encoding: str = UTF16) -> int:
    """How many code units of ``encoding`` ``text`` takes."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


class LineIndex:
    """The LSP lines of one text."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self.encoding = encoding
        self.starts = [0] + [match.end() for match in _LSP_BREAK.finditer(text)]

    def line_end(self, line: int) -> int:
        """The offset where ``line``'s text ends (before its line break)."""
        if line + 1 < len(self.starts):
            end = self.starts[line + 1]
            while end > self.starts[line] and self.text[end - 1] in "\r\n":
                end -= 1
            return end
        return len(self.text)

    def position(self, offset: int) -> tuple[int, int]:
        """(line, character) of ``offset``, both from 0; an offset past the end is the end, one inside a CR LF
        pair is the end of its line."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        offset = min(offset, self.line_end(line))
        return line, units(self.text[start:offset], self.encoding)

    def offset(self, line: int, character: int) -> int:
        """The offset of an LSP position; a character past the end of its line is the line's end, a line past
        the last is the end of the text (as the LSP specification says to treat them)."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[line], self.line_end(line)
        if self.encoding == UTF32:
            return min(start + max(character, 0), end)
        counted = 0
        position = start
        while position < end and counted < character:
            char = self.text[position]
            counted += units(char, self.encoding)
            position += 1
        return position
