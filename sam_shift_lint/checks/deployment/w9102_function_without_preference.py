"""## What it does
Reports an `AWS::Serverless::Function` without a `DeploymentPreference` after SAM's Globals merge. Hook
functions and an explicit `Enabled: false` are exempt.

## Why it breaks deployments
Without a preference SAM creates no CodeDeploy deployment group: a new version gets all traffic at once, with
no pre/post-traffic hooks, no alarms and no automatic rollback.

## Example
```yaml
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      AutoPublishAlias: live      # versions, but no DeploymentPreference
```
Use instead: `DeploymentPreference: {Enabled: true, Type: Canary10Percent5Minutes}`.

## Fix safety
Safe. Adds `DeploymentPreference: {Enabled: true, Type: AllAtOnce}` (`--deployment-type`) and, when missing,
the alias, to `Globals.Function` or the function (`--placement`; `auto` keeps it out of `Globals` when a
function has this finding suppressed). A global preference also gets every hook
function `DeploymentPreference: {Enabled: false}`, so hooks are not traffic-shifted themselves. `AllAtOnce`
changes nothing about how traffic moves until you choose a gradual type; it sets up the deployment group.
"""
from __future__ import annotations

from collections.abc import Iterator

from sam_shift_lint.checks.base import anchor, finding
from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.deployment.placement import DeploymentFixes, function_of
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta
from sam_shift_lint.findings import Finding, Fix
from sam_shift_lint.model.preference import preference_state

META = RuleMeta(
    id="W9102",
    name="function-without-deployment-preference",
    summary="Function has no DeploymentPreference",
    tags=("sam", "codedeploy"),
    fix=FixAvailability.SOMETIMES,
    fix_adds=("DeploymentPreference",),
)


def check(ctx: CheckContext) -> Iterator[Finding]:
    template = ctx.sam
    for function in template.functions.values():
        if function.logical_id in template.hook_functions:
            continue
        if preference_state(template, function).present:
            continue
        node = function.get("DeploymentPreference")
        yield finding(
            template,
            META.id,
            anchor(node, function.key_of("DeploymentPreference")) if node is not None else function.key,
            f"Function '{function.logical_id}' has no DeploymentPreference: a new version gets all traffic at once, "
            "with no hooks, alarms or automatic rollback",
            function,
            function.path("DeploymentPreference") if node is not None else ("Resources", function.logical_id),
        )


def fix(ctx: CheckContext, finding: Finding) -> Fix | None:
    function = function_of(ctx, finding.resource)
    if function is None:
        return None
    description = f"Add DeploymentPreference (Enabled: true, Type: {ctx.fixes.deployment_type})"
    return ctx.shared(DeploymentFixes).preference_fix(function, description)
