"""Why a file could not be read or parsed, and the limits that protect the parsers."""
from __future__ import annotations

from sam_shift_lint.parsing.printable import escape

MAX_BYTES = 5 * 1024 * 1024  # CloudFormation accepts at most 1 MB; anything this big is not a template.
MAX_DEPTH = 200  # nesting deeper than this is no template, and would exhaust Python's recursion limit
# Python refuses to convert longer decimal strings to int (sys.int_info.default_max_str_digits), and cfn-lint
# rejects such templates (E0000); so do we, with the same bound for integers written in any base.
MAX_INT_DIGITS = 4300
MAX_INT_BITS = 14284  # the bit length of the largest integer with MAX_INT_DIGITS decimal digits
MAX_QUOTED = 60  # characters of input quoted in a message
MAX_MESSAGE = 300  # characters in an error message, whatever it quotes


def shorten(text: str, limit: int = MAX_QUOTED) -> str:
    """``text`` cut to ``limit`` characters (marked with ``...``), for quoting untrusted input in a message."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


class DocumentError(Exception):
    """The file cannot be read or parsed; ``str(error)`` is a one-line, printable reason (without the file name),
    never longer than ``MAX_MESSAGE`` characters: the input it quotes (a key, a value, a tag) has its control and
    invisible characters escaped, as every entry point would print it."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        message = shorten(escape(message), MAX_MESSAGE)
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        if self.line:
            return f"{self.line}:{self.column}: {self.message}"
        return self.message


class FileTooLarge(DocumentError):
    """The file is larger than ``MAX_BYTES`` (a file found in a directory walk is then skipped silently)."""


class NotRegularFile(DocumentError):
    """A FIFO, socket or device: never opened for reading (it could block or never end)."""
