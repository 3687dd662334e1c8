"""What the command does with each file: find its settings (:mod:`sam_shift_lint.project`), read it, let the
engine decide whether it is ours, then one mode — check, fix (in place or, for standard input, to stdout) or
diff.

A file that cannot be read, parsed or processed is recorded by :func:`file_error` and nowhere else: one line for
stderr (``Run.errors``) and an E9000 finding (``Run.findings``), so every report format carries it. (An unusable
configuration file is not a file being checked: it gets its line on stderr, once, and exit code 2.)

When a report is written (check, fix), files are processed in report order (sorted by the name they are reported
under), so that each file's findings can be written as soon as the file is done (:mod:`.report`); error lines and
``--show-fixes`` follow the same order. ``--diff`` writes no report: its files go in the order given, and so do
its patches."""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice

from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.input import e9000_file_error
from sam_shift_lint.config import ConfigError
from sam_shift_lint.discover import Source, iter_sources
from sam_shift_lint.engine import check_context, prepare
from sam_shift_lint.findings import Finding
from sam_shift_lint.parsing.document import Document, read_prefix
from sam_shift_lint.parsing.errors import MAX_BYTES, MAX_MESSAGE, DocumentError, shorten
from sam_shift_lint.parsing.sniff import claim
from sam_shift_lint.project import FileSettings, Project
from sam_shift_lint.records import field, record

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
    failing: int = 0  # findings at or above their file's fail-on severity (they make the exit code 1)
    stdin_written: bool = False  # --fix on standard input: the (fixed) text is on stdout
    reported_configs: set[str] = field(default_factory=set)  # unusable configuration files, reported once

    def hand_over(self, report: Callable[[list[Finding]], None] | None) -> None:
        """The findings so far to ``report`` (which keeps what it needs), none kept here; without a report,
        they are kept."""
        if report is not None and self.findings:
            report(self.findings)
            self.findings = []

    def merge(self, other: Run) -> None:
        """Add what ``other`` (the run of one file, in a worker process) found and did (an unusable
        configuration that another worker reported already is not reported again)."""
        self.findings.extend(other.findings)
        repeated = tuple(f"{path}: error: " for path in other.reported_configs & self.reported_configs)
        self.errors.extend(error for error in other.errors if not (repeated and error.startswith(repeated)))
        self.reported_configs |= other.reported_configs
        self.fixed.extend(other.fixed)
        self.diffs.extend(other.diffs)
        self.checked += other.checked
        self.failing += other.failing


@record(frozen=True)
class Job:
    """The same for every file of one invocation: where each file's settings come from (its rules, lint and fix
    settings, ``unsafe-fixes``, ``fail-on``), and what to do."""

    project: Project
    mode: str = CHECK


def run_files(
    paths: list[str],
    stdin_filename: str | None,
    job: Job,
    read_stdin: Callable[[], bytes],
    jobs: int = 1,
    report: Callable[[list[Finding]], None] | None = None,
) -> Run:
    """Check (or fix, or diff) every source; one bad file does not stop the others. ``jobs``: 1 in this
    process, N > 1 in up to N worker processes, 0 as many as there are CPUs when there are many files
    (:mod:`.parallel`); the result is the same. ``report``: called with each file's findings as soon as the
    file is done, the files taken in report order (:func:`in_report_order`), and the findings not kept in the
    returned run; without it, the files are taken in the order given (directories walked) and the run keeps
    every finding, sorted."""
    run = Run()
    sources: Iterator[Source] = iter_sources(paths, stdin_filename, read_stdin, job.project)
    if report is not None:
        sources = iter(in_report_order(sources))
    if jobs == 0:  # auto: decide before importing multiprocessing (a sixth of a one-file run's start-up)
        head = list(islice(sources, AUTO_THRESHOLD))
        sources = chain(head, sources)
        if len(head) < AUTO_THRESHOLD:
            jobs = 1
    if jobs == 1:
        for source in sources:
            process_source(source, job, run)
            run.hand_over(report)
    else:
        from sam_shift_lint.cli.parallel import process_sources

        process_sources(sources, job, jobs, run, report)
    run.findings.sort(key=Finding.sort_key)
    return run


def in_report_order(sources: Iterable[Source]) -> list[Source]:
    """Every source, sorted (stably) by the name its findings carry, which is the order the report lists them
    in. The walk is done before the first file is read: a list of names, small beside what checking holds."""
    return sorted(sources, key=lambda source: source.display)


def process_source(source: Source, job: Job, run: Run) -> None:
    """Find the settings of one source, read, check (or fix, or diff) it into ``run``."""
    settings = _settings(source, job, run)
    raw = source.raw if source.raw is not None else _read(source, settings, run)
    if raw is not None and settings is not None and not source.excluded:
        try:
            _process(source, raw, settings, job, run)
        except Exception as error:
            file_error(run, source.display, f"{type(error).__name__}: {shorten(str(error), MAX_MESSAGE)}", internal=True)
    _echo_unfixed_stdin(source, job.mode, run)


def _settings(source: Source, job: Job, run: Run) -> FileSettings | None:
    """The file's settings; None after reporting its configuration as unusable (once per configuration file)."""
    if source.error is not None:
        return None
    try:
        return job.project.settings_for(source.path, source.explicit)
    except ConfigError as error:
        config_error(error, run)
        return None


def config_error(error: ConfigError, run: Run) -> None:
    """Report a configuration that cannot be used, once: its stderr line and its E9000 finding (so that every
    report format shows why the run exits 2, as for a file that cannot be parsed)."""
    _unusable_config(str(error.path), str(error), run)


def _unusable_config(path: str, message: str, run: Run) -> None:
    if path not in run.reported_configs:
        run.reported_configs.add(path)
        run.errors.append(f"{path}: error: {message}")
        run.findings.append(e9000_file_error.finding(path, message, 0, 0))


def _read(source: Source, settings: FileSettings | None, run: Run) -> bytes | None:
    """The file's bytes, or None after recording why it cannot be read. A file larger than the limit is only
    reported when its head makes it clearly ours (:mod:`sam_shift_lint.parsing.sniff`), else skipped silently,
    however it was found."""
    if source.error is not None:
        if source.is_config:  # a configuration: its line on stderr and its E9000 finding, once
            _unusable_config(source.path, source.error, run)
        else:  # a directory that cannot be listed
            file_error(run, source.display, source.error)
        return None
    if settings is None:
        return None
    try:
        raw, whole = read_prefix(source.path)
    except DocumentError as error:
        file_error(run, source.display, error.message, error.line, error.column)
        return None
    if whole:
        return raw
    if claim(raw) and not settings.ignore_bad_template:
        file_error(run, source.display, f"file too large (more than {MAX_BYTES} bytes)")
    return None


def file_error(
    run: Run, display: str, message: str, line: int = 0, column: int = 0, raw: bytes | None = None, internal: bool = False
) -> None:
    """Record that the file ``display`` could not be read, parsed or processed: the stderr line
    (``file: error: [line:col: ]message``, or ``internal error``) and the E9000 finding at the same position (a
    parser's end-of-stream position in ``raw`` is moved to the end of the last line first)."""
    if line and raw is not None:
        line, column = e9000_file_error.end_of_file_position(raw, line, column)
    kind = "internal error" if internal else "error"
    where = f"{line}:{column}: " if line else ""
    run.errors.append(f"{display}: {kind}: {where}{message}")
    run.findings.append(e9000_file_error.finding(display, f"{kind}: {message}" if internal else message, line, column))


def _process(source: Source, raw: bytes, settings: FileSettings, job: Job, run: Run) -> None:
    prepared = prepare(raw, source.path, source.display, source.explicit, settings.lint, settings.fixes, source.raw is not None)
    if prepared.error is not None:
        if not settings.ignore_bad_template:
            line, column = prepared.location
            where = f"{line}:{column}: "
            message = prepared.error[len(where):] if line and prepared.error.startswith(where) else prepared.error
            file_error(run, source.display, message, line, column, raw)
        return
    if prepared.context is None:
        return
    if job.mode == CHECK:
        findings = check_context(prepared.context, settings.rules)
        run.findings.extend(findings)
        run.failing += sum(1 for finding in findings if settings.fails(finding.rule))
        run.checked += 1
        return
    _fix(source, prepared.context, settings, job, run)


def _fix(source: Source, ctx: CheckContext, settings: FileSettings, job: Job, run: Run) -> None:
    from sam_shift_lint import fixer

    document = ctx.document
    try:
        outcome = fixer.fix_context(ctx, settings.rules, settings.unsafe_fixes)
    except fixer.FixError as error:
        file_error(run, source.display, f"fix refused, nothing written: {shorten(str(error), MAX_MESSAGE)}", internal=True)
        return
    if outcome.changed and job.mode == FIX and source.raw is None and not _write(source, outcome.text, document, run):
        return
    run.checked += 1
    run.fixed.extend(outcome.fixed)
    run.findings.extend(outcome.remaining)
    run.failing += sum(1 for finding in outcome.remaining if settings.fails(finding.rule))
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
        file_error(run, source.display, f"cannot fix: {error}; nothing written")
        return False
    except OSError as error:
        file_error(run, source.display, f"cannot write: {error.strerror or error}; nothing written")
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
