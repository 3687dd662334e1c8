"""The report written as the run goes, from real runs of the command: byte for byte the report ``render()`` makes
of all the findings at once, with ``--jobs 1`` and ``--jobs 2``, in every format; no finding kept once written;
``--output-file`` replaced only by a complete report (not when the run is interrupted or the disk is full)."""
from __future__ import annotations

import gc
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from reporting_helpers import SAM_HEADER, executable, run_cli, sam_function

from sam_shift_lint import __version__
from sam_shift_lint.checks.registry import all_rules
from sam_shift_lint.cli import main
from sam_shift_lint.cli.destination import TEMPORARY_PREFIX
from sam_shift_lint.cli.modes import Job, run_files
from sam_shift_lint.cli.report import ROOTED_FORMATS, repository_root
from sam_shift_lint.findings import Finding
from sam_shift_lint.output import FORMATS, OutputContext, render, statistics
from sam_shift_lint.output.stream import ReportWriter
from sam_shift_lint.project import Project

if TYPE_CHECKING:
    from conftest import TerminalJob

STDIN_NAME = "m-stdin.yaml"
STDIN = sam_function("FromStdin").encode()
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """Files whose walk order is not report order (a directory's files come before its subdirectories in the
    walk, but ``a/x.yaml`` sorts before ``b.yaml``), broken files, a policy, a file that is not ours."""
    root = tmp_path / "tree"
    files = {
        "z.yaml": sam_function("Zed"),
        "a-b.yaml": sam_function("AB"),
        "b.yaml": sam_function("Bee", "      AutoPublishAlias: live\n"),
        "a/x.yaml": sam_function("Ex"),
        "a/broken.yaml": SAM_HEADER + "Resources: [\n",
        "a/notours.yaml": "just: yaml\n",
        "b/c/y.yaml": sam_function("Why", "      DeploymentPreference:\n        Type: Canary10Percent5Minutes\n"),
        "b/evil.yaml": sam_function('"Fn\\x1b[31m\\n::error file=x::forged"'),
        "b/policy.json": '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "codedeploy:Nope", "Resource": "*"}]}\n',
        "c/dup.yaml": SAM_HEADER + "Resources:\n  Fn: {Type: AWS::Serverless::Function}\n  Fn: {Type: AWS::Serverless::Function}\n",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


# the tree, a file of it named again under another name, and standard input (sorted in among the others)
ARGS = [".", "a/x.yaml", "-", "--stdin-filename", STDIN_NAME]


def whole_report(tree: Path, format_name: str, monkeypatch: pytest.MonkeyPatch, stats: bool = False) -> str:
    """``render()`` of every finding of the run at once (the run in this process, keeping its findings)."""
    monkeypatch.chdir(tree)
    job = Job(Project(isolated=True))
    run = run_files([".", "a/x.yaml", "-"], STDIN_NAME, job, lambda: STDIN, 1)
    rules = {rule.id: rule for rule in all_rules()}
    root = repository_root(str(tree)) if format_name in ROOTED_FORMATS else None
    context = OutputContext(version=__version__, files_checked=run.checked, root=root)
    if stats:
        return statistics.render(format_name, run.findings, rules, context)
    return render(format_name, run.findings, rules, context)


@linux_only
@pytest.mark.parametrize("format_name", FORMATS)
def test_streamed_report_is_the_whole_report(tree: Path, format_name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    one = run_cli("--format", format_name, "--jobs", "1", *ARGS, cwd=tree, stdin=STDIN)
    two = run_cli("--format", format_name, "--jobs", "2", *ARGS, cwd=tree, stdin=STDIN)
    assert one.returncode == two.returncode == 2  # the broken files
    assert one.stdout == two.stdout == whole_report(tree, format_name, monkeypatch)
    assert one.stderr == two.stderr
    # error lines in report order, as the E9000 findings
    assert [line.split(":", 1)[0] for line in one.stderr.splitlines()] == ["./a/broken.yaml", "./c/dup.yaml"]


@linux_only
@pytest.mark.parametrize("format_name", ["text", "json"])
def test_streamed_statistics_are_the_whole_statistics(tree: Path, format_name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    one = run_cli("--statistics", "--format", format_name, "--jobs", "1", *ARGS, cwd=tree, stdin=STDIN)
    two = run_cli("--statistics", "--format", format_name, "--jobs", "2", *ARGS, cwd=tree, stdin=STDIN)
    assert one.stdout == two.stdout == whole_report(tree, format_name, monkeypatch, stats=True)
    assert (one.returncode, one.stderr) == (two.returncode, two.stderr)


# ------------------------------------------------------------------------------------------- nothing kept


@pytest.mark.parametrize("jobs", ["1", pytest.param("2", marks=linux_only)])
@pytest.mark.parametrize("format_name", ["json", "sarif"])
def test_no_finding_is_kept_once_written(
    tmp_path: Path, jobs: str, format_name: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """When the report's end is written, after 200 files with 2 findings each, no Finding is alive any more:
    each went to the report when its file was done (the whole run's findings used to be held until the end)."""
    for index in range(200):
        (tmp_path / f"t{index:03d}.yaml").write_text(sam_function(f"Fn{index}"))
    alive: list[int] = []
    finish = ReportWriter.finish

    def counting(writer: ReportWriter, files_checked: int, fixed: int) -> None:
        gc.collect()
        alive.append(sum(1 for thing in gc.get_objects() if isinstance(thing, Finding)))
        alive.append(writer.tally.total)
        finish(writer, files_checked, fixed)

    monkeypatch.setattr(ReportWriter, "finish", counting)
    assert main(["--format", format_name, "--jobs", jobs, str(tmp_path)]) == 1
    assert alive == [0, 400]
    assert capsys.readouterr().out.count("Fn199") >= 2


# ------------------------------------------------------------------------------------------- --output-file


def big_template() -> str:
    """About 4 MB of functions: seconds to check, so a run can be caught in the middle."""
    body = "  Fn{0}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: a.b\n      AutoPublishAlias: live\n"
    return SAM_HEADER + "Resources:\n" + "".join(body.format(index) for index in range(40_000))


def temporaries(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir() if path.name.startswith(TEMPORARY_PREFIX))


@pytest.mark.skipif(os.name != "posix", reason="SIGINT to a process group")
def test_interrupted_run_leaves_the_old_report(tmp_path: Path, terminal_job: type[TerminalJob]) -> None:
    """The report goes to a temporary file beside --output-file from the start; Ctrl-C in the middle of the run
    removes it and leaves the old report as it was."""
    (tmp_path / "a.yaml").write_text(sam_function("First"))
    (tmp_path / "b-big.yaml").write_text(big_template())
    report = tmp_path / "report.json"
    report.write_text("old report\n")
    command = [executable("sam-shift-lint"), "--format", "json", "--jobs", "1", "-o", str(report), "a.yaml", "b-big.yaml"]
    with terminal_job(command, tmp_path) as job:
        deadline = time.monotonic() + 60
        while not temporaries(tmp_path) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert temporaries(tmp_path), "no temporary report file appeared"
        time.sleep(0.3)  # a.yaml is written to it by now; b-big.yaml takes seconds
        assert report.read_text() == "old report\n"  # a reader still sees the old report, whole
        stdout, stderr = job.ctrl_c()
    assert job.returncode == -signal.SIGINT
    assert (stdout, stderr) == (b"", b"sam-shift-lint: interrupted\n")
    assert report.read_text() == "old report\n"
    assert temporaries(tmp_path) == []


def _small_file_limit() -> None:
    """In the child: files may not grow past 20,000 bytes; a write past that fails with EFBIG (SIGXFSZ ignored)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="RLIMIT_FSIZE")
@pytest.mark.parametrize("format_name", ["json", "junit"])
def test_report_that_cannot_be_written_whole_leaves_the_old_one(tmp_path: Path, format_name: str) -> None:
    """A write fails half-way through the report (the file system is full; here a file size limit): one line,
    exit 2, the old report untouched, no temporary file left (JUnit's suites wait in a temporary file too)."""
    for index in range(60):
        (tmp_path / f"t{index:02d}.yaml").write_text(sam_function(f"Function{index}"))
    report = tmp_path / "report.out"
    report.write_text("old report\n")
    process = subprocess.run(
        [executable("sam-shift-lint"), "--format", format_name, "-o", "report.out", "."],
        cwd=tmp_path, capture_output=True, text=True, preexec_fn=_small_file_limit, timeout=300, check=False,
    )
    assert process.returncode == 2
    assert process.stderr == "sam-shift-lint: error: --output-file report.out: File too large\n"
    assert process.stdout == ""
    assert report.read_text() == "old report\n"
    assert temporaries(tmp_path) == []
    unlimited = run_cli("--format", format_name, "-o", "report.out", ".", cwd=tmp_path)
    assert unlimited.returncode == 1 and len(report.read_bytes()) > 20_000  # it was too large, and is written now


# ------------------------------------------------------------------------------------------- a closed pipe


@pytest.mark.skipif(os.name != "posix", reason="SIGPIPE")
def test_reader_gone_stops_the_run_quietly(tmp_path: Path) -> None:
    """``sam-shift-lint . | head -1``: once the reader has closed the pipe, the next write of the report fails;
    the command stops there without a traceback and ends as killed by SIGPIPE, as a pipeline expects."""
    for index in range(400):
        (tmp_path / f"t{index:03d}.yaml").write_text(sam_function(f"Fn{index}"))
    process = subprocess.Popen(
        [executable("sam-shift-lint"), "--jobs", "1", "."], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read()
    process.wait(timeout=120)
    assert first.startswith(b"./t000.yaml:")
    assert process.returncode == -signal.SIGPIPE
    assert stderr == b""
