"""Files that are the attack by what they are: FIFOs, sockets and devices named ``*.yaml``, symlink loops,
unreadable files and directories, read-only files under ``--fix``; and standard input that never ends.

Each is refused with one line naming it (exit 2) and never blocks: the other files, named or found in the same
walk, are still reported. Permission tests run unprivileged for real (``hostile_inputs.unprivileged``: CI runs
as root, which reads any file).
"""
from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile_inputs import (
    Result,
    assert_errors_in_report,
    assert_one_error_line,
    cfn_lint_matches,
    checked_resources,
    executable,
    run_cli,
    sam_function,
    unprivileged,
)

from sam_shift_lint import engine
from sam_shift_lint.parsing import document
from sam_shift_lint.parsing.errors import MAX_BYTES, NotRegularFile

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and modes need a POSIX system")
GOOD = "good.yaml"
TIMEOUT = 30  # seconds: a blocked read would hang far longer


def resources(result: Result) -> set[str]:
    assert_errors_in_report(result)
    return checked_resources(result)


@pytest.fixture
def fifo_dir(tmp_path: Path) -> Iterator[Path]:
    """good.yaml and, beside it, a FIFO, a socket and a symlink to a character device, all named ``*.yaml``."""
    (tmp_path / GOOD).write_text(sam_function("Good"))
    os.mkfifo(tmp_path / "fifo.yaml")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "socket.yaml"))
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    (tmp_path / "fifo-link.yaml").symlink_to(tmp_path / "fifo.yaml")
    try:
        yield tmp_path
    finally:
        server.close()


SPECIAL = {
    "fifo.yaml": "a FIFO (named pipe), not a regular file",
    "fifo-link.yaml": "a FIFO (named pipe), not a regular file",
    "socket.yaml": "a socket, not a regular file",
    "zero.yaml": "a character device, not a regular file",
}


@pytest.mark.parametrize("mode", [[], ["--fix"], ["--diff"]], ids=["check", "fix", "diff"])
def test_special_files_named(mode: list[str], fifo_dir: Path) -> None:
    before = (fifo_dir / GOOD).read_bytes()
    result = run_cli(*mode, "--format", "json", *SPECIAL, GOOD, cwd=fifo_dir, timeout=TIMEOUT)
    assert result.returncode == 2
    for name, reason in SPECIAL.items():
        assert_one_error_line(result, name, reason)
    assert len(result.error_lines) == len(SPECIAL) + (mode == ["--diff"]), result.stderr  # + "Would fix 2 errors."
    if mode == ["--fix"]:
        assert (fifo_dir / GOOD).read_bytes() != before  # the good file is fixed
    elif mode == ["--diff"]:
        assert "+++ b/good.yaml" in result.stdout
    else:
        assert resources(result) == {"Good"}


def test_special_files_found_while_walking(fifo_dir: Path) -> None:
    result = run_cli("--format", "json", ".", cwd=fifo_dir, timeout=TIMEOUT)
    assert result.returncode == 2
    for name, reason in SPECIAL.items():
        assert_one_error_line(result, f"./{name}", reason)
    assert len(result.error_lines) == len(SPECIAL)
    assert resources(result) == {"Good"}


def test_a_device_named_directly() -> None:
    result = run_cli("/dev/null", timeout=TIMEOUT)
    assert result.returncode == 2
    assert_one_error_line(result, "/dev/null", "a character device, not a regular file")


def test_fifo_swapped_in_after_stat_is_caught_on_the_open_descriptor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The race: ``stat`` saw a regular file, then the path became a FIFO. The open must not block
    (O_NONBLOCK) and ``fstat`` on the descriptor refuses it."""
    regular = tmp_path / "regular.yaml"
    regular.write_text(sam_function())
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    real_stat = os.stat
    monkeypatch.setattr(document.os, "stat", lambda path, *a, **k: real_stat(regular) if str(path) == str(fifo) else real_stat(path, *a, **k))
    previous = signal.signal(signal.SIGALRM, lambda *_: pytest.fail("read_bytes blocked on a FIFO", pytrace=False))
    signal.alarm(10)
    try:
        with pytest.raises(NotRegularFile, match="FIFO"):
            document.read_bytes(str(fifo))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_api_check_file_refuses_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    started = time.monotonic()
    result = engine.check_file(str(fifo))
    assert result.error is not None and "FIFO" in result.error
    assert time.monotonic() - started < 5


# ------------------------------------------------------------------------------------------------ stdin


def test_stdin_from_a_fifo_still_works(tmp_path: Path) -> None:
    """``-`` reads standard input whatever it is (here a FIFO, as in ``... | sam-shift-lint -``)."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "wb") as writer:
            writer.write(sam_function("FromPipe").encode())

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    with open(fifo, "rb") as reader:
        process = subprocess.run(
            [executable("sam-shift-lint"), "--format", "json", "-", "--stdin-filename", "piped.yaml"],
            stdin=reader, capture_output=True, timeout=TIMEOUT,
        )
    feeder.join(5)
    assert process.returncode == 1, process.stderr
    assert b'"resource": "FromPipe"' in process.stdout


def test_endless_stdin_is_refused_without_reading_it_all() -> None:
    with open("/dev/zero", "rb") as endless:
        process = subprocess.run([executable("sam-shift-lint"), "-"], stdin=endless, capture_output=True, timeout=TIMEOUT)
    assert process.returncode == 2
    assert process.stderr.decode() == f"-: error: file too large (more than {MAX_BYTES} bytes)\n"


def test_fix_on_oversized_stdin_passes_it_through_whole() -> None:
    """``--fix -`` never gives an editor a truncated file: input too large to check comes back unchanged."""
    content = sam_function().encode() + b"#" * (MAX_BYTES + 12345) + b"\n"
    result = run_cli("--fix", "-", stdin=content, timeout=TIMEOUT)
    assert result.returncode == 2
    assert result.stdout_bytes == content
    assert_one_error_line(result, "-", "too large")


# ------------------------------------------------------------------------------------------------ links


def test_symlink_loop_named_and_walked(tmp_path: Path) -> None:
    (tmp_path / GOOD).write_text(sam_function("Good"))
    (tmp_path / "loop.yaml").symlink_to("loop.yaml")
    (tmp_path / "a.yaml").symlink_to("b.yaml")
    (tmp_path / "b.yaml").symlink_to("a.yaml")
    named = run_cli("--format", "json", "loop.yaml", "a.yaml", GOOD, cwd=tmp_path, timeout=TIMEOUT)
    walked = run_cli("--format", "json", ".", cwd=tmp_path, timeout=TIMEOUT)
    for result, prefix in ((named, ""), (walked, "./")):
        assert result.returncode == 2
        for name in ("loop.yaml", "a.yaml"):
            assert_one_error_line(result, prefix + name, "symbolic links")
        assert resources(result) == {"Good"}
    assert_one_error_line(walked, "./b.yaml", "symbolic links")


def test_symlinked_directory_loop_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / GOOD).write_text(sam_function("Good"))
    (tmp_path / "sub" / "up").symlink_to("..")
    result = run_cli("--format", "json", ".", cwd=tmp_path, timeout=TIMEOUT)
    assert (result.returncode, result.stderr) == (1, "")
    assert resources(result) == {"Good"}


# ------------------------------------------------------------------------------------------------ permissions


def _tree(root: Path) -> None:
    """root/good.yaml, root/locked.yaml (mode 0), root/closed/ (mode 0, holding a template),
    root/later/fine.yaml, root/.hidden-closed/ (mode 0: hidden directories are not walked)."""
    (root / GOOD).write_text(sam_function("Good"))
    (root / "locked.yaml").write_text(sam_function("Locked"))
    (root / "closed").mkdir()
    (root / "closed" / "inside.yaml").write_text(sam_function("Inside"))
    (root / "later").mkdir()
    (root / "later" / "fine.yaml").write_text(sam_function("Later"))
    (root / ".hidden-closed").mkdir()
    for path in (root / "closed", root / ".hidden-closed"):
        path.chmod(0)
    (root / "locked.yaml").chmod(0)


def test_unreadable_file_and_directory_in_a_walk(public_tmp: Path) -> None:
    _tree(public_tmp)
    result = run_cli("--format", "json", ".", cwd=public_tmp, preexec_fn=unprivileged(), timeout=TIMEOUT)
    assert result.returncode == 2
    assert_one_error_line(result, "./closed", "cannot read directory: permission denied")
    assert_one_error_line(result, "./locked.yaml", "permission denied")
    assert len(result.error_lines) == 2, result.stderr  # the hidden directory is not walked, so not reported
    assert resources(result) == {"Good", "Later"}
    # report order (files are checked sorted by name, so that the report can be written as they are done): the
    # error lines come in the order of the E9000 findings, ./closed before ./locked.yaml
    assert result.error_lines == ["./closed: error: cannot read directory: permission denied", "./locked.yaml: error: permission denied"]
    assert [item["file"] for item in json.loads(result.stdout) if item["rule"] == "E9000"] == ["./closed", "./locked.yaml"]


def test_unreadable_directory_named(public_tmp: Path) -> None:
    _tree(public_tmp)
    result = run_cli("closed", GOOD, cwd=public_tmp, preexec_fn=unprivileged(), timeout=TIMEOUT)
    assert result.returncode == 2
    assert_one_error_line(result, "closed", "cannot read directory: permission denied")
    assert "All checks passed" not in result.stdout
    assert "Good" in result.stdout


def test_unreadable_directory_alone_is_not_all_checks_passed(public_tmp: Path) -> None:
    _tree(public_tmp)
    result = run_cli("closed", cwd=public_tmp, preexec_fn=unprivileged(), timeout=TIMEOUT)
    assert result.returncode == 2
    assert result.stdout.splitlines() == [
        "closed:1:1: E9000 cannot read directory: permission denied",
        "Found 1 problem (1 error, 0 warnings).",
    ]
    assert_one_error_line(result, "closed", "permission denied")


def test_unreadable_file_named_and_with_fix(public_tmp: Path) -> None:
    _tree(public_tmp)
    for mode in ([], ["--fix"], ["--diff"]):
        result = run_cli(*mode, "locked.yaml", GOOD, cwd=public_tmp, preexec_fn=unprivileged(), timeout=TIMEOUT)
        assert result.returncode == 2, (mode, result.stderr)
        assert_one_error_line(result, "locked.yaml", "permission denied")


def test_fix_walk_with_unreadable_parts_fixes_the_rest(public_tmp: Path) -> None:
    _tree(public_tmp)
    os.chmod(public_tmp, 0o777)  # the unprivileged process writes the fixed files' temporary copies here
    for path in (public_tmp / GOOD, public_tmp / "later"):
        path.chmod(0o777 if path.is_dir() else 0o666)
    result = run_cli("--fix", ".", cwd=public_tmp, preexec_fn=unprivileged(), timeout=TIMEOUT)
    assert result.returncode == 2
    assert len(result.error_lines) == 2, result.stderr
    assert "AutoPublishAlias" in (public_tmp / GOOD).read_text()
    assert "AutoPublishAlias" in (public_tmp / "later" / "fine.yaml").read_text()
    assert stat.S_IMODE(os.stat(public_tmp / "locked.yaml").st_mode) == 0


def test_read_only_file_found_while_walking_is_refused_under_fix(tmp_path: Path) -> None:
    (tmp_path / GOOD).write_text(sam_function("Good"))
    locked = tmp_path / "sub" / "locked.yaml"
    locked.parent.mkdir()
    locked.write_text(sam_function("Locked"))
    locked.chmod(0o444)
    before = locked.read_bytes()
    result = run_cli("--fix", ".", cwd=tmp_path, timeout=TIMEOUT)
    assert result.returncode == 2
    assert_one_error_line(result, "./sub/locked.yaml", "read-only")
    assert locked.read_bytes() == before
    assert "AutoPublishAlias" in (tmp_path / GOOD).read_text()


# ------------------------------------------------------------------------------------------------ rule pack


@pytest.mark.slow
def test_rule_pack_on_unreadable_looping_and_read_only_files(public_tmp: Path) -> None:
    """cfn-lint owns opening the files it is given; with our rules loaded it still reports each with a clear
    message and no traceback (FIFOs and directories are left out: cfn-lint itself opens a FIFO and blocks)."""
    _tree(public_tmp)
    (public_tmp / "loop.yaml").symlink_to("loop.yaml")
    readonly = public_tmp / "readonly.yaml"
    readonly.write_text(sam_function("ReadOnly"))
    readonly.chmod(0o444)
    names = ["locked.yaml", "loop.yaml", "readonly.yaml", GOOD]
    process = subprocess.run(
        [executable("cfn-lint"), "--format", "json", "--append-rules=sam_shift_lint.rules", "--", *names],
        capture_output=True, timeout=600, cwd=public_tmp, env={**os.environ, "HOME": str(public_tmp)},
        preexec_fn=unprivileged(), stdin=subprocess.DEVNULL,
    )
    result = Result(process.returncode, process.stdout, process.stderr)
    assert b"Traceback" not in process.stderr, result.stderr[-3000:]
    by_file: dict[str, set[str]] = {}
    for match in cfn_lint_matches(result):
        by_file.setdefault(str(match["Filename"]), set()).add(match["Rule"]["Id"])  # type: ignore[index]
    assert "E0000" in by_file["locked.yaml"] and "E0000" in by_file["loop.yaml"], by_file
    assert {"W9101", "W9102"} <= by_file["readonly.yaml"] and {"W9101", "W9102"} <= by_file[GOOD]
    assert not any("E0002" in ids for ids in by_file.values())
