"""What the command does with each file: read it, let the engine decide whether it is ours, then one mode —
check, fix (in place or, for standard input, to stdout) or diff."""
from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from itertools import chain, islice

from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.rule import Rule
from sam_shift_lint.discover import Source, iter_sources
from sam_shift_lint.engine import check_context, prepare
from sam_shift_lint.findings import Finding
from sam_shift_lint.parsing.document import Document, read_bytes
from sam_shift_lint.parsing.errors import MAX_BYTES, MAX_MESSAGE, DocumentError, FileTooLarge, shorten
from sam_shift_lint.records import field, record
from sam_shift_lint.settings import FixSettings, LintSettings

CHECK, FIX, DIFF = "check", "fix", "diff"


# --jobs 0 (auto) starts workers only from this many files on. Below it the start-up of the workers (fork,
# and each worker's first use of the IAM data and the rules' lazy imports) costs more than the second core
# saves; see README "Benchmark" for the measurement.
AUTO_THRESHOLD = 64

@record
class Run:
    """What one invocation found and did."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    fixed: list[Finding] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)
    checked: int = 0
    stdin_written: bool = False  # --fix on standard input: the (fixed) text is on stdout

    def merge(self, other: Run) -> None:
        """Add what ``other`` (the run of one file, in a worker process) found and did."""
        self.findings.extend(other.findings)
        self.errors.extend(other.errors)
        self.fixed.extend(other.fixed)
        self.diffs.extend(other.diffs)
        self.checked += other.checked


@record(frozen=True)
class Job:
    """The same for every file of one invocation."""

    rules: Sequence[Rule]
    lint: LintSettings
    fixes: FixSettings
    mode: str = CHECK
    unsafe: bool = False


def run_files(
    paths: list[str], stdin_filename: str | None, job: Job, read_stdin: Callable[[], bytes], jobs: int = 1
) -> Run:
    """Check (or fix, or diff) every source; one bad file does not stop the others. ``jobs``: 1 in this
    process, N > 1 in up to N worker processes, 0 as many as there are CPUs when there are many files
    (:mod:`.parallel`); the result is the same."""
    run = Run()
    sources = iter_sources(paths, stdin_filename, read_stdin)
    if jobs == 0:  # auto: decide before importing multiprocessing (a sixth of a one-file run's start-up)
        head = list(islice(sources, AUTO_THRESHOLD))
        sources = chain(head, sources)
        if len(head) < AUTO_THRESHOLD:
            jobs = 1
    if jobs == 1:
        for source in sources:
            process_source(source, job, run)
    else:
        from sam_shift_lint.cli.parallel import process_sources

        process_sources(sources, job, jobs, run)
    run.findings.sort(key=Finding.sort_key)
    return run


def process_source(source: Source, job: Job, run: Run) -> None:
    """Read, check (or fix, or diff) one source into ``run``."""
    raw = source.raw if source.raw is not None else _read(source, run)
    if raw is not None:
        try:
            _process(source, raw, job, run)
        except Exception as error:
            run.errors.append(f"{source.display}: internal error: {type(error).__name__}: {shorten(str(error), MAX_MESSAGE)}")
    _echo_unfixed_stdin(source, job.mode, run)


def _read(source: Source, run: Run) -> bytes | None:
    """The file's bytes, or None after recording why it cannot be read (a file found in a directory that is too
    big to be a template is skipped silently)."""
    if source.error is not None:
        run.errors.append(f"{source.display}: error: {source.error}")
        return None
    try:
        return read_bytes(source.path)
    except FileTooLarge as error:
        if source.explicit:
            run.errors.append(f"{source.display}: error: {error}")
    except DocumentError as error:
        run.errors.append(f"{source.display}: error: {error}")
    return None


def _process(source: Source, raw: bytes, job: Job, run: Run) -> None:
    prepared = prepare(raw, source.path, source.display, source.explicit, job.lint, job.fixes)
    if prepared.error is not None:
        run.errors.append(f"{source.display}: error: {prepared.error}")
        return
    if prepared.context is None:
        return
    if job.mode == CHECK:
        run.findings.extend(check_context(prepared.context, job.rules))
        run.checked += 1
        return
    _fix(source, prepared.context, job, run)


def _fix(source: Source, ctx: CheckContext, job: Job, run: Run) -> None:
    from sam_shift_lint import fixer

    document = ctx.document
    try:
        outcome = fixer.fix_context(ctx, job.rules, job.unsafe)
    except fixer.FixError as error:
        run.errors.append(f"{source.display}: internal error: fix refused, nothing written: {shorten(str(error), MAX_MESSAGE)}")
        return
    if outcome.changed and job.mode == FIX and source.raw is None and not _write(source, outcome.text, document, run):
        return
    run.checked += 1
    run.fixed.extend(outcome.fixed)
    run.findings.extend(outcome.remaining)
    if job.mode == DIFF:
        from sam_shift_lint.difftext import unified_diff

        if outcome.changed:
            bom = "\ufeff" * document.bom  # the diff is of the file as it is, byte order marks included
            regions = [(a + len(bom), b + len(bom), c + len(bom), d + len(bom)) for a, b, c, d in outcome.regions]
            run.diffs.append(unified_diff(source.display, bom + document.text, bom + outcome.text, regions))
    elif source.raw is not None:
        write_stdout(fixer.encode(document, outcome.text))  # stdin: the fixed text goes to stdout
        run.stdin_written = True


def _write(source: Source, text: str, document: Document, run: Run) -> bool:
    from sam_shift_lint import fixer

    try:
        fixer.check_writable(source.path)
        fixer.write_atomically(source.path, fixer.encode(document, text))
    except fixer.NotWritable as error:
        run.errors.append(f"{source.display}: error: cannot fix: {error}; nothing written")
        return False
    except OSError as error:
        run.errors.append(f"{source.display}: error: cannot write: {error.strerror or error}; nothing written")
        return False
    return True


def write_stdout(data: bytes) -> None:
    """Bytes to stdout as they are (BOM, CRLF, encoding untouched)."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # pragma: no cover - a replaced text-only stdout
        sys.stdout.write(data.decode("utf-8-sig"))
        return
    buffer.write(data)
    buffer.flush()


def read_stdin() -> bytes:
    """Standard input, at most one byte more than ``MAX_BYTES`` (more is refused as too large; an endless
    stream such as ``/dev/zero`` is not read to the end)."""
    return sys.stdin.buffer.read(MAX_BYTES + 1)


def _echo_unfixed_stdin(source: Source, mode: str, run: Run) -> None:
    """``--fix`` on standard input always prints the text, unchanged when it could not be fixed (so a
    pipe or an editor never receives an empty file); input too large to be read whole is passed through."""
    if mode == FIX and source.raw is not None and not run.stdin_written:
        write_stdout(source.raw)
        run.stdin_written = True
        if len(source.raw) > MAX_BYTES:
            _pass_through_stdin()


def _pass_through_stdin() -> None:
    """The rest of standard input to standard output, in chunks."""
    source = getattr(sys.stdin, "buffer", None)
    target = getattr(sys.stdout, "buffer", None)
    if source is None or target is None:  # pragma: no cover - replaced text-only streams
        return
    while chunk := source.read(1 << 20):
        target.write(chunk)
    target.flush()
