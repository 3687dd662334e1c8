"""The command line's meaning: the settings and rules its flags select (validated; a bad value is a UsageError).
The flags themselves are declared in :mod:`.parser` (argparse), or read by :mod:`.quick_arguments` for the
invocations pre-commit makes."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sam_shift_lint.options import OptionError, fix_settings, lint_settings
from sam_shift_lint.project import Overrides
from sam_shift_lint.settings import FixSettings, LintSettings

if TYPE_CHECKING:
    import argparse


class UsageError(Exception):
    pass


def overrides_from(args: argparse.Namespace) -> Overrides:
    """What the flags set (over the configuration), validated: an unknown rule id, a bad alias, type, region,
    account, glob or profile is a UsageError (worded as :mod:`sam_shift_lint.options` words it)."""
    from sam_shift_lint.checks.registry import UNKNOWN_SELECTOR, selector_problem

    selections = {"select": split(args.select or []), "extend-select": split(args.extend_select), "ignore": split(args.ignore)}
    for flag, selectors in selections.items():
        for selector in selectors:
            problem = selector_problem(selector, ignoring=flag == "ignore")
            if problem is not None:
                raise UsageError(f"--{flag}: {problem}" if problem.startswith(UNKNOWN_SELECTOR) else problem)
    fix_settings_from(args)
    lint_settings_from(args)
    for flag, patterns in (("exclude", split(args.exclude or [])), ("extend-exclude", split(args.extend_exclude))):
        for pattern in patterns:
            _check_glob(flag, pattern)
    return Overrides(
        select=tuple(selections["select"]) if args.select is not None else None,
        extend_select=tuple(selections["extend-select"]),
        ignore=tuple(selections["ignore"]),
        report_unused_suppressions=args.report_unused_suppressions,
        unsafe_fixes=args.unsafe_fixes,
        exclude=tuple(split(args.exclude)) if args.exclude is not None else None,
        extend_exclude=tuple(split(args.extend_exclude)),
        respect_gitignore=args.respect_gitignore,
        force_exclude=args.force_exclude,
        ignore_bad_template=args.ignore_bad_template,
        fail_on=args.fail_on,
        alias_name=args.alias_name,
        deployment_type=args.deployment_type,
        placement=args.placement,
        region=args.region,
        account_id=args.account_id,
        policy_profile=args.policy_profile,
    )


def fix_settings_from(args: argparse.Namespace) -> FixSettings:
    """The fix settings the flags alone give (no configuration file), validated."""
    try:
        return fix_settings(
            "live" if args.alias_name is None else args.alias_name,
            "AllAtOnce" if args.deployment_type is None else args.deployment_type,
            args.placement or "auto",
        )
    except OptionError as error:
        raise UsageError(f"--{error.name} {error.problem}") from None


def lint_settings_from(args: argparse.Namespace) -> LintSettings:
    """--region, --account-id and --policy-profile alone (no configuration file), validated."""
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


def _check_glob(flag: str, pattern: str) -> None:
    from sam_shift_lint.config.globs import GlobError, compile_glob

    try:
        compile_glob(pattern)
    except GlobError as error:
        raise UsageError(f"--{flag}: pattern {pattern!r} {error}") from None


def split(values: Sequence[str]) -> list[str]:
    """``--select A,B --select C`` -> ``[A, B, C]``."""
    return [item.strip() for value in values for item in value.split(",") if item.strip()]
