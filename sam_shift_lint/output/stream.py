"""Reports written as the run goes: each file's findings as soon as that file is done, then what only the end
knows (the summary, SARIF's rules and notifications, JUnit's totals).

A :class:`ReportWriter` gets the findings file by file, in report order (the files sorted by name, each file's
findings sorted), writes them and keeps only counts (:class:`~.summary.Tally`), so a run over ten thousand
templates holds no finding longer than it takes to write it. What must come out before something written
later (JUnit's totals in its first tag, GitHub's errors before all warnings) waits in a :class:`Spool`: in
memory while small, in a temporary file beyond that. The output is byte for byte what the format's
``render()`` makes of all the findings at once (a test compares them).
"""
from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import groupby
from typing import TYPE_CHECKING, Protocol, TextIO

from sam_shift_lint.output.summary import Tally
from sam_shift_lint.records import replace

if TYPE_CHECKING:  # pragma: no cover
    from sam_shift_lint.checks.registry import RuleInfo
    from sam_shift_lint.findings import Finding
    from sam_shift_lint.output import OutputContext

class Writable(Protocol):
    """Where a report goes: a text stream, or a :class:`Spool`."""

    def write(self, text: str, /) -> object: ...


SPOOL_MEMORY = 1 << 20  # characters a spool keeps in memory before it moves to a temporary file
_COPY_CHUNK = 1 << 16


class ReportWriter:
    """One report being written to ``out``. :meth:`write` takes the findings of the next file (report order),
    :meth:`finish` writes the end; a format overrides :meth:`_write` and :meth:`_finish`."""

    def __init__(self, rules: Mapping[str, RuleInfo], context: OutputContext, out: Writable) -> None:
        self.rules = rules
        self.context = context
        self.out = out
        self.tally = Tally(context.unsafe_fixes_enabled)

    def write(self, findings: Sequence[Finding]) -> None:
        """The findings of one file (or of several files of the same name), sorted."""
        if findings:
            self.tally.add(findings)
            self._write(findings)

    def finish(self, files_checked: int, fixed: int) -> None:
        """The end of the report, once every file is done: ``files_checked`` and ``fixed`` (findings ``--fix``
        fixed) are known only now."""
        self.context = replace(self.context, files_checked=files_checked, fixed=fixed)
        self._finish()

    def _write(self, findings: Sequence[Finding]) -> None:
        raise NotImplementedError

    def _finish(self) -> None:
        """Nothing to add by default."""


WriterFactory = Callable[["Mapping[str, RuleInfo]", "OutputContext", Writable], ReportWriter]


def by_file(findings: Iterable[Finding]) -> Iterator[list[Finding]]:
    """Findings in report order, one list per file."""
    ordered = sorted(findings, key=lambda finding: finding.sort_key())
    for _, group in groupby(ordered, key=lambda finding: finding.file):
        yield list(group)


def render_with(factory: WriterFactory, findings: Iterable[Finding], rules: Mapping[str, RuleInfo], context: OutputContext) -> str:
    """A whole report as one string, written file by file by the writer ``factory`` makes."""
    out = io.StringIO()
    writer = factory(rules, context, out)
    for group in by_file(findings):
        writer.write(group)
    writer.finish(context.files_checked, context.fixed)
    return out.getvalue()


class Spool:
    """Text written now and copied out later: in memory up to :data:`SPOOL_MEMORY` characters, then in an
    anonymous temporary file (gone when closed, or when the process ends)."""

    def __init__(self) -> None:
        self._memory: io.StringIO | None = io.StringIO()
        self._file: TextIO | None = None
        self.empty = True

    def write(self, text: str, /) -> None:
        if not text:
            return
        self.empty = False
        if self._memory is not None:
            self._memory.write(text)
            if self._memory.tell() <= SPOOL_MEMORY:
                return
            text, self._memory = self._memory.getvalue(), None
            self._file = _temporary_text_file()
        assert self._file is not None
        self._file.write(text)

    def copy_to(self, out: Writable) -> None:
        """Everything written, to ``out``; the spool is closed afterwards."""
        if self._memory is not None:
            out.write(self._memory.getvalue())
        elif self._file is not None:
            self._file.seek(0)
            while chunk := self._file.read(_COPY_CHUNK):
                out.write(chunk)
        self.close()

    def close(self) -> None:
        self._memory = None
        if self._file is not None:
            self._file.close()
            self._file = None


def _temporary_text_file() -> TextIO:
    import tempfile  # only for reports too large to keep in memory

    return tempfile.TemporaryFile("w+", encoding="utf-8", errors="surrogateescape", newline="")


class JsonArray:
    """A JSON array written item by item exactly as ``json.dumps(items, indent=2)`` nested at ``depth`` would
    lay it out: ``[]`` when empty, else one item per line group, each indented one level deeper, commas
    between them."""

    def __init__(self, out: Writable, depth: int) -> None:
        self.out = out
        self.items = 0
        self._inner = "\n" + "  " * (depth + 1)
        self._outer = "\n" + "  " * depth

    def open(self) -> None:
        self.out.write("[")

    def item(self, serialized: str) -> None:
        """``serialized``: the item as ``json.dumps(item, indent=2)`` writes it at the top level (a JSON text
        holds no raw line break, so indenting every line of it is exact)."""
        self.out.write(("," if self.items else "") + self._inner + serialized.replace("\n", self._inner))
        self.items += 1

    def close(self) -> None:
        self.out.write(self._outer + "]" if self.items else "]")
