"""``--jobs``: files checked in worker processes give the report of one process, byte for byte.

Every test runs the installed command for real. ``--jobs 2`` is compared with ``--jobs 1`` on trees with
findings, fixes, broken files between good ones, a slow file early on (so later files finish first and must
wait for their turn) and standard input among the files. A worker killed for real (the CPU-time limit,
``RLIMIT_CPU``, inherited from the command, stops the worker that parses a 5 MB template) costs only the file
it was on; Ctrl-C stops the command and its workers without a traceback.
"""
from __future__ import annotations

import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import TerminalJob

HERE = Path(__file__).resolve().parent
FORMATS = ("text", "json", "parseable", "sarif", "junit", "github")
SAM_HEADER = "AWSTemplateFormatVersion: '2010-09-09'\nTransform: AWS::Serverless-2016-10-31\n"
CPU_LIMIT = 2  # seconds of CPU time a process of the command may use in the crash tests
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked, /proc is read")


def cli() -> str:
    path = Path(os.path.dirname(os.path.abspath(sys.executable))) / "sam-shift-lint"
    if not path.exists():  # pragma: no cover
        pytest.fail(f"sam-shift-lint is not installed next to {sys.executable}", pytrace=False)
    return str(path)


def run(
    *args: str,
    cwd: Path | None = None,
    stdin: bytes | None = None,
    limit_cpu: bool = False,
    timeout: float = 120,
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [cli(), *args],
        input=stdin,
        capture_output=True,
        cwd=str(cwd) if cwd else None,
        timeout=timeout,
        preexec_fn=_limit_cpu if limit_cpu else None,
    )


def _limit_cpu() -> None:
    """In the child before exec: a CPU-time limit (SIGXCPU when reached) that workers inherit; no core file."""
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_LIMIT, CPU_LIMIT + 2))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def function(name: str, properties: str = "") -> str:
    return f"  {name}:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n{properties}"


def template(*functions: str) -> str:
    return SAM_HEADER + "Resources:\n" + "".join(functions)


def many_functions(count: int) -> str:
    """A template with ``count`` functions lacking alias and preference: slow enough that later files finish first."""
    return template(*(function(f"Fn{index}") for index in range(count)))


def big_template() -> str:
    """About 5 MB of valid functions (just under the size limit): seconds of CPU time to parse."""
    body = function("Fn{}", "      AutoPublishAlias: live\n      DeploymentPreference: {{Type: AllAtOnce}}\n")
    count = (5 * 1024 * 1024 - 10_000) // len(body.format(99999))
    return template(*(body.format(index) for index in range(count)))


BROKEN = {
    "syntax": SAM_HEADER + "Resources:\n  Fn: {Type: [\n",
    "duplicate": template(function("Fn", "      Runtime: python3.12\n      Runtime: python3.11\n")),
    "json": '{"Transform": "AWS::Serverless-2016-10-31", "Resources": [}',
}


def write_tree(root: Path, count: int = 40) -> list[Path]:
    """``count`` files in walk order: templates with various findings, a broken file every few, a policy file,
    a file that is not ours, and a slow template second (so the first results wait for it). Returns the
    broken files."""
    kinds = [
        template(function("NoAlias")),
        template(function("BadType", "      AutoPublishAlias: live\n      DeploymentPreference:\n        Type: Canary10Percent\n")),
        template(function("Fine", "      AutoPublishAlias: live\n      DeploymentPreference: {Type: AllAtOnce}\n")),
        template(function("NoPreference", "      AutoPublishAlias: live\n"), function("Other")),
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "codedeploy:Nonexistent", "Resource": "*"}]}\n',
        "just: some yaml\n",
        SAM_HEADER + "Globals:\n  Function:\n    AutoPublishAlias: live\nResources:\n" + function("Inherits") + function("Inherits2"),
    ]
    written = []
    broken = list(BROKEN.values())
    for index in range(count):
        if index == 1:
            text = many_functions(200)
        elif index % 9 == 5:
            text = broken[(index // 9) % len(broken)]
        else:
            text = kinds[index % len(kinds)]
        suffix = ".json" if text.startswith("{") else ".yaml"
        path = root / f"sub{index // 10}" / f"t{index:03d}{suffix}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.replace("Fn:", f"Fn{index}:"))
        if text in broken:
            written.append(path)
    return written


def same(one: subprocess.CompletedProcess[bytes], two: subprocess.CompletedProcess[bytes]) -> None:
    assert two.stderr == one.stderr
    assert two.stdout == one.stdout
    assert two.returncode == one.returncode
    assert b"Traceback" not in two.stderr


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    write_tree(root)
    return root


# ----------------------------------------------------------------------------------------------- arguments


@pytest.mark.parametrize("value", ["-1", "two", ""])
def test_bad_jobs_value_is_a_usage_error(value: str) -> None:
    process = run("--jobs", value, str(HERE / "cli_fixtures" / "clean.yaml"))
    assert process.returncode == 2
    assert b"--jobs" in process.stderr and b"Traceback" not in process.stderr


# ----------------------------------------------------------------------------------------------- same report


@linux_only
@pytest.mark.parametrize("output", FORMATS)
def test_jobs_2_reports_what_jobs_1_reports(tree: Path, output: str) -> None:
    one = run("--jobs", "1", "--format", output, ".", cwd=tree)
    two = run("--jobs", "2", "--format", output, ".", cwd=tree)
    same(one, two)
    assert one.returncode == 2  # the broken files


@linux_only
@pytest.mark.parametrize(
    "options",
    [("--statistics",), ("--statistics", "--format", "json"), ("--quiet",), ("--quiet", "--format", "github"), ("--format", "junit", "-o", "report.xml")],
)
def test_jobs_2_reports_what_jobs_1_reports_with_report_options(tree: Path, tmp_path: Path, options: Sequence[str]) -> None:
    one = run("--jobs", "1", *options, ".", cwd=tree)
    written = (tree / "report.xml").read_bytes() if "-o" in options else b""
    two = run("--jobs", "2", *options, ".", cwd=tree)
    same(one, two)
    if "-o" in options:
        assert (tree / "report.xml").read_bytes() == written and written.count(b"<testcase ") > 20
    else:
        assert one.stdout


def test_broken_files_keep_their_place_and_exit_2(tree: Path) -> None:
    broken = write_tree(tree.parent / "again")  # the same tree: which files are broken
    walk_order = [path.relative_to(tree.parent / "again").as_posix() for path in broken]
    assert len(walk_order) == 4
    two = run("--jobs", "2", "--format", "json", ".", cwd=tree)
    assert two.returncode == 2
    lines = two.stderr.decode().splitlines()
    assert [line.split(": ", 1)[0].removeprefix("./") for line in lines] == walk_order
    assert all(": error: " in line for line in lines)
    assert {item["resource"] for item in json.loads(two.stdout)} >= {"NoAlias", "BadType", "NoPreference", "Fn0"}


@linux_only
@pytest.mark.parametrize("output", ["text", "json"])
def test_special_entries_same_as_jobs_1(tree: Path, output: str) -> None:
    """A FIFO found in the walk and a file name with control characters: refused and escaped by the workers
    as by one process (and nothing hangs on the FIFO)."""
    os.mkfifo(tree / "sub2" / "t025-fifo.yaml")
    (tree / "sub3" / "t033-\x1b[31mred\n.yaml").write_text(template(function("Odd")))
    one = run("--jobs", "1", "--format", output, ".", cwd=tree, timeout=60)
    two = run("--jobs", "2", "--format", output, ".", cwd=tree, timeout=60)
    same(one, two)
    assert b"t025-fifo.yaml: error: " in two.stderr
    assert b"\x1b" not in two.stdout + two.stderr and b"Odd" in two.stdout


@linux_only
@pytest.mark.parametrize("flags", [("--fix", "--show-fixes"), ("--fix", "--unsafe-fixes", "--show-fixes", "--format", "json")])
def test_jobs_2_fixes_what_jobs_1_fixes(tree: Path, tmp_path: Path, flags: Sequence[str]) -> None:
    copies = [tmp_path / "one", tmp_path / "two"]
    for copy in copies:
        shutil.copytree(tree, copy)
    one = run("--jobs", "1", *flags, ".", cwd=copies[0])
    two = run("--jobs", "2", *flags, ".", cwd=copies[1])
    same(one, two)
    assert b"Fixed " in one.stdout + one.stderr
    files = sorted(path.relative_to(copies[0]) for path in copies[0].rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(copies[1]) for path in copies[1].rglob("*") if path.is_file())
    assert [(copies[1] / name).read_bytes() for name in files] == [(copies[0] / name).read_bytes() for name in files]
    assert any((copies[1] / name).read_bytes() != (tree / name).read_bytes() for name in files)


@linux_only
def test_jobs_2_diffs_what_jobs_1_diffs(tree: Path) -> None:
    one = run("--jobs", "1", "--diff", ".", cwd=tree)
    two = run("--jobs", "2", "--diff", ".", cwd=tree)
    same(one, two)
    assert one.stdout.count(b"\n--- ") + one.stdout.startswith(b"--- ") > 10


@linux_only
@pytest.mark.parametrize("flags", [(), ("--fix",), ("--diff",)])
def test_standard_input_among_the_files(tree: Path, flags: Sequence[str]) -> None:
    stdin = template(function("FromStdin")).encode()
    args = (*flags, "--stdin-filename", "stdin.yaml", "sub0", "-", "sub1", "sub2")
    other = tree.parent / "other"  # --fix writes: each run gets its own copy
    shutil.copytree(tree, other)
    one = run("--jobs", "1", *args, cwd=other, stdin=stdin)
    two = run("--jobs", "2", *args, cwd=tree, stdin=stdin)
    same(one, two)
    assert b"FromStdin" in one.stdout + one.stderr


# ----------------------------------------------------------------------------------------------- workers dying


@linux_only
def test_a_worker_killed_costs_only_its_file(tree: Path, tmp_path: Path) -> None:
    """The worker parsing the big file exceeds the CPU limit and the kernel kills it (SIGXCPU): that file is
    reported as an internal error, every other file as without workers, exit 2, no hang."""
    baseline = run("--jobs", "1", "--format", "parseable", ".", cwd=tree)
    big = tree / "sub1" / "t015-big.yaml"  # after some files, before others
    big.write_text(big_template())
    started = time.monotonic()
    two = run("--jobs", "2", "--format", "parseable", ".", cwd=tree, limit_cpu=True)
    assert time.monotonic() - started < 60
    assert two.returncode == 2
    reported = two.stdout.decode().splitlines()
    lost = "./sub1/t015-big.yaml:1:1:1:1:E9000:internal error: the worker process checking it died (SIGXCPU)"
    assert [line for line in reported if line != lost] == baseline.stdout.decode().splitlines()
    assert reported.count(lost) == 1  # in the report too (E9000), in its place in report order
    files = [line.split(":", 1)[0] for line in reported]
    assert files == sorted(files)
    lines = two.stderr.decode().splitlines()
    died = [line for line in lines if "t015-big.yaml" in line]
    assert died == ["./sub1/t015-big.yaml: internal error: the worker process checking it died (SIGXCPU)"]
    assert [line for line in lines if line not in died] == baseline.stderr.decode().splitlines()
    assert b"Traceback" not in two.stderr


@linux_only
@pytest.mark.slow
@pytest.mark.skipif(len(getattr(os, "sched_getaffinity", lambda _: ())(0)) < 2, reason="auto --jobs needs 2 CPUs")
@pytest.mark.parametrize(("count", "workers"), [(63, False), (64, True)])
def test_auto_jobs_start_workers_from_64_files(tmp_path: Path, count: int, workers: bool) -> None:
    """Default --jobs: in the command's own process below 64 files (the CPU limit kills the command itself),
    in workers from 64 on (the worker dies, the command reports it)."""
    for index in range(count - 1):
        (tmp_path / f"t{index:03d}.yaml").write_text(template(function(f"Fn{index}")))
    (tmp_path / "zz-big.yaml").write_text(big_template())
    process = run(".", cwd=tmp_path, limit_cpu=True)
    if workers:
        assert process.returncode == 2
        assert process.stderr.decode().splitlines() == [
            "./zz-big.yaml: internal error: the worker process checking it died (SIGXCPU)"
        ]
        assert process.stdout.count(b"W9101") == count - 1
    else:
        assert process.returncode == -signal.SIGXCPU


def _run_in_process(tree: Path, jobs: int, mode: str = "check") -> tuple[str, list[str], list[str], int]:
    """``run_files`` in this process: the JSON report, the error lines, the diffs, the number of files checked."""
    from sam_shift_lint.checks.registry import all_rules
    from sam_shift_lint.cli.modes import Job, run_files
    from sam_shift_lint.output import OutputContext, render
    from sam_shift_lint.project import Project

    job = Job(Project(isolated=True), mode)
    result = run_files([str(tree)], None, job, lambda: b"", jobs)
    report = render("json", result.findings, {rule.id: rule for rule in all_rules()}, OutputContext(version="test"))
    return report, result.errors, result.diffs, result.checked


@linux_only
@pytest.mark.parametrize("working", [0, 1])
def test_fork_refused_the_rest_in_this_process(tree: Path, monkeypatch: pytest.MonkeyPatch, working: int) -> None:
    """The system refuses to start workers (too many processes, no memory; simulated: a regular user cannot
    hit RLIMIT_NPROC as root): with none, or only ``working`` of them, the report is still complete."""
    from sam_shift_lint.cli import parallel

    expected = _run_in_process(tree, 1)
    start = parallel._Pool._start_worker
    started: list[int] = []

    def refuse(pool: parallel._Pool) -> None:
        if len(started) >= working:
            raise BlockingIOError(11, "Resource temporarily unavailable")
        started.append(1)
        start(pool)

    monkeypatch.setattr(parallel._Pool, "_start_worker", refuse)
    assert _run_in_process(tree, 2) == expected
    assert len(started) == working


@linux_only
def test_workers_dying_at_start_the_rest_in_this_process(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers that die before their first file (simulated: the forked worker exits at once) are not started
    again and again: after a few, the command goes on by itself and reports every file."""
    from sam_shift_lint.cli import parallel

    expected = _run_in_process(tree, 1)
    monkeypatch.setattr(parallel, "_worker_main", lambda *args: os._exit(3))
    start = parallel._Pool._start_worker
    started: list[int] = []

    def counted(pool: parallel._Pool) -> None:
        started.append(1)
        start(pool)

    monkeypatch.setattr(parallel._Pool, "_start_worker", counted)
    assert _run_in_process(tree, 2) == expected
    assert len(started) <= parallel.MAX_FAILURES + 1


# ----------------------------------------------------------------------------------------------- Ctrl-C


def _children(pid: int) -> list[int]:
    children = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as handle:
            children += [int(child) for child in handle.read().split()]
    return children


def _wait_for(condition: Callable[[], bool], timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


@linux_only
@pytest.mark.parametrize(("jobs", "mode"), [("2", ()), ("2", ("--fix",)), ("1", ())])
def test_ctrl_c_stops_quietly(
    tree: Path, jobs: str, mode: Sequence[str], cpu_seconds: Callable[[int], float], terminal_job: type[TerminalJob]
) -> None:
    """SIGINT to the whole process group, as a terminal sends it, while the big file is being parsed: one
    line, no traceback from the command or its workers, no worker left behind, and the command ends as
    killed by SIGINT (so that a shell loop stops too)."""
    (tree / "sub1" / "t015-big.yaml").write_text(big_template())
    with terminal_job([cli(), "--jobs", jobs, *mode, "."], tree) as job:
        if jobs == "1":  # imports take a fraction of a second of CPU; the big file takes seconds
            assert _wait_for(lambda: cpu_seconds(job.pid) > 1.0), "the command did not get to the big file"
        else:
            assert _wait_for(lambda: len(_children(job.pid)) == 2), "the workers did not start"
            time.sleep(0.3)  # into the big file
        workers = _children(job.pid)
        stdout, stderr = job.ctrl_c()
    assert job.returncode == -signal.SIGINT, stderr  # killed by SIGINT (130 in a shell), as if unhandled
    assert stderr.decode().splitlines() == ["sam-shift-lint: interrupted"]
    # the report is written as files are done: the lines of the files before the big one, whole, no summary
    assert stdout == b"" or stdout.endswith(b"\n")
    finding_line = re.compile(rb"\./sub[01]/t0[01]\d\.(yaml|json):\d+:\d+: [EW]9\d{3} .+")
    assert all(finding_line.fullmatch(line) for line in stdout.splitlines()), stdout
    assert not [pid for pid in workers if os.path.exists(f"/proc/{pid}")], "a worker outlived the command"
    assert not list(tree.rglob(".sam-shift-lint-*")), "a temporary file of a fix was left behind"


# ----------------------------------------------------------------------------------------------- the corpus


@pytest.fixture(scope="module")
def corpus_subset(corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every 6th file of the corpus (templates, templates without the transform, policies), with its path."""
    root = tmp_path_factory.mktemp("corpus")
    files = sorted(path for name in ("sam", "sam_no_transform", "policies") for path in (corpus_dir / name).rglob("*") if path.is_file())
    for path in files[::6]:
        target = root / path.relative_to(corpus_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    return root


@linux_only
@pytest.mark.slow
def test_corpus_subset_same_report_fixes_and_diffs(corpus_subset: Path, tmp_path: Path) -> None:
    for output in FORMATS:
        same(run("--jobs", "1", "--format", output, ".", cwd=corpus_subset), run("--jobs", "2", "--format", output, ".", cwd=corpus_subset))
    same(run("--jobs", "1", "--diff", ".", cwd=corpus_subset), run("--jobs", "2", "--diff", ".", cwd=corpus_subset))
    copies = [tmp_path / "one", tmp_path / "two"]
    for copy in copies:
        shutil.copytree(corpus_subset, copy)
    one = run("--jobs", "1", "--fix", "--show-fixes", "--unsafe-fixes", ".", cwd=copies[0], timeout=600)
    two = run("--jobs", "2", "--fix", "--show-fixes", "--unsafe-fixes", ".", cwd=copies[1], timeout=600)
    same(one, two)
    files = sorted(path.relative_to(copies[0]) for path in copies[0].rglob("*") if path.is_file())
    assert len(files) > 300
    changed = [name for name in files if (copies[0] / name).read_bytes() != (corpus_subset / name).read_bytes()]
    assert len(changed) > 100
    assert [(copies[1] / name).read_bytes() for name in files] == [(copies[0] / name).read_bytes() for name in files]
