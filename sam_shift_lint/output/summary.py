"""The one summary of a run (``Found 3 problems (1 error, 2 warnings).`` or ``All checks passed!``) and ruff's fix
hint, shared by the formats that print a summary (text, github) and by ``--statistics``.

A report is written file by file and forgets each file's findings once they are written; :class:`Tally` is
what it keeps for the summary: counts."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sam_shift_lint.findings import Finding, applies
from sam_shift_lint.findings import hidden as fix_is_hidden
from sam_shift_lint.output._common import plural
from sam_shift_lint.records import field, record

FIX_MARKER = "[*]"


@record
class Tally:
    """Counts of the findings reported so far: by severity, by rule, and how many fixes apply or are hidden
    (unsafe without ``--unsafe-fixes``)."""

    unsafe_fixes_enabled: bool = False
    total: int = 0
    errors: int = 0
    warnings: int = 0
    applicable: int = 0
    hidden: int = 0
    by_rule: Counter[str] = field(default_factory=Counter)
    fixable_rules: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, findings: Iterable[Finding], unsafe_fixes_enabled: bool = False) -> Tally:
        tally = cls(unsafe_fixes_enabled)
        tally.add(findings)
        return tally

    def add(self, findings: Iterable[Finding]) -> None:
        unsafe = self.unsafe_fixes_enabled
        for finding in findings:
            self.total += 1
            if finding.severity == "error":
                self.errors += 1
            elif finding.severity == "warning":
                self.warnings += 1
            self.by_rule[finding.rule] += 1
            if applies(finding.fix, unsafe):
                self.applicable += 1
                self.fixable_rules.add(finding.rule)
            elif fix_is_hidden(finding.fix, unsafe):
                self.hidden += 1


def severity_counts(tally: Tally) -> str:
    """``2 errors, 1 warning`` (``, 3 informational`` when there are any)."""
    others = tally.total - tally.errors - tally.warnings
    parts = [plural(tally.errors, "error"), plural(tally.warnings, "warning")]
    if others:
        parts.append(f"{others} informational")
    return ", ".join(parts)


def summary_line(tally: Tally, fixed: int) -> str:
    """``Found N problems (...)`` or ``All checks passed!`` (E9000 findings, files that could not be checked,
    count as errors, so a run with one never passes)."""
    remaining = tally.total
    if remaining == 0 and fixed == 0:
        return "All checks passed!"
    if fixed == 0:
        return f"Found {plural(remaining, 'problem')} ({severity_counts(tally)})."
    detail = f"{fixed} fixed, {remaining} remaining"
    if remaining:
        detail += f": {severity_counts(tally)}"
    return f"Found {plural(remaining + fixed, 'problem')} ({detail})."


def fix_hint(tally: Tally) -> str:
    """ruff's hint about applicable and hidden (unsafe) fixes; empty when there is none."""
    applicable, hidden = tally.applicable, tally.hidden
    hidden_note = f"{plural(hidden, 'hidden fix', 'hidden fixes')} can be enabled with the --unsafe-fixes option"
    if applicable and hidden:
        return f"{FIX_MARKER} {applicable} fixable with the --fix option ({hidden_note})."
    if applicable:
        return f"{FIX_MARKER} {applicable} fixable with the --fix option."
    if hidden:
        return f"No fixes available ({hidden_note})."
    return ""
