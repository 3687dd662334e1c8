"""``--statistics``: how many findings each rule has, like ruff's, instead of the findings themselves.

Text, one row per rule, most frequent first (then by id)::

    4	W9101	[*] Function has no AutoPublishAlias
    1	E9000	[ ] File could not be read, parsed or processed

count, rule id, ``[*]`` when ``--fix`` (with the current ``--unsafe-fixes``) would fix at least one of them
(``[ ]`` otherwise; no markers at all when nothing is fixable), and the rule's summary; then the run's summary.
JSON: a list of ``{code, name, summary, count, fixable}`` in the same order.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sam_shift_lint.checks.registry import RuleInfo
from sam_shift_lint.findings import Finding
from sam_shift_lint.output import OutputContext
from sam_shift_lint.output._common import rule_info
from sam_shift_lint.output.stream import ReportWriter, Writable
from sam_shift_lint.output.summary import FIX_MARKER, Tally
from sam_shift_lint.output.text import BOLD, CYAN, paint, rule_color, summary

STATISTICS_FORMATS = ("text", "json")


def statistics(tally: Tally, rules: Mapping[str, RuleInfo]) -> list[dict[str, Any]]:
    """One entry per rule that has findings, most findings first, then by id."""
    rows = []
    for code, count in sorted(tally.by_rule.items(), key=lambda item: (-item[1], item[0])):
        info = rule_info(code, rules)
        rows.append({"code": code, "name": info.name, "summary": info.shortdesc, "count": count, "fixable": code in tally.fixable_rules})
    return rows


def render_text(tally: Tally, rules: Mapping[str, RuleInfo], context: OutputContext) -> str:
    rows = statistics(tally, rules)
    count_width = max((len(str(row["count"])) for row in rows), default=0)
    code_width = max((len(row["code"]) for row in rows), default=0)
    any_fixable = context.show_fix_status and any(row["fixable"] for row in rows)
    color = context.color
    lines = []
    for row in rows:
        marker = (paint(FIX_MARKER, CYAN, color=color) if row["fixable"] else "[ ]") + " " if any_fixable else ""
        count = paint(str(row["count"]).rjust(count_width), BOLD, color=color)
        severity = rule_info(row["code"], rules).severity
        code = paint(row["code"].ljust(code_width), BOLD, rule_color(severity), color=color)
        lines.append(f"{count}\t{code}\t{marker}{row['summary']}")
    lines += summary(tally, context)
    return "".join(line + "\n" for line in lines)


def render_json(tally: Tally, rules: Mapping[str, RuleInfo], context: OutputContext) -> str:
    return json.dumps(statistics(tally, rules), indent=2, ensure_ascii=False) + "\n"


def _renderer(format_name: str) -> Callable[[Tally, Mapping[str, RuleInfo], OutputContext], str]:
    if format_name == "text":
        return render_text
    if format_name == "json":
        return render_json
    raise ValueError(f"--statistics supports --format {' or '.join(STATISTICS_FORMATS)}, not {format_name!r}")


def render(format_name: str, findings: list[Finding], rules: Mapping[str, RuleInfo], context: OutputContext) -> str:
    """The statistics in ``format_name`` (one of :data:`STATISTICS_FORMATS`; ``ValueError`` for another)."""
    return _renderer(format_name)(Tally.of(findings, context.unsafe_fixes_enabled), rules, context)


class Writer(ReportWriter):
    """Counts as the run goes, the table at the end."""

    def __init__(self, format_name: str, rules: Mapping[str, RuleInfo], context: OutputContext, out: Writable) -> None:
        super().__init__(rules, context, out)
        self.render = _renderer(format_name)

    def _write(self, findings: Sequence[Finding]) -> None:
        """Counted by :meth:`write` already."""

    def _finish(self) -> None:
        self.out.write(self.render(self.tally, self.rules, self.context))
