"""Rule metadata and the registry of checks: one entry per rule id, shared by the CLI and the cfn-lint pack."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List

from ..findings import severity_of

DOCS_URL = "https://github.com/sam-shift-lint/sam-shift-lint#rules"


@dataclass(frozen=True)
class RuleInfo:
    id: str
    shortdesc: str
    description: str
    tags: tuple = ("sam", "codedeploy")

    @property
    def severity(self) -> str:
        return severity_of(self.id)

    @property
    def source_url(self) -> str:
        return f"{DOCS_URL}-{self.id.lower()}"


RULES: Dict[str, RuleInfo] = {}


def register(info: RuleInfo) -> RuleInfo:
    if info.id in RULES:
        raise ValueError(f"duplicate rule id {info.id}")
    RULES[info.id] = info
    return info


def all_rules() -> List[RuleInfo]:
    from . import load_all  # importing the check modules registers their rules

    load_all()
    return [RULES[key] for key in sorted(RULES)]
