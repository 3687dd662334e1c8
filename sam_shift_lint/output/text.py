"""Default human-readable output, modelled on ruff's concise format.

``file:line:col: ID [*] message`` per finding, then a summary, e.g.::

    Found 3 problems (2 errors, 1 warning).
    [*] 1 fixable with the --fix option (1 hidden fix can be enabled with the --unsafe-fixes option).
"""
from __future__ import annotations

from sam_shift_lint.checks.registry import RuleInfo
from sam_shift_lint.findings import Finding, applies
from sam_shift_lint.findings import hidden as fix_is_hidden
from sam_shift_lint.output import OutputContext
from sam_shift_lint.output._common import plural, sorted_findings
from sam_shift_lint.output.escape import escape

FIX_MARKER = "[*]"


def format_finding(finding: Finding, context: OutputContext) -> str:
    """One report line (control characters escaped); ``[*]`` when ``--fix`` would fix it with the current
    flags."""
    marker = ""
    if context.show_fix_status and applies(finding.fix, context.unsafe_fixes_enabled):
        marker = f" {FIX_MARKER}"
    return f"{escape(finding.file)}:{finding.line}:{finding.column}: {finding.rule}{marker} {escape(finding.message)}"


def _severity_counts(findings: list[Finding]) -> str:
    errors = sum(1 for f in findings if f.severity == "error")
    warnings = sum(1 for f in findings if f.severity == "warning")
    others = len(findings) - errors - warnings
    parts = [plural(errors, "error"), plural(warnings, "warning")]
    if others:
        parts.append(f"{others} informational")
    return ", ".join(parts)


def summary_line(findings: list[Finding], fixed: int) -> str:
    """``Found N problems (...)`` or ``All checks passed!``."""
    remaining = len(findings)
    if remaining == 0 and fixed == 0:
        return "All checks passed!"
    if fixed == 0:
        return f"Found {plural(remaining, 'problem')} ({_severity_counts(findings)})."
    detail = f"{fixed} fixed, {remaining} remaining"
    if remaining:
        detail += f": {_severity_counts(findings)}"
    return f"Found {plural(remaining + fixed, 'problem')} ({detail})."


def fix_hint(findings: list[Finding], unsafe_fixes_enabled: bool) -> str:
    """ruff's hint about applicable and hidden (unsafe) fixes; empty when there is none."""
    applicable = sum(1 for f in findings if applies(f.fix, unsafe_fixes_enabled))
    hidden = sum(1 for f in findings if fix_is_hidden(f.fix, unsafe_fixes_enabled))
    hidden_note = f"{plural(hidden, 'hidden fix', 'hidden fixes')} can be enabled with the --unsafe-fixes option"
    if applicable and hidden:
        return f"{FIX_MARKER} {applicable} fixable with the --fix option ({hidden_note})."
    if applicable:
        return f"{FIX_MARKER} {applicable} fixable with the --fix option."
    if hidden:
        return f"No fixes available ({hidden_note})."
    return ""


def render(findings: list[Finding], rules: dict[str, RuleInfo], context: OutputContext) -> str:
    """Finding lines, then the summary (and fix hint); ends with a newline."""
    ordered = sorted_findings(findings)
    lines = [format_finding(finding, context) for finding in ordered]
    lines.append(summary_line(ordered, context.fixed))
    if context.show_fix_status:
        hint = fix_hint(ordered, context.unsafe_fixes_enabled)
        if hint:
            lines.append(hint)
    return "\n".join(lines) + "\n"
