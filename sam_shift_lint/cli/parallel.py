"""``--jobs``: check files in worker processes; the report is the one a single process makes.

The parent walks the paths and hands out chunks of file names; each worker reads, checks (fixes, diffs) and
reports every file of its chunk in turn as a small :class:`~.modes.Run` (findings without their node trees,
error lines, diffs). The parent merges them in the order it was given the files (report order when a report
is written, :func:`~.modes.run_files`) as they arrive, and hands each file's findings to the report once the
files before it are merged, so the report, errors, diffs and ``--show-fixes`` come out as with ``--jobs 1``,
while the report is being written.
Standard input is one file and is processed by the parent, in its place.

Workers are forked (on Linux: the parent has imported the rules already, so a worker starts in a few
milliseconds and imports nothing per file); elsewhere they are spawned. A worker that dies (killed, out of
memory, a crash in C code) costs the file it was on, which is reported as an internal error (exit 2); the
rest of its chunk goes to a new worker. When workers cannot be started (the system refuses to fork) or keep
dying before their first file, the parent checks the remaining files itself. Workers ignore SIGINT (a terminal sends it to the whole process group):
on Ctrl-C the parent terminates them, each unwinds quietly (SIGTERM waits while a fix is being written to a
temporary file and renamed over the original, :mod:`sam_shift_lint.held_signals`: a file is either fixed or
untouched, and no temporary file is left), and the parent reaps them all.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterator
from itertools import chain, islice
from multiprocessing.connection import Connection, wait
from multiprocessing.context import ForkContext, SpawnContext
from multiprocessing.process import BaseProcess
from typing import Any, TextIO

from sam_shift_lint.cli.modes import AUTO_THRESHOLD, FIX, Job, Run, file_error, process_source
from sam_shift_lint.discover import Source
from sam_shift_lint.findings import Finding
from sam_shift_lint.project import Overrides, Project
from sam_shift_lint.records import field, record, replace

CHUNK = 16  # files per message to a worker: enough to amortise the message, small enough to balance the load
PREFETCH = 2  # chunks a worker holds at once, so that it never waits for the parent between chunks
WINDOW = 2048  # files handed out ahead of the oldest unmerged one (bounds the results held for reordering)
STOP_TIMEOUT = 5.0  # seconds a worker gets to exit after SIGTERM, before SIGKILL
MAX_FAILURES = 3  # workers in a row that cannot be started or die before their first file: go on without them


def available_cpus() -> int:
    """The CPUs this process may run on (affinity and, on Python 3.13+, ``-X cpu_count`` respected)."""
    counter = getattr(os, "process_cpu_count", None)
    if counter is not None:
        count = counter()
    elif hasattr(os, "sched_getaffinity"):
        count = len(os.sched_getaffinity(0))
    else:  # pragma: no cover - macOS, Windows
        count = os.cpu_count()
    return max(1, count or 1)


def process_sources(
    sources: Iterator[Source], job: Job, jobs: int, run: Run, report: Callable[[list[Finding]], None] | None = None
) -> None:
    """Process ``sources`` into ``run`` with up to ``jobs`` workers (0: one per CPU, when there are at least
    :data:`AUTO_THRESHOLD` sources); in this process when one worker would do. Each file's findings go to
    ``report`` in order as soon as the files before it are done (:meth:`Run.hand_over`)."""
    workers = available_cpus() if jobs == 0 else jobs
    look_ahead = AUTO_THRESHOLD if jobs == 0 else max(2, workers * CHUNK * PREFETCH)
    head = list(islice(sources, look_ahead))
    files = sum(1 for source in head if source.raw is None)
    if len(head) < look_ahead:  # all known: no more workers than files, smaller chunks for a few files
        workers = min(workers, files)
        if jobs == 0 and len(head) < AUTO_THRESHOLD:
            workers = 1
    chunk = CHUNK if len(head) == look_ahead else max(1, min(CHUNK, -(-files // (workers * PREFETCH * 2))))
    everything = chain(head, sources)
    if workers <= 1:
        for source in everything:
            process_source(source, job, run)
            run.hand_over(report)
        return
    _Pool(job, workers, chunk, run, report).process(everything)


@record(frozen=True)
class _JobSpec:
    """A :class:`Job` that pickles (the project's options, not its caches), for start methods other than fork."""

    overrides: Overrides
    config_path: str | None
    isolated: bool
    mode: str

    @classmethod
    def of(cls, job: Job) -> _JobSpec:
        project = job.project
        return cls(project.overrides, project.config_path, project.isolated, job.mode)

    def job(self) -> Job:
        return Job(Project(self.overrides, self.config_path, self.isolated), self.mode)


@record
class _Worker:
    process: BaseProcess
    conn: Connection
    progress: Any  # a shared int: the file the worker is on (it tells which file killed it)
    assigned: deque[tuple[int, Source]] = field(default_factory=deque)  # sent, not yet reported, in order
    reported: int = 0  # files it has reported


# fork where it is safe and fastest (Linux; the command starts no threads), spawn elsewhere (macOS frameworks
# are not fork-safe; Windows cannot fork)
_FORK = sys.platform.startswith("linux")


def _context() -> ForkContext | SpawnContext:
    if _FORK:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")  # pragma: no cover


class _Pool:
    """Workers, the files handed to them, and the results waiting for their turn."""

    def __init__(self, job: Job, size: int, chunk: int, run: Run, report: Callable[[list[Finding]], None] | None) -> None:
        self.job = job
        self.report = report
        self.spec = _JobSpec.of(job)
        self.size = size
        self.chunk = chunk
        self.run = run
        self.context = _context()
        self.workers: list[_Worker] = []
        self.pending: deque[tuple[int, Source]] = deque()  # to hand out (requeued ones first)
        self.inline: dict[int, Source] = {}  # standard input: processed here, in its place
        self.done: dict[int, Run] = {}  # reported, waiting for the files before them
        self.next_seq = 0  # the next file to merge
        self.issued = 0  # files taken from the iterator
        self.exhausted = False
        self.failures = 0  # workers in a row that could not start or died before their first file

    def process(self, sources: Iterator[Source]) -> None:
        clean = False
        try:
            self._fill(sources)
            for _ in range(self.size):
                self._spawn()
            self._loop(sources)
            clean = True
        finally:
            self._stop(clean)

    # ------------------------------------------------------------------ the loop

    def _loop(self, sources: Iterator[Source]) -> None:
        while True:
            self._merge_ready()
            self._fill(sources)
            if not self.workers and (self.pending or not self.exhausted):  # every worker died
                self._spawn()
                if not self.workers:  # and none can be started: the rest in this process
                    self._in_this_process(sources)
                    return
            self._dispatch()
            if self.exhausted and self.next_seq == self.issued:
                return
            if not any(worker.assigned for worker in self.workers):
                continue  # nothing in flight: the next round takes more from the walk (the window has room now)
            ready = wait([worker.conn for worker in self.workers] + [worker.process.sentinel for worker in self.workers])
            for worker in list(self.workers):
                if worker.conn in ready or worker.process.sentinel in ready:
                    self._receive(worker)

    def _in_this_process(self, sources: Iterator[Source]) -> None:
        """Without workers: every file not yet reported, and the rest of the walk, here, in order."""
        while True:
            for seq, source in sorted(self.pending, key=lambda item: item[0]):
                part = Run()
                process_source(source, self.job, part)
                self.done[seq] = part
                self._merge_ready()
            self.pending.clear()
            self._merge_ready()
            if self.exhausted and self.next_seq == self.issued:
                return
            self._fill(sources)

    def _fill(self, sources: Iterator[Source]) -> None:
        """Take sources from the walk while the reorder window and the workers' appetite allow."""
        wanted = self.size * self.chunk * (PREFETCH + 1)
        while not self.exhausted and len(self.pending) < wanted and self.issued - self.next_seq < WINDOW:
            source = next(sources, None)
            if source is None:
                self.exhausted = True
                break
            if source.raw is not None:
                self.inline[self.issued] = source
            else:
                self.pending.append((self.issued, source))
            self.issued += 1

    def _dispatch(self) -> None:
        for worker in list(self.workers):
            while self.pending and len(worker.assigned) + self.chunk <= self.chunk * PREFETCH:
                items = [self.pending.popleft() for _ in range(min(self.chunk, len(self.pending)))]
                try:
                    worker.conn.send(items)
                except OSError:  # it has died: take the files back, reap it
                    self.pending.extendleft(reversed(items))
                    worker.process.join()
                    self._receive(worker)
                    break
                worker.assigned.extend(items)

    def _receive(self, worker: _Worker) -> None:
        """Read everything ``worker`` has sent; if it has died, report the file it was on and requeue the rest."""
        try:
            while worker.conn.poll():
                for seq, part in worker.conn.recv():
                    self._reported(worker, seq, part)
        except (EOFError, OSError):
            pass
        if worker.process.is_alive():
            return
        worker.process.join()
        worker.conn.close()
        self.workers.remove(worker)
        on = worker.progress.value
        if any(seq == on for seq, _ in worker.assigned):  # the file it was on is lost
            self.failures = 0
            why = _exit_reason(worker.process.exitcode)
            for seq, source in worker.assigned:
                if seq == on:
                    self.done[seq] = _failed(source.display, f"the worker process checking it died ({why})")
        elif not worker.reported:  # died before its first file
            self.failures += 1
        # the others (not done, or done but not reported) go again
        self.pending.extendleft(reversed([item for item in worker.assigned if item[0] != on]))
        if self.pending or not self.exhausted:
            self._spawn()

    def _reported(self, worker: _Worker, seq: int, part: Run) -> None:
        expected, _ = worker.assigned.popleft()
        if expected != seq:  # pragma: no cover - a worker answers its files in order
            raise RuntimeError(f"worker answered file {seq}, expected {expected}")
        self.done[seq] = part
        worker.reported += 1
        self.failures = 0

    def _merge_ready(self) -> None:
        while True:
            if self.next_seq in self.done:
                self.run.merge(self.done.pop(self.next_seq))
            elif self.next_seq in self.inline:
                process_source(self.inline.pop(self.next_seq), self.job, self.run)
            else:
                return
            self.run.hand_over(self.report)
            self.next_seq += 1

    # ------------------------------------------------------------------ workers

    def _spawn(self) -> None:
        """Start a worker, unless :data:`MAX_FAILURES` in a row could not be started (the system refuses to
        fork: too many processes, no memory) or died before their first file."""
        if self.failures >= MAX_FAILURES:
            return
        try:
            self._start_worker()
        except OSError:
            self.failures += 1

    def _start_worker(self) -> None:
        _flush_std_streams()  # a forked child must not inherit (and later write) the parent's buffered output
        parent_end, child_end = self.context.Pipe()
        try:
            progress = self.context.RawValue("q", -1)
            # fork: the child gets copies of the parent's ends of every pipe, which it closes (else a worker
            # would keep another's pipe open after the parent is gone); spawn passes only what it is given
            inherited = [worker.conn for worker in self.workers] + [parent_end] if _FORK else []
            process = self.context.Process(target=_worker_main, args=(child_end, progress, self.spec, inherited), daemon=True)
            process.start()
        except BaseException:
            parent_end.close()
            raise
        finally:
            child_end.close()
        self.workers.append(_Worker(process, parent_end, progress))

    def _stop(self, clean: bool) -> None:
        """Stop every worker and reap it: when all went well, each is told to exit; on an error or an
        interruption each is terminated (SIGTERM: a fix being written is finished or removed, see
        :func:`_terminated`), and killed if it has not exited after :data:`STOP_TIMEOUT` seconds."""
        for worker in self.workers:
            if clean:
                try:
                    worker.conn.send(None)
                except OSError:
                    pass
            else:
                worker.process.terminate()
            worker.conn.close()
        for worker in self.workers:
            worker.process.join(None if clean else STOP_TIMEOUT)
            if worker.process.is_alive():  # pragma: no cover - stuck in the kernel
                worker.process.kill()
                worker.process.join()
        self.workers.clear()


def _worker_main(conn: Connection, progress: Any, spec: _JobSpec, inherited: list[Connection]) -> None:
    """A worker: chunks of ``(seq, source)`` in, a list of ``(seq, Run)`` out per chunk (per file with
    ``--fix``: a file written is reported even if the worker dies on the next), until ``None`` or the pipe
    closes. ``progress`` holds the file it is on."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    signal.signal(signal.SIGTERM, _terminated)
    for other in inherited:  # the parent's ends of the pipes, inherited through fork
        other.close()
    job = spec.job()
    try:
        while True:
            chunk = conn.recv()
            if chunk is None:
                return
            results: list[tuple[int, Source, Run]] = []
            for seq, source in chunk:
                progress.value = seq
                part = Run()
                process_source(source, job, part)
                results.append((seq, source, _compact(part)))
                if job.mode == FIX:
                    _send(conn, results)
                    results = []
            if results:
                _send(conn, results)
    except (EOFError, OSError):  # the parent is gone or stopping us
        return
    finally:
        conn.close()


def _send(conn: Connection, results: list[tuple[int, Source, Run]]) -> None:
    try:
        conn.send([(seq, part) for seq, _, part in results])
    except (OSError, EOFError):
        raise
    except Exception as error:  # a result that does not pickle (a bug): its files get an error, not a dead worker
        why = f"its result cannot be passed on: {type(error).__name__}"
        conn.send([(seq, _failed(source.display, why)) for seq, source, _ in results])


def _failed(display: str, why: str) -> Run:
    """The run of a file whose checking failed for a reason of the workers' (an internal error, E9000)."""
    run = Run()
    file_error(run, display, why, internal=True)
    return run


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM in a worker: unwind and exit quietly (SystemExit prints nothing). A fix being written holds the
    signal until the file is replaced or its temporary file removed (:func:`sam_shift_lint.fixer.write_atomically`)."""
    raise SystemExit(128 + signum)


def _compact(part: Run) -> Run:
    """What the report needs of a file's findings: without the data changes a fix verifies against (the
    fixer has used them; they are most of a finding's size)."""
    part.findings = [_without_changes(finding) for finding in part.findings]
    part.fixed = [_without_changes(finding) for finding in part.fixed]
    return part


def _without_changes(finding: Finding) -> Finding:
    if finding.fix is None or not finding.fix.changes:
        return finding
    return replace(finding, fix=replace(finding.fix, changes=()))


def _exit_reason(code: int | None) -> str:
    if code is not None and code < 0:
        try:
            return signal.Signals(-code).name
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


def _flush_std_streams() -> None:
    _flush(sys.stdout)
    _flush(sys.stderr)


def _flush(stream: TextIO) -> None:
    try:
        stream.flush()
    except (OSError, ValueError):  # closed
        pass
