"""Read a CloudFormation template or policy (YAML or JSON) into a :class:`Document`: its text, its node tree
with exact source positions, and how it was written.

Every node keeps its span (1-based line/column and 0-based character offsets into the decoded text) so that
findings point at real source and fixes can edit text without re-dumping the file.
"""
from __future__ import annotations

import os
import stat
from typing import Any

from sam_shift_lint.parsing.errors import MAX_BYTES, DocumentError, FileTooLarge, NotRegularFile
from sam_shift_lint.parsing.lines import ScalarLines, file_newline
from sam_shift_lint.parsing.nodes import Node, to_data
from sam_shift_lint.parsing.yaml_parser import parse_yaml
from sam_shift_lint.records import field, record


@record
class Document:
    """A parsed file: its text (byte order marks removed), its root node and how it was written."""

    path: str
    text: str
    root: Node
    format: str  # "yaml" | "json"
    bom: int = 0  # how many UTF-8 byte order marks the file starts with (written back as they were)
    # Facts derived from the whole document once (e.g. its style), by whoever needs them; not part of equality.
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def data(self) -> Any:
        return to_data(self.root)

    @property
    def newline(self) -> str:
        """The file's line ending (:func:`~sam_shift_lint.parsing.lines.file_newline`): what a line ends with
        where no line is beside it. Found when first asked for (only fixes ask)."""
        found: str | None = self.memo.get("newline")
        if found is None:
            found = self.memo["newline"] = file_newline(self.text, self.format, self.scalar_lines)
        return found

    def use_newline(self, newline: str) -> None:
        """End added lines with ``newline`` instead of the file's line ending (the fixer's choice for a file whose
        line ending YAML 1.2 does not read as one, see ``fixer.SecondParser.keep_lines``)."""
        self.memo["newline"] = newline

    def scalar_lines(self) -> ScalarLines:
        """Where the scalars written over more than one line are (found once, when first asked for)."""
        found: ScalarLines | None = self.memo.get("scalar_lines")
        if found is None:
            found = self.memo["scalar_lines"] = ScalarLines(self.root, self.text)
        return found


# ---------------------------------------------------------------------------------------------- reading


def read_bytes(path: str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of the regular file at ``path``, at most ``limit`` of them; a clear DocumentError when it
    cannot be read (:class:`FileTooLarge` when it is larger, :class:`NotRegularFile` for a FIFO, socket or
    device, which are never read: they could block forever or never end).

    The type is checked before opening (``stat``), and again on the open descriptor (``fstat``) in case the path
    was swapped in between; ``O_NONBLOCK`` keeps that open from blocking on a FIFO."""
    return read_prefix(path, limit, refuse_larger=True)[0]


def read_prefix(path: str, limit: int = MAX_BYTES, refuse_larger: bool = False) -> tuple[bytes, bool]:
    """``(data, whole)``: the first ``limit`` bytes of the regular file at ``path`` (``whole``: that is all of
    it), read with :func:`read_bytes`' care. A larger file is not an error here unless ``refuse_larger``: its
    head is what tells whether it is a template at all (see :mod:`.sniff`)."""
    try:
        before = os.stat(path)
        _check_kind(before.st_mode, before.st_size, limit if refuse_larger else None)
        fd = os.open(path, os.O_RDONLY | _OPEN_FLAGS)
        try:
            status = os.fstat(fd)
            _check_kind(status.st_mode, status.st_size, limit if refuse_larger else None)
            data = _read_all(fd, limit)
        finally:
            os.close(fd)
    except FileNotFoundError:
        raise DocumentError("no such file or directory") from None
    except PermissionError:
        raise DocumentError("permission denied") from None
    except IsADirectoryError:
        raise DocumentError("is a directory") from None
    except OSError as error:
        raise DocumentError(f"cannot read: {error.strerror or error}") from None
    if len(data) > limit:
        if refuse_larger:
            raise FileTooLarge(f"file too large (more than {limit} bytes)")
        return data[:limit], False
    return data, True


# Never block on open (a FIFO), never become the controlling terminal, never leak into a child process.
_OPEN_FLAGS = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)

_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def _check_kind(mode: int, size: int, limit: int | None) -> None:
    if stat.S_ISDIR(mode):
        raise DocumentError("is a directory")
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _SPECIAL_KINDS if test(mode)), "a special file")
        raise NotRegularFile(f"{kind}, not a regular file; not read")
    if limit is not None and size > limit:
        raise FileTooLarge(f"file too large ({size} bytes; the limit is {limit})")


def _read_all(fd: int, limit: int) -> bytes:
    """Up to ``limit + 1`` bytes (one more than allowed, so a file that grew since ``fstat`` is caught)."""
    chunks: list[bytes] = []
    remaining = limit + 1
    while remaining > 0:
        chunk = os.read(fd, min(remaining, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_text(path: str, raw: bytes | None = None) -> tuple[str, int]:
    """Read and decode a file as CloudFormation does (UTF-8, optional BOM). Returns (text, the number of byte
    order marks it starts with).

    Every BOM at the start is an encoding mark, not content: YAML 1.2 allows a BOM before a document (any
    number of document prefixes), libyaml skips a BOM at the start of a line, and a second one would
    otherwise shift every parser position by one. They are written back byte for byte."""
    if raw is None:
        raw = read_bytes(path)
    if len(raw) > MAX_BYTES:
        raise DocumentError(f"file too large (more than {MAX_BYTES} bytes)")
    bom = 0
    while raw.startswith(b"\xef\xbb\xbf", 3 * bom):
        bom += 1
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError("UTF-16 text is not supported (CloudFormation templates are UTF-8)")
    if b"\x00" in raw:
        if _looks_like_utf16(raw):
            raise DocumentError("UTF-16 text is not supported (CloudFormation templates are UTF-8)")
        raise DocumentError("binary file (contains NUL bytes)")
    try:
        text = raw[3 * bom:].decode("utf-8")
    except UnicodeDecodeError as error:
        raise DocumentError(f"not valid UTF-8 (byte offset {error.start + 3 * bom})") from None
    return text, bom


def _looks_like_utf16(raw: bytes) -> bool:
    """BOM-less UTF-16 of mostly ASCII text: every other byte of the first few hundred is NUL."""
    sample = raw[:256]
    return len(sample) >= 8 and (not sample[1::2].strip(b"\x00") or not sample[0::2].strip(b"\x00"))


def looks_like_json(text: str) -> bool:
    stripped = text.lstrip()
    return stripped.startswith("{") or stripped.startswith("[")


def parse(path: str, text: str, bom: int = 0) -> Document:
    """Parse ``text`` (YAML or JSON, chosen by content) into a Document."""
    try:
        return _parse(path, text, bom)
    except RecursionError:
        raise DocumentError("nesting too deep") from None


def _parse(path: str, text: str, bom: int) -> Document:
    if looks_like_json(text):
        # imported here: the JSON parser and the json module are a YAML check's largest unused imports
        from sam_shift_lint.parsing.json_parser import JsonSyntaxError, parse_json

        try:
            root = parse_json(text)
            return Document(path, text, root, "json", bom)
        except JsonSyntaxError as json_error:
            # JSON-looking YAML flow mappings exist; fall back to YAML before giving up.
            try:
                root = parse_yaml(text)
            except DocumentError:
                raise DocumentError(json_error.message, json_error.line, json_error.column) from None
            return Document(path, text, root, "yaml", bom)
    root = parse_yaml(text)
    return Document(path, text, root, "yaml", bom)


def load(path: str, raw: bytes | None = None) -> Document:
    text, bom = read_text(path, raw)
    return parse(path, text, bom)
