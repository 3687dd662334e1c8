"""## What it does
Reports a `PreTraffic` hook (of a preference that may be enabled) whose policies do not allow
`lambda:InvokeFunction` on the version it tests: the qualified ARN `arn:...:function:<name>:<version>` of
the function whose deployment runs it. `LambdaInvokePolicy: {FunctionName: !Ref Target}`, a statement on
`!Sub ${Target.Arn}:*`, on `!Ref Target.Version`, on `function:*` or on `*` all count; a statement on
`!GetAtt Target.Arn` alone does not (it does not match a qualified ARN). The policies are read as E9203
reads them (`Role` in the template, else `Policies`); a managed policy or a role from outside the template
that might grant it means no finding.

## Why it breaks deployments
Before traffic shifts, the alias still points at the old version, so a pre-traffic hook that wants to test
the new code must invoke the new version directly (its ARN with the version number, passed to the hook for
example as `Environment: {Variables: {NewVersion: !Ref Target.Version}}`). Without the permission the
invocation fails with AccessDenied, the hook reports a failure (or never reports), and every deployment rolls
back.

## Example
```yaml
PreTrafficHook:
  Type: AWS::Serverless::Function
  Properties:
    FunctionName: CodeDeployHook_preTraffic
    Policies:
      - Statement:
          - Effect: Allow
            Action: codedeploy:PutLifecycleEventHookExecutionStatus
            Resource: '*'
          - Effect: Allow
            Action: lambda:InvokeFunction
            Resource: !GetAtt Api.Arn        # the unqualified ARN only
```
Use instead: `- LambdaInvokePolicy: {FunctionName: !Ref Api}` (it allows `function:<name>*`).

## Fix safety
Unsafe (it adds a permission): appends `LambdaInvokePolicy: {FunctionName: !Ref <Target>}` for each target to
the hook's `Policies`. No fix when the hook sets `Role` (SAM ignores `Policies` then) or when the permission is
denied or only conditional.
"""
from __future__ import annotations

from collections.abc import Iterator

from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.iam.gaps import Gap, coverage_gaps, file_work, parse_documents, resource_condition
from sam_shift_lint.checks.iam.options import file_bindings
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta
from sam_shift_lint.editing.builder import FixBuilder
from sam_shift_lint.editing.positions import EditError
from sam_shift_lint.editing.render import Intrinsic
from sam_shift_lint.findings import Applicability, Finding, Fix
from sam_shift_lint.model.hooks import function_arns, hook_uses
from sam_shift_lint.model.iam_view import LAMBDA_INVOKE_POLICY
from sam_shift_lint.model.sam import Function
from sam_shift_lint.parsing.nodes import Node, Sequence
from sam_shift_lint.records import record

META = RuleMeta(
    id="W9115",
    name="pre-traffic-hook-cannot-invoke-new-version",
    summary="PreTraffic hook may not invoke the new version it tests",
    tags=("iam", "sam", "codedeploy", "hooks"),
    fix=FixAvailability.SOMETIMES,
    settings=("region", "account_id"),
)

INVOKE_ACTION = "lambda:InvokeFunction"


@record(frozen=True)
class _Missing:
    hook: Function
    targets: tuple[str, ...]  # the targets a LambdaInvokePolicy would fix


def check(ctx: CheckContext) -> Iterator[Finding]:
    template = ctx.sam
    targets: dict[str, list[Function]] = {}
    for use in hook_uses(template):
        if use.key != "PreTraffic" or use.target is None or use.target == use.owner.logical_id:
            continue  # a hook of itself is reported by the rule about hooks with a preference
        owners = targets.setdefault(use.target, [])
        if use.owner not in owners:
            owners.append(use.owner)
    if not targets:
        return
    bindings = ctx.shared(file_bindings)
    context, versions = function_arns(template)
    for name, owners in targets.items():
        hook = template.functions[name]
        policies, role, role_node = ctx.iam.function_policies(hook)
        problems: list[str] = []
        fixable: list[str] = []
        for owner in owners:
            required = versions[owner.logical_id]
            from sam_shift_lint.iam import profile_from_data  # the IAM package loads only when there are hooks

            profile = profile_from_data(
                {"name": "hook-invokes-target", "groups": [{"name": owner.logical_id, "actions": [INVOKE_ACTION], "resource": required}]}
            )
            parsed = parse_documents(policies.documents, resource_condition(hook.resource), context)
            gaps = coverage_gaps(parsed, policies, profile, bindings, work=ctx.shared(file_work))
            if gaps:
                problems.append(_describe(owner.logical_id, gaps[0]))
                if gaps[0].missing:
                    fixable.append(owner.logical_id)
        if not problems:
            continue
        where = f"its role '{role.logical_id}' allows" if role is not None else "its Policies allow"
        note = f" ({policies.note})" if policies.note else ""
        message = (
            f"PreTraffic hook '{name}' cannot invoke the new version it tests: {where} no {INVOKE_ACTION} "
            f"on {', '.join(problems)}{note}; before traffic shifts only the version ARN reaches the new code"
        )
        node, path = _position(hook, role_node)
        data = _Missing(hook, tuple(fixable)) if fixable and role_node is None else None
        yield Finding(META.id, message, ctx.file, node.span, name, path, data=data)


def _describe(target: str, gap: Gap) -> str:
    text = f"'{target}' (!Ref {target}.Version)"
    if gap.denied:
        return f"{text}, denied by {next(iter(gap.denied.values()))}"
    if gap.conditional:
        return f"{text}, allowed only under {gap.conditions.get(INVOKE_ACTION, 'a condition')}"
    return text


def _position(hook: Function, role_node: Node | None) -> tuple[Node, tuple[str | int, ...]]:
    local = hook.local
    if role_node is not None and local is not None:
        return local.key_node("Role") or hook.key, hook.path("Role")
    if local is not None and local.get("Policies") is not None:
        return local.key_node("Policies") or hook.key, hook.path("Policies")
    return hook.key, ("Resources", hook.logical_id)


def fix(ctx: CheckContext, finding: Finding) -> Fix | None:
    missing = finding.data
    if not isinstance(missing, _Missing) or missing.hook.local is None:
        return None
    hook = missing.hook
    local = hook.local
    assert local is not None
    entries = [{LAMBDA_INVOKE_POLICY: {"FunctionName": Intrinsic("Ref", target)}} for target in missing.targets]
    policies = local.get("Policies")
    edits = FixBuilder(ctx.document)
    try:
        if isinstance(policies, Sequence):
            edits.append(policies, hook.path("Policies"), list(entries))
        elif policies is None:
            edits.add_key(local, hook.path(), "Policies", list(entries))
        else:
            return None
    except EditError:
        return None
    targets = ", ".join(missing.targets)
    return edits.build(Applicability.UNSAFE, f"Allow the hook to invoke {targets} (LambdaInvokePolicy)")
