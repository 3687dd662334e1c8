"""The types every module shares: what a rule found, and how to fix it."""
from __future__ import annotations

import enum
from typing import Any

from sam_shift_lint.parsing.nodes import PathItem, Span
from sam_shift_lint.records import field, record

__all__ = ["Applicability", "DataChange", "Edit", "Finding", "Fix", "PathItem", "Span", "applies", "hidden", "severity_of"]

SEVERITY_BY_LETTER = {"E": "error", "W": "warning", "I": "informational"}


def severity_of(rule_id: str) -> str:
    """Severity follows cfn-lint's convention: the first letter of the rule id."""
    return SEVERITY_BY_LETTER.get(rule_id[:1], "informational")


@record(frozen=True)
class Edit:
    """Replace the text between two character offsets with ``content``."""

    start: int
    end: int
    content: str
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0


@record(frozen=True)
class DataChange:
    """One intended change to the parsed data (a JSON-Patch-like operation).

    The fixer applies these to the original data and requires the re-parsed result to be equal.
    """

    op: str  # "add" | "replace" | "rename" (``value``: the new key; order kept) | "remove" (a list item)
    path: tuple[PathItem, ...]
    value: Any = None


class Applicability(enum.Enum):
    """How sure a fix is (ruff's model), ordered ``DISPLAY < UNSAFE < SAFE``.

    ``SAFE``: ``--fix`` applies it. ``UNSAFE``: only with ``--unsafe-fixes`` (it may change what the template
    means). ``DISPLAY``: shown as advice, never applied.
    """

    DISPLAY = "display"
    UNSAFE = "unsafe"
    SAFE = "safe"

    @property
    def rank(self) -> int:
        return _RANKS[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Applicability):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Applicability):
            return NotImplemented
        return self.rank <= other.rank

    def __str__(self) -> str:
        return self.value


_RANKS = {Applicability.DISPLAY: 0, Applicability.UNSAFE: 1, Applicability.SAFE: 2}


@record(frozen=True)
class Fix:
    applicability: Applicability
    description: str
    edits: tuple[Edit, ...] = ()
    changes: tuple[DataChange, ...] = ()


def applies(fix: Fix | None, unsafe_fixes: bool) -> bool:
    """Would ``--fix`` apply this fix (with ``--unsafe-fixes`` when ``unsafe_fixes``)? The one answer the fixer
    and every output format use."""
    if fix is None or not fix.edits:
        return False
    threshold = Applicability.UNSAFE if unsafe_fixes else Applicability.SAFE
    return fix.applicability >= threshold


def hidden(fix: Fix | None, unsafe_fixes: bool) -> bool:
    """An unsafe fix that ``--unsafe-fixes`` would enable."""
    return fix is not None and bool(fix.edits) and fix.applicability is Applicability.UNSAFE and not unsafe_fixes


@record(frozen=True)
class Finding:
    """What a rule found. ``data`` is what the check learned that the rule's ``fix`` needs (not compared, not
    reported)."""

    rule: str
    message: str
    file: str
    span: Span
    resource: str | None = None
    path: tuple[PathItem, ...] = ()
    fix: Fix | None = None
    severity: str = field(default="")
    data: Any = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.severity:
            object.__setattr__(self, "severity", severity_of(self.rule))

    @property
    def line(self) -> int:
        return self.span.line

    @property
    def column(self) -> int:
        return self.span.column

    @property
    def end_line(self) -> int:
        return self.span.end_line

    @property
    def end_column(self) -> int:
        return self.span.end_column

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.span.line, self.span.column, self.rule, self.message)
