"""The ``sam-shift-lint`` command: arguments, file discovery, output and exit codes.

Exit codes (ruff's): 0 nothing found, 1 findings, 2 usage error, unreadable or unparsable input, or an
internal error (one line per bad file on stderr; the other files are still checked).
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Dict, List, Optional, Sequence, Tuple

from . import __version__
from .discover import Source, is_binary, iter_sources, mentions_iam, mentions_serverless
from .document import MAX_BYTES
from .findings import Finding

if TYPE_CHECKING:  # pragma: no cover
    from .fixes.plan import FixConfig

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
    fixing = parser.add_argument_group("fixing")
    fixing.add_argument("--fix", action="store_true", help="apply fixes in place (safe ones; see --unsafe-fixes)")
    fixing.add_argument("--diff", action="store_true", help="write nothing; print a unified diff of the fixes (exit 1 if any)")
    fixing.add_argument("--unsafe-fixes", action="store_true", help="also apply fixes marked unsafe")
    fixing.add_argument("--show-fixes", action="store_true", help="list what was fixed")
    fixing.add_argument("--fix-only", action="store_true", help="apply fixes but do not report what remains (implies --fix)")
    fixing.add_argument("--exit-non-zero-on-fix", action="store_true", help="exit 1 when anything was fixed, even if nothing remains")
    fixing.add_argument("--alias-name", default="live", metavar="NAME", help="AutoPublishAlias the fixes add (default: live)")
    fixing.add_argument(
        "--deployment-type", default="AllAtOnce", metavar="TYPE", help="DeploymentPreference Type the fixes add (default: AllAtOnce)"
    )
    fixing.add_argument(
        "--placement",
        default="auto",
        choices=("auto", "globals", "function"),
        help="where additions go: Globals.Function, each function, or auto (Globals when every function needs it)",
    )
    iam = parser.add_argument_group("IAM policies")
    iam.add_argument(
        "--region",
        metavar="REGION",
        help="the region policy ARNs belong to (e.g. us-east-1), for checking and fixing policy files "
        "(default: the region all the file's ARNs agree on)",
    )
    iam.add_argument(
        "--account-id",
        metavar="ID",
        help="the 12-digit account id policy ARNs belong to (default: the one all the file's ARNs agree on)",
    )
    iam.add_argument(
        "--policy-profile",
        metavar="NAME_OR_JSON",
        help="check the policy files named on the command line against this requirement profile (bundled: "
        "deploy-role, hook-function; or a profile JSON file); files named *CloudFormationRolePolicy* use deploy-role",
    )
    parser.add_argument("--version", action="version", version=f"sam-shift-lint {__version__}")
    return parser


def fix_config_from(args: argparse.Namespace) -> "FixConfig":
    from .checks.alias import alias_problem
    from .deployment_types import VALID_TYPES
    from .fixes.plan import FixConfig

    problem = alias_problem(args.alias_name) if args.alias_name else "is empty"
    if problem:
        raise UsageError(f"--alias-name {problem}")
    if args.deployment_type not in VALID_TYPES:
        raise UsageError(f"--deployment-type '{args.deployment_type}' is not a Lambda deployment type")
    region, account, profile = _iam_options(args)
    return FixConfig(args.alias_name, args.deployment_type, args.placement, region, account, profile)


def _iam_options(args: argparse.Namespace) -> Tuple[Optional[str], Optional[str], Optional[str]]:
    """--region, --account-id and --policy-profile, validated."""
    from .iam.arns import valid_account, valid_region

    region, account, profile = args.region, args.account_id, args.policy_profile
    if region is not None and not valid_region(region):
        raise UsageError(f"--region '{region}' is not a region name such as us-east-1")
    if account is not None and not valid_account(account):
        raise UsageError(f"--account-id '{account}' is not a 12-digit AWS account id")
    if profile is not None:
        from .iam.profiles import ProfileError, load_profile

        try:
            load_profile(profile)
        except ProfileError as error:
            raise UsageError(f"--policy-profile: {error}") from None
    return region, account, profile


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


@dataclass
class Run:
    """What one invocation found and did."""

    findings: List[Finding] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)
    fixed: List[Finding] = field(default_factory=list)
    diffs: List[str] = field(default_factory=list)
    checked: int = 0
    stdin_written: bool = False  # --fix on standard input: the (fixed) text is on stdout


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from .checks import all_rules

    rules = {rule.id: rule for rule in all_rules()}
    if args.list_rules:
        for rule in rules.values():
            print(f"{rule.id}  {rule.severity:<8} {rule.shortdesc}")
        return EXIT_CLEAN
    if args.fix_only:
        args.fix = True
    try:
        enabled = rule_filter(_split(args.select), _split(args.ignore), list(rules))
        config = fix_config_from(args)
        if args.fix and args.diff:
            raise UsageError("--fix and --diff cannot be combined (--diff writes nothing)")
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

    mode = "diff" if args.diff else "fix" if args.fix else "check"
    run = run_files(args.paths, args.stdin_filename, enabled, config, mode, args.unsafe_fixes)
    for message in run.errors:
        print(message, file=sys.stderr)
    if mode == "diff":
        return _finish_diff(run)
    _report(args, run, rules)
    if run.errors:
        return EXIT_ERROR
    if run.fixed and args.exit_non_zero_on_fix:
        return EXIT_FINDINGS
    if run.findings and not args.exit_zero and not args.fix_only:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _finish_diff(run: Run) -> int:
    sys.stdout.write("".join(run.diffs))
    if run.fixed:
        print(f"Would fix {len(run.fixed)} error{'s' if len(run.fixed) != 1 else ''}.", file=sys.stderr)
    if run.errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if run.diffs else EXIT_CLEAN


def _report(args: argparse.Namespace, run: Run, rules: dict) -> None:  # type: ignore[type-arg]
    from .output import OutputContext, render

    # with --fix on standard input, stdout carries the fixed text, so the report goes to stderr (as ruff does)
    out = sys.stderr if args.fix and "-" in args.paths else sys.stdout
    if args.show_fixes and run.fixed:
        stream = out if args.format == "text" else sys.stderr
        stream.write(show_fixes(run.fixed))
    if args.fix_only:
        return
    if args.format == "text" and run.errors and not run.findings and not run.fixed:
        return  # not "All checks passed!" when some files could not be checked
    context = OutputContext(
        version=__version__,
        files_checked=run.checked,
        unsafe_fixes_enabled=args.unsafe_fixes,
        fixed=len(run.fixed),
    )
    text = render(args.format, run.findings, rules, context)
    if text:
        out.write(text if text.endswith("\n") else text + "\n")


def show_fixes(fixed: List[Finding]) -> str:
    """ruff's ``--show-fixes`` listing: ``Fixed 3 errors:`` then per file ``N × RULE (description)``."""
    lines = [f"Fixed {len(fixed)} error{'s' if len(fixed) != 1 else ''}:"]
    by_file: Dict[str, Dict[Tuple[str, str], int]] = {}
    for finding in fixed:
        description = finding.fix.description if finding.fix else ""
        counts = by_file.setdefault(finding.file, {})
        counts[(finding.rule, description)] = counts.get((finding.rule, description), 0) + 1
    for file, counts in by_file.items():
        lines.append(f"- {file}:")
        for (rule, description), count in sorted(counts.items()):
            lines.append(f"    {count} \u00d7 {rule} ({description})")
    return "\n".join(lines) + "\n\n"


def run_files(
    paths: List[str],
    stdin_filename: Optional[str],
    enabled: Callable[[str], bool],
    config: "FixConfig",
    mode: str = "check",
    unsafe: bool = False,
) -> Run:
    """Check (or fix, or diff) every source in one process."""
    run = Run()
    for source in iter_sources(paths, stdin_filename, lambda: sys.stdin.buffer.read()):
        raw = source.raw
        if raw is None:
            try:
                if not source.explicit and os.path.getsize(source.path) > MAX_BYTES:
                    continue  # too big to be a template; a named file gets the error below
                raw = _read_source(source.path)
            except FileNotFoundError:
                run.errors.append(f"{source.display}: error: no such file or directory")
                continue
            except PermissionError:
                run.errors.append(f"{source.display}: error: permission denied")
                continue
            except OSError as error:
                run.errors.append(f"{source.display}: error: cannot read: {error.strerror or error}")
                continue
        if not _worth_checking(source, raw):
            _echo_unfixed_stdin(source, mode, run)
            continue
        try:
            _process(source, raw, enabled, config, mode, unsafe, run)
        except Exception as error:  # noqa: BLE001 - one bad file must not stop the others
            run.errors.append(f"{source.display}: internal error: {type(error).__name__}: {error}")
        _echo_unfixed_stdin(source, mode, run)
    run.findings.sort(key=Finding.sort_key)
    return run


def _write_stdout(data: bytes) -> None:
    """Bytes to stdout as they are (BOM, CRLF, encoding untouched)."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # pragma: no cover - a replaced text-only stdout
        sys.stdout.write(data.decode("utf-8-sig"))
        return
    buffer.write(data)
    buffer.flush()


def _echo_unfixed_stdin(source: Source, mode: str, run: Run) -> None:
    """``--fix`` on standard input always prints the text, unchanged when it could not be fixed (so a
    pipe or an editor never receives an empty file)."""
    if mode == "fix" and source.raw is not None and not run.stdin_written:
        _write_stdout(source.raw)
        run.stdin_written = True


def _worth_checking(source: Source, raw: bytes) -> bool:
    """SAM templates (by content), and files that may hold IAM policies (a standalone policy, a template with a
    deploy role: decided once parsed); a named file that is binary or too large is checked too, so it is
    reported."""
    if mentions_serverless(raw) or mentions_iam(raw):
        return True
    return source.explicit and (is_binary(raw) or len(raw) > MAX_BYTES)


def _iam_relevant(document) -> bool:  # type: ignore[no-untyped-def]
    """A file without SAM content is checked when it is a policy or a template with a deploy role."""
    from .checks.policy_files import is_policy_document
    from .roles import wants_iam_checks
    from .sam import SamTemplate

    return is_policy_document(document) or wants_iam_checks(SamTemplate(document))


def _process(source: Source, raw: bytes, enabled, config, mode: str, unsafe: bool, run: Run) -> None:  # type: ignore[no-untyped-def]
    from .document import DocumentError, load
    from .engine import check_document

    serverless = mentions_serverless(raw) or is_binary(raw) or len(raw) > MAX_BYTES
    try:
        document = load(source.path, raw)
    except DocumentError as error:
        if serverless or source.explicit:
            run.errors.append(f"{source.display}: error: {error}")
        return  # a file found in a directory that only mentions "Statement" is no concern of ours
    document.path = source.display
    if not serverless and not _iam_relevant(document):
        return
    if not source.explicit and config.policy_profile:
        config = dataclasses.replace(config, policy_profile=None)  # --policy-profile: named files only
    if mode == "check":
        run.findings.extend(check_document(document, enabled, fix_config=config))
        run.checked += 1
        return
    from . import fixer

    try:
        outcome = fixer.fix_document(document, config, enabled, unsafe)
    except fixer.FixError as error:
        run.errors.append(f"{source.display}: internal error: fix refused, nothing written: {error}")
        return
    if outcome.changed and mode == "fix" and source.raw is None:
        try:
            fixer.check_writable(source.path)
            fixer.write_atomically(source.path, fixer.encode(document, outcome.text))
        except fixer.NotWritable as error:
            run.errors.append(f"{source.display}: error: cannot fix: {error}; nothing written")
            return
        except OSError as error:
            run.errors.append(f"{source.display}: error: cannot write: {error.strerror or error}; nothing written")
            return
    run.checked += 1
    run.fixed.extend(outcome.fixed)
    run.findings.extend(outcome.remaining)
    if mode == "diff":
        from .difftext import unified_diff

        if outcome.changed:
            bom = "\ufeff" if document.bom else ""  # the diff is of the file as it is, BOM included
            run.diffs.append(unified_diff(source.display, bom + document.text, bom + outcome.text))
    elif source.raw is not None:
        _write_stdout(fixer.encode(document, outcome.text))  # stdin: the fixed text goes to stdout
        run.stdin_written = True


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
