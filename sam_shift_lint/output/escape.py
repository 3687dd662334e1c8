"""Untrusted text (file names, logical ids, keys and values quoted in messages) made safe to print.

A template can name a resource ``"Fn\\n::error file=x::forged"`` or put ESC sequences, bidi overrides or
U+2028 in a key, and a file can be named so too; printed raw, that forges report lines, GitHub annotations or
terminal output. Every human-readable output (text, github, parseable, junit, the summary, stderr error
lines, ``--show-fixes``, ``--diff`` headers) passes such text through :func:`escape` — the one place that decides
what is unsafe. Structured formats (JSON, SARIF) keep the text and let their serializer escape it;
:func:`json_safe` only makes sure what they write is valid Unicode.
"""
from __future__ import annotations

import re

# C0 and C1 controls and DEL, the Unicode line and paragraph separators, the bidirectional formatting
# characters (Trojan Source, CVE-2021-42574), and lone surrogates (a file name's bytes that are not UTF-8,
# decoded by Python with surrogateescape).
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")
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
    return f"\\u{code:04x}"


def escape(text: str) -> str:
    """``text`` with every unsafe character written as a visible escape (``\\n``, ``\\x1b``, ``\\u202e``; a
    non-UTF-8 byte of a file name as ``\\xff``); safe text comes back unchanged (and unchanged in cost)."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(lambda match: _escaped(match.group()), text)


def json_safe(serialized: str) -> str:
    """JSON text (from ``json.dumps(..., ensure_ascii=False)``) with each lone surrogate — only a file name's
    non-UTF-8 byte can put one there — replaced by its escaped form (``\\xff`` in the decoded string), so the
    output is valid UTF-8 that strict parsers accept."""
    if _SURROGATE.search(serialized) is None:
        return serialized
    return _SURROGATE.sub(lambda match: "\\" + _escaped(match.group()), serialized)
