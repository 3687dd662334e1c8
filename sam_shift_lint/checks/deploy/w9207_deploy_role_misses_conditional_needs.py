"""## What it does
The part of [E9206](#e9206-deploy-role-misses-template-needs) that the templates a deploy role deploys need
only in some cases (E9206 says exactly how the two are told apart). Each action is named with the resources
that need it and when:

- `to read its state`: only the read handler lists it (CloudFormation calls read during a stack update when it
  needs a resource's current state in detail), or it only reads and the delete handler lists it;
- `to update a property`: only the update handler lists it, and deploying new code does not change what it
  updates (`iam:UpdateAssumeRolePolicy`: the trust policy changed);
- `under a template condition`: the resource has a `Condition`, or the property that needs it is inside
  `Fn::If`;
- `assumed for a type without handler data`: `<service>:*` for a resource type without handler data in
  cfn-lint's schemas.

Same pairing and evaluation as E9206.

## Why it breaks deployments
The deployment fails once the case arises (the trust policy is edited, the condition holds in another stage
or account, a registry handler reads the state) at the resource whose handler calls the permission; until then it does not, which is why
this is a warning.

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
            message = f"{who} does not allow what the templates it deploys need only in some cases{describe(conditional)}"
            yield Finding(META.id, message, ctx.file, target.node.span, target.logical_id, target.path)
