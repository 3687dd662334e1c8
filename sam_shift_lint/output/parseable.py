"""cfn-lint's parseable format: ``file:line:col:end_line:end_col:RULE:message``, one line per finding."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from sam_shift_lint.checks.registry import RuleInfo
from sam_shift_lint.findings import Finding
from sam_shift_lint.output import OutputContext
from sam_shift_lint.output._common import one_line
from sam_shift_lint.output.escape import escape
from sam_shift_lint.output.stream import ReportWriter, render_with


def format_finding(finding: Finding) -> str:
    """One line; line breaks in the message become spaces, as in cfn-lint, and other control characters are
    escaped."""
    return ":".join(
        [
            escape(finding.file),
            str(finding.line),
            str(finding.column),
            str(finding.end_line),
            str(finding.end_column),
            finding.rule,
            escape(one_line(finding.message)),
        ]
    )


class Writer(ReportWriter):
    """The lines of each file as it is done; nothing at the end."""

    def _write(self, findings: Sequence[Finding]) -> None:
        self.out.write("".join(format_finding(finding) + "\n" for finding in findings))


def render(findings: list[Finding], rules: Mapping[str, RuleInfo], context: OutputContext) -> str:
    """All lines, newline-terminated; empty string when there are no findings."""
    return render_with(Writer, findings, rules, context)
