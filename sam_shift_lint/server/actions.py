"""Code actions: a quick fix per fixable finding (unsafe ones say so), "disable RULE for this line", and
"fix all safe problems in this file" (kind ``source.fixAll.sam-shift-lint``, so an editor can run it on save).

Every edit comes from the fix engine: a quick fix is the rule's own fix, applied and proved by
:func:`sam_shift_lint.fixer.apply_verified` (one ``--fix`` pass); fix-all is :func:`sam_shift_lint.fixer.fix_context`
(what ``--fix`` writes); the disable comment is an edit proved the same way (the data must not change).
Proving a fix re-parses the file (twice for ruamel.yaml's check), so with a client that can resolve code actions
(``codeAction/resolve`` for ``edit``) the edit is made only for the action the user picks.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from lsprotocol import types

from sam_shift_lint import fixer
from sam_shift_lint.editing.directives import disable_on_line
from sam_shift_lint.findings import Applicability, Finding, Fix, applies
from sam_shift_lint.server import convert
from sam_shift_lint.server.analysis import Analysis

FIX_ALL_KIND = "source.fixAll.sam-shift-lint"
QUICK_FIX = types.CodeActionKind.QuickFix.value
FIX, DISABLE, FIX_ALL = "fix", "disable", "fix-all"


class ActionError(Exception):
    """The edit of an action cannot be made (the file changed, or the fixer refused it)."""


def wanted(kind: str, only: list[str] | None) -> bool:
    """Does the client's ``only`` filter let actions of ``kind`` through (``source`` covers ``source.fixAll...``)?"""
    return only is None or any(kind == prefix or kind.startswith(prefix + ".") for prefix in only)


def code_actions(
    analysis: Analysis,
    request: types.Range,
    context: types.CodeActionContext,
    lazy: bool,
    versioned: bool = True,
) -> list[types.CodeAction]:
    """The actions for ``request`` (a range of the buffer). ``lazy``: leave each edit to ``codeAction/resolve``."""
    if analysis.context is None:
        return []
    only = [str(kind) for kind in context.only] if context.only else None
    result: list[types.CodeAction] = []
    if wanted(QUICK_FIX, only):
        for finding in _findings_at(analysis, request, context.diagnostics):
            result.extend(_quick_fixes(analysis, finding, lazy, versioned))
    if wanted(FIX_ALL_KIND, only) and any(applies(f.fix, analysis.resolved.unsafe_fixes) for f in analysis.fixed()):
        action = types.CodeAction(title=_fix_all_title(analysis), kind=FIX_ALL_KIND)
        _fill(analysis, action, {"action": FIX_ALL}, lazy, versioned)
        if action.edit is not None or lazy:
            result.append(action)
    return result


def resolve(analysis: Analysis, action: types.CodeAction, versioned: bool = True) -> types.CodeAction:
    """The action with its edit (``codeAction/resolve``). Raises ActionError when it cannot be made."""
    data = action.data if isinstance(action.data, dict) else {}
    action.edit = workspace_edit_for(analysis, data, versioned)
    return action


def workspace_edit_for(analysis: Analysis, data: dict[str, Any], versioned: bool = True) -> types.WorkspaceEdit:
    key = _key(data)
    memo: dict[tuple[Any, ...], list[types.TextEdit] | str] = analysis.memo
    if key not in memo:
        try:
            memo[key] = _edits(analysis, data)
        except ActionError as error:
            memo[key] = str(error)
    edits = memo[key]
    if isinstance(edits, str):
        raise ActionError(edits)
    return convert.workspace_edit(analysis, edits, versioned)


# ------------------------------------------------------------------------------------------------ actions


def _findings_at(analysis: Analysis, request: types.Range, diagnostics: Sequence[types.Diagnostic]) -> Iterator[Finding]:
    """The findings whose range meets ``request``, or that the client names among ``diagnostics``."""
    low, high = (request.start.line, request.start.character), (request.end.line, request.end.character)
    named = {(str(d.code), _pair(d.range)) for d in diagnostics if d.source == convert.SOURCE}
    for finding in analysis.fixed():
        where = convert.lsp_range(analysis, finding.span.start, finding.span.end)
        start, end = (where.start.line, where.start.character), (where.end.line, where.end.character)
        if (start <= high and low <= end) or (finding.rule, (start, end)) in named:
            yield finding


def _pair(where: types.Range) -> tuple[tuple[int, int], tuple[int, int]]:
    return (where.start.line, where.start.character), (where.end.line, where.end.character)


def _quick_fixes(analysis: Analysis, finding: Finding, lazy: bool, versioned: bool) -> Iterator[types.CodeAction]:
    diagnostic = convert.diagnostic(analysis, finding)
    identity = {"rule": finding.rule, "start": finding.span.start, "message": finding.message}
    fix = finding.fix
    if applies(fix, True) and fix is not None:
        unsafe = fix.applicability is Applicability.UNSAFE
        action = types.CodeAction(
            title=f"Fix {finding.rule}: {fix.description}" + (" (unsafe fix)" if unsafe else ""),
            kind=QUICK_FIX,
            diagnostics=[diagnostic],
            is_preferred=not unsafe,
        )
        if _fill(analysis, action, {"action": FIX, **identity}, lazy, versioned):
            yield action
    context = analysis.context
    if context is not None and disable_on_line(context.document, finding.span.start, finding.rule) is not None:
        action = types.CodeAction(title=f"Disable {finding.rule} for this line", kind=QUICK_FIX, diagnostics=[diagnostic])
        if _fill(analysis, action, {"action": DISABLE, **identity}, lazy, versioned):
            yield action


def _fill(analysis: Analysis, action: types.CodeAction, data: dict[str, Any], lazy: bool, versioned: bool) -> bool:
    """Give ``action`` its edit now, or (``lazy``) the data to resolve it later; False when it has no edit."""
    data = {"uri": analysis.uri, "version": analysis.version, **data}
    if lazy:
        action.data = data
        return True
    try:
        action.edit = workspace_edit_for(analysis, data, versioned)
    except ActionError:
        return False
    return True


def _fix_all_title(analysis: Analysis) -> str:
    if analysis.resolved.unsafe_fixes:
        return "Fix all sam-shift-lint problems in this file (unsafe fixes included)"
    return "Fix all safe sam-shift-lint problems in this file"


def _key(data: dict[str, Any]) -> tuple[Any, ...]:
    return (data.get("action"), data.get("rule"), data.get("start"), data.get("message"))


def _edits(analysis: Analysis, data: dict[str, Any]) -> list[types.TextEdit]:
    context = analysis.context
    if context is None:
        raise ActionError("the document is not a template or policy file any more")
    action = data.get("action")
    if action == FIX_ALL:
        try:
            outcome = fixer.fix_context(context, analysis.resolved.rules, analysis.resolved.unsafe_fixes)
        except fixer.FixError as error:
            raise ActionError(f"fixes refused: {error.reason}") from None
        if not outcome.changed:
            raise ActionError("nothing to fix")
        return convert.changes_between(analysis, outcome.text)
    finding = next(
        (
            f
            for f in analysis.fixed()
            if (f.rule, f.span.start, f.message) == (data.get("rule"), data.get("start"), data.get("message"))
        ),
        None,
    )
    if finding is None:
        raise ActionError("the finding is gone (the document changed)")
    if action == FIX:
        fix = finding.fix
        if fix is None or not applies(fix, True):
            raise ActionError("the finding has no fix")
    elif action == DISABLE:
        edit = disable_on_line(context.document, finding.span.start, finding.rule)
        if edit is None:
            raise ActionError("this line cannot hold a suppression comment")
        fix = Fix(Applicability.SAFE, f"Disable {finding.rule} for this line", (edit,))
    else:
        raise ActionError(f"unknown action {action!r}")
    try:
        fixer.apply_verified(context.document, [fix])
    except fixer.FixError as error:
        raise ActionError(f"fix refused: {error.reason}") from None
    return convert.text_edits(analysis, fix.edits)
