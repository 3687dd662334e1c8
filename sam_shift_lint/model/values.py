"""How values are quoted in messages."""
from __future__ import annotations

from typing import Any


def describe(value: Any) -> str:
    """A short, user-facing rendering of a scalar value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'"
    return repr(value)
