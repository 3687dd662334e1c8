"""Hostile inputs and the ways to run the entry points on them (imported by name: conftest.py puts this
folder on sys.path).

* ``CONTENT_CLASSES``: files whose bytes are the attack (alias bomb, 100,000-deep nesting, oversized, binary,
  UTF-16, explicit YAML tags with values cfn-lint rejects, integers beyond Python's 4,300-digit limit, a
  value so long that an error quoting it whole would flood the terminal), each with the reason the one error
  line must give.
* ``run_cli`` / ``run_cfn_lint``: the venv's executables (never PATH), stdout and stderr as bytes decoded
  strictly as UTF-8 (the output must be valid UTF-8 whatever the input).
* ``unprivileged``: a ``preexec_fn`` that takes away root's power to read any file, so permission tests
  really run in CI (which runs as root): uid/gid 65534 when that user can run the venv's interpreter, else
  root without CAP_DAC_OVERRIDE / CAP_DAC_READ_SEARCH / CAP_FOWNER (dropped from the bounding set before
  exec, so the kernel grants them no more): either way, file mode bits decide, as for any user.
"""
from __future__ import annotations

import ctypes
import functools
import json
import os
import re
import subprocess
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from sam_shift_lint.checks.registry import FILE_ERROR

BIN_DIR = Path(os.path.dirname(os.path.abspath(sys.executable)))  # not resolved: a venv's python is a symlink
SAM_HEADER = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n"
MAX_ERROR_LINE = 400  # an error line quotes at most a short piece of the input


def _unsafe_class() -> str:
    """A regular-expression class of what no human-readable output may contain raw: C0/C1 controls (but the line
    feed ending each line) and DEL, every format character (Cf: bidi controls, zero-width characters, U+FEFF...),
    U+2028/U+2029 and lone surrogates, from the running Python's Unicode database."""
    ranges: list[list[int]] = []
    for code in range(sys.maxunicode + 1):
        if code != 0x0A and unicodedata.category(chr(code)) in ("Cc", "Cf", "Zl", "Zp", "Cs"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1][1] = code
            else:
                ranges.append([code, code])
    return "[" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in ranges) + "]"


UNSAFE = re.compile(_unsafe_class())


def sam_function(name: str = "Fn", extra: str = "") -> str:
    """A minimal SAM template with one function lacking alias and preference (W9101 + W9102); ``extra``:
    more lines of its Properties."""
    return (
        SAM_HEADER
        + f"Resources:\n  {name}:\n    Type: AWS::Serverless::Function\n"
        + "    Properties:\n      Runtime: python3.12\n      Handler: app.handler\n      CodeUri: src/\n"
        + extra
    )


def with_value(value: str) -> bytes:
    """A SAM template whose function's Description is ``value`` (YAML source)."""
    return sam_function(extra=f"      Description: {value}\n").encode()


def billion_laughs() -> bytes:
    lines = [SAM_HEADER.rstrip("\n"), 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghij":
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
        previous = name
    return ("\n".join(lines) + "\nResources: {}\n").encode()


DEEP = 100_000
DIGITS = "7" * 5000

# name -> (content, what the error line says). Every one names AWS::Serverless, so a directory walk reports it.
CONTENT_CLASSES: dict[str, tuple[bytes, str]] = {
    "alias-bomb.yaml": (billion_laughs(), "aliases are not supported"),
    "deep.json": (b'{"Transform": "AWS::Serverless-2016-10-31", "X": ' + b"[" * DEEP + b"]" * DEEP + b"}", "nesting"),
    "deep.yaml": (SAM_HEADER.encode() + b"X: " + b"[" * DEEP + b"]" * DEEP + b"\n", "nesting"),
    "oversized.yaml": (SAM_HEADER.encode() + b"#" + b"x" * (5 * 1024 * 1024) + b"\n", "too large"),
    "binary.yaml": (SAM_HEADER.encode() + b"\x00\x01\x02\xff", "binary"),
    "utf16.yaml": (sam_function().encode("utf-16"), "UTF-16"),
    "bool-maybe.yaml": (with_value("!!bool maybe"), "invalid value for !!bool: 'maybe'"),
    "bool-empty.yaml": (with_value("!!bool"), "invalid value for !!bool: ''"),
    "int-empty.yaml": (with_value("!!int"), "invalid value for !!int: ''"),
    "float-word.yaml": (with_value("!!float abc"), "invalid value for !!float: 'abc'"),
    "str-on-sequence.yaml": (with_value("!!str [a]"), "!!str cannot tag a sequence"),
    "seq-on-mapping.yaml": (with_value("!!seq {a: 1}"), "!!seq cannot tag a mapping"),
    "set.yaml": (with_value("!!set {a, b}"), "unsupported tag !!set"),
    "omap.yaml": (with_value("!!omap [a: 1]"), "unsupported tag !!omap"),
    "python-tag.yaml": (with_value("!!python/object/apply:os.system [id]"), "unsupported tag !!python/object/apply:os.system"),
    "verbatim-tag.yaml": (with_value("!<tag:example.com,2000:x> y"), "unsupported tag tag:example.com,2000:x"),
    "local-tag.yaml": (with_value("!Foo bar"), "unknown tag !Foo"),
    "merge-value.yaml": (with_value("!!merge x"), "unsupported tag !!merge"),
    "huge-int.json": (b'{"Transform": "AWS::Serverless-2016-10-31", "X": ' + DIGITS.encode() + b"}", "integer too large"),
    "huge-int.yaml": (with_value(DIGITS), "integer too large"),
    "huge-int-tag.yaml": (with_value("!!int " + DIGITS), "integer too large"),
    "huge-hex.yaml": (with_value("0x" + "f" * 5000), "integer too large"),
    "long-invalid-bool.yaml": (with_value("!!bool " + "y" * 100_000), "invalid value for !!bool: 'yyy"),
}
# A directory walk reports what a named file reports: every one of these is clearly a SAM template (its head
# names the serverless transform), so even the oversized one is reported, not skipped (issue 10: pre-commit,
# which names files, and a walk must agree). Files that are not clearly ours: tests/test_not_ours.py.
SKIPPED_IN_WALK: set[str] = set()
# Accepted by cfn-lint (it has no value CloudFormation could hold, so sam-shift-lint refuses it): through the
# rule pack our rules then skip the template; what cfn-lint says of it is its own business.
CFN_LINT_ACCEPTS = {"set.yaml", "omap.yaml", "local-tag.yaml"}
# What cfn-lint says of the others: E0000 (cannot parse), but E1002 (template too large) for an oversized one.
CFN_LINT_SAYS = {"oversized.yaml": "E1002"}
# cfn-lint 1.58 itself crashes on these (a 5,000-digit hexadecimal integer passes its parser, then its SAM
# transform's json.dumps raises ValueError) before any rule of ours runs: a cfn-lint bug, not ours.
CFN_LINT_CRASHES = {"huge-hex.yaml"}


def write_content_classes(directory: Path) -> dict[str, Path]:
    paths = {}
    for name, (content, _reason) in CONTENT_CLASSES.items():
        path = directory / name
        path.write_bytes(content)
        paths[name] = path
    return paths


# ------------------------------------------------------------------------------------------------ processes


@dataclass
class Result:
    """A finished process. ``stdout``/``stderr`` decode strictly as UTF-8 (a report must be valid UTF-8 whatever
    the input); ``stdout_bytes`` is the raw output (``--fix -`` echoes its input, whatever its encoding)."""

    returncode: int
    stdout_bytes: bytes
    stderr_bytes: bytes

    @property
    def stdout(self) -> str:
        return self.stdout_bytes.decode("utf-8")

    @property
    def stderr(self) -> str:
        return self.stderr_bytes.decode("utf-8")

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]

    def lines_for(self, display: str) -> list[str]:
        return [line for line in self.error_lines if line.startswith(f"{display}: ")]


def executable(name: str) -> str:
    path = BIN_DIR / name
    if not path.exists():  # pragma: no cover
        pytest.fail(f"{name} is not installed next to {sys.executable}", pytrace=False)
    return str(path)


def run(
    command: Sequence[str],
    *,
    stdin: bytes | None = None,
    cwd: Path | None = None,
    preexec_fn: Callable[[], None] | None = None,
    timeout: float = 60,
) -> Result:
    """One real process."""
    process = subprocess.run(
        list(command),
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=timeout,
        cwd=str(cwd) if cwd else None,
        preexec_fn=preexec_fn,
    )
    return Result(process.returncode, process.stdout, process.stderr)


def run_cli(*args: str, **kwargs: object) -> Result:
    return run([executable("sam-shift-lint"), *args], **kwargs)  # type: ignore[arg-type]


def run_cfn_lint(paths: Sequence[str], cwd: Path, *flags: str) -> Result:
    """cfn-lint with the rule pack, isolated from any .cfnlintrc (cwd and HOME: a temporary directory)."""
    command = [executable("cfn-lint"), *flags, "--append-rules=sam_shift_lint.rules", "--", *paths]
    env = {**os.environ, "HOME": str(cwd)}
    process = subprocess.run(command, capture_output=True, timeout=600, cwd=str(cwd), env=env, stdin=subprocess.DEVNULL)
    return Result(process.returncode, process.stdout, process.stderr)


def cfn_lint_matches(result: Result) -> list[dict[str, object]]:
    matches: list[dict[str, object]] = json.loads(result.stdout or "[]")
    return matches


def assert_no_crash(result: Result) -> None:
    """No traceback, no internal error, an exit code of 0, 1 or 2."""
    assert b"Traceback" not in result.stderr_bytes + result.stdout_bytes, result.stderr[-3000:]
    assert "internal error" not in result.stderr, result.stderr[-3000:]
    assert result.returncode in (0, 1, 2), (result.returncode, result.stderr[-3000:])


def checked_resources(result: Result) -> set[str]:
    """The logical ids a ``--format json`` report names, besides files that could not be checked (E9000)."""
    return {item["resource"] for item in json.loads(result.stdout) if item["rule"] != FILE_ERROR.META.id}


def assert_errors_in_report(result: Result) -> None:
    """Every file with an error line is in the ``--format json`` report too, as an E9000 finding, and no other."""
    items = json.loads(result.stdout)
    reported = sorted(item["file"] for item in items if item["rule"] == FILE_ERROR.META.id)
    named = sorted(line.split(": error: ", 1)[0] for line in result.error_lines if ": error: " in line)
    assert reported == named, (reported, named)


def assert_one_error_line(result: Result, display: str, reason: str) -> str:
    """Exactly one stderr line names ``display``: not an internal error, giving ``reason``, short and free of
    raw control characters; and no traceback anywhere."""
    assert b"Traceback" not in result.stderr_bytes + result.stdout_bytes, result.stderr[-3000:]
    assert result.returncode in (0, 1, 2), (result.returncode, result.stderr[-3000:])
    lines = result.lines_for(display)
    assert len(lines) == 1, result.stderr[-3000:]
    line = lines[0]
    assert "internal error" not in line, line[:500]
    assert reason.lower() in line.lower(), line[:500]
    assert len(line) <= MAX_ERROR_LINE + len(display), f"error line of {len(line)} characters: {line[:200]}..."
    assert UNSAFE.search(line) is None, line[:500]
    return line


# ------------------------------------------------------------------------------------------------ no root


_PR_CAPBSET_DROP = 24
_DAC_CAPABILITIES = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
NOBODY = 65534


def _as_nobody() -> None:
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


def _without_dac_capabilities() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in _DAC_CAPABILITIES:
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _works(preexec: Callable[[], None]) -> bool:
    try:
        probe = subprocess.run(
            [executable("sam-shift-lint"), "--version"], preexec_fn=preexec, capture_output=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return probe.returncode == 0


@functools.cache
def _root_mode() -> str:
    if _works(_as_nobody):
        return "nobody"
    if sys.platform.startswith("linux") and _works(_without_dac_capabilities):
        return "no-dac-capabilities"
    return ""


def unprivileged() -> Callable[[], None] | None:
    """The ``preexec_fn`` that makes a child process unprivileged (None: this process already is)."""
    if not hasattr(os, "geteuid"):  # pragma: no cover
        pytest.skip("file permissions need a POSIX system")
    if os.geteuid() != 0:
        return None
    mode = _root_mode()
    if mode == "nobody":
        return _as_nobody
    if mode == "no-dac-capabilities":
        return _without_dac_capabilities
    pytest.fail(  # root must not skip these tests: they are the only proof that permissions are honoured
        "running as root, but a child process can neither run as uid 65534 (can it reach the venv's interpreter?) "
        "nor drop CAP_DAC_OVERRIDE from its bounding set (no CAP_SETPCAP?)",
        pytrace=False,
    )
