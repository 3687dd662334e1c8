"""The run's report, written as the run goes: which format, where it goes (:mod:`.destination`), colour, the
repository root that SARIF URIs and GitHub paths are relative to, ``--statistics`` and ``--quiet``.

Files are checked in report order (sorted by name, :func:`sam_shift_lint.cli.modes.run_files`); each file's
findings are handed to :meth:`Report.file` when it is done and go to the format's writer
(:mod:`sam_shift_lint.output.stream`) at once, which keeps only counts. Files of the same name (a path given
twice) are written together, their findings sorted as one file's.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, TextIO

from sam_shift_lint import __version__
from sam_shift_lint.cli.destination import Destination, ReportNotWritten, open_destination
from sam_shift_lint.cli.modes import Run
from sam_shift_lint.findings import Finding
from sam_shift_lint.output.stream import ReportWriter, Spool
from sam_shift_lint.output.summary import Tally
from sam_shift_lint.records import replace

if TYPE_CHECKING:  # pragma: no cover
    import argparse

    from sam_shift_lint.output import OutputContext

__all__ = ["Report", "ReportNotWritten", "open_report", "repository_root", "use_color"]

# Formats whose paths are relative to the repository root (git's top level), as GitHub reads them.
ROOTED_FORMATS = ("sarif", "github")


def use_color(stream: TextIO | None, environ: Mapping[str, str] | None = None) -> bool:
    """Colour for ``stream`` (None: a file): never with ``NO_COLOR`` set (no-color.org), always with
    ``FORCE_COLOR`` set (force-color.org), otherwise only on a terminal that is not ``TERM=dumb``. Set means
    present and not empty; ``NO_COLOR`` wins when both are set, as in CPython."""
    environ = os.environ if environ is None else environ
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    if environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def repository_root(cwd: str | None = None) -> str:
    """The top level of the git work tree around ``cwd`` (``git rev-parse --show-toplevel``), else ``cwd``."""
    import subprocess  # only for the formats that need the root

    here = os.path.abspath(cwd if cwd is not None else os.getcwd())
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=here,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return here
    top = os.fsdecode(result.stdout.rstrip(b"\r\n"))
    if result.returncode != 0 or not top or not os.path.isdir(top):
        return here
    return os.path.normpath(top)


class _Counter(ReportWriter):
    """No report (``--fix-only``, ``--diff``): the counts only."""

    def _write(self, findings: Sequence[Finding]) -> None:
        """Counted by :meth:`write` already."""


class Report:
    """One run's report. ``default``: where it goes without ``--output-file``. ``listing_first``: the
    ``--show-fixes`` listing will come first (text report of ``--fix``), so the findings wait in a spool."""

    def __init__(
        self, args: argparse.Namespace, unsafe_fixes: bool, default: TextIO, writes_report: bool, listing_first: bool
    ) -> None:
        self.destination: Destination = open_destination(args.output_file, default)
        self.spool = Spool() if listing_first else None
        out = self.spool if self.spool is not None else self.destination
        color = use_color(default if args.output_file is None else None)
        context = _context(args, unsafe_fixes, color if writes_report else False)
        self.writer = _writer(args, context, out) if writes_report else _Counter({}, context, out)
        self._file: str | None = None  # the file whose findings wait in _pending (more may have its name)
        self._pending: list[Finding] = []

    @property
    def tally(self) -> Tally:
        """The findings reported so far, counted."""
        return self.writer.tally

    def file(self, findings: list[Finding]) -> None:
        """The findings of the next file in report order."""
        if not findings:
            return
        if findings[0].file != self._file:
            self._flush()
            self._file = findings[0].file
        self._pending.extend(findings)

    def _flush(self) -> None:
        if self._pending:
            self._pending.sort(key=Finding.sort_key)
            self.writer.write(self._pending)
        self._pending = []

    def finish(self, run: Run, listing: str = "") -> None:
        """The end of the report, then (with ``listing``, the ``--show-fixes`` listing, first when the findings
        were spooled) everything to the destination, committed. Not "All checks passed!" when nothing is reported
        but something could not be checked (an unusable configuration file)."""
        self._flush()
        if run.errors and not self.tally.total and not run.fixed:
            self.writer.context = replace(self.writer.context, quiet=True)
        self.writer.finish(run.checked, len(run.fixed))
        self.destination.write(listing)
        if self.spool is not None:
            self.spool.copy_to(self.destination)
        self.destination.commit()

    def deliver(self, text: str) -> None:
        """``text`` instead of a report (``--diff``), committed."""
        self.destination.write(text)
        self.destination.commit()

    def close(self) -> None:
        """Give up what was not committed (``--output-file``: its temporary file)."""
        if self.spool is not None:
            self.spool.close()
        self.destination.close()


def _context(args: argparse.Namespace, unsafe_fixes: bool, color: bool) -> OutputContext:
    from sam_shift_lint.output import OutputContext

    return OutputContext(
        version=__version__,
        unsafe_fixes_enabled=unsafe_fixes,
        root=repository_root() if args.format in ROOTED_FORMATS else None,
        color=color and args.format == "text",
        quiet=args.quiet,
    )


def _writer(args: argparse.Namespace, context: OutputContext, out: Destination | Spool) -> ReportWriter:
    """The writer for ``--format`` (or ``--statistics``)."""
    from sam_shift_lint.checks.registry import RuleInfos

    rules = RuleInfos()
    if args.statistics:
        from sam_shift_lint.output import statistics

        return statistics.Writer(args.format, rules, context, out)
    from sam_shift_lint.output import open_writer

    return open_writer(args.format, rules, context, out)


def open_report(args: argparse.Namespace, unsafe_fixes: bool, diff: bool) -> Report:
    """The report of this run (:class:`ReportNotWritten` when ``--output-file`` cannot be written);
    ``unsafe_fixes``: whether unsafe fixes apply (``[*]`` and the fix hint). With ``--fix`` on standard input,
    stdout carries the fixed text, so the report goes to stderr (as ruff does)."""
    default = sys.stderr if args.fix and "-" in args.paths else sys.stdout
    writes_report = not diff and not args.fix_only
    listing_first = writes_report and args.fix and args.show_fixes and args.format == "text"
    return Report(args, unsafe_fixes, default, writes_report, listing_first)
