"""Small helpers for building findings from nodes."""
from __future__ import annotations

from typing import Any, Optional, Tuple

from ..document import Node
from ..findings import Finding, Fix
from ..sam import Function, SamTemplate


def finding(
    template: SamTemplate,
    rule: str,
    node: Node,
    message: str,
    function: Optional[Function] = None,
    path: Tuple[Any, ...] = (),
    fix: Optional[Fix] = None,
) -> Finding:
    return Finding(
        rule=rule,
        message=message,
        file=template.document.path,
        span=node.span,
        resource=function.logical_id if function else None,
        path=path,
        fix=fix,
    )


def describe(value: Any) -> str:
    """A short, user-facing rendering of a scalar value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"'{value}'"
    return repr(value)
