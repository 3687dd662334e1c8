"""The typed context every check and fix receives: the document, the views of it the rules share (built on
first use, once per file), and the settings."""
from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import Any, TypeVar

from sam_shift_lint.checks.rule import Target
from sam_shift_lint.model.iam_view import IamView, iam_view
from sam_shift_lint.model.sam import SamTemplate
from sam_shift_lint.parsing.document import Document
from sam_shift_lint.records import field, record
from sam_shift_lint.settings import FixSettings, LintSettings

T = TypeVar("T")


@record
class CheckContext:
    document: Document
    target: Target
    lint: LintSettings = field(default_factory=LintSettings)
    fixes: FixSettings = field(default_factory=FixSettings)
    # Function property -> the functions that decline it: a finding asking for it (a rule whose ``META.fix_adds``
    # names it) is suppressed there and none is reported. Filled by the engine after suppression, before any fix is
    # made; ``--placement auto`` puts such a property into ``Globals.Function`` only when no function declines it.
    declined: dict[str, frozenset[str]] = field(default_factory=dict)
    # The ids of the rules that run on this file (None: not told, every default-on rule): a rule that leaves
    # an answer to another one (E9201 to E9206/W9207) does so only when that one runs.
    running: frozenset[str] | None = None
    _shared: dict[Callable[..., Any], Any] = field(default_factory=dict, repr=False)

    @property
    def file(self) -> str:
        """The file name findings report."""
        return self.document.path

    @cached_property
    def sam(self) -> SamTemplate:
        """The SAM view: functions with their Globals-merged properties, hooks, parameters."""
        return SamTemplate(self.document)

    @cached_property
    def iam(self) -> IamView:
        """The IAM view: roles, policy documents, function policies."""
        return iam_view(self.sam)

    def runs(self, rule_id: str) -> bool:
        """Does the rule ``rule_id`` run on this file (as far as the front door told)?"""
        if self.running is None:
            from sam_shift_lint.checks.registry import RULES

            rule = RULES.get(rule_id)
            return rule is not None and rule.META.default_on
        return rule_id in self.running

    def shared(self, factory: Callable[[CheckContext], T]) -> T:
        """What ``factory(ctx)`` builds, built once per file however many findings ask (e.g. a fix planner that
        decides placement for all of a template's functions together)."""
        if factory not in self._shared:
            self._shared[factory] = factory(self)
        result: T = self._shared[factory]
        return result
