"""The cfn-lint front door: one ``CloudFormationLintRule`` class per registered rule, generated from the
registry (:func:`rule_classes`), each running its own check on the template cfn-lint is linting and turning every
finding into a ``RuleMatch`` at the finding's exact span.

The template is the text cfn-lint decoded (a file, standard input, ``cfnlint.api.lint(text)``), captured as it
decodes it (:mod:`sam_shift_lint.cfnlint_input`) and parsed by the engine once per template however many rules
ask (its own parser keeps the positions of values that cfn-lint's Globals merge loses); the file is never read
again from disk. The configuration file that applies to the template (found from its directory, or from the
current directory for standard input and text) decides, as for the command: ``select``/``extend-select``/
``ignore`` and ``per-file-ignores`` narrow the rules cfn-lint runs, ``region``/``account-id`` and declared
``profiles`` reach the rules' settings (cfn-lint's own rule configuration, ``-x E9201:region=us-east-1`` or
``configure_rules`` in ``.cfnlintrc``, wins over the file). An unusable configuration is reported once per
template, as cfn-lint reports a rule that fails (E0002, naming the file and the key).
cfn-lint applies its own ``ignore_checks`` / Metadata suppression to the matches, so the engine's is not used
here; sam-shift-lint's suppression comments (``# sam-shift-lint: disable=...``) apply, as in every front door
(when cfn-lint decoded the template itself: see :mod:`sam_shift_lint.cfnlint_input` for the one case without
text). Messages quote logical ids and values from the template, so their control characters are escaped here
(cfn-lint prints a message as it is).

An opt-in rule (``default_on=False``) runs in cfn-lint as in the CLI: only when named by its full id, in
``--include-checks`` (or ``--mandatory-checks``). cfn-lint itself would enable an ``I`` rule for any matching
prefix (``--include-checks I``); :meth:`SamShiftLintRule.is_enabled` narrows that to the full id. A
configuration's ``extend-select`` cannot turn on in cfn-lint a rule cfn-lint keeps off.
"""
from __future__ import annotations

from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from sam_shift_lint import cfnlint_input
from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.registry import RULES, docs
from sam_shift_lint.checks.rule import Rule, Target
from sam_shift_lint.config import ConfigError
from sam_shift_lint.engine import check_context, new_context
from sam_shift_lint.findings import Finding
from sam_shift_lint.output.escape import escape
from sam_shift_lint.parsing.document import Document
from sam_shift_lint.project import FileSettings, Project
from sam_shift_lint.records import fields, replace
from sam_shift_lint.settings import LintSettings

cfnlint_input.install()

_STATE = "_sam_shift_lint_state"
_PROJECT: list[Project] = []  # one per process: configurations are cached across templates


class _State:
    """What the rules share for one template: its document (or None), its settings, the contexts by settings."""

    def __init__(self, document: Document | None, marks: cfnlint_input.Marks | None, settings: FileSettings | ConfigError) -> None:
        self.document = document
        self.marks = marks  # set when the document was written from cfn-lint's data (no text was captured)
        self.settings = settings
        self.config_reported = False
        self.contexts: dict[LintSettings, CheckContext] = {}


def _project() -> Project:
    if not _PROJECT:
        _PROJECT.append(Project())
    return _PROJECT[0]


def _state_for(cfn: Any) -> _State:
    state = getattr(cfn, _STATE, None)
    if isinstance(state, _State):
        return state
    filename = getattr(cfn, "filename", None)
    name = str(filename) if filename else "-"
    settings: FileSettings | ConfigError
    try:
        settings = _project().settings_for(name)
    except ConfigError as error:
        settings = error
    document, marks = None, None
    text = cfnlint_input.source_of(cfn)
    if text is not None:
        document = cfnlint_input.document_from_text(name, text)
    else:
        snapshot = getattr(cfn, cfnlint_input.SNAPSHOT, None)
        if snapshot is not None:
            document = cfnlint_input.document_from_text(name, snapshot[0])
            marks = snapshot[1]
    state = _State(document, marks, settings)
    try:
        setattr(cfn, _STATE, state)
    except AttributeError:  # pragma: no cover - cfn-lint's Template accepts attributes today
        pass
    return state


def _runs(rule: Rule, settings: FileSettings) -> bool:
    """Is ``rule`` on for this template? The configuration's selection decides for default-on rules; an opt-in
    rule is only asked when cfn-lint's ``--include-checks`` named it by its full id (:meth:`SamShiftLintRule.is_enabled`),
    and then runs unless the configuration ignores it (``ignore``, ``per-file-ignores``)."""
    if rule in settings.rules:
        return True
    if rule.META.default_on:
        return False
    return not _project().ignores(settings, rule.META.id)


def findings_for(cfn: Any, rule: Rule, settings: LintSettings) -> list[Finding]:
    """``rule``'s findings (with fixes) for the template behind ``cfn``, under ``settings`` (what cfn-lint's rule
    configuration sets) over the configuration file's."""
    state = _state_for(cfn)
    if isinstance(state.settings, ConfigError):
        if state.config_reported:
            return []
        state.config_reported = True
        error = state.settings
        raise RuntimeError(f"sam-shift-lint configuration {error.path}: {error}")
    if state.document is None or not _runs(rule, state.settings):
        return []
    overrides = {field.name: getattr(settings, field.name) for field in fields(settings) if getattr(settings, field.name)}
    lint = replace(state.settings.lint, **overrides)
    ctx = state.contexts.get(lint)
    if ctx is None:
        ctx = state.contexts[lint] = new_context(state.document, lint, state.settings.fixes)
        ctx.running = frozenset(other.META.id for other in RULES.values() if _runs(other, state.settings))
    if ctx.target is not Target.TEMPLATE:
        return []
    return check_context(ctx, [rule], honour_metadata=False)


def _location(cfn: Any, finding: Finding) -> tuple[int, int, int, int] | None:
    """The 0-based location cfn-lint expects; for a template written from cfn-lint's data, cfn-lint's own."""
    state = _state_for(cfn)
    if state.marks is None:
        span = finding.span
        return (span.line - 1, span.column - 1, span.end_line - 1, span.end_column - 1)
    assert state.document is not None
    return cfnlint_input.location(state.document, state.marks, finding)


class SamShiftLintRule(CloudFormationLintRule):  # type: ignore[misc]  # cfn-lint ships no type information: its base class is Any
    """A cfn-lint rule backed by one registered rule (``rule``)."""

    rule: Rule

    def __init__(self) -> None:
        super().__init__()
        self.config_definition = {name: {"default": "", "type": "string"} for name in self.rule.META.settings}
        self.configure()

    def is_enabled(
        self,
        include_experimental: bool = False,
        ignore_rules: list[str] | None = None,
        include_rules: list[str] | None = None,
        mandatory_rules: list[str] | None = None,
    ) -> bool:
        """cfn-lint's decision, and for an opt-in rule also its full id among the included checks."""
        enabled: bool = super().is_enabled(include_experimental, ignore_rules, include_rules, mandatory_rules)
        if not enabled or self.rule.META.default_on:
            return enabled
        return self.id in (include_rules or []) or self.id in (mandatory_rules or [])

    def settings(self) -> LintSettings:
        values = {name: (str(self.config.get(name) or "") or None) for name in self.rule.META.settings}
        return LintSettings(region=values.get("region"), account_id=values.get("account_id"))

    def match(self, cfn: Any) -> list[RuleMatch]:
        matches = []
        for finding in findings_for(cfn, self.rule, self.settings()):
            path = list(finding.path) or ["Resources"]
            where = _location(cfn, finding)
            extra: dict[str, Any] = {"location": where} if where is not None else {}  # else: cfn-lint's, from the path
            if _state_for(cfn).marks is None:  # a fix's edits are for the text it was made from
                extra["fix"] = finding.fix
            # cfn-lint prints messages as they are: no raw control characters
            matches.append(RuleMatch(path, escape(finding.message), **extra))
        return matches


def rule_class(rule: Rule, module: str) -> type[SamShiftLintRule]:
    """The cfn-lint class for ``rule`` (named after it, e.g. ``FunctionWithoutAutoPublishAlias``)."""
    meta = rule.META
    attributes = {
        "__module__": module,
        "__doc__": meta.summary,
        "rule": rule,
        "id": meta.id,
        "shortdesc": meta.summary,
        "description": docs(rule).plain(),
        "source_url": meta.source_url,
        "tags": list(meta.tags),
    }
    return type(meta.class_name, (SamShiftLintRule,), attributes)


def rule_classes(module: str) -> dict[str, type[SamShiftLintRule]]:
    """Every registered rule's cfn-lint class by class name, for the module ``module`` to expose."""
    return {cls.__name__: cls for cls in (rule_class(rule, module) for rule in RULES.values())}
