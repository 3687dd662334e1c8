"""The rules. Each module registers its rules' metadata and check functions; ``run`` runs them all."""
from __future__ import annotations

from typing import Callable, Iterable, List, Optional

from ..findings import Finding
from ..sam import SamTemplate
from .registry import RULES, RuleInfo, all_rules

Check = Callable[[SamTemplate], Iterable[Finding]]
CHECKS: List[Check] = []


def check(function: Check) -> Check:
    CHECKS.append(function)
    return function


def load_all() -> None:
    from . import alias, deployment, iam_actions, iam_coverage, iam_hooks, iam_placeholders  # noqa: F401


def run(template: SamTemplate, enabled: Optional[Callable[[str], bool]] = None) -> List[Finding]:
    """All findings for one template, sorted by position; ``enabled`` filters rule ids."""
    load_all()
    findings: List[Finding] = []
    for function in CHECKS:
        for finding in function(template):
            if enabled is None or enabled(finding.rule):
                findings.append(finding)
    findings.sort(key=Finding.sort_key)
    return findings


__all__ = ["RULES", "RuleInfo", "all_rules", "run", "check", "load_all"]
