"""GitHub Actions workflow commands, which GitHub shows as annotations on the pull request.

``::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=ID::message``; warnings use
``::warning`` and informational findings ``::notice``. Escaping follows ``@actions/core``.

Errors come first (GitHub shows a limited number of annotations per step), then warnings and notices, each in
report order; file paths are relative to the repository root (``context.root``), as GitHub expects. The run's
one summary follows as a plain line, which is no annotation (``--quiet`` drops it). Written as the run goes,
errors go out at once and the other annotations wait in a spool per severity until the end.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from sam_shift_lint.checks.registry import RuleInfo
from sam_shift_lint.findings import Finding
from sam_shift_lint.output import OutputContext
from sam_shift_lint.output._common import SEVERITY_ORDER, TOOL_NAME, display_path
from sam_shift_lint.output.escape import escape
from sam_shift_lint.output.stream import ReportWriter, Spool, Writable, render_with
from sam_shift_lint.output.summary import summary_line

COMMANDS = {"error": "error", "warning": "warning", "informational": "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message: ``%``, ``\\r``, ``\\n``."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: as for messages, plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_finding(finding: Finding, context: OutputContext) -> str:
    """One workflow command (control characters escaped first, so a value cannot end the command's line)."""
    props = [("file", escape(display_path(finding.file, context.cwd, context.root))), ("line", str(finding.line)), ("col", str(finding.column))]
    if (finding.end_line, finding.end_column) > (finding.line, finding.column):
        props += [("endLine", str(finding.end_line)), ("endColumn", str(finding.end_column))]
    props.append(("title", finding.rule))
    command = COMMANDS.get(finding.severity, "notice")
    properties = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{command} {properties}::{escape_data(escape(finding.message))}"


class Writer(ReportWriter):
    """Errors as each file is done; warnings, notices (and findings of any other severity) in a spool each,
    copied out at the end in that order, then the summary."""

    def __init__(self, rules: Mapping[str, RuleInfo], context: OutputContext, out: Writable) -> None:
        super().__init__(rules, context, out)
        self.later: dict[int, Spool] = {}

    def _write(self, findings: Sequence[Finding]) -> None:
        for finding in findings:
            rank = SEVERITY_ORDER.get(finding.severity, len(SEVERITY_ORDER))
            line = format_finding(finding, self.context) + "\n"
            if rank == 0:
                self.out.write(line)
            else:
                self.later.setdefault(rank, Spool()).write(line)

    def _finish(self) -> None:
        for rank in sorted(self.later):
            self.later.pop(rank).copy_to(self.out)
        if not self.context.quiet:
            self.out.write(f"{TOOL_NAME}: {summary_line(self.tally, self.context.fixed)}\n")


def render(findings: list[Finding], rules: Mapping[str, RuleInfo], context: OutputContext) -> str:
    """One command per line, errors first, then ``sam-shift-lint: <summary>`` (unless quiet)."""
    return render_with(Writer, findings, rules, context)
