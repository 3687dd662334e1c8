"""## What it does
The part of [E9206](#e9206-deploy-role-misses-template-needs) that is only conditionally needed: permissions
the templates a deploy role deploys need only when a template condition holds (the resource has a `Condition`,
or the property that needs the permission is inside `Fn::If`), or that are assumed (`<service>:*`) for a
resource type without handler data in cfn-lint's schemas. Same pairing, evaluation and message as E9206.

## Why it breaks deployments
The deployment fails once the condition holds (in another stage or account, say), or when the assumed
permission is really needed; until then it does not, which is why this is a warning.

## Example
```yaml
Resources:
  Key:
    Type: AWS::KMS::Key
    Condition: Encrypted
```
in a template deployed by a role without `kms:*`: needed only where `Encrypted` holds.

## Fix safety
No fix yet: `sam-shift-lint permissions` prints the scoped statements.
"""
from __future__ import annotations

from collections.abc import Iterator

from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.deploy.deploy_needs import describe, paired_targets
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta, Target, no_fix
from sam_shift_lint.findings import Finding

META = RuleMeta(
    id="W9207",
    name="deploy-role-misses-conditional-needs",
    summary="Deploy role does not allow what the templates it deploys may need",
    tags=("iam", "sam", "deploy-permissions"),
    fix=FixAvailability.NONE,
    targets=frozenset({Target.TEMPLATE, Target.POLICY_FILE}),
    settings=("region", "account_id"),
)

fix = no_fix


def check(ctx: CheckContext) -> Iterator[Finding]:
    if not ctx.lint.deploys:
        return
    for target in ctx.shared(paired_targets):
        conditional = [s for s in target.shortfalls if s.conditional]
        if conditional:
            who = f"Deploy role '{target.logical_id}'" if target.logical_id else "Policy"
            message = (
                f"{who} does not allow what the templates it deploys need under a template condition or as assumed "
                f"for a type without handler data{describe(conditional)}"
            )
            yield Finding(META.id, message, ctx.file, target.node.span, target.logical_id, target.path)
