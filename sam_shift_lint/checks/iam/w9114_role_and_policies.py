"""## What it does
Reports an `AWS::Serverless::Function` that sets both `Role` and a non-empty `Policies`. The message names
the policies SAM drops. A `Role: !If [Cond, Arn, !Ref AWS::NoValue]` is not reported: SAM then builds the
role from `Policies` for the other branch.

## Why it breaks deployments
With `Role` set SAM creates no execution role, so `Policies` (managed policies, policy templates, inline
statements) are silently ignored: the function runs with whatever the given role allows. For a CodeDeploy
hook this usually drops `codedeploy:PutLifecycleEventHookExecutionStatus`, and the deployment hangs for an
hour and fails.

## Example
```yaml
PreTrafficHook:
  Type: AWS::Serverless::Function
  Properties:
    Role: !GetAtt HookRole.Arn
    Policies:                      # ignored by SAM
      - LambdaInvokePolicy: {FunctionName: !Ref Api}
```
Use instead: move the statements into the role's policies and remove `Policies`, or remove `Role`.

## Fix safety
No fix: which role the function should have is a design decision.
"""
from __future__ import annotations

from collections.abc import Iterator

from sam_shift_lint.checks.base import finding
from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta, no_fix
from sam_shift_lint.findings import Finding
from sam_shift_lint.model.iam_view import ignored_policies
from sam_shift_lint.model.values import MAX_DESCRIBED
from sam_shift_lint.parsing.errors import shorten
from sam_shift_lint.parsing.nodes import Sequence

META = RuleMeta(
    id="W9114",
    name="function-role-ignores-policies",
    summary="Function sets Role and Policies: SAM ignores Policies",
    tags=("iam", "sam"),
    fix=FixAvailability.NONE,
)

fix = no_fix


def check(ctx: CheckContext) -> Iterator[Finding]:
    template = ctx.sam
    for function in template.functions.values():
        ignored = ignored_policies(function)
        if ignored is None:
            continue
        node, names = ignored
        # the names are the template's own text (a policy template's key, a managed policy's ARN): cut them
        shown = ", ".join(shorten(name, MAX_DESCRIBED) for name in names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        count = len(node.items) if isinstance(node, Sequence) else 1
        yield finding(
            template,
            META.id,
            function.key_of("Policies") or node,
            f"Function '{function.logical_id}' sets Role, so SAM ignores its Policies ({shown}): "
            f"{'that policy is' if count == 1 else 'those policies are'} not attached to the function's role",
            function,
            function.path("Policies"),
        )
