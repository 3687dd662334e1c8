"""The cfn-lint front door: one ``CloudFormationLintRule`` class per registered rule, generated from the
registry (:func:`rule_classes`), each running its own check on the file cfn-lint is linting and turning every
finding into a ``RuleMatch`` at the finding's exact span.

The engine re-reads the template from ``cfn.filename`` (its own parser keeps the positions of values that
cfn-lint's Globals merge loses), once per template however many rules ask. A rule's lint settings come from
cfn-lint's rule configuration (``-x E9201:region=us-east-1``, or ``configure_rules`` in ``.cfnlintrc``).
cfn-lint applies its own ``ignore_checks`` / Metadata suppression to the matches, so the engine's is not used
here; sam-shift-lint's suppression comments (``# sam-shift-lint: disable=...``) apply, as in every front door. Input without a file name (cfn-lint reading stdin, or ``cfnlint.api.lint`` on a string) is not analysed.
Messages quote logical ids and values from the template, so their control characters are escaped here
(cfn-lint prints a message as it is).

An opt-in rule (``default_on=False``) runs in cfn-lint as in the CLI: only when named by its full id, in
``--include-checks`` (or ``--mandatory-checks``). cfn-lint itself would enable an ``I`` rule for any matching
prefix (``--include-checks I``); :meth:`SamShiftLintRule.is_enabled` narrows that to the full id.
"""
from __future__ import annotations

from typing import Any

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.registry import RULES, docs
from sam_shift_lint.checks.rule import Rule, Target
from sam_shift_lint.engine import check_context, new_context
from sam_shift_lint.findings import Finding
from sam_shift_lint.output.escape import escape
from sam_shift_lint.parsing.document import Document, load
from sam_shift_lint.parsing.errors import DocumentError
from sam_shift_lint.settings import LintSettings

_DOCUMENT_ATTRIBUTE = "_sam_shift_lint_document"
_NO_DOCUMENT = object()


def _document_for(cfn: Any) -> Document | None:
    """The parsed template behind ``cfn``, read once per template (None when there is no file to read)."""
    cached = getattr(cfn, _DOCUMENT_ATTRIBUTE, None)
    if cached is not None:
        return cached if isinstance(cached, Document) else None  # else _NO_DOCUMENT
    filename = getattr(cfn, "filename", None)
    document: Document | object = _NO_DOCUMENT
    if filename and filename != "-":
        try:
            document = load(str(filename))
        except DocumentError:
            pass  # cfn-lint reports unreadable templates itself (E0000)
    try:
        setattr(cfn, _DOCUMENT_ATTRIBUTE, document)
    except AttributeError:  # pragma: no cover - cfn-lint's Template accepts attributes today
        pass
    return document if isinstance(document, Document) else None


def findings_for(cfn: Any, rule: Rule, settings: LintSettings) -> list[Finding]:
    """``rule``'s findings (with fixes) for the template behind ``cfn``."""
    document = _document_for(cfn)
    if document is None:
        return []
    contexts: dict[LintSettings, CheckContext] = getattr(cfn, "_sam_shift_lint_contexts", None) or {}
    ctx = contexts.get(settings)
    if ctx is None:
        ctx = new_context(document, settings)
        contexts[settings] = ctx
        try:
            cfn._sam_shift_lint_contexts = contexts
        except AttributeError:  # pragma: no cover
            pass
    if ctx.target is not Target.TEMPLATE:
        return []
    return check_context(ctx, [rule], honour_metadata=False)


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
        return LintSettings(**values)

    def match(self, cfn: Any) -> list[RuleMatch]:
        matches = []
        for finding in findings_for(cfn, self.rule, self.settings()):
            span = finding.span
            path = list(finding.path) or ["Resources"]
            matches.append(
                RuleMatch(
                    path,
                    escape(finding.message),  # cfn-lint prints messages as they are: no raw control characters
                    location=(span.line - 1, span.column - 1, span.end_line - 1, span.end_column - 1),
                    fix=finding.fix,
                )
            )
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
