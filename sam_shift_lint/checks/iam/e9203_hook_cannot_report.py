"""## What it does
Reports a function named in a `DeploymentPreference.Hooks` (of a preference that may be enabled) whose
policies do not allow `codedeploy:PutLifecycleEventHookExecutionStatus`. When the hook sets `Role`, SAM ignores
its `Policies` and the role's policies count. Not reported when a policy that cannot be seen offline (a managed
policy other than the basic Lambda ones, a role from outside the template) may grant it.

A hook's policies are its SAM `Policies` (inline statements; SAM policy templates, none of which grants a
CodeDeploy action; managed policy names; `Fn::If` entries count as conditional unless the hook itself has the
same `Condition`) plus the `AWSLambdaBasicExecutionRole` SAM always adds.

## Why it breaks deployments
A hook must report its result to CodeDeploy. Without the permission the call fails, CodeDeploy waits an hour
for the status and then fails (and rolls back) the deployment. No SAM policy template grants the action.

## Example
```yaml
PreTrafficHook:
  Type: AWS::Serverless::Function
  Properties:
    Policies:
      - LambdaInvokePolicy: {FunctionName: !Ref Api}   # cannot report its status
```
Use instead: also allow `codedeploy:PutLifecycleEventHookExecutionStatus` on `*` (it has no resource-level
permissions) or on `arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:${ServerlessDeploymentApplication}/*`.

## Fix safety
Safe. Appends a statement allowing the action on `*` to the hook's inline policy (or its role's), else adds a
policy document to its `Policies` (or a policy to its role). Denied or conditional grants are reported, not
changed.
"""
from __future__ import annotations

from collections.abc import Iterator

from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.iam.gaps import coverage_gaps, file_work, parse_documents, resource_condition
from sam_shift_lint.checks.iam.grants import grant_on_role, grant_statements, new_statement, policy_document
from sam_shift_lint.checks.iam.options import bundled_profile, file_bindings
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta
from sam_shift_lint.editing.builder import FixBuilder
from sam_shift_lint.editing.positions import EditError
from sam_shift_lint.editing.render import Value
from sam_shift_lint.findings import Applicability, Finding, Fix
from sam_shift_lint.model.iam_view import HOOK_PROFILE, PolicySetView, Role, executed_hooks
from sam_shift_lint.model.sam import Function
from sam_shift_lint.parsing.nodes import Sequence
from sam_shift_lint.records import record

META = RuleMeta(
    id="E9203",
    name="hook-cannot-report-status",
    summary="Hook function cannot report its result to CodeDeploy",
    tags=("iam", "sam", "codedeploy"),
    fix=FixAvailability.SOMETIMES,
    settings=("region", "account_id"),
)

HOOK_ACTION = "codedeploy:PutLifecycleEventHookExecutionStatus"
HOOK_POLICY_NAME = "CodeDeployHookStatus"


@record(frozen=True)
class _Hook:
    function: Function
    role: Role | None
    policies: PolicySetView


def _hook_statements(siblings: Sequence | None) -> list[dict[str, Value]]:
    return [new_statement([HOOK_ACTION], "*", siblings)]


def fix(ctx: CheckContext, finding: Finding) -> Fix | None:
    """Allow the action in the role's policies, else in the function's own ``Policies``."""
    hook = finding.data
    if not isinstance(hook, _Hook):
        return None
    function, role = hook.function, hook.role
    edits = FixBuilder(ctx.document)
    try:
        if role is not None:
            grant_on_role(edits, ctx.iam, role, _hook_statements, HOOK_POLICY_NAME)
        else:
            if function.local is None:
                raise EditError("function without Properties")
            grant_statements(
                edits, hook.policies.documents, _hook_statements, function.local, function.path(),
                lambda: policy_document(_hook_statements(None)),
            )
    except EditError:
        return None
    where = f"role '{role.logical_id}'" if role is not None else "its Policies"
    return edits.build(Applicability.SAFE, f"Allow {HOOK_ACTION} in {where}")


def check(ctx: CheckContext) -> Iterator[Finding]:
    template = ctx.sam
    hooks = executed_hooks(template)
    if not hooks:
        return
    view = ctx.iam
    bindings = ctx.shared(file_bindings)
    profile = bundled_profile(HOOK_PROFILE)
    for name, function in hooks.items():
        policies, role, role_node = view.function_policies(function)
        parsed = parse_documents(policies.readable, resource_condition(function.resource))
        gaps = coverage_gaps(parsed, policies, profile, bindings, work=ctx.shared(file_work))
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
        data = _Hook(function, role, policies) if gap.missing else None
        yield Finding(META.id, message, ctx.file, node.span, name, tuple(path), data=data)
