"""How values are quoted in messages."""
from __future__ import annotations

from typing import Any

from sam_shift_lint.parsing.errors import shorten

MAX_DESCRIBED = 200  # characters of a string value quoted in a message (a template's values are untrusted)


def describe(value: Any) -> str:
    """A short, user-facing rendering of a scalar value (a long string is cut, marked with ``...``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{shorten(value, MAX_DESCRIBED)}'"
    return shorten(repr(value), MAX_DESCRIBED)
