"""Small helpers for building findings from nodes."""
from __future__ import annotations

from sam_shift_lint.findings import Finding, Fix
from sam_shift_lint.model.sam import Function, SamTemplate
from sam_shift_lint.model.values import describe as describe  # re-exported for the checks
from sam_shift_lint.parsing.nodes import Node, PathItem, Scalar


def finding_at(
    rule: str,
    message: str,
    file: str,
    node: Node,
    resource: str | None = None,
    path: tuple[PathItem, ...] = (),
    fix: Fix | None = None,
) -> Finding:
    """A finding at ``node`` of ``file``; ``resource`` is the logical id it is about (None in a policy file)."""
    return Finding(rule=rule, message=message, file=file, span=node.span, resource=resource, path=tuple(path), fix=fix)


def finding(
    template: SamTemplate,
    rule: str,
    node: Node,
    message: str,
    function: Function | None = None,
    path: tuple[PathItem, ...] = (),
    fix: Fix | None = None,
) -> Finding:
    return finding_at(rule, message, template.document.path, node, function.logical_id if function else None, path, fix)


def anchor(node: Node, key: Node | None) -> Node:
    """Where to point for a value: ``node``, or its key when ``node`` is an empty scalar (``Key:`` with
    nothing after it, whose span is a zero-width spot after the colon)."""
    if key is not None and isinstance(node, Scalar) and node.span.start == node.span.end:
        return key
    return node
