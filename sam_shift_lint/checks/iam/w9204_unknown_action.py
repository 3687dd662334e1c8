"""## What it does
Reports an `Action` or `NotAction` that names an IAM action (or a wildcard matching no action) that does not
exist in cfn-lint's IAM data (`Policies.json`), in SAM templates and standalone policy files, and suggests the
closest real name (`lambda:InvokeFuntion` → `lambda:InvokeFunction`, `bedrock-runtime:InvokeModel` →
`bedrock:InvokeModel`). cfn-lint's own W3037 skips SAM templates; plain CloudFormation templates are left to it.

The data is read from the installed cfn-lint's files without importing cfn-lint, and only when a file has IAM
statements, so the command stays fast.

## Why it breaks deployments
IAM accepts unknown action names silently: the statement grants nothing, and the deploy role or the hook fails
with AccessDenied in the middle of a deployment.

## Example
```json
{"Effect": "Allow", "Action": "codedeploy:CreateDeploymentGroups", "Resource": "*"}
```
Use instead: `codedeploy:CreateDeploymentGroup`.

## Fix safety
No fix: the closest name is a suggestion in the message, not necessarily what was meant.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from sam_shift_lint.checks.base import finding_at
from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.iam.walk import PathTuple, iter_statements, iter_values
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta, Target, no_fix
from sam_shift_lint.findings import Finding
from sam_shift_lint.model.values import describe
from sam_shift_lint.parsing.nodes import Mapping, Scalar

if TYPE_CHECKING:  # the catalog module is imported only when a file has actions to look up
    from sam_shift_lint.iam.actions import Catalog

META = RuleMeta(
    id="W9204",
    name="unknown-iam-action",
    summary="Unknown IAM action",
    tags=("iam",),
    fix=FixAvailability.NONE,
    targets=frozenset({Target.TEMPLATE, Target.POLICY_FILE}),
)

fix = no_fix


def action_problem(name: str, cat: Catalog) -> str | None:
    """Why ``name`` is no IAM action, or None."""
    from sam_shift_lint.iam.actions import is_known_action, suggest_action

    if name == "*" or "${" in name:
        return None
    service, _, action = name.partition(":")
    if not service or not action or name != name.strip():
        return f"{describe(name)} is not an IAM action (service:action)"
    if is_known_action(name, cat):
        return None
    wildcard = "*" in name or "?" in name
    known_service = service.lower() in cat.services or "*" in service or "?" in service
    if wildcard and known_service:
        return f"IAM action pattern {describe(name)} matches no action"
    closest = suggest_action(name, cat) if not wildcard else None
    head = f"Unknown IAM action {describe(name)}" if known_service else f"Unknown IAM service {describe(service)} in action {describe(name)}"
    return head + (f"; did you mean '{closest}'?" if closest else "")


def unknown_actions(document: Mapping, path: PathTuple, file: str, resource: str | None) -> Iterator[Finding]:
    """Findings for one policy document (the catalog is read only when there are actions to look up)."""
    from sam_shift_lint.iam.actions import catalog_if_available

    cat: Catalog | None = None
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
                    yield finding_at(META.id, problem, file, node, resource, here)


def check(ctx: CheckContext) -> Iterator[Finding]:
    if ctx.target is Target.POLICY_FILE:
        root = ctx.document.root
        assert isinstance(root, Mapping)
        yield from unknown_actions(root, (), ctx.file, None)
        return
    if not ctx.sam.is_sam():
        return  # cfn-lint's W3037 checks plain CloudFormation templates
    for document in ctx.iam.documents:
        yield from unknown_actions(document.node, document.path, ctx.file, document.resource)
