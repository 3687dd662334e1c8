"""## What it does
Reports a function with a `Condition` whose `DeploymentPreference` may be enabled but does not set
`PassthroughCondition: true` (absent, `false`, or a parameter that is `false` in every case), after the
Globals merge.

## Why it breaks deployments
SAM gives the function, its role, version and alias the function's `Condition`, but not the CodeDeploy
resources it generates for it: the `<Function>DeploymentGroup` is conditional only with
`PassthroughCondition: true`, and the `ServerlessDeploymentApplication` and `CodeDeployServiceRole` only when
every enabled preference in the template passes its condition through. In a stack where the condition is
false, a deployment group, application and service role are still created for a function that does not exist
(SAM PR #1578). Without the key SAM asks a feature toggle for the default, which is off when the template is
transformed offline; what the hosted transform does cannot be checked, so write the key.

## Example
```yaml
Api:
  Type: AWS::Serverless::Function
  Condition: IsProd
  Properties:
    AutoPublishAlias: live
    DeploymentPreference:
      Type: Canary10Percent5Minutes      # group, application and role are created in every stage
```
Use instead: add `PassthroughCondition: true` to the preference.

## Fix safety
Unsafe. Adds `PassthroughCondition: true` where the preference is written (the function's own preference,
else the one in `Globals.Function`, which changes nothing for functions without a `Condition`), or turns a
literal `false` into `true`. In stacks where the condition is false, the next deploy deletes the CodeDeploy
resources that were created there; a `PassthroughCondition` given by a parameter is not changed.
"""
from __future__ import annotations

from collections.abc import Iterator

from sam_shift_lint.checks.base import anchor, finding
from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.deployment.placement import GLOBALS_FUNCTION_PATH, function_of
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta
from sam_shift_lint.editing.builder import FixBuilder
from sam_shift_lint.findings import Applicability, Finding, Fix
from sam_shift_lint.model.conditions import never_passes_condition, resource_condition
from sam_shift_lint.model.preference import preference_state
from sam_shift_lint.parsing.nodes import Mapping, Scalar, get_path

META = RuleMeta(
    id="W9120",
    name="condition-not-passed-to-deployment",
    summary="Conditional function without PassthroughCondition: CodeDeploy resources are unconditional",
    tags=("sam", "codedeploy"),
    fix=FixAvailability.SOMETIMES,
)

PASSTHROUGH = "PassthroughCondition"


def check(ctx: CheckContext) -> Iterator[Finding]:
    template = ctx.sam
    for function in template.functions.values():
        condition = resource_condition(function)
        if condition is None:
            continue
        state = preference_state(template, function)
        preference = state.node
        if not (state.present and state.maybe_enabled and isinstance(preference, Mapping)):
            continue
        if preference.intrinsic() is not None or not never_passes_condition(template, preference):
            continue
        value = preference.get(PASSTHROUGH)
        if value is not None:
            node = anchor(value, preference.key_node(PASSTHROUGH))
            path = function.path("DeploymentPreference", PASSTHROUGH)
            through = "" if isinstance(value, Scalar) else " (through its parameter)"
            lacks = f"its DeploymentPreference sets {PASSTHROUGH} to false{through}"
        else:
            node = function.key_of("DeploymentPreference") or function.key
            path = function.path("DeploymentPreference")
            lacks = f"its DeploymentPreference has no {PASSTHROUGH}: true"
        yield finding(
            template,
            META.id,
            node,
            f"Function '{function.logical_id}' has Condition '{condition}' but {lacks}: SAM creates its deployment "
            "group, the CodeDeploy application and the CodeDeploy service role even where the condition is false",
            function,
            path,
        )


def fix(ctx: CheckContext, finding: Finding) -> Fix | None:
    function = function_of(ctx, finding.resource)
    if function is None:
        return None
    preference = preference_state(ctx.sam, function).node
    if not isinstance(preference, Mapping):
        return None
    changes = FixBuilder(ctx.document)
    local = get_path(function.local, "DeploymentPreference") if function.local is not None else None
    local_map = local if isinstance(local, Mapping) and local.intrinsic() is None else None
    written = preference.get(PASSTHROUGH)
    if written is not None:
        if not isinstance(written, Scalar):
            return None  # a parameter decides it: not ours to change
        in_function = local_map is not None and local_map.get(PASSTHROUGH) is written
        path = function.path("DeploymentPreference", PASSTHROUGH) if in_function else (
            GLOBALS_FUNCTION_PATH + ("DeploymentPreference", PASSTHROUGH)
        )
        changes.replace_value(written, path, True)
        return changes.build(Applicability.UNSAFE, f"Set {PASSTHROUGH}: true")
    if local_map is not None:
        changes.add_at(function.path("DeploymentPreference"), PASSTHROUGH, True)
    elif local is None and "DeploymentPreference" in function.from_globals:
        changes.add_at(GLOBALS_FUNCTION_PATH + ("DeploymentPreference",), PASSTHROUGH, True)
    else:
        return None
    return changes.build(Applicability.UNSAFE, f"Add {PASSTHROUGH}: true")
