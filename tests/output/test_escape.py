"""``output.escape.escape``: which characters human-readable output never prints raw, and how they are written.

The set is checked against the running Python's Unicode database (every control, format, line separator and
paragraph separator character), so a newer Unicode version adding a format character fails here first."""
from __future__ import annotations

import sys
import unicodedata

import pytest

from sam_shift_lint.output.escape import escape

UNSAFE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}


def test_every_control_format_and_separator_character_is_escaped() -> None:
    missed = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in UNSAFE_CATEGORIES and escape(chr(code)) == chr(code)
    ]
    assert missed == [], f"Unicode {unicodedata.unidata_version}: not escaped: {missed}"


def test_nothing_else_is_escaped() -> None:
    """Other characters, also non-ASCII letters, symbols, emoji, spaces and combining marks, stay as they are
    (apart from lone surrogates, which only a file name's non-UTF-8 bytes give)."""
    over = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) not in UNSAFE_CATEGORIES | {"Cs", "Cn"} and escape(chr(code)) != chr(code)
    ]
    assert over == []
    text = "Fonction_é日本語😀 a\u00a0b e\u0301 ﬁ"
    assert escape(text) is text  # safe text comes back unchanged, not copied


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("\n\r\t", "\\n\\r\\t"),
        ("\x1b[31m", "\\x1b[31m"),
        ("\x85", "\\x85"),
        ("\xad", "\\xad"),
        ("\u202egnp.exe", "\\u202egnp.exe"),
        ("\u2066x\u2069", "\\u2066x\\u2069"),
        ("\u200e\u200f\u061c", "\\u200e\\u200f\\u061c"),
        ("a\u200bb\u200cc\u200dd\u2060e\ufefff", "a\\u200bb\\u200cc\\u200dd\\u2060e\\ufefff"),
        ("\u2028\u2029", "\\u2028\\u2029"),
        ("tag\U000e0041\U000e007f", "tag\\U000e0041\\U000e007f"),  # beyond U+FFFF: one 8-digit escape
        ("caf\udcff.yaml", "caf\\xff.yaml"),  # a non-UTF-8 byte of a file name (surrogateescape)
    ],
)
def test_escapes_are_visible_and_unambiguous(raw: str, escaped: str) -> None:
    assert escape(raw) == escaped
