"""W9204: an ``Action`` or ``NotAction`` names an IAM action that does not exist (templates and policy files)."""
from __future__ import annotations

from typing import Any, Iterator, Optional

from ..document import Mapping, Scalar
from ..findings import Finding
from ..roles import iam_view
from ..sam import SamTemplate
from . import check
from .base import finding_at
from .iam_walk import PathTuple, iter_statements, iter_values
from .registry import RuleInfo, register

W9204 = register(
    RuleInfo(
        "W9204",
        "Unknown IAM action",
        "An Action or NotAction names an IAM action (or a wildcard matching no action) that does not exist in "
        "cfn-lint's IAM data (Policies.json); the closest real name is suggested. cfn-lint's own W3037 skips SAM "
        "templates, so this rule checks SAM templates and standalone policy files.",
        tags=("iam",),
    )
)


def action_problem(name: str, cat: Any) -> Optional[str]:
    """Why ``name`` is no IAM action, or None."""
    from ..iam.actions import is_known_action, suggest_action

    if name == "*" or "${" in name:
        return None
    service, _, action = name.partition(":")
    if not service or not action or name != name.strip():
        return f"'{name}' is not an IAM action (service:action)"
    if is_known_action(name, cat):
        return None
    wildcard = "*" in name or "?" in name
    known_service = service.lower() in cat.services or "*" in service or "?" in service
    if wildcard and known_service:
        return f"IAM action pattern '{name}' matches no action"
    closest = suggest_action(name, cat) if not wildcard else None
    head = f"Unknown IAM action '{name}'" if known_service else f"Unknown IAM service '{service}' in action '{name}'"
    return head + (f"; did you mean '{closest}'?" if closest else "")


def unknown_actions(document: Mapping, path: PathTuple, file: str, resource: Optional[str]) -> Iterator[Finding]:
    """W9204 findings for one policy document (the catalog is read only when there are actions to look up)."""
    from ..iam.actions import catalog_if_available

    cat = None
    for statement, statement_path in iter_statements(document, path):
        for key in ("Action", "NotAction"):
            for node, here in iter_values(statement, key, statement_path):
                if not isinstance(node, Scalar) or not isinstance(node.value, str):
                    continue
                if cat is None:
                    cat = catalog_if_available()
                    if cat is None:
                        return
                problem = action_problem(node.value, cat)
                if problem:
                    yield finding_at("W9204", problem, file, node, resource, here)


@check
def template_unknown_actions(template: SamTemplate) -> Iterator[Finding]:
    if not template.is_sam():
        return  # cfn-lint's W3037 checks plain CloudFormation templates
    for document in iam_view(template).documents:
        yield from unknown_actions(document.node, document.path, template.document.path, document.resource)
