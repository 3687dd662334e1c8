"""YAML comments, found without a second parse.

libyaml drops comments, so the text is searched for the few comments that matter (those holding a marker such
as ``sam-shift-lint:``), and the node tree of the one parse tells a comment from a ``#`` that is part of a value:
a ``#`` starts a comment where YAML says it does (at the start of a line or after a space or tab) and only outside
every scalar, key or value, quoted, plain or block. A block scalar's span starts at its ``|``/``>`` indicator, but
the rest of that header line is outside the scalar (``Code: |  # comment``).

Lines are the parser's lines: broken at LF, CR LF, CR, NEL, U+2028 and U+2029, as libyaml breaks them.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from sam_shift_lint.parsing.lines import YAML_BREAK as _BREAK
from sam_shift_lint.parsing.lines import YAML_LINE_BREAKS as LINE_BREAKS
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, Sequence


class Comment(NamedTuple):
    """A comment: ``start`` is the offset of its ``#``, ``end`` the end of its line (before the line break);
    ``own_line`` when only blanks precede it on its line."""

    start: int
    end: int
    own_line: bool

    def text(self, source: str) -> str:
        return source[self.start:self.end]


def line_start(text: str, offset: int) -> int:
    """The offset where the line holding ``offset`` starts."""
    start = offset
    while start > 0 and text[start - 1] not in LINE_BREAKS:
        start -= 1
    return start


def line_end(text: str, offset: int) -> int:
    """The offset of the line break ending the line that holds ``offset`` (or the end of the text)."""
    end = offset
    size = len(text)
    while end < size and text[end] not in LINE_BREAKS:
        end += 1
    return end


def next_line(text: str, offset: int) -> int:
    """The offset where the line after the one holding ``offset`` starts (the end of the text if none)."""
    end = line_end(text, offset)
    match = _BREAK.match(text, end)
    return match.end() if match else end


def comments_with(text: str, root: Node, marker: str) -> list[Comment]:
    """The comments of ``text`` (parsed into ``root``) that hold ``marker``, in order. Cheap when no line holds
    the marker (one substring search); otherwise one walk down the tree per candidate ``#``."""
    found: list[Comment] = []
    position = text.find(marker)
    while position >= 0:
        start = line_start(text, position)
        end = line_end(text, position)
        comment = _comment_on_line(text, root, start, end)
        if comment is not None and text.find(marker, comment.start, comment.end) >= 0:
            found.append(comment)
        position = text.find(marker, end)
    return found


def comment_on_line(text: str, root: Node, offset: int) -> Comment | None:
    """The comment on the line holding ``offset``, if it has one."""
    return _comment_on_line(text, root, line_start(text, offset), line_end(text, offset))


def _comment_on_line(text: str, root: Node, start: int, end: int) -> Comment | None:
    hash_at = text.find("#", start, end)
    while hash_at >= 0:
        if (hash_at == start or text[hash_at - 1] in " \t") and not inside_scalar(root, hash_at, text):
            return Comment(hash_at, end, not text[start:hash_at].strip(" \t\ufeff"))
        hash_at = text.find("#", hash_at + 1, end)
    return None


def inside_scalar(root: Node, offset: int, text: str) -> bool:
    """Is the character at ``offset`` part of a scalar (a key or a value)?"""
    return any(_holds(scalar, offset, text) for scalar in _scalars_around(root, offset))


def _holds(scalar: Scalar, offset: int, text: str) -> bool:
    span = scalar.span
    if not span.start <= offset < span.end:
        return False
    if scalar.style in ("|", ">"):  # the header line after the indicator is not the scalar's content
        return offset >= line_end(text, span.start)
    return True


def _scalars_around(node: Node, offset: int) -> Iterator[Scalar]:
    """The scalars (keys included) whose containers' spans hold ``offset``: a walk down one branch."""
    if isinstance(node, Scalar):
        yield node
        return
    if isinstance(node, Mapping):
        for key, value in node.entries.values():
            if key.span.start <= offset < key.span.end:
                yield key
            if value.span.start <= offset < value.span.end:
                yield from _scalars_around(value, offset)
    elif isinstance(node, Sequence):
        for item in node.items:
            if item.span.start <= offset < item.span.end:
                yield from _scalars_around(item, offset)
