"""Why a file could not be read or parsed, and the limits that protect the parsers."""
from __future__ import annotations

MAX_BYTES = 5 * 1024 * 1024  # CloudFormation accepts at most 1 MB; anything this big is not a template.
MAX_DEPTH = 200  # nesting deeper than this is no template, and would exhaust Python's recursion limit


class DocumentError(Exception):
    """The file cannot be read or parsed; ``str(error)`` is a one-line reason (without the file name)."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        if self.line:
            return f"{self.line}:{self.column}: {self.message}"
        return self.message
