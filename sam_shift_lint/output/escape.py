"""Untrusted text made safe to print: :func:`escape` for every human-readable output (text, github, parseable,
junit, the summary, stderr error lines, ``--show-fixes``, ``--diff`` headers, the rule pack's messages) and
:func:`json_safe` for JSON and SARIF. What is unsafe, and how it is written, is decided in one place,
:mod:`sam_shift_lint.parsing.printable`, which the parser's error messages use too."""
from __future__ import annotations

from sam_shift_lint.parsing.printable import escape, json_safe

__all__ = ["escape", "json_safe"]
