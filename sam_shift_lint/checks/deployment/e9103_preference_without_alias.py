"""## What it does
Reports a function whose `DeploymentPreference` may be enabled while it has no `AutoPublishAlias` (absent,
null or empty after the Globals merge). cfn-lint 1.54 and later no longer report this.

## Why it breaks deployments
SAM rejects the template at deploy time: "'DeploymentPreference' requires AutoPublishAlias property to be
specified." A hook function that inherits a global preference fails the same way.

## Example
```yaml
Globals:
  Function:
    DeploymentPreference:
      Type: Canary10Percent5Minutes
Resources:
  Api:
    Type: AWS::Serverless::Function   # no AutoPublishAlias
```
Use instead: add `AutoPublishAlias: live`.

## Fix safety
Safe. Adds the alias as W9101 does; for a hook function that inherits the global preference, turns traffic
shifting off for the hook (`DeploymentPreference: {Enabled: false}`) instead.
"""
from __future__ import annotations

from collections.abc import Iterator

from sam_shift_lint.checks.base import finding
from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.deployment.placement import DeploymentFixes, alias_fix, function_of
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta
from sam_shift_lint.findings import Applicability, Finding, Fix
from sam_shift_lint.model.alias import alias_is_missing
from sam_shift_lint.model.preference import enabled_preferences
from sam_shift_lint.model.sam import Function

META = RuleMeta(
    id="E9103",
    name="deployment-preference-without-alias",
    summary="DeploymentPreference without AutoPublishAlias",
    tags=("sam", "codedeploy"),
    fix=FixAvailability.SOMETIMES,
    fix_adds=("AutoPublishAlias",),
)


def check(ctx: CheckContext) -> Iterator[Finding]:
    template = ctx.sam
    for function, state in enabled_preferences(template):
        reason = _alias_gap(function)
        if reason is None:
            continue
        when = "" if not state.maybe_disabled else " (when enabled)"
        yield finding(
            template,
            META.id,
            function.key_of("DeploymentPreference") or function.key,
            f"Function '{function.logical_id}' has a DeploymentPreference{when} but {reason}: SAM rejects this at "
            "deploy time",
            function,
            function.path("DeploymentPreference"),
        )


def _alias_gap(function: Function) -> str | None:
    if function.get("AutoPublishAlias") is None:
        return "no AutoPublishAlias"
    if alias_is_missing(function):
        return "an empty AutoPublishAlias"
    return None  # a parameter that may be empty is E9106 (SAM: "Alias name is required to create an alias")


def fix(ctx: CheckContext, finding: Finding) -> Fix | None:
    function = function_of(ctx, finding.resource)
    if function is None:
        return None
    if function.logical_id in ctx.sam.hook_functions and "DeploymentPreference" in function.from_globals:
        planner = ctx.shared(DeploymentFixes)
        changes = planner.builder()
        planner.disable_for_hook(changes, function)
        return changes.build(Applicability.SAFE, "Turn off traffic shifting for this hook function")
    return alias_fix(ctx, function)
