"""The types every module shares: what a rule found, and how to fix it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Tuple, Union

PathItem = Union[str, int]

SEVERITY_BY_LETTER = {"E": "error", "W": "warning", "I": "informational"}


def severity_of(rule_id: str) -> str:
    """Severity follows cfn-lint's convention: the first letter of the rule id."""
    return SEVERITY_BY_LETTER.get(rule_id[:1], "informational")


@dataclass(frozen=True)
class Span:
    """A source range: 1-based lines and columns, 0-based character offsets (end exclusive)."""

    line: int
    column: int
    end_line: int
    end_column: int
    start: int
    end: int


@dataclass(frozen=True)
class Edit:
    """Replace the text between two character offsets with ``content``."""

    start: int
    end: int
    content: str
    line: int = 0
    column: int = 0
    end_line: int = 0
    end_column: int = 0


@dataclass(frozen=True)
class DataChange:
    """One intended change to the parsed data (a JSON-Patch-like operation).

    The fixer applies these to the original data and requires the re-parsed result to be equal.
    """

    op: str  # "add" | "replace"
    path: Tuple[PathItem, ...]
    value: Any = None


@dataclass(frozen=True)
class Fix:
    applicability: str  # "safe" | "unsafe" | "display"
    description: str
    edits: Tuple[Edit, ...] = ()
    changes: Tuple[DataChange, ...] = ()


@dataclass(frozen=True)
class Finding:
    rule: str
    message: str
    file: str
    span: Span
    resource: Optional[str] = None
    path: Tuple[PathItem, ...] = ()
    fix: Optional[Fix] = None
    severity: str = field(default="")

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

    def sort_key(self) -> tuple:
        return (self.file, self.span.line, self.span.column, self.rule, self.message)
