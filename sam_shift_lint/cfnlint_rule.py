"""The base class the cfn-lint rule pack (``rules/``) is made of: it runs the same checks as the CLI on the
file cfn-lint is linting and turns each finding into a ``RuleMatch`` at the finding's exact span.

The engine re-reads the template from ``cfn.filename`` (its own parser keeps the positions of values that
cfn-lint's Globals merge loses). cfn-lint applies its own ``ignore_checks`` / Metadata suppression to the
matches, so the engine's suppression is not used here. Input without a file name (cfn-lint reading stdin
or ``cfnlint.api.lint`` on a string) is not analysed.
"""
from __future__ import annotations

from typing import Any, Dict, List, Tuple

from cfnlint.rules import CloudFormationLintRule, RuleMatch

from .checks import RULES, all_rules
from .document import DocumentError, load
from .engine import check_document
from .findings import Finding

_CACHE_ATTRIBUTE = "_sam_shift_lint_findings"
_cache: Dict[Tuple[int, str], List[Finding]] = {}


def findings_for(cfn: Any) -> List[Finding]:
    """All findings for the template behind ``cfn``, computed once per template however many rules ask."""
    cached = getattr(cfn, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    filename = getattr(cfn, "filename", None)
    findings: List[Finding] = []
    if filename and filename != "-":
        try:
            document = load(str(filename))
        except DocumentError:
            document = None  # cfn-lint reports unreadable templates itself (E0000)
        if document is not None:
            findings = check_document(document, honour_metadata=False)
    try:
        setattr(cfn, _CACHE_ATTRIBUTE, findings)
    except AttributeError:  # pragma: no cover - cfn-lint's Template accepts attributes today
        pass
    return findings


class SamShiftLintRule(CloudFormationLintRule):  # type: ignore[misc]
    """A cfn-lint rule backed by one sam-shift-lint rule id. Subclasses set only ``id``."""

    id = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        all_rules()
        info = RULES[cls.id]
        cls.shortdesc = info.shortdesc
        cls.description = info.description
        cls.source_url = info.source_url
        cls.tags = list(info.tags)

    def match(self, cfn: Any) -> List[RuleMatch]:
        matches = []
        for finding in findings_for(cfn):
            if finding.rule != self.id:
                continue
            span = finding.span
            path = list(finding.path) or ["Resources"]
            matches.append(
                RuleMatch(
                    path,
                    finding.message,
                    location=(span.line - 1, span.column - 1, span.end_line - 1, span.end_column - 1),
                    fix=finding.fix,
                )
            )
        return matches
