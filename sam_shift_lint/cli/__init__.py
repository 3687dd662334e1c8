"""The ``sam-shift-lint`` command: arguments (:mod:`.arguments`), what happens to each file (:mod:`.modes`),
the report and the exit code.

Exit codes (ruff's): 0 nothing found (or only findings below ``fail-on``), 1 findings, 2 usage error, an
unusable configuration file, a file that could not be read, parsed or processed (input that is clearly ours: one
line per bad file on stderr and an E9000 finding in the report; the other files are still checked), an internal
error, or a report that could not be written (``--output-file``). The report is written as the files are checked
(:mod:`.report`); the error lines follow it, before its summary.
"""
from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

# This module is the command's process. A large template is a few hundred thousand objects, none in a reference
# cycle; with the default thresholds the collector scans them again and again (--diff of a 1 MB template: 7.3 s,
# 3.7 s with these). Set before the package's own imports below, whose objects it scanned 17 times before the
# first file was read (pyproject.toml lets this module import after code).
gc.set_threshold(100_000, 50, 100)

from sam_shift_lint.cli.arguments import UsageError, overrides_from
from sam_shift_lint.cli.modes import CHECK, DIFF, FIX, Job, Run, read_stdin, run_files
from sam_shift_lint.cli.quick_arguments import quick_arguments
from sam_shift_lint.cli.report import Report, ReportNotWritten, open_report
from sam_shift_lint.config import ConfigError
from sam_shift_lint.findings import Finding
from sam_shift_lint.output.escape import escape

if TYPE_CHECKING:
    import argparse

__all__ = ["EXIT_CLEAN", "EXIT_ERROR", "EXIT_FINDINGS", "main", "show_fixes"]

SERVER_COMMAND = "server"
PERMISSIONS_COMMAND = "permissions"
EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT: how a shell reports a command stopped by Ctrl-C


def main(argv: Sequence[str] | None = None) -> int:
    """The command (or its ``server`` and ``permissions`` subcommands). Ctrl-C at any point after the imports
    is one line and ends the process as killed by SIGINT, whatever it was doing (the report file is closed
    first); the language server handles it itself (it stops quietly)."""
    try:
        return _command(list(sys.argv[1:] if argv is None else argv))
    except KeyboardInterrupt:
        print("sam-shift-lint: interrupted", file=sys.stderr)
        return _interrupted()


def _command(arguments: list[str]) -> int:
    if arguments[:1] == [SERVER_COMMAND]:  # the language server (a folder named "server" is ./server)
        from sam_shift_lint.server import main as server_main

        return server_main(arguments[1:])
    if arguments[:1] == [PERMISSIONS_COMMAND]:  # deploy permissions (a folder named "permissions" is ./permissions)
        from sam_shift_lint.cli.permissions import main as permissions_main

        return permissions_main(arguments[1:])
    args = quick_arguments(arguments)  # paths and value-less flags (what pre-commit runs) without argparse
    if args is None:
        from sam_shift_lint.cli.parser import build_parser

        args = build_parser().parse_args(arguments)
    from sam_shift_lint.checks.registry import all_rules
    from sam_shift_lint.project import Project

    if args.list_rules:
        for rule in all_rules():
            print(f"{rule.id}  {rule.severity:<8} {rule.shortdesc}")
        return EXIT_CLEAN
    if args.fix_only:
        args.fix = True
    try:
        overrides = overrides_from(args)
        if args.fix and args.diff:
            raise UsageError("--fix and --diff cannot be combined (--diff writes nothing)")
        if args.config and args.isolated:
            raise UsageError("--config and --isolated cannot be combined")
        if args.statistics and args.format not in ("text", "json"):
            raise UsageError(f"--statistics works with --format text or json, not {args.format}")
        project = Project(overrides, args.config, isolated=args.isolated)
    except UsageError as error:
        print(f"sam-shift-lint: error: {escape(str(error))}", file=sys.stderr)
        return EXIT_ERROR
    except ConfigError as error:
        print(escape(f"{error.path}: error: {error}"), file=sys.stderr)
        return EXIT_ERROR
    if args.show_settings:
        from sam_shift_lint.cli.show_settings import show_settings

        return show_settings(project, args.paths or ["."])
    if not args.paths:
        from sam_shift_lint.cli.parser import build_parser

        build_parser().print_usage(sys.stderr)
        print("sam-shift-lint: error: no PATH given (use - for stdin)", file=sys.stderr)
        return EXIT_ERROR
    if args.paths.count("-") > 1:
        print("sam-shift-lint: error: - may be given only once", file=sys.stderr)
        return EXIT_ERROR

    mode = DIFF if args.diff else FIX if args.fix else CHECK
    job = Job(project, mode)
    try:
        report = open_report(args, project.unsafe_fixes(), diff=mode == DIFF)  # written as the files are checked
    except ReportNotWritten as error:
        print(f"sam-shift-lint: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    try:
        # --diff writes no report: its files (and patches) go in the order given
        run = run_files(args.paths, args.stdin_filename, job, read_stdin, args.jobs, None if mode == DIFF else report.file)
        for message in run.errors:
            print(escape(message), file=sys.stderr)  # file names and quoted input: control characters escaped
        if mode == DIFF:
            return _finish_diff(args, run, report)
        _finish_report(args, run, report)
    except BrokenPipeError:  # the reader of stdout has gone (`| head`): stop quietly, as a pipeline expects
        report.close()
        return _reader_gone()
    except ReportNotWritten as error:
        print(f"sam-shift-lint: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        report.close()
    if run.errors:
        return EXIT_ERROR
    if run.fixed and args.exit_non_zero_on_fix:
        return EXIT_FINDINGS
    if run.failing and not args.exit_zero and not args.fix_only:  # findings at or above fail-on
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _interrupted() -> int:
    """End as killed by SIGINT, as a command without a handler would, so that a shell loop running it stops
    too (bash continues a loop after a command that exits 130 by itself); 130 where that is not possible."""
    import signal  # here: its enums cost every run half a millisecond to build

    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    return EXIT_INTERRUPTED  # pragma: no cover - not on POSIX


def _reader_gone() -> int:
    """End as killed by SIGPIPE, as a command writing to a closed pipe does by default (a shell shows 141); stdout
    is pointed at the null device first, so that nothing tries to write the rest of it."""
    import signal

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    if os.name == "posix":
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGPIPE)
    return EXIT_ERROR  # pragma: no cover - not on POSIX


def _finish_diff(args: argparse.Namespace, run: Run, report: Report) -> int:
    report.deliver("".join(run.diffs))
    if run.fixed and not args.quiet:
        print(f"Would fix {len(run.fixed)} error{'s' if len(run.fixed) != 1 else ''}.", file=sys.stderr)
    if run.errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if run.diffs else EXIT_CLEAN


def _finish_report(args: argparse.Namespace, run: Run, report: Report) -> None:
    """The end of the report; the ``--show-fixes`` listing comes first in a text report (:func:`open_report`
    spools the findings for it) and goes to stderr beside any other format."""
    listing = show_fixes(run.fixed) if args.show_fixes and run.fixed else ""
    if listing and args.format != "text":
        sys.stderr.write(listing)
        listing = ""
    report.finish(run, listing)


def show_fixes(fixed: list[Finding]) -> str:
    """ruff's ``--show-fixes`` listing: ``Fixed 3 errors:`` then per file ``N × RULE (description)`` (file names
    and descriptions with control characters escaped)."""
    lines = [f"Fixed {len(fixed)} error{'s' if len(fixed) != 1 else ''}:"]
    by_file: dict[str, dict[tuple[str, str], int]] = {}
    for finding in fixed:
        description = finding.fix.description if finding.fix else ""
        counts = by_file.setdefault(finding.file, {})
        counts[(finding.rule, description)] = counts.get((finding.rule, description), 0) + 1
    for file, counts in by_file.items():
        lines.append(f"- {escape(file)}:")
        for (rule, description), count in sorted(counts.items()):
            lines.append(f"    {count} \u00d7 {rule} ({escape(description)})")
    return "\n".join(lines) + "\n\n"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
