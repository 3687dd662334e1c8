"""The command line: flags, and the settings and rules they select (validated; a bad value is a UsageError)."""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from sam_shift_lint import __version__
from sam_shift_lint.options import OptionError, fix_settings, lint_settings
from sam_shift_lint.output import FORMATS
from sam_shift_lint.settings import PLACEMENTS, FixSettings, LintSettings


class UsageError(Exception):
    pass


def _terminal_width() -> int:
    """What ``shutil.get_terminal_size().columns - 2`` gives argparse, without importing :mod:`shutil` (and
    what it imports) on every run, where argparse builds a help formatter for each argument it validates."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno() if sys.__stdout__ else 1).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return (columns or 80) - 2


class _HelpFormatter(argparse.HelpFormatter):
    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position, _terminal_width() if width is None else width)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sam-shift-lint",
        formatter_class=_HelpFormatter,
        description="Check AWS SAM templates for unsafe Lambda deployments (AutoPublishAlias, DeploymentPreference).",
        epilog="Exit codes: 0 nothing found, 1 findings, 2 usage error, unreadable or unparsable input, internal error.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files, directories (searched recursively) or - for stdin; 'sam-shift-lint server' starts the language server, "
        "'sam-shift-lint permissions TEMPLATE...' derives deploy permissions (see its --help)",
    )
    parser.add_argument(
        "--format",
        "--output-format",
        dest="format",
        default="text",
        choices=FORMATS,
        help="output format (default: text)",
    )
    parser.add_argument("--select", action="append", default=[], metavar="IDS", help="only these rule ids or prefixes (comma-separated)")
    parser.add_argument("--ignore", action="append", default=[], metavar="IDS", help="skip these rule ids or prefixes (comma-separated)")
    parser.add_argument(
        "--report-unused-suppressions",
        action="store_true",
        help="also report suppression comments that suppress nothing (rule I9001, opt-in)",
    )
    parser.add_argument("--stdin-filename", metavar="NAME", help="the name to report for input read from -")
    parser.add_argument("--list-rules", action="store_true", help="list the rules and exit")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when findings remain")
    parser.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=0,
        metavar="N",
        help="check files in N processes (1: in this one; default 0: one per CPU when there are many files)",
    )
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
        choices=PLACEMENTS,
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
        "deploy-role, hook-function, codedeploy-service-role; or a profile JSON file, a regular file of at most 1 MB); "
        "files named *CloudFormationRolePolicy* use deploy-role",
    )
    parser.add_argument("--version", action="version", version=f"sam-shift-lint {__version__}")
    return parser


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of processes") from None
    if jobs < 0:
        raise argparse.ArgumentTypeError("must be 0 (one process per CPU) or more")
    return jobs


def fix_settings_from(args: argparse.Namespace) -> FixSettings:
    try:
        return fix_settings(args.alias_name, args.deployment_type, args.placement)
    except OptionError as error:
        raise UsageError(f"--{error.name} {error.problem}") from None


def lint_settings_from(args: argparse.Namespace) -> LintSettings:
    """--region, --account-id and --policy-profile, validated."""
    try:
        settings = lint_settings(args.region, args.account_id, args.policy_profile)
    except OptionError as error:
        raise UsageError(f"--{error.name} {error.problem}") from None
    if args.policy_profile is not None:
        from sam_shift_lint.checks.iam.options import user_profile
        from sam_shift_lint.iam.profiles import ProfileError

        try:
            user_profile(args.policy_profile)  # read once: the rule gets this same profile
        except ProfileError as error:
            raise UsageError(f"--policy-profile: {error}") from None
    return settings


def split(values: Sequence[str]) -> list[str]:
    """``--select A,B --select C`` -> ``[A, B, C]``."""
    return [item.strip() for value in values for item in value.split(",") if item.strip()]
