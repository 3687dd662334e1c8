"""E9203: a function named in ``DeploymentPreference.Hooks`` is not allowed to report its status to CodeDeploy,
with the fix that allows it."""
from __future__ import annotations

from typing import Any, Dict, Iterator, List, Optional

from ..document import Sequence
from ..findings import Finding, Fix
from ..fixes.iam import IamEdits, grant_on_role, grant_statements, new_statement, policy_document
from ..fixes.positions import EditError
from ..roles import HOOK_PROFILE, IamView, PolicySetView, Role, executed_hooks, iam_view
from ..sam import Function, SamTemplate
from . import check
from .base import finding_at
from .iam_gaps import coverage_gaps, parse_documents, resource_condition
from .iam_options import bindings_for, load_profile_for
from .registry import RuleInfo, register

E9203 = register(
    RuleInfo(
        "E9203",
        "Hook function cannot report its result to CodeDeploy",
        "A function named in DeploymentPreference.Hooks must call codedeploy:PutLifecycleEventHookExecutionStatus; "
        "without the permission the call fails, CodeDeploy waits an hour for the status and then fails the "
        "deployment. Allow the action on '*' (it has no resource-level permissions) or on "
        "arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:"
        "${ServerlessDeploymentApplication}/*. No SAM policy template grants it. When the hook sets Role, SAM "
        "ignores its Policies and the role's policies count. Not reported when a policy that cannot be seen "
        "offline (a managed policy other than the basic Lambda ones, a role from outside the template) may grant it.",
        tags=("iam", "sam", "codedeploy"),
    )
)

HOOK_ACTION = "codedeploy:PutLifecycleEventHookExecutionStatus"
HOOK_POLICY_NAME = "CodeDeployHookStatus"


def _hook_statements(siblings: Optional[Sequence]) -> List[Dict[str, Any]]:
    return [new_statement([HOOK_ACTION], "*", siblings)]


def _hook_fix(template: SamTemplate, view: IamView, function: Function, role: Optional[Role], policies: PolicySetView) -> Optional[Fix]:
    """Allow the action in the role's policies, else in the function's own ``Policies``."""
    edits = IamEdits(template.document)
    try:
        if role is not None:
            grant_on_role(edits, view, role, _hook_statements, HOOK_POLICY_NAME)
        else:
            if function.local is None:
                raise EditError("function without Properties")
            grant_statements(
                edits, policies.documents, _hook_statements, function.local, function.path(),
                lambda: policy_document(_hook_statements(None)),
            )
    except EditError:
        return None
    where = f"role '{role.logical_id}'" if role is not None else "its Policies"
    return edits.fix("safe", f"Allow {HOOK_ACTION} in {where}")


@check
def hook_can_report(template: SamTemplate) -> Iterator[Finding]:
    hooks = executed_hooks(template)
    if not hooks:
        return
    view = iam_view(template)
    bindings = bindings_for(template.document.root, getattr(template, "config", None))
    profile = load_profile_for(HOOK_PROFILE, "")
    for name, function in hooks.items():
        policies, role, role_node = view.function_policies(function)
        parsed = parse_documents(policies.documents, resource_condition(function.resource))
        gaps = coverage_gaps(parsed, policies, profile, bindings)
        if not gaps:
            continue
        gap = gaps[0]
        if gap.denied:
            why = f"it is denied by {next(iter(gap.denied.values()))}"
        elif gap.conditional:
            why = f"it is allowed only under {gap.conditions.get(HOOK_ACTION, 'a condition')}"
        elif role is not None:
            why = f"its role '{role.logical_id}' does not allow it"
        else:
            why = "its Policies do not allow it"
        if policies.note:
            why += f" ({policies.note})"
        message = (
            f"Hook function '{name}' cannot call {HOOK_ACTION}: {why}; CodeDeploy then waits an hour for the "
            "hook's status and fails the deployment"
        )
        local = function.local
        if role_node is not None and local is not None:
            node, path = local.key_node("Role") or function.key, function.path("Role")
        elif local is not None and local.get("Policies") is not None:
            node, path = local.key_node("Policies") or function.key, function.path("Policies")
        else:
            node, path = function.key, ("Resources", name)
        fix = _hook_fix(template, view, function, role, policies) if gap.missing else None
        yield finding_at("E9203", message, template.document.path, node, name, path, fix)
