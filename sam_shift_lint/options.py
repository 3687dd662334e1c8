"""What a user chooses, under one set of names for every front door: the command line's flags, the language
server's settings (and a configuration file's keys), validated into what the engine takes: the rules that run,
:class:`LintSettings` and :class:`FixSettings`.

A front door fills an :class:`Options` from its own source and calls :func:`resolve`; a bad value raises
:class:`OptionError` with the option's name, which the front door words its own way (``--region 'x' ...`` on
the command line, ``setting 'region': ...`` in the editor). The names are the long flags without the dashes
(:data:`OPTION_NAMES`).
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from sam_shift_lint.settings import PLACEMENTS, FixSettings, LintSettings, Placement

if TYPE_CHECKING:  # pragma: no cover
    from sam_shift_lint.checks.rule import Rule

OPTION_NAMES = (
    "select",
    "ignore",
    "report-unused-suppressions",
    "unsafe-fixes",
    "alias-name",
    "deployment-type",
    "placement",
    "region",
    "account-id",
)


class OptionError(ValueError):
    """A value the option ``name`` cannot take; ``problem`` completes a sentence that starts with the name."""

    def __init__(self, name: str, problem: str) -> None:
        super().__init__(f"{name} {problem}")
        self.name = name
        self.problem = problem


class Options(NamedTuple):
    """The options by name (:data:`OPTION_NAMES`, with ``-`` as ``_``), as given: not yet validated."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    report_unused_suppressions: bool = False
    unsafe_fixes: bool = False
    alias_name: str = "live"
    deployment_type: str = "AllAtOnce"
    placement: str = "auto"
    region: str | None = None
    account_id: str | None = None


class Resolved(NamedTuple):
    """Validated options: what the engine and the fixer take."""

    rules: tuple[Rule, ...]
    lint: LintSettings
    fixes: FixSettings
    unsafe_fixes: bool


def resolve(options: Options) -> Resolved:
    """Validate every option; the first bad one raises :class:`OptionError`."""
    return Resolved(
        rules(options.select, options.ignore, options.report_unused_suppressions),
        lint_settings(options.region, options.account_id),
        fix_settings(options.alias_name, options.deployment_type, options.placement),
        options.unsafe_fixes,
    )


def rules(select: Iterable[str] = (), ignore: Iterable[str] = (), report_unused_suppressions: bool = False) -> tuple[Rule, ...]:
    """The rules that run (see :func:`~sam_shift_lint.checks.registry.select_rules`); with
    ``report_unused_suppressions`` also the opt-in rule that reports unused suppression comments."""
    from sam_shift_lint.checks.registry import UNKNOWN_SELECTOR, select_rules, selector_problem
    from sam_shift_lint.checks.suppressions import i9001_unused_suppression

    select, ignore = list(select), list(ignore)
    for name, selectors in (("select", select), ("ignore", ignore)):
        for selector in selectors:
            problem = selector_problem(selector, ignoring=name == "ignore")
            if problem is not None and problem.startswith(UNKNOWN_SELECTOR):
                raise OptionError(name, f"has an unknown rule id or prefix '{selector}'")
            if problem is not None:
                raise OptionError(name, f"has '{selector}': {problem}")
    chosen = select_rules(select, ignore)
    unused_rule = i9001_unused_suppression
    if report_unused_suppressions and unused_rule not in chosen:
        chosen.append(unused_rule)
    return tuple(chosen)


def fix_settings(alias_name: str, deployment_type: str, placement: str) -> FixSettings:
    from sam_shift_lint.model.alias import alias_problem
    from sam_shift_lint.model.deployment_types import VALID_TYPES

    problem = alias_problem(alias_name) if alias_name else "is empty"
    if problem:
        raise OptionError("alias-name", problem)
    if deployment_type not in VALID_TYPES:
        raise OptionError("deployment-type", f"'{deployment_type}' is not a Lambda deployment type")
    if placement not in PLACEMENTS:
        raise OptionError("placement", f"'{placement}' is not one of {', '.join(PLACEMENTS)}")
    chosen: Placement = next(p for p in PLACEMENTS if p == placement)
    return FixSettings(alias_name, deployment_type, chosen)


def lint_settings(region: str | None, account_id: str | None, policy_profile: str | None = None) -> LintSettings:
    """Region and account id, validated (the policy profile is the caller's to check: it names a file)."""
    if region is not None or account_id is not None:  # the IAM package is loaded only when needed
        from sam_shift_lint.iam.arns import valid_account, valid_region

        if region is not None and not valid_region(region):
            raise OptionError("region", f"'{region}' is not a region name such as us-east-1")
        if account_id is not None and not valid_account(account_id):
            raise OptionError("account-id", f"'{account_id}' is not a 12-digit AWS account id")
    return LintSettings(region, account_id, policy_profile)
