"""Report formats: each module renders findings (no printing, no exiting).

Every format module has ``render(findings, rules, context) -> str``, the whole report at once, and ``Writer``,
the same report written file by file as the run goes (:mod:`.stream`); :func:`render` and :func:`open_writer`
pick one by name and import it only when asked, so the CLI pays for the format it uses and nothing else.
"""
from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from sam_shift_lint.records import record

if TYPE_CHECKING:  # pragma: no cover
    from sam_shift_lint.checks.registry import RuleInfo
    from sam_shift_lint.findings import Finding
    from sam_shift_lint.output.stream import ReportWriter, Writable

FORMATS = ("text", "json", "parseable", "sarif", "junit", "github")
DEFAULT_FORMAT = "text"


@record(frozen=True)
class OutputContext:
    """What a report needs to know besides the findings themselves.

    ``version``: the tool version shown in SARIF/JUnit. ``files_checked``: how many files were linted.
    ``show_fix_status``: show ``[*]`` markers and fix hints in text output. ``unsafe_fixes_enabled``:
    ``--unsafe-fixes`` is on, so unsafe fixes count as applicable. ``fixed``: how many findings
    ``--fix`` already fixed (they are no longer in ``findings``). ``cwd``: directory that relative file
    names are resolved from (default: the process's current directory). ``root``: directory that SARIF URIs
    and GitHub annotation paths are relative to, the repository root (default: ``cwd``). ``color``: ANSI
    colours in text output. ``quiet``: findings only, no summary.
    """

    version: str
    files_checked: int = 0
    show_fix_status: bool = True
    unsafe_fixes_enabled: bool = False
    fixed: int = 0
    cwd: str | None = None
    root: str | None = None
    color: bool = False
    quiet: bool = False


def render(
    format_name: str,
    findings: list[Finding],
    rules: Mapping[str, RuleInfo],
    context: OutputContext,
) -> str:
    """Render ``findings`` in the named format; raises ``ValueError`` for an unknown format."""
    if format_name not in FORMATS:
        raise ValueError(f"unknown output format {format_name!r} (choose from {', '.join(FORMATS)})")
    module = importlib.import_module(f"{__name__}.{format_name}")
    format_render: Callable[[list[Finding], Mapping[str, RuleInfo], OutputContext], str] = module.render
    return format_render(findings, rules, context)


def open_writer(format_name: str, rules: Mapping[str, RuleInfo], context: OutputContext, out: Writable) -> ReportWriter:
    """A writer of the named format to ``out`` (:mod:`.stream`); raises ``ValueError`` for an unknown format."""
    if format_name not in FORMATS:
        raise ValueError(f"unknown output format {format_name!r} (choose from {', '.join(FORMATS)})")
    module = importlib.import_module(f"{__name__}.{format_name}")
    writer: ReportWriter = module.Writer(rules, context, out)
    return writer
