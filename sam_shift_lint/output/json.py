"""JSON output: a list of findings with ruff-style embedded fixes (editors and bots apply them as-is).

:func:`render` dumps the whole list; :class:`Writer` writes the same bytes item by item as the run goes."""
from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sam_shift_lint.checks.registry import RuleInfo
from sam_shift_lint.findings import Edit, Finding, Fix
from sam_shift_lint.output import OutputContext
from sam_shift_lint.output._common import sorted_findings
from sam_shift_lint.output.escape import json_safe
from sam_shift_lint.output.stream import JsonArray, ReportWriter, Writable


def edit_to_dict(edit: Edit) -> dict[str, Any]:
    """``{content, location: {line, column}, end_location: {line, column}}`` (1-based)."""
    return {
        "content": edit.content,
        "location": {"line": edit.line, "column": edit.column},
        "end_location": {"line": edit.end_line, "column": edit.end_column},
    }


def fix_to_dict(fix: Fix | None) -> dict[str, Any] | None:
    """``{applicability, description, edits}`` or None."""
    if fix is None:
        return None
    return {
        "applicability": fix.applicability.value,
        "description": fix.description,
        "edits": [edit_to_dict(edit) for edit in fix.edits],
    }


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    """The JSON object for one finding, with exactly the documented keys."""
    return {
        "rule": finding.rule,
        "severity": finding.severity,
        "message": finding.message,
        "file": finding.file,
        "line": finding.line,
        "column": finding.column,
        "end_line": finding.end_line,
        "end_column": finding.end_column,
        "resource": finding.resource,
        "path": list(finding.path),
        "fix": fix_to_dict(finding.fix),
    }


def render(findings: list[Finding], rules: Mapping[str, RuleInfo], context: OutputContext) -> str:
    """A JSON array (indent 2) followed by a newline; valid UTF-8 whatever the file names (:func:`json_safe`)."""
    data = [finding_to_dict(finding) for finding in sorted_findings(findings)]
    return json_safe(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"


class Writer(ReportWriter):
    """The array opened at once, each finding as its file is done, closed at the end."""

    def __init__(self, rules: Mapping[str, RuleInfo], context: OutputContext, out: Writable) -> None:
        super().__init__(rules, context, out)
        self.array = JsonArray(out, depth=0)
        self.array.open()

    def _write(self, findings: Sequence[Finding]) -> None:
        for finding in findings:
            self.array.item(json_safe(json.dumps(finding_to_dict(finding), indent=2, ensure_ascii=False)))

    def _finish(self) -> None:
        self.array.close()
        self.out.write("\n")
