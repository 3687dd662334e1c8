"""The command line's flags, declared for argparse (``--help``, validation of every value, usage errors)."""
from __future__ import annotations

import argparse
import os
import sys

from sam_shift_lint import __version__
from sam_shift_lint.output import FORMATS
from sam_shift_lint.settings import FAIL_ON, PLACEMENTS


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


class HelpFormatter(argparse.HelpFormatter):
    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None) -> None:
        super().__init__(prog, indent_increment, max_help_position, _terminal_width() if width is None else width)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sam-shift-lint",
        formatter_class=HelpFormatter,
        description="Check AWS SAM templates for unsafe Lambda deployments (AutoPublishAlias, DeploymentPreference).",
        epilog=(
            "Exit codes: 0 nothing found (or only findings below --fail-on), 1 findings, 2 usage error, unusable "
            "configuration file, a file that could not be read, parsed or processed (reported as E9000), a report "
            "that could not be written, internal error."
        ),
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
    parser.add_argument(
        "--select",
        action="append",
        default=None,
        metavar="IDS",
        help="only these rule ids or prefixes (comma-separated; replaces the configuration's select, extend-select and ignore)",
    )
    parser.add_argument("--extend-select", action="append", default=[], metavar="IDS", help="also these rule ids or prefixes")
    parser.add_argument("--ignore", action="append", default=[], metavar="IDS", help="skip these rule ids or prefixes (comma-separated)")
    parser.add_argument(
        "--report-unused-suppressions",
        action="store_true",
        default=None,
        help="also report suppression comments that suppress nothing (rule I9001, opt-in)",
    )
    parser.add_argument("--stdin-filename", metavar="NAME", help="the name to report for input read from -")
    parser.add_argument("--list-rules", action="store_true", help="list the rules and exit")
    parser.add_argument("--exit-zero", action="store_true", help="exit 0 even when findings remain")
    parser.add_argument(
        "--fail-on",
        choices=FAIL_ON,
        default=None,
        help="the lowest severity whose findings make the exit code 1 (default: warning)",
    )
    parser.add_argument(
        "-b",
        "--ignore-bad-template",
        action="store_true",
        default=None,
        help="do not report files that are ours but cannot be parsed (as cfn-lint's -b)",
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=_jobs,
        default=0,
        metavar="N",
        help="check files in N processes (1: in this one; default 0: one per CPU when there are many files)",
    )
    config = parser.add_argument_group("configuration")
    config.add_argument("--config", metavar="PATH", help="use this configuration file for every file (instead of finding one per file)")
    config.add_argument("--isolated", action="store_true", help="ignore every configuration file")
    config.add_argument("--show-settings", action="store_true", help="print the settings that apply to each PATH, and exit")
    config.add_argument("--exclude", action="append", default=None, metavar="GLOBS", help="skip these paths when walking (replaces exclude)")
    config.add_argument("--extend-exclude", action="append", default=[], metavar="GLOBS", help="also skip these paths")
    _on_off(config, "respect-gitignore", "skip what git ignores when walking (default: on)", "check what git ignores too")
    _on_off(
        config,
        "force-exclude",
        "apply the exclusions to files named on the command line too (pre-commit names every file)",
        "check files named on the command line even when excluded (default)",
    )
    report = parser.add_argument_group("report")
    report.add_argument(
        "--statistics", action="store_true", help="count the findings of each rule instead of listing them (text or json)"
    )
    report.add_argument("-q", "--quiet", action="store_true", help="print the findings only: no summary, no fix hint")
    report.add_argument(
        "-o",
        "--output-file",
        metavar="FILE",
        help="write the report to FILE (replaced atomically) instead of stdout; the exit code is the same",
    )
    fixing = parser.add_argument_group("fixing")
    fixing.add_argument("--fix", action="store_true", help="apply fixes in place (safe ones; see --unsafe-fixes)")
    fixing.add_argument("--diff", action="store_true", help="write nothing; print a unified diff of the fixes (exit 1 if any)")
    fixing.add_argument("--unsafe-fixes", action="store_true", default=None, help="also apply fixes marked unsafe")
    fixing.add_argument("--show-fixes", action="store_true", help="list what was fixed")
    fixing.add_argument("--fix-only", action="store_true", help="apply fixes but do not report what remains (implies --fix)")
    fixing.add_argument("--exit-non-zero-on-fix", action="store_true", help="exit 1 when anything was fixed, even if nothing remains")
    fixing.add_argument("--alias-name", default=None, metavar="NAME", help="AutoPublishAlias the fixes add (default: live)")
    fixing.add_argument(
        "--deployment-type", default=None, metavar="TYPE", help="DeploymentPreference Type the fixes add (default: AllAtOnce)"
    )
    fixing.add_argument(
        "--placement",
        default=None,
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


def _on_off(group: argparse._ArgumentGroup, name: str, on: str, off: str) -> None:
    """``--NAME`` and ``--no-NAME`` (None when neither is given: the configuration decides). Two flags rather than
    argparse's BooleanOptionalAction, whose one usage group is too wide to wrap on a narrow terminal."""
    dest = name.replace("-", "_")
    group.add_argument(f"--{name}", dest=dest, action="store_const", const=True, default=None, help=on)
    group.add_argument(f"--no-{name}", dest=dest, action="store_const", const=False, help=off)


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number of processes") from None
    if jobs < 0:
        raise argparse.ArgumentTypeError("must be 0 (one process per CPU) or more")
    return jobs
