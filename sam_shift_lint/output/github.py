"""GitHub Actions workflow commands, which GitHub shows as annotations on the pull request.

``::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=ID::message``; warnings use
``::warning`` and informational findings ``::notice``. Escaping follows ``@actions/core``.
"""
from __future__ import annotations

from sam_shift_lint.checks.registry import RuleInfo
from sam_shift_lint.findings import Finding
from sam_shift_lint.output import OutputContext
from sam_shift_lint.output._common import display_path, sorted_findings
from sam_shift_lint.output.escape import escape

COMMANDS = {"error": "error", "warning": "warning", "informational": "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message: ``%``, ``\\r``, ``\\n``."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value: as for messages, plus ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_finding(finding: Finding, context: OutputContext) -> str:
    """One workflow command (control characters escaped first, so a value cannot end the command's line)."""
    props = [("file", escape(display_path(finding.file, context.cwd))), ("line", str(finding.line)), ("col", str(finding.column))]
    if finding.end_line >= finding.line and finding.end_line > 0:
        props += [("endLine", str(finding.end_line)), ("endColumn", str(finding.end_column))]
    props.append(("title", finding.rule))
    command = COMMANDS.get(finding.severity, "notice")
    properties = ",".join(f"{key}={escape_property(value)}" for key, value in props)
    return f"::{command} {properties}::{escape_data(escape(finding.message))}"


def render(findings: list[Finding], rules: dict[str, RuleInfo], context: OutputContext) -> str:
    """One command per line; empty string when there are no findings."""
    return "".join(format_finding(finding, context) + "\n" for finding in sorted_findings(findings))
