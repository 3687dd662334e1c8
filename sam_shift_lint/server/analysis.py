"""One version of an editor buffer, checked: the engine's decision (ours or not), the findings or why the text
could not be read, and what code actions need later (the parsed document, the findings' fix data).

The buffer is checked as the command checks a file named on its command line (the same engine, the same size,
binary and encoding limits, the buffer's text encoded as the file would be), never by reading the file: an
unsaved buffer is what is checked. Fixes are made only when a code action asks for them (:meth:`fixed`).
"""
from __future__ import annotations

import contextlib
import gc
import re
import traceback
from collections.abc import Iterator
from typing import Any

from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.engine import check_context, prepare, with_fix
from sam_shift_lint.findings import Finding
from sam_shift_lint.options import Resolved
from sam_shift_lint.parsing.lines import YAML_BREAK
from sam_shift_lint.server.positions import UTF16, LineIndex

_PARSER_BREAK = YAML_BREAK


class Problem:
    """Why the buffer could not be checked: ``message``, and the offset it points at (None: the whole file)."""

    def __init__(self, message: str, offset: int | None = None, details: str | None = None) -> None:
        self.message = message
        self.offset = offset
        self.details = details  # for the log (an internal error's traceback)


class Analysis:
    """A checked buffer. Offsets of the parsed document are ``shift`` characters before the buffer's (a byte
    order mark the parser removed)."""

    def __init__(self, uri: str, version: int | None, text: str, resolved: Resolved, encoding: str = UTF16) -> None:
        self.uri = uri
        self.version = version
        self.text = text
        self.resolved = resolved
        self.index = LineIndex(text, encoding)
        self.context: CheckContext | None = None
        self.findings: list[Finding] = []
        self.problem: Problem | None = None
        self.shift = 0
        self._fixed: list[Finding] | None = None
        self.memo: dict[tuple[Any, ...], Any] = {}  # code action edits, made once per buffer version

    def fixed(self) -> list[Finding]:
        """The findings with their fixes (made on first use: the fixes of a file are planned together)."""
        if self._fixed is None:
            context = self.context
            self._fixed = [with_fix(context, finding) for finding in self.findings] if context is not None else []
        return self._fixed

    def position(self, document_offset: int) -> tuple[int, int]:
        """The LSP (line, character) of an offset into the parsed document's text."""
        return self.index.position(document_offset + self.shift)

    def buffer_offset(self, line: int, character: int) -> int:
        return self.index.offset(line, character)


def analyze(uri: str, version: int | None, text: str, path: str, resolved: Resolved, encoding: str = UTF16) -> Analysis:
    """Check ``text`` (the buffer of ``uri``, reported as ``path``). Never raises: an internal error becomes the
    analysis's problem.

    The cyclic garbage collector waits until the check is done: parsing a large template allocates tens of
    thousands of nodes, and collections triggered on the way (scanning every other open buffer's tree too)
    made a 5,000-line re-check nearly twice as slow (median 95 ms -> 53 ms for the parse alone). The
    collector runs as usual after the diagnostics are out, between keystrokes."""
    analysis = Analysis(uri, version, text, resolved, encoding)
    with collector_paused():
        try:
            _check(analysis, path)
        except Exception as error:  # the server must outlive any input; the traceback goes to the log
            analysis.findings = []
            analysis.context = None
            analysis.problem = Problem(f"internal error: {type(error).__name__}: {error}", None, traceback.format_exc())
    return analysis


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection inside (nested uses are fine); it resumes afterwards."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _check(analysis: Analysis, path: str) -> None:
    raw = analysis.text.encode("utf-8", "surrogatepass")  # a lone surrogate is then invalid UTF-8, as in a file
    resolved = analysis.resolved
    prepared = prepare(raw, path, path, True, resolved.lint, resolved.fixes)
    if prepared.error is not None:
        line, column = prepared.location
        message = prepared.error
        prefix = f"{line}:{column}: "
        if line and message.startswith(prefix):
            message = message[len(prefix):]
        bom = len(analysis.text) - len(analysis.text.lstrip("\ufeff"))
        analysis.problem = Problem(message, bom + _offset(analysis.text[bom:], line, column) if line else None)
        return
    context = prepared.context
    if context is None:
        return  # not a template or policy file: nothing to say about it
    analysis.context = context
    document_text = context.document.text
    shift = len(analysis.text) - len(document_text)
    analysis.shift = shift if shift >= 0 and analysis.text.endswith(document_text) else 0
    analysis.findings = check_context(context, resolved.rules, fixes=False)


def _offset(text: str, line: int, column: int) -> int:
    """The offset of the parser's (line, column), both from 1 (the parser breaks lines at NEL and U+2028 too)."""
    start = 0
    breaks: Iterator[re.Match[str]] = _PARSER_BREAK.finditer(text)
    for _ in range(line - 1):
        found = next(breaks, None)
        if found is None:
            return len(text)
        start = found.end()
    return min(start + max(column - 1, 0), len(text))
