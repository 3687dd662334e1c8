"""Default human-readable output, modelled on ruff's concise format.

``file:line:col: ID [*] message`` per finding, then one summary for the run, e.g.::

    Found 3 problems (2 errors, 1 warning).
    [*] 1 fixable with the --fix option (1 hidden fix can be enabled with the --unsafe-fixes option).

With ``context.color`` (a terminal; the CLI decides, honouring ``NO_COLOR``/``FORCE_COLOR``) the file name is
bold, the rule id coloured by severity and ``[*]`` cyan, as in ruff; colour codes wrap text that was already
escaped, so input can never add its own. ``context.quiet`` drops the summary and the hint.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from sam_shift_lint.checks.registry import RuleInfo
from sam_shift_lint.findings import Finding, applies
from sam_shift_lint.output import OutputContext
from sam_shift_lint.output.escape import escape
from sam_shift_lint.output.stream import ReportWriter, render_with
from sam_shift_lint.output.summary import FIX_MARKER, Tally, fix_hint, summary_line

__all__ = ["FIX_MARKER", "Writer", "fix_hint", "format_finding", "paint", "render", "rule_color", "summary_line"]

BOLD, RED, YELLOW, BLUE, CYAN = "1", "31", "33", "34", "36"
_RESET = "\x1b[0m"
_SEVERITY_COLORS = {"error": RED, "warning": YELLOW}


def paint(text: str, *codes: str, color: bool = True) -> str:
    """``text`` wrapped in the SGR codes ``codes`` when ``color``; unchanged otherwise."""
    if not color or not codes:
        return text
    return f"\x1b[{';'.join(codes)}m{text}{_RESET}"


def rule_color(severity: str) -> str:
    """The colour of a rule id: red for errors, yellow for warnings, blue for the rest."""
    return _SEVERITY_COLORS.get(severity, BLUE)


def format_finding(finding: Finding, context: OutputContext) -> str:
    """One report line (control characters escaped); ``[*]`` when ``--fix`` would fix it with the current
    flags."""
    color = context.color
    marker = ""
    if context.show_fix_status and applies(finding.fix, context.unsafe_fixes_enabled):
        marker = " " + paint(FIX_MARKER, CYAN, color=color)
    where = f"{paint(escape(finding.file), BOLD, color=color)}:{finding.line}:{finding.column}:"
    rule = paint(finding.rule, BOLD, rule_color(finding.severity), color=color)
    return f"{where} {rule}{marker} {escape(finding.message)}"


def summary(tally: Tally, context: OutputContext) -> list[str]:
    """The summary line and the fix hint (nothing when ``quiet``)."""
    if context.quiet:
        return []
    lines = [paint(summary_line(tally, context.fixed), BOLD, color=context.color)]
    if context.show_fix_status:
        hint = fix_hint(tally)
        if hint:
            lines.append(hint)
    return lines


class Writer(ReportWriter):
    """Finding lines as each file is done, then the summary (and fix hint)."""

    def _write(self, findings: Sequence[Finding]) -> None:
        self.out.write("".join(format_finding(finding, self.context) + "\n" for finding in findings))

    def _finish(self) -> None:
        self.out.write("".join(line + "\n" for line in summary(self.tally, self.context)))


def render(findings: list[Finding], rules: Mapping[str, RuleInfo], context: OutputContext) -> str:
    """Finding lines, then the summary (and fix hint); ends with a newline (empty when quiet and clean)."""
    return render_with(Writer, findings, rules, context)
