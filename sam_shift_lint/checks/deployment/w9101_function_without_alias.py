"""## What it does
Reports an `AWS::Serverless::Function` that has no `AutoPublishAlias` after SAM's Globals merge (absent, null
or empty). Hook functions (named in a `DeploymentPreference.Hooks`) are exempt. When the function has an
enabled `DeploymentPreference`, E9103 reports the same gap as an error instead.

## Why it breaks deployments
Without an alias SAM publishes no versions, so CodeDeploy has nothing to shift traffic between: every deploy
replaces the code in place and all traffic moves at once.

## Example
```yaml
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler       # no AutoPublishAlias
```
Use instead: `AutoPublishAlias: live` on the function, or in `Globals.Function` for all of them.

## Fix safety
Safe. Adds `AutoPublishAlias: live` (`--alias-name`) to `Globals.Function` when every non-hook function needs
it and can inherit it and none has this finding suppressed (`--placement auto`), otherwise to the function; an
empty alias is replaced.
"""
from __future__ import annotations

from collections.abc import Iterator

from sam_shift_lint.checks.base import anchor, finding
from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.deployment.placement import alias_fix, function_of
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta
from sam_shift_lint.findings import Finding, Fix
from sam_shift_lint.model.alias import alias_is_missing
from sam_shift_lint.model.preference import preference_state
from sam_shift_lint.parsing.nodes import Node

META = RuleMeta(
    id="W9101",
    name="function-without-auto-publish-alias",
    summary="Function has no AutoPublishAlias",
    tags=("sam", "codedeploy"),
    fix=FixAvailability.SOMETIMES,
    fix_adds=("AutoPublishAlias",),
)


def check(ctx: CheckContext) -> Iterator[Finding]:
    template = ctx.sam
    for function in template.functions.values():
        if function.logical_id in template.hook_functions or not alias_is_missing(function):
            continue
        state = preference_state(template, function)
        if state.present and state.maybe_enabled:
            continue  # E9103 reports the same gap as an error
        value = function.get("AutoPublishAlias")
        node: Node = anchor(value, function.key_of("AutoPublishAlias")) if value is not None else function.key
        path = function.path("AutoPublishAlias") if value else ("Resources", function.logical_id)
        yield finding(
            template,
            META.id,
            node,
            f"Function '{function.logical_id}' has no AutoPublishAlias: no versions are published, so traffic "
            "cannot be shifted gradually",
            function,
            path,
        )


def fix(ctx: CheckContext, finding: Finding) -> Fix | None:
    function = function_of(ctx, finding.resource)
    return alias_fix(ctx, function) if function is not None else None
