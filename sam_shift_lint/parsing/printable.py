"""Untrusted text (file names, logical ids, keys and values quoted in messages) made safe to print (used through
:mod:`sam_shift_lint.output.escape`, and by :class:`~sam_shift_lint.parsing.errors.DocumentError` for the input
its messages quote).

A template can name a resource ``"Fn\\n::error file=x::forged"`` or put ESC sequences, bidi overrides,
zero-width characters or U+2028 in a key, and a file can be named so too; printed raw, that forges report lines,
GitHub annotations or terminal output, or makes a name look like another. Every human-readable output (text,
github, parseable, junit, the summary, stderr error lines, ``--show-fixes``, ``--diff`` headers, the rule pack's
messages) passes such text through :func:`escape` — the one place that decides what is unsafe. Structured formats (JSON, SARIF) keep the text and let their serializer escape it;
:func:`json_safe` only makes sure what they write is valid Unicode.
"""
from __future__ import annotations

import re

# What can make printed text lie about itself: C0 and C1 controls and DEL (terminal escapes, line breaks that
# forge report lines), and every format character (Unicode category Cf), line separator (Zl) and paragraph
# separator (Zp): the bidirectional controls U+061C, U+200E/U+200F, U+202A-U+202E and U+2066-U+2069 (Trojan
# Source, CVE-2021-42574), the zero-width U+200B-U+200D, U+2060 and U+FEFF, the soft hyphen, invisible operators,
# tags (U+E0001, U+E0020-U+E007F) and the rest, which make two different names look the same. Plus lone surrogates
# (a file name's bytes that are not UTF-8, decoded by Python with surrogateescape). The Cf/Zl/Zp ranges are those
# of Unicode 15 (Python 3.12; 3.11's Unicode 14 lacks U+13439-U+1343F); tests/output/test_escape.py checks them
# against the running Python's Unicode database.
_UNSAFE_CLASS = (
    "[\x00-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
_unsafe: re.Pattern[str] | None = None  # compiled on first use: the class is costly to compile, and most
# text is printable ASCII, which needs no pattern (str.isprintable is exactly this class's ASCII part)
_SURROGATE = "[\ud800-\udfff]"  # compiled (and cached) by the re module when a text is not ASCII
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(char: str) -> str:
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the original byte
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    if code > 0xFFFF:
        return f"\\U{code:08x}"
    return f"\\u{code:04x}"


def escape(text: str) -> str:
    """``text`` with every unsafe character written as a visible escape (``\\n``, ``\\x1b``, ``\\u202e``,
    ``\\ufeff``, ``\\U000e0041``; a non-UTF-8 byte of a file name as ``\\xff``); safe text comes back unchanged
    (and unchanged in cost)."""
    global _unsafe
    if text.isascii() and text.isprintable():
        return text
    if _unsafe is None:
        _unsafe = re.compile(_UNSAFE_CLASS)
    if _unsafe.search(text) is None:
        return text
    return _unsafe.sub(lambda match: _escaped(match.group()), text)


def json_safe(serialized: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with each lone surrogate — only a file name's
    non-UTF-8 byte can put one there — replaced by its escaped form (``\\xff`` in the decoded string), so the
    output is valid UTF-8 that strict parsers accept."""
    if serialized.isascii() or re.search(_SURROGATE, serialized) is None:
        return serialized
    return re.sub(_SURROGATE, lambda match: "\\" + _escaped(match.group()), serialized)
