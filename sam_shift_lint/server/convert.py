"""Findings, problems and text changes as LSP objects (lsprotocol)."""
from __future__ import annotations

import difflib
from collections.abc import Iterable

from lsprotocol import types

from sam_shift_lint.checks.registry import FILE_ERROR, RULES
from sam_shift_lint.findings import Edit, Finding
from sam_shift_lint.server.analysis import Analysis

SOURCE = "sam-shift-lint"
SEVERITIES = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "informational": types.DiagnosticSeverity.Information,
}


def lsp_range(analysis: Analysis, start: int, end: int) -> types.Range:
    """The range between two offsets of the parsed document."""
    line, character = analysis.position(start)
    end_line, end_character = analysis.position(end)
    return types.Range(types.Position(line, character), types.Position(end_line, end_character))


def diagnostic(analysis: Analysis, finding: Finding) -> types.Diagnostic:
    rule = RULES.get(finding.rule)
    return types.Diagnostic(
        range=lsp_range(analysis, finding.span.start, finding.span.end),
        message=finding.message,
        severity=SEVERITIES.get(finding.severity, types.DiagnosticSeverity.Information),
        code=finding.rule,
        code_description=types.CodeDescription(href=rule.META.source_url) if rule is not None else None,
        source=SOURCE,
    )


def diagnostics(analysis: Analysis) -> list[types.Diagnostic]:
    """What the client shows for this buffer: one diagnostic per finding, or one for the problem that kept the
    buffer from being checked."""
    problem = analysis.problem
    if problem is not None:
        if problem.offset is None:
            where = types.Range(types.Position(0, 0), types.Position(0, 0))
        else:
            line, character = analysis.index.position(problem.offset)
            end = analysis.index.position(analysis.index.line_end(line))
            where = types.Range(types.Position(line, character), types.Position(*end))
        file_error = FILE_ERROR.META  # the same id as in the command's reports
        return [
            types.Diagnostic(
                range=where,
                message=problem.message,
                severity=types.DiagnosticSeverity.Error,
                code=file_error.id,
                code_description=types.CodeDescription(href=file_error.source_url),
                source=SOURCE,
            )
        ]
    return [diagnostic(analysis, finding) for finding in analysis.findings]


def text_edits(analysis: Analysis, edits: Iterable[Edit]) -> list[types.TextEdit]:
    """The fixer's edits (offsets into the parsed document's text, none overlapping) as LSP edits."""
    return [types.TextEdit(lsp_range(analysis, edit.start, edit.end), edit.content) for edit in sorted(edits, key=lambda e: e.start)]


def changes_between(analysis: Analysis, after: str) -> list[types.TextEdit]:
    """Edits that turn the parsed document's text into ``after``: one per changed run of lines."""
    before = analysis.text[analysis.shift:]
    old_lines = before.splitlines(keepends=True)
    new_lines = after.splitlines(keepends=True)
    old_starts = [0]
    for line in old_lines:
        old_starts.append(old_starts[-1] + len(line))
    new_starts = [0]
    for line in new_lines:
        new_starts.append(new_starts[-1] + len(line))
    result = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            content = after[new_starts[j1]:new_starts[j2]]
            result.append(types.TextEdit(lsp_range(analysis, old_starts[i1], old_starts[i2]), content))
    return result


def workspace_edit(analysis: Analysis, edits: list[types.TextEdit], versioned: bool = True) -> types.WorkspaceEdit:
    """Edits to this buffer's version (a client rejects them once the buffer has changed); ``versioned=False``
    for a client without ``documentChanges`` support (plain ``changes``)."""
    if not versioned:
        return types.WorkspaceEdit(changes={analysis.uri: edits})
    document = types.OptionalVersionedTextDocumentIdentifier(uri=analysis.uri, version=analysis.version)
    return types.WorkspaceEdit(document_changes=[types.TextDocumentEdit(text_document=document, edits=edits)])
