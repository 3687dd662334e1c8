"""Where the report goes: a stream (stdout, or stderr when stdout carries a fixed file), or ``--output-file``.

The report is written as the run goes, so ``--output-file`` is written to a temporary file beside it from the
start and renamed over it only once the report is complete: a reader never sees half a report, and a run that
fails (the disk is full) or is interrupted leaves the old file as it was and no temporary file behind. The
temporary file is made before any file is checked, so a report that cannot be written stops the run at once.
"""
from __future__ import annotations

import os
from typing import TextIO

from sam_shift_lint.output.escape import escape

TEMPORARY_PREFIX = ".sam-shift-lint-report-"


class ReportNotWritten(Exception):
    """``--output-file`` could not be written (the message names the file and why)."""


class Destination:
    """A stream the report is written to; :meth:`commit` when it is complete, :meth:`close` in any case."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str, /) -> None:
        if text:
            self.stream.write(text)

    def commit(self) -> None:
        """The report is complete."""
        self.stream.flush()

    def close(self) -> None:
        """Give up what is not committed (nothing, for a stream)."""


class OutputFile(Destination):
    """``--output-file``: a temporary file beside ``path``, renamed over it by :meth:`commit`. A new file gets
    the permissions the umask allows, an existing one keeps its mode."""

    def __init__(self, path: str) -> None:
        import tempfile  # only with --output-file

        from sam_shift_lint.held_signals import signals_held

        self.path = path
        self.temporary: str | None = None
        handle = -1
        try:
            with signals_held():  # the file is made and named together: Ctrl-C in between would leave it behind
                handle, self.temporary = tempfile.mkstemp(prefix=TEMPORARY_PREFIX, dir=os.path.dirname(os.path.abspath(path)))
        except OSError as error:
            raise self._failed(error) from None
        except BaseException:  # Ctrl-C, held while the file was made: remove it before the run stops
            if self.temporary is not None:
                os.close(handle)
                os.unlink(self.temporary)
            raise
        super().__init__(open(handle, "w", encoding="utf-8", errors="surrogateescape", newline=""))

    def write(self, text: str, /) -> None:
        try:
            super().write(text)
        except OSError as error:
            raise self._failed(error) from None

    def commit(self) -> None:
        from sam_shift_lint.held_signals import signals_held

        assert self.temporary is not None
        try:
            self.stream.flush()
            os.fsync(self.stream.fileno())
            self.stream.close()
            os.chmod(self.temporary, _mode_for(self.path))
            with signals_held():  # renamed and forgotten together
                os.replace(self.temporary, self.path)
                self.temporary = None
        except OSError as error:
            raise self._failed(error) from None

    def close(self) -> None:
        """Remove the temporary file unless it was committed."""
        if self.temporary is None:
            return
        try:
            self.stream.close()
        except OSError:
            pass
        try:
            os.unlink(self.temporary)
        except OSError:
            pass
        self.temporary = None

    def _failed(self, error: OSError) -> ReportNotWritten:
        return ReportNotWritten(f"--output-file {escape(self.path)}: {error.strerror or error}")


def _mode_for(path: str) -> int:
    try:
        return os.stat(path).st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def open_destination(output_file: str | None, default: TextIO) -> Destination:
    """``output_file`` (:class:`ReportNotWritten` when its temporary file cannot be made), else ``default``."""
    return Destination(default) if output_file is None else OutputFile(output_file)
