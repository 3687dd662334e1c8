"""Fixtures for the output-format tests: real Finding/Fix/Edit objects and rule metadata."""
from __future__ import annotations

from collections.abc import Callable

import pytest

from sam_shift_lint.checks.registry import RuleInfo
from sam_shift_lint.findings import Applicability, Edit, Finding, Fix
from sam_shift_lint.output import OutputContext
from sam_shift_lint.parsing.nodes import Span


def span(line: int, column: int, end_line: int | None = None, end_column: int | None = None) -> Span:
    """A span; offsets are fake but consistent (not used by the formats)."""
    end_line = line if end_line is None else end_line
    end_column = column + 5 if end_column is None else end_column
    return Span(line, column, end_line, end_column, line * 100 + column, end_line * 100 + end_column)


def _fix(applicability: str) -> Fix:
    """A fix with one edit and real positions."""
    edit = Edit(start=120, end=125, content="[Action]", line=4, column=11, end_line=4, end_column=16)
    return Fix(applicability=Applicability(applicability), description=f"{applicability} fix", edits=(edit,))


FindingFactory = Callable[..., Finding]


@pytest.fixture
def make_fix() -> Callable[[str], Fix]:
    """Factory: ``make_fix("safe" | "unsafe" | "display")``."""
    return _fix


@pytest.fixture
def finding() -> FindingFactory:
    """Factory: ``finding(rule, line, column, file=..., fix=..., ...)``."""

    def build(
        rule: str = "E3701",
        line: int = 3,
        column: int = 5,
        *,
        file: str = "template.yaml",
        message: str = "Function has no AutoPublishAlias",
        resource: str | None = "MyFunction",
        path: tuple = ("Resources", "MyFunction", "Properties"),
        fix: Fix | None = None,
        end_line: int | None = None,
        end_column: int | None = None,
    ) -> Finding:
        return Finding(
            rule=rule,
            message=message,
            file=file,
            span=span(line, column, end_line, end_column),
            resource=resource,
            path=path,
            fix=fix,
        )

    return build


@pytest.fixture
def rules() -> dict[str, RuleInfo]:
    """Metadata for the rule ids used in these tests (I0001 deliberately left out)."""
    infos = [
        RuleInfo("E3701", "Function has no AutoPublishAlias", "A gradual deployment needs an alias.", ("sam", "codedeploy"), source_url="https://example.com/rules#e3701"),
        RuleInfo("W3702", "Deployment without alarms", "Canary deployments should roll back on alarms."),
        RuleInfo("I3703", "Hook naming", "Hooks should start with CodeDeployHook_."),
    ]
    return {info.id: info for info in infos}


@pytest.fixture
def context(tmp_path) -> OutputContext:
    return OutputContext(version="0.1.0", files_checked=2, cwd=str(tmp_path))


@pytest.fixture
def mixed(finding: FindingFactory, make_fix: Callable[[str], Fix]) -> list[Finding]:
    """Findings with safe, unsafe, display and no fixes, in scrambled order."""
    return [
        finding("W3702", 9, 3, fix=make_fix("display"), message="no alarms"),
        finding("E3701", 3, 5, fix=make_fix("unsafe")),
        finding("E3701", 3, 5, file="a/other.yaml", fix=make_fix("safe")),
        finding("I3703", 12, 1, resource=None, path=(), message="hook name"),
    ]
