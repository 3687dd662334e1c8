"""Suppression: cfn-lint's Metadata suppression, and sam-shift-lint's own comments.

Metadata, applied by the CLI exactly as cfn-lint applies it to the rule pack (where cfn-lint applies it itself):

* Template level: ``Metadata: {cfn-lint: {config: {ignore_checks: [...]}}}`` matches rule-id prefixes.
* Resource level: ``Resources.X.Metadata.cfn-lint.config.ignore_checks`` matches exact rule ids, for findings
  whose path starts with ``Resources/X``.

Comments (``# sam-shift-lint: disable=...``, see :mod:`sam_shift_lint.model.directives`) apply in every front
door, cfn-lint's included: cfn-lint has no inline suppression of its own.
"""
from __future__ import annotations

from sam_shift_lint.findings import Finding
from sam_shift_lint.model.directives import directives_of, suppressed_by
from sam_shift_lint.parsing.document import Document
from sam_shift_lint.parsing.nodes import Node, Scalar, Sequence, get_path


def _ids(node: object) -> list[str]:
    """The rule ids of an ``ignore_checks`` list; cfn-lint ignores any other shape (a plain string included)."""
    if isinstance(node, Sequence):
        return [item.value for item in node.items if isinstance(item, Scalar) and isinstance(item.value, str)]
    return []


def template_ignores(root: Node) -> list[str]:
    return _ids(get_path(root, "Metadata", "cfn-lint", "config", "ignore_checks"))


def resource_ignores(root: Node) -> dict[str, set[str]]:
    from sam_shift_lint.parsing.nodes import Mapping

    resources = get_path(root, "Resources")
    result: dict[str, set[str]] = {}
    if isinstance(resources, Mapping):
        for logical_id, resource in resources.items():
            ids = _ids(get_path(resource, "Metadata", "cfn-lint", "config", "ignore_checks"))
            if ids:
                result[logical_id] = set(ids)
    return result


def apply(document: Document, findings: list[Finding], metadata: bool = True) -> list[Finding]:
    """``findings`` less those a suppression comment covers, and (with ``metadata``) those Metadata covers."""
    if metadata:
        findings = apply_metadata(document.root, findings)
    directives = directives_of(document)
    if directives:
        findings = [finding for finding in findings if not suppressed_by(directives, finding)]
    return findings


def apply_metadata(root: Node, findings: list[Finding]) -> list[Finding]:
    prefixes = template_ignores(root)
    per_resource = resource_ignores(root)
    kept = []
    for finding in findings:
        if any(finding.rule.startswith(prefix) for prefix in prefixes if prefix):
            continue
        path = finding.path
        if len(path) >= 2 and path[0] == "Resources" and finding.rule in per_resource.get(str(path[1]), ()):
            continue
        kept.append(finding)
    return kept
