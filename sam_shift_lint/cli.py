"""The ``sam-shift-lint`` command: arguments, file discovery, output and exit codes.

Exit codes (ruff's): 0 nothing found, 1 findings, 2 usage error, unreadable or unparsable input, or an
internal error (one line per bad file on stderr; the other files are still checked).
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import Callable, List, Optional, Sequence

from . import __version__
from .discover import iter_sources, mentions_serverless
from .document import MAX_BYTES
from .findings import Finding

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


class UsageError(Exception):
    pass


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sam-shift-lint",
        description="Check AWS SAM templates for unsafe Lambda deployments (AutoPublishAlias, DeploymentPreference).",
        epilog="Exit codes: 0 nothing found, 1 findings, 2 usage error, unreadable or unparsable input, internal error.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files, directories (searched recursively) or - for stdin")
    parser.add_argument(
        "--format",
        "--output-format",
        dest="format",
        default="text",
        choices=("text", "json", "parseable", "sarif", "junit", "github"),
        help="output format (default: text)",
    )
    parser.add_argument("--select", action="append", default=[], metavar="IDS", help="only these rule ids or prefixes (comma-separated)")
    parser.add_argument("--ignore", action="append", default=[], metavar="IDS", help="skip these rule ids or prefixes (comma-separated)")
    parser.add_argument("--stdin-filename", metavar="NAME", help="the name to report for input read from -")
    parser.add_argument("--list-rules", action="store_true", help="list the rules and exit")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when findings remain")
    parser.add_argument("--version", action="version", version=f"sam-shift-lint {__version__}")
    return parser


def _split(values: Sequence[str]) -> List[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def rule_filter(select: List[str], ignore: List[str], known: Sequence[str]) -> Callable[[str], bool]:
    for selector in select + ignore:
        if not any(rule.startswith(selector) for rule in known):
            raise UsageError(f"unknown rule selector '{selector}' (see --list-rules)")

    def enabled(rule: str) -> bool:
        if select and not any(rule.startswith(s) for s in select):
            return False
        return not any(rule.startswith(i) for i in ignore)

    return enabled


def _read_source(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(MAX_BYTES + 1)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from .checks import all_rules

    rules = {rule.id: rule for rule in all_rules()}
    if args.list_rules:
        for rule in rules.values():
            print(f"{rule.id}  {rule.severity:<8} {rule.shortdesc}")
        return EXIT_CLEAN
    try:
        enabled = rule_filter(_split(args.select), _split(args.ignore), list(rules))
    except UsageError as error:
        print(f"sam-shift-lint: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    if not args.paths:
        parser.print_usage(sys.stderr)
        print("sam-shift-lint: error: no PATH given (use - for stdin)", file=sys.stderr)
        return EXIT_ERROR
    if args.paths.count("-") > 1:
        print("sam-shift-lint: error: - may be given only once", file=sys.stderr)
        return EXIT_ERROR

    findings, errors, checked = run_check(args.paths, args.stdin_filename, enabled)
    for message in errors:
        print(message, file=sys.stderr)
    from .output import OutputContext, render

    text = render(args.format, findings, rules, OutputContext(version=__version__, files_checked=checked))
    if text:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    if errors:
        return EXIT_ERROR
    if findings and not args.exit_zero:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def run_check(paths: List[str], stdin_filename: Optional[str], enabled: Callable[[str], bool]):  # type: ignore[no-untyped-def]
    """Check every source; returns (findings, error lines, number of files checked)."""
    from .engine import check_file

    findings: List[Finding] = []
    errors: List[str] = []
    checked = 0
    for source in iter_sources(paths, stdin_filename, lambda: sys.stdin.buffer.read()):
        raw = source.raw
        if raw is None:
            try:
                if not source.explicit and os.path.getsize(source.path) > MAX_BYTES:
                    continue  # too big to be a template; a named file gets the error below
                raw = _read_source(source.path)
            except FileNotFoundError:
                errors.append(f"{source.display}: error: no such file or directory")
                continue
            except PermissionError:
                errors.append(f"{source.display}: error: permission denied")
                continue
            except OSError as error:
                errors.append(f"{source.display}: error: cannot read: {error.strerror or error}")
                continue
        if not mentions_serverless(raw):
            continue
        try:
            result = check_file(source.path, raw, enabled, source.display)
        except Exception as error:  # noqa: BLE001 - one bad file must not stop the others
            errors.append(f"{source.display}: internal error: {type(error).__name__}: {error}")
            continue
        if result.error:
            errors.append(f"{source.display}: error: {result.error}")
            continue
        checked += 1
        findings.extend(result.findings)
    findings.sort(key=Finding.sort_key)
    return findings, errors, checked


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
