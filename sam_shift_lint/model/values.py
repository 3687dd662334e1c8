"""How values are quoted in messages."""
from __future__ import annotations

from typing import Any

from sam_shift_lint.parsing.errors import shorten

MAX_DESCRIBED = 200  # characters of a string value quoted in a message (a template's values are untrusted)
LONG_MESSAGE = 1000  # a message longer than this quotes something whole: its quoted parts are cut


def describe(value: Any) -> str:
    """A short, user-facing rendering of a scalar value (a long string is cut, marked with ``...``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{shorten(value, MAX_DESCRIBED)}'"
    return shorten(repr(value), MAX_DESCRIBED)


def cut_long_quotes(message: str) -> str:
    """``message`` with each part between single quotes cut to ``MAX_DESCRIBED`` characters when the message is
    longer than ``LONG_MESSAGE``: the last guard for a template's text (a logical id, a condition name) that a
    rule quotes whole; rules cut the values they quote themselves (``describe``)."""
    if len(message) <= LONG_MESSAGE:
        return message
    parts = message.split("'")
    for index in range(1, len(parts) - 1):  # every part with a quote on both sides
        if len(parts[index]) > MAX_DESCRIBED:
            parts[index] = shorten(parts[index], MAX_DESCRIBED)
    return "'".join(parts)
