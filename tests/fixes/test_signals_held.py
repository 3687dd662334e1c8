"""Ctrl-C (SIGTERM in a ``--jobs`` worker) while a fix or ``--output-file`` is being written: the file ends
replaced or untouched, no temporary file is left beside it, and the run still stops as the signal says. The signals are real (raised
in this process, or in a child whose SIGTERM kills it), delivered at the moments that used to leave a
temporary file behind: just after it was made, and just before the rename."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sam_shift_lint import fixer
from sam_shift_lint.cli import parallel
from sam_shift_lint.cli.destination import OutputFile
from sam_shift_lint.held_signals import signals_held

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")


@pytest.fixture
def handlers() -> Iterator[None]:
    """SIGINT raises KeyboardInterrupt (as in the command) and SIGTERM is default, whatever the test runner set;
    both restored afterwards."""
    previous = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    for signum, handler in previous.items():
        signal.signal(signum, handler)


def signal_after(function: Callable[..., Any], signum: int) -> Callable[..., Any]:
    """``function``, then ``signum`` to this process as it returns."""

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        result = function(*args, **kwargs)
        signal.raise_signal(signum)
        return result

    return wrapped


def signal_before(function: Callable[..., Any], signum: int) -> Callable[..., Any]:
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        signal.raise_signal(signum)
        return function(*args, **kwargs)

    return wrapped


def run_signalled_as_a_file_is_made(signal_name: str, statements: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """``statements`` run by a fresh interpreter in ``cwd`` whose ``tempfile.mkstemp`` sends it ``signal_name``
    right after making its file."""
    prelude = textwrap.dedent(
        f"""
        import signal, tempfile
        real = tempfile.mkstemp
        def made(*args, **kwargs):
            result = real(*args, **kwargs)
            signal.raise_signal(signal.{signal_name})
            return result
        tempfile.mkstemp = made
        """
    )
    return subprocess.run([sys.executable, "-c", prelude + statements], cwd=cwd, capture_output=True, timeout=120, check=False)


def leftovers(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir() if path.name != "t.yaml")


@pytest.mark.usefixtures("handlers")
@pytest.mark.parametrize("moment", ["temporary file made", "before the rename", "after the rename"])
def test_ctrl_c_while_a_fix_is_written_stops_after_the_file_is_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moment: str
) -> None:
    path = tmp_path / "t.yaml"
    path.write_bytes(b"old\n")
    if moment == "temporary file made":
        monkeypatch.setattr(tempfile, "mkstemp", signal_after(tempfile.mkstemp, signal.SIGINT))
    elif moment == "before the rename":
        monkeypatch.setattr(os, "replace", signal_before(os.replace, signal.SIGINT))
    else:
        monkeypatch.setattr(os, "replace", signal_after(os.replace, signal.SIGINT))
    with pytest.raises(KeyboardInterrupt):
        fixer.write_atomically(str(path), b"new\n")
    monkeypatch.undo()
    assert path.read_bytes() == b"new\n"
    assert leftovers(tmp_path) == []
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@pytest.mark.usefixtures("handlers")
def test_a_worker_terminated_while_it_writes_a_fix_finishes_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker's SIGTERM handler (it unwinds with SystemExit) runs once the file is whole."""
    signal.signal(signal.SIGTERM, parallel._terminated)
    path = tmp_path / "t.yaml"
    path.write_bytes(b"old\n")
    monkeypatch.setattr(tempfile, "mkstemp", signal_after(tempfile.mkstemp, signal.SIGTERM))
    with pytest.raises(SystemExit) as stopped:
        fixer.write_atomically(str(path), b"new\n")
    monkeypatch.undo()
    assert stopped.value.code == 128 + signal.SIGTERM
    assert path.read_bytes() == b"new\n"
    assert leftovers(tmp_path) == []
    assert signal.getsignal(signal.SIGTERM) is parallel._terminated


@pytest.mark.usefixtures("handlers")
def test_ctrl_c_while_a_rename_fails_leaves_the_file_untouched_and_stops_the_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rename fails and Ctrl-C came while it was tried: the file is untouched, the temporary file gone,
    and the run stops for Ctrl-C."""
    path = tmp_path / "t.yaml"
    path.write_bytes(b"old\n")

    def full_disk(source: str, destination: str) -> None:
        signal.raise_signal(signal.SIGINT)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(KeyboardInterrupt):
        fixer.write_atomically(str(path), b"new\n")
    monkeypatch.undo()
    assert path.read_bytes() == b"old\n"
    assert leftovers(tmp_path) == []


@posix_only
def test_sigterm_with_its_default_action_kills_the_command_after_the_file_is_whole(tmp_path: Path) -> None:
    """A process whose SIGTERM is not handled (the command itself, with --jobs 1) dies of it, as before,
    but only once the file is replaced."""
    path = tmp_path / "t.yaml"
    path.write_bytes(b"old\n")
    statements = f'from sam_shift_lint import fixer\nfixer.write_atomically({str(path)!r}, b"new\\n")\nprint("not reached")'
    result = run_signalled_as_a_file_is_made("SIGTERM", statements, tmp_path)
    assert result.returncode == -signal.SIGTERM, result.stderr.decode()
    assert result.stdout == b""
    assert path.read_bytes() == b"new\n"
    assert leftovers(tmp_path) == []


@pytest.mark.usefixtures("handlers")
def test_an_ignored_signal_stays_ignored() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with signals_held():
        assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN
        signal.raise_signal(signal.SIGINT)
    assert signal.getsignal(signal.SIGINT) == signal.SIG_IGN


@pytest.mark.usefixtures("handlers")
def test_every_signal_held_is_delivered_once_after_the_block() -> None:
    delivered: list[int] = []
    signal.signal(signal.SIGINT, lambda signum, frame: delivered.append(signum))
    signal.signal(signal.SIGTERM, lambda signum, frame: delivered.append(signum))
    with signals_held():
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGTERM):
            signal.raise_signal(signum)
        assert delivered == []
    assert delivered == [signal.SIGTERM, signal.SIGINT]


def test_outside_the_main_thread_a_fix_is_written_and_nothing_is_held(tmp_path: Path) -> None:
    """Only the main thread may set handlers (and only it runs them): elsewhere the block runs as it is."""
    path = tmp_path / "t.yaml"
    path.write_bytes(b"old\n")
    before = signal.getsignal(signal.SIGINT)
    errors: list[BaseException] = []

    def fix() -> None:
        try:
            fixer.write_atomically(str(path), b"new\n")
        except BaseException as error:  # pragma: no cover - the test fails below
            errors.append(error)

    thread = threading.Thread(target=fix)
    thread.start()
    thread.join()
    assert errors == []
    assert path.read_bytes() == b"new\n"
    assert signal.getsignal(signal.SIGINT) is before


@pytest.mark.usefixtures("handlers")
def test_ctrl_c_as_the_report_file_is_made_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report = tmp_path / "report.json"
    report.write_text("old report\n")
    monkeypatch.setattr(tempfile, "mkstemp", signal_after(tempfile.mkstemp, signal.SIGINT))
    with pytest.raises(KeyboardInterrupt):
        OutputFile(str(report))
    monkeypatch.undo()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.json"]
    assert report.read_text() == "old report\n"


@pytest.mark.usefixtures("handlers")
def test_ctrl_c_as_the_report_is_renamed_keeps_the_new_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The report is complete and renamed; Ctrl-C then stops the run, and closing the destination (as the
    command does on Ctrl-C) removes nothing and fails on nothing."""
    report = tmp_path / "report.json"
    report.write_text("old report\n")
    destination = OutputFile(str(report))
    destination.write("new report\n")
    monkeypatch.setattr(os, "replace", signal_after(os.replace, signal.SIGINT))
    with pytest.raises(KeyboardInterrupt):
        destination.commit()
    monkeypatch.undo()
    destination.close()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["report.json"]
    assert report.read_text() == "new report\n"


@posix_only
def test_ctrl_c_as_the_command_opens_its_report_file_is_one_line(tmp_path: Path) -> None:
    """Ctrl-C just as ``--output-file``'s temporary file is made (before any file is checked): the command's
    one line, no traceback, killed by SIGINT, nothing left beside the report."""
    (tmp_path / "t.yaml").write_text("Resources: {}\n")
    statements = 'import sys\nfrom sam_shift_lint.cli import main\nsys.exit(main(["-o", "report.json", "t.yaml"]))'
    result = run_signalled_as_a_file_is_made("SIGINT", statements, tmp_path)
    assert result.returncode == -signal.SIGINT, result.stderr.decode()
    assert result.stderr == b"sam-shift-lint: interrupted\n"
    assert leftovers(tmp_path) == []
