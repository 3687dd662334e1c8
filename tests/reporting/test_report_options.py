"""--statistics, --quiet, --output-file, colour on a terminal (NO_COLOR, FORCE_COLOR) and one summary per run, from
real runs of the command."""
from __future__ import annotations

import json
import os
import pty
import re
import select
import stat
import subprocess
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from reporting_helpers import FILE_ERROR_ID, SAM_HEADER, executable, run_cli, sam_function

SGR = re.compile(r"\x1b\[[0-9;]*m")
HOOKED = SAM_HEADER + (
    "Resources:\n  Hooked:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: a.b\n"
    "      Runtime: python3.12\n      DeploymentPreference:\n        Type: Canary10Percent5Minutes\n"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Three templates: two functions without alias or preference (W9101 and W9102, fixable), one preference
    without alias (E9103, fixable; once fixed, W9117: no alarms), and a file that cannot be parsed (E9000)."""
    (tmp_path / "one.yaml").write_text(sam_function("One"))
    (tmp_path / "two.yaml").write_text(sam_function("Two"))
    (tmp_path / "hooked.yaml").write_text(HOOKED)
    (tmp_path / "broken.yaml").write_text(SAM_HEADER + "Resources: [\n")
    return tmp_path


PATHS = ["one.yaml", "two.yaml", "hooked.yaml", "broken.yaml"]


# ------------------------------------------------------------------------------------------------ statistics


def test_statistics_count_what_the_report_lists(project: Path) -> None:
    findings = json.loads(run_cli("--format", "json", *PATHS, cwd=project).stdout)
    counts = Counter(item["rule"] for item in findings)
    process = run_cli("--statistics", *PATHS, cwd=project)
    assert process.returncode == 2  # the same exit code as without --statistics
    *rows, summary, hint = process.stdout.splitlines()
    parsed = [row.split("\t") for row in rows]
    assert {code.strip(): int(count) for count, code, _ in parsed} == dict(counts)
    assert [int(count) for count, _, _ in parsed] == sorted((int(count) for count, _, _ in parsed), reverse=True)
    fixable = {item["rule"] for item in findings if item["fix"] and item["fix"]["applicability"] == "safe"}
    for _, code, text in parsed:
        assert text.startswith("[*] " if code.strip() in fixable else "[ ] "), text
    assert parsed[0][2] in ("[*] Function has no AutoPublishAlias", "[*] Function has no DeploymentPreference")
    assert next(row for row in parsed if row[1].strip() == FILE_ERROR_ID)[2] == "[ ] File could not be read, parsed or processed"
    assert summary == f"Found {sum(counts.values())} problems (2 errors, 4 warnings)."
    assert hint.startswith("[*] ")


def test_statistics_as_json(project: Path) -> None:
    rows = json.loads(run_cli("--statistics", "--format", "json", *PATHS, cwd=project).stdout)
    assert rows[0] == {
        "code": "W9101", "name": "function-without-auto-publish-alias", "summary": "Function has no AutoPublishAlias",
        "count": 2, "fixable": True,
    }
    assert {row["code"]: row["count"] for row in rows} == {"W9101": 2, "W9102": 2, "E9103": 1, FILE_ERROR_ID: 1}


def test_statistics_need_text_or_json(project: Path) -> None:
    process = run_cli("--statistics", "--format", "sarif", *PATHS, cwd=project)
    assert (process.returncode, process.stdout) == (2, "")
    assert process.stderr == "sam-shift-lint: error: --statistics works with --format text or json, not sarif\n"


@pytest.mark.slow  # the whole corpus
def test_statistics_on_the_corpus(corpus_dir: Path, corpus_cli_json: Callable[[str], dict[str, Any]]) -> None:
    """The corpus's statistics add up to the findings of the same run in JSON."""
    expected = Counter(item["rule"] for item in json.loads(corpus_cli_json("sam")["stdout"]))
    process = run_cli("--statistics", "--format", "json", str(corpus_dir / "sam"))
    assert process.returncode == corpus_cli_json("sam")["returncode"]
    assert {row["code"]: row["count"] for row in json.loads(process.stdout)} == dict(expected)


# ------------------------------------------------------------------------------------------------ quiet


def test_quiet_prints_the_findings_only(project: Path) -> None:
    full = run_cli(*PATHS, cwd=project)
    quiet = run_cli("--quiet", *PATHS, cwd=project)
    assert quiet.returncode == full.returncode == 2
    assert quiet.stdout.splitlines() == full.stdout.splitlines()[:-2]  # no summary, no hint
    assert quiet.stderr == full.stderr  # errors are still said
    clean = run_cli("-q", "one.yaml", "--select", "E9103", cwd=project)
    assert (clean.returncode, clean.stdout, clean.stderr) == (0, "", "")  # not even "All checks passed!"
    github = run_cli("-q", "--format", "github", "one.yaml", cwd=project).stdout.splitlines()
    assert len(github) == 2 and all(line.startswith("::warning ") for line in github)
    diff = run_cli("-q", "--diff", "one.yaml", cwd=project)
    assert diff.returncode == 1 and "\n--- a/one.yaml\n" in diff.stdout and diff.stderr == ""  # no "Would fix"


# ------------------------------------------------------------------------------------------------ output file


@pytest.mark.parametrize("fmt", ["text", "sarif", "junit"])
def test_output_file_holds_the_report(fmt: str, project: Path, assert_valid_sarif: Callable[[Any], None]) -> None:
    to_stdout = run_cli("--format", fmt, *PATHS, cwd=project)
    to_file = run_cli("--format", fmt, "--output-file", "report.out", *PATHS, cwd=project)
    assert to_file.returncode == to_stdout.returncode == 2  # the exit code does not change
    assert to_file.stdout == "" and to_file.stderr == to_stdout.stderr
    assert (project / "report.out").read_text(encoding="utf-8") == to_stdout.stdout
    if fmt == "sarif":
        assert_valid_sarif(json.loads((project / "report.out").read_text(encoding="utf-8")))
    clean = run_cli("-o", "report.out", "one.yaml", "--select", "E9103", cwd=project)
    assert clean.returncode == 0 and (project / "report.out").read_text() == "All checks passed!\n"


def test_output_file_is_replaced_atomically_and_keeps_its_mode(project: Path) -> None:
    report = project / "report.txt"
    report.write_text("old report\n")
    report.chmod(0o640)
    inode = report.stat().st_ino
    process = run_cli("-o", "report.txt", "one.yaml", cwd=project)
    assert process.returncode == 1
    assert report.read_text().startswith("one.yaml:")
    assert stat.S_IMODE(report.stat().st_mode) == 0o640
    assert report.stat().st_ino != inode  # a new file renamed over the old one: no reader sees half a report
    assert sorted(path.name for path in project.iterdir() if path.name.startswith(".")) == []  # no temporary left


def test_output_file_with_diff_holds_the_diff(project: Path) -> None:
    to_stdout = run_cli("--diff", "one.yaml", cwd=project)
    to_file = run_cli("--diff", "-o", "fixes.patch", "one.yaml", cwd=project)
    assert to_file.returncode == to_stdout.returncode == 1
    assert to_file.stdout == "" and to_file.stderr == to_stdout.stderr == "Would fix 2 errors.\n"
    assert (project / "fixes.patch").read_text() == to_stdout.stdout


def test_output_file_that_cannot_be_written(project: Path) -> None:
    process = run_cli("-o", "no/such/dir/report.txt", "one.yaml", cwd=project)
    assert (process.returncode, process.stdout) == (2, "")
    assert process.stderr == "sam-shift-lint: error: --output-file no/such/dir/report.txt: No such file or directory\n"


def test_output_file_with_fix_on_stdin(project: Path) -> None:
    """stdout carries the fixed text, the report goes to the file (not to stderr)."""
    process = run_cli("--fix", "-o", "report.txt", "-", "--stdin-filename", "one.yaml", cwd=project, stdin=sam_function("One").encode())
    assert process.returncode == 0
    assert "AutoPublishAlias: live" in process.stdout and process.stderr == ""
    assert (project / "report.txt").read_text() == "Found 2 problems (2 fixed, 0 remaining).\n"


# ------------------------------------------------------------------------------------------------ colour


def run_in_terminal(args: list[str], cwd: Path, env: Mapping[str, str]) -> str:
    """The command's stdout when stdout is a terminal (a pseudo-terminal)."""
    environment = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "FORCE_COLOR", "TERM")}
    environment.update(env)
    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            [executable("sam-shift-lint"), *args], cwd=cwd, env=environment, stdout=follower, stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
        )
        os.close(follower)
        chunks = []
        while True:
            ready, _, _ = select.select([leader], [], [], 60)
            if not ready:
                break
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the follower side closed (Linux: EIO)
                break
            if not chunk:
                break
            chunks.append(chunk)
        process.wait(timeout=60)
    finally:
        os.close(leader)
    return b"".join(chunks).decode().replace("\r\n", "\n")


COLOURED_LINE = "\x1b[1mone.yaml\x1b[0m:4:3: \x1b[1;33mW9101\x1b[0m \x1b[36m[*]\x1b[0m Function 'One' has no AutoPublishAlias"


def test_colour_on_a_terminal(project: Path) -> None:
    out = run_in_terminal(["one.yaml", "broken.yaml"], project, {"TERM": "xterm"})
    assert out.splitlines()[1].startswith(COLOURED_LINE), out  # after broken.yaml's E9000
    assert "\x1b[1;31mE9000\x1b[0m" in out
    assert SGR.sub("", out) == run_cli("one.yaml", "broken.yaml", cwd=project).stdout


@pytest.mark.parametrize(
    ("env", "coloured"),
    [
        ({"TERM": "xterm", "NO_COLOR": "1"}, False),
        ({"TERM": "xterm", "NO_COLOR": ""}, True),  # set but empty: not set (no-color.org)
        ({"TERM": "dumb"}, False),
        ({"TERM": "dumb", "FORCE_COLOR": "1"}, True),
        ({"TERM": "xterm", "NO_COLOR": "1", "FORCE_COLOR": "1"}, False),  # NO_COLOR wins, as in CPython
    ],
)
def test_colour_variables_on_a_terminal(env: dict[str, str], coloured: bool, project: Path) -> None:
    out = run_in_terminal(["one.yaml"], project, env)
    assert bool(SGR.search(out)) == coloured, out


def test_no_colour_in_a_pipe_or_a_file_unless_forced(project: Path) -> None:
    assert not SGR.search(run_cli("one.yaml", cwd=project).stdout)
    forced = run_cli("one.yaml", cwd=project, env={"FORCE_COLOR": "1"}).stdout
    assert forced.startswith(COLOURED_LINE)
    assert not SGR.search(run_cli("one.yaml", cwd=project, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout)
    for fmt in ("json", "github", "parseable", "sarif", "junit"):  # machine formats never
        assert "\x1b" not in run_cli("--format", fmt, "one.yaml", cwd=project, env={"FORCE_COLOR": "1"}).stdout
    run_cli("-o", "report.txt", "one.yaml", cwd=project)
    assert not SGR.search((project / "report.txt").read_text())


def test_colour_never_lets_input_through(project: Path) -> None:
    """A file name holding ESC sequences is escaped before the colour codes are added: the only ESCs in coloured
    output are ours."""
    hostile = project / "x\x1b[2Jy.yaml"
    hostile.write_text(sam_function("Evil"))
    out = run_cli(hostile.name, cwd=project, env={"FORCE_COLOR": "1"}).stdout
    assert "x\\x1b[2Jy.yaml" in out
    assert SGR.sub("", out).count("\x1b") == 0


# ------------------------------------------------------------------------------------------------ one summary


def test_one_summary_for_a_run(project: Path) -> None:
    """Many files, fixes shown and fixes remaining: one summary line for the whole run, after everything."""
    process = run_cli("--fix", "--show-fixes", *PATHS, cwd=project)
    assert process.returncode == 2
    lines = process.stdout.splitlines()
    summaries = [line for line in lines if line.startswith(("Found ", "All checks passed"))]
    assert summaries == ["Found 7 problems (5 fixed, 2 remaining: 1 error, 1 warning)."] == [lines[-2]]
    assert lines[-1] == "No fixes available (1 hidden fix can be enabled with the --unsafe-fixes option)."
    assert lines[0] == "Fixed 5 errors:"
