"""The registry: every rule module, listed explicitly, checked against :class:`~.rule.Rule`, keyed by id.

Adding a rule is adding its module to the list below; everything else (the cfn-lint classes, ``--list-rules``,
``--select``, SARIF rule metadata, the README's rule reference, the tests' rule lists) is derived from here.

:data:`FILE_ERROR` (E9000) is registered beside the checks, not among them: the front doors report it for a file
they could not read, parse or process, so it has metadata and documentation (``--list-rules``, SARIF, the README)
but no check that runs, no cfn-lint class (cfn-lint reports such files itself, as E0000) and no selector that turns
it off (:func:`select_rules`).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from sam_shift_lint.checks.deploy import (
    e9206_deploy_role_misses_template_needs,
    w9207_deploy_role_misses_conditional_needs,
)
from sam_shift_lint.checks.deployment import (
    e9103_preference_without_alias,
    e9104_type_missing,
    e9105_type_unknown,
    e9106_alias_invalid,
    e9107_preference_shape,
    e9112_hook_name_not_allowed,
    e9116_hook_not_function_ref,
    e9118_alarm_not_a_name,
    e9119_alarms_limit,
    i9125_configuration_change_publishes_no_version,
    w9101_function_without_alias,
    w9102_function_without_preference,
    w9110_unknown_preference_key,
    w9111_enabled_reads_as_off,
    w9113_hook_has_preference,
    w9117_gradual_without_alarms,
    w9120_condition_not_passed_through,
    w9121_code_uri_template_folder,
    w9122_alias_arn_by_string,
    w9123_provisioned_concurrency_gradual,
    w9124_hooks_in_globals,
)
from sam_shift_lint.checks.iam import (
    e9201_deploy_role_permissions,
    e9203_hook_cannot_report,
    e9205_codedeploy_role_unusable,
    w9114_role_and_policies,
    w9115_hook_cannot_invoke_version,
    w9202_arn_placeholder,
    w9204_unknown_action,
)
from sam_shift_lint.checks.input import e9000_file_error
from sam_shift_lint.checks.rule import FixAvailability, Rule, RuleDocs, no_fix
from sam_shift_lint.checks.suppressions import i9001_unused_suppression
from sam_shift_lint.findings import severity_of
from sam_shift_lint.records import record
from sam_shift_lint.settings import CFN_LINT_SETTINGS

RULE_MODULES: tuple[Rule, ...] = (
    i9001_unused_suppression,
    w9101_function_without_alias,
    w9102_function_without_preference,
    e9103_preference_without_alias,
    e9104_type_missing,
    e9105_type_unknown,
    e9106_alias_invalid,
    e9107_preference_shape,
    w9110_unknown_preference_key,
    w9111_enabled_reads_as_off,
    e9112_hook_name_not_allowed,
    w9113_hook_has_preference,
    w9114_role_and_policies,
    w9115_hook_cannot_invoke_version,
    e9116_hook_not_function_ref,
    w9117_gradual_without_alarms,
    e9118_alarm_not_a_name,
    e9119_alarms_limit,
    w9120_condition_not_passed_through,
    w9121_code_uri_template_folder,
    w9122_alias_arn_by_string,
    w9123_provisioned_concurrency_gradual,
    w9124_hooks_in_globals,
    i9125_configuration_change_publishes_no_version,
    e9201_deploy_role_permissions,
    w9202_arn_placeholder,
    e9203_hook_cannot_report,
    w9204_unknown_action,
    e9205_codedeploy_role_unusable,
    e9206_deploy_role_misses_template_needs,
    w9207_deploy_role_misses_conditional_needs,
)


def _validated(rules: Iterable[Rule]) -> dict[str, Rule]:
    """Rules by id, after checking what a test would otherwise have to: unique ids and names, the module named
    after its id, a fix exactly when the metadata says so. (The documentation's four sections are checked where
    it is rendered, :func:`docs`, and for every rule by ``tests/architecture/test_registry.py``: parsing all of
    it here cost every run half a millisecond.)"""
    by_id: dict[str, Rule] = {}
    names: set[str] = set()
    for rule in rules:
        meta = rule.META
        where = rule.__name__
        module = where.rsplit(".", 1)[-1]
        if not module.startswith(meta.id.lower() + "_"):
            raise ValueError(f"{where}: a rule module is named after its id ({meta.id.lower()}_...)")
        if meta.id in by_id or meta.name in names:
            raise ValueError(f"{where}: duplicate rule id {meta.id} or name {meta.name}")
        has_fix = rule.fix is not no_fix
        if has_fix != (meta.fix is not FixAvailability.NONE):
            raise ValueError(f"{where}: META.fix is {meta.fix.value} but the module {'has' if has_fix else 'has no'} fix")
        unknown = set(meta.settings) - set(CFN_LINT_SETTINGS)
        if unknown:
            raise ValueError(f"{where}: unknown settings {sorted(unknown)}")
        by_id[meta.id] = rule
        names.add(meta.name)
    return by_id


FILE_ERROR: Rule = e9000_file_error
# Every id a report can carry: E9000 and the checks (ids and names unique across both).
REPORTED: dict[str, Rule] = _validated((FILE_ERROR, *RULE_MODULES))
RULES: dict[str, Rule] = {rule.META.id: rule for rule in RULE_MODULES}  # in the order above: by number, families together


@record(frozen=True)
class RuleInfo:
    """A rule as reports and front doors show it (derived from its metadata and docs)."""

    id: str
    shortdesc: str
    description: str
    tags: tuple[str, ...] = ()
    name: str = ""
    help_markdown: str = ""
    source_url: str = ""
    help_text: str = ""

    @property
    def severity(self) -> str:
        return severity_of(self.id)


def docs(rule: Rule) -> RuleDocs:
    return RuleDocs.parse(rule.__doc__, rule.__name__)


def info(rule: Rule) -> RuleInfo:
    meta = rule.META
    documentation = docs(rule)
    return RuleInfo(
        meta.id, meta.summary, documentation.plain(), meta.tags, meta.name, documentation.markdown(), meta.source_url, documentation.text()
    )


def all_rules() -> list[RuleInfo]:
    """Every rule's :class:`RuleInfo` (E9000 included), sorted by id (as cfn-lint lists rules)."""
    return list(RuleInfos().values())


class RuleInfos(Mapping[str, RuleInfo]):
    """Every rule's :class:`RuleInfo` by id (E9000 included), sorted by id, each made when first looked up.

    Why: a report looks up only the rules its findings name, and rendering a rule's documentation three ways
    (:func:`info`) for all of them was a tenth of a one-template run."""

    def __init__(self) -> None:
        self._made: dict[str, RuleInfo] = {}

    def __getitem__(self, rule_id: str) -> RuleInfo:
        made = self._made.get(rule_id)
        if made is None:
            made = self._made[rule_id] = info(REPORTED[rule_id])
        return made

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(REPORTED))

    def __len__(self) -> int:
        return len(REPORTED)


class SelectorError(ValueError):
    """A ``--select``/``--ignore`` entry matches no rule."""


def selector_problem(selector: str, ignoring: bool = False, rules: dict[str, Rule] | None = None) -> str | None:
    """Why ``selector`` (an id or prefix in a selection, or in an ignore list when ``ignoring``) cannot be used,
    or None. E9000 is always reported and never runs as a check: selecting it (``--select E9000``: read and parse
    only) is accepted, a prefix it shares with checks (``E``, ``E9``) leaves it on, and ignoring it alone
    (``--ignore E9000``, ``E900``) is an error, never a silent no-op. Every front door (flags, configuration
    files, editor settings) asks this."""
    table = RULES if rules is None else rules
    if any(rule_id.startswith(selector) for rule_id in table):
        return None
    always = FILE_ERROR.META.id
    if not always.startswith(selector):
        return f"unknown rule selector '{selector}' (see --list-rules)"
    if ignoring:
        return (
            f"{always} ({FILE_ERROR.META.name}) cannot be ignored: a file that cannot be read or parsed always "
            f"fails the run (exit 2); leave such files out of the paths instead"
        )
    return None


UNKNOWN_SELECTOR = "unknown rule selector"


def select_rules(select: Iterable[str] = (), ignore: Iterable[str] = (), rules: dict[str, Rule] | None = None) -> list[Rule]:
    """The rules that run: every default-on rule, or those matching ``select`` (id prefixes; an opt-in rule only
    by its full id), less those matching ``ignore``. A selector :func:`selector_problem` refuses is an error."""
    table = RULES if rules is None else rules
    select, ignore = list(select), list(ignore)
    for selector, ignoring in [(selector, False) for selector in select] + [(selector, True) for selector in ignore]:
        problem = selector_problem(selector, ignoring, table)
        if problem is not None:
            raise SelectorError(problem)
    chosen = []
    for rule_id, rule in table.items():
        if select:
            named = rule_id in select
            if not (named or (rule.META.default_on and any(rule_id.startswith(s) for s in select))):
                continue
        elif not rule.META.default_on:
            continue
        if any(rule_id.startswith(prefix) for prefix in ignore):
            continue
        chosen.append(rule)
    return chosen


def family(rule: Rule) -> str:
    """The rule's family: the package its module is in (``deployment``, ``iam``)."""
    return rule.__name__.rsplit(".", 2)[-2]


def rule_ids(of_family: str | None = None, opt_in: bool = False) -> tuple[str, ...]:
    """Every rule id (of one family), sorted; opt-in rules (off unless selected by full id) only with
    ``opt_in``, so that selecting these ids runs what runs by default."""
    return tuple(
        sorted(
            rule_id
            for rule_id, rule in RULES.items()
            if (of_family is None or family(rule) == of_family) and (opt_in or rule.META.default_on)
        )
    )
