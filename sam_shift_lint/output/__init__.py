"""Report formats: each module renders findings to a string (no printing, no exiting).

Every format module has ``render(findings, rules, context) -> str``; :func:`render` picks one by
name and imports it only when asked, so the CLI pays for the format it uses and nothing else.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from sam_shift_lint.records import record

if TYPE_CHECKING:  # pragma: no cover
    from sam_shift_lint.checks.registry import RuleInfo
    from sam_shift_lint.findings import Finding

FORMATS = ("text", "json", "parseable", "sarif", "junit", "github")
DEFAULT_FORMAT = "text"


@record(frozen=True)
class OutputContext:
    """What a report needs to know besides the findings themselves.

    ``version``: the tool version shown in SARIF/JUnit. ``files_checked``: how many files were linted.
    ``show_fix_status``: show ``[*]`` markers and fix hints in text output. ``unsafe_fixes_enabled``:
    ``--unsafe-fixes`` is on, so unsafe fixes count as applicable. ``fixed``: how many findings
    ``--fix`` already fixed (they are no longer in ``findings``). ``cwd``: directory that file
    paths are made relative to (default: the process's current directory).
    """

    version: str
    files_checked: int = 0
    show_fix_status: bool = True
    unsafe_fixes_enabled: bool = False
    fixed: int = 0
    cwd: str | None = None


def render(
    format_name: str,
    findings: list[Finding],
    rules: dict[str, RuleInfo],
    context: OutputContext,
) -> str:
    """Render ``findings`` in the named format; raises ``ValueError`` for an unknown format."""
    if format_name not in FORMATS:
        raise ValueError(f"unknown output format {format_name!r} (choose from {', '.join(FORMATS)})")
    module = importlib.import_module(f"{__name__}.{format_name}")
    format_render: Callable[[list[Finding], dict[str, RuleInfo], OutputContext], str] = module.render
    return format_render(findings, rules, context)
