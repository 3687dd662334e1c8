"""A strict JSON parser that keeps the source span of every key and value.

The standard library's ``json`` gives no positions; this recursive-descent parser reuses its
C-accelerated string scanner and reports errors with a line and column.
"""
from __future__ import annotations

import bisect
import functools
import json.decoder
import re
from collections.abc import Callable

from sam_shift_lint.lazy_pattern import lazy_compile
from sam_shift_lint.parsing.errors import MAX_DEPTH, MAX_INT_DIGITS, shorten
from sam_shift_lint.parsing.lines import line_starts
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, Sequence, Span

_WHITESPACE = lazy_compile(r"[ \t\n\r]*")
_NUMBER = lazy_compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
# json.decoder.scanstring (the C scanner when built): (text, index after the opening quote, strict) -> (the
# decoded string, index after the closing quote)
_ScanString = Callable[[str, int, bool], tuple[str, int]]
_scanstring: _ScanString = json.decoder.scanstring  # type: ignore[attr-defined]  # public at runtime, not in typeshed


@functools.cache
def _surrogate() -> re.Pattern[str]:
    """A lone surrogate left by a ``\\uXXXX`` escape. Compiled on first use (only a string with such an escape is
    searched): the character class of 2,048 code points costs a one-template run about half a percent."""
    return re.compile(r"[\ud800-\udfff]")


class JsonSyntaxError(Exception):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"{line}:{column}: {message}")
        self.message = message
        self.line = line
        self.column = column


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.line_starts: list[int] = line_starts(text, "json")

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def span(self, start: int, end: int) -> Span:
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Span(line, column, end_line, end_column, start, end)

    def error(self, message: str, offset: int) -> JsonSyntaxError:
        line, column = self.position(offset)
        return JsonSyntaxError(f"JSON syntax error: {message}", line, column)

    def skip(self, offset: int) -> int:
        match = _WHITESPACE.match(self.text, offset)
        assert match is not None  # the pattern matches the empty string
        return match.end()

    def parse(self) -> Node:
        offset = self.skip(0)
        node, offset = self.value(offset, 0)
        offset = self.skip(offset)
        if offset != len(self.text):
            raise self.error("extra data after the document", offset)
        return node

    def value(self, offset: int, depth: int) -> tuple[Node, int]:
        if depth > MAX_DEPTH:
            raise self.error("nesting too deep", offset)
        text = self.text
        if offset >= len(text):
            raise self.error("unexpected end of file", offset)
        char = text[offset]
        if char == "{":
            return self.mapping(offset, depth)
        if char == "[":
            return self.sequence(offset, depth)
        if char == '"':
            value, end = self.string(offset)
            return Scalar(value, self.span(offset, end), '"'), end
        for literal, constant in (("true", True), ("false", False), ("null", None)):
            if text.startswith(literal, offset):
                end = offset + len(literal)
                return Scalar(constant, self.span(offset, end)), end
        match = _NUMBER.match(text, offset)
        if match and match.end() > offset:
            raw = match.group(0)
            if match.group(1) or match.group(2):
                number: int | float = float(raw)
            elif len(raw) - raw.startswith("-") > MAX_INT_DIGITS:  # int() refuses them (cfn-lint: E0000)
                raise JsonSyntaxError(f"integer too large (more than {MAX_INT_DIGITS} digits)", *self.position(offset))
            else:
                number = int(raw)
            return Scalar(number, self.span(offset, match.end())), match.end()
        raise self.error(f"unexpected character {char!r}", offset)

    def string(self, offset: int) -> tuple[str, int]:
        try:
            value, end = _scanstring(self.text, offset + 1, True)
        except json.decoder.JSONDecodeError as error:
            raise self.error(error.msg, error.pos) from None
        if self.text.find("\\u", offset, end) != -1 and _surrogate().search(value):
            raise self.error("unpaired surrogate escape (not valid Unicode)", offset)
        return value, end

    def mapping(self, offset: int, depth: int) -> tuple[Mapping, int]:
        start = offset
        node = Mapping(self.span(offset, offset), flow=True)
        offset = self.skip(offset + 1)
        if self.text.startswith("}", offset):
            node.span = self.span(start, offset + 1)
            return node, offset + 1
        while True:
            if not self.text.startswith('"', offset):
                raise self.error("expected a string key", offset)
            key_value, key_end = self.string(offset)
            key = Scalar(key_value, self.span(offset, key_end), '"')
            if key_value in node.entries:
                first = node.entries[key_value][0].span
                raise self.error(f"duplicate key '{shorten(key_value)}' (first defined at line {first.line})", offset)
            offset = self.skip(key_end)
            if not self.text.startswith(":", offset):
                raise self.error("expected ':'", offset)
            offset = self.skip(offset + 1)
            value, offset = self.value(offset, depth + 1)
            node.entries[key_value] = (key, value)
            offset = self.skip(offset)
            if self.text.startswith(",", offset):
                offset = self.skip(offset + 1)
                continue
            if self.text.startswith("}", offset):
                node.span = self.span(start, offset + 1)
                return node, offset + 1
            raise self.error("expected ',' or '}'", offset)

    def sequence(self, offset: int, depth: int) -> tuple[Sequence, int]:
        start = offset
        node = Sequence(self.span(offset, offset), flow=True)
        offset = self.skip(offset + 1)
        if self.text.startswith("]", offset):
            node.span = self.span(start, offset + 1)
            return node, offset + 1
        while True:
            value, offset = self.value(offset, depth + 1)
            node.items.append(value)
            offset = self.skip(offset)
            if self.text.startswith(",", offset):
                offset = self.skip(offset + 1)
                continue
            if self.text.startswith("]", offset):
                node.span = self.span(start, offset + 1)
                return node, offset + 1
            raise self.error("expected ',' or ']'", offset)


def parse_json(text: str) -> Node:
    return _Parser(text).parse()
