"""## What it does
Reports a `DeploymentPreference` that is not a map, `Hooks` that are not a map of `PreTraffic`/`PostTraffic`
function names, and `Alarms` that are not a list (or an `Fn::If` of lists).

## Why it breaks deployments
SAM rejects a preference or `Hooks` of the wrong shape at deploy time, ignores an intrinsic in place of
`Hooks`, and rejects `Alarms` that are neither a list nor falsy, so the hooks or the rollback alarms you wrote
never take effect.

## Example
```yaml
DeploymentPreference:
  Type: Linear10PercentEvery1Minute
  Alarms: !Ref ErrorsAlarm      # a single alarm, not a list
```
Use instead: `Alarms: [!Ref ErrorsAlarm]`.

## Fix safety
No fix: the right shape depends on what was meant.
"""
from __future__ import annotations

from collections.abc import Iterator

from sam_shift_lint.checks.base import anchor, describe, finding
from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta, no_fix
from sam_shift_lint.findings import Finding
from sam_shift_lint.model.intrinsics import is_no_value
from sam_shift_lint.model.preference import preference_state
from sam_shift_lint.model.sam import Function, SamTemplate
from sam_shift_lint.parsing.nodes import Mapping, Scalar, Sequence

META = RuleMeta(
    id="E9107",
    name="deployment-preference-shape",
    summary="DeploymentPreference, Hooks or Alarms of the wrong shape",
    tags=("sam", "codedeploy"),
    fix=FixAvailability.NONE,
)

fix = no_fix


def check(ctx: CheckContext) -> Iterator[Finding]:
    template = ctx.sam
    for function in template.functions.values():
        state = preference_state(template, function)
        node = state.node
        if node is None or not state.present:
            continue
        if isinstance(node, (Scalar, Sequence)):
            kind = "a list" if isinstance(node, Sequence) else f"the scalar {describe(node.value)}"
            yield finding(
                template,
                META.id,
                node,
                f"Function '{function.logical_id}': DeploymentPreference must be a map, not {kind}",
                function,
                function.path("DeploymentPreference"),
            )
            continue
        if not (state.is_map and state.maybe_enabled):
            continue
        assert isinstance(node, Mapping)
        yield from _hooks_shape(template, function, node)
        yield from _alarms_shape(template, function, node)


def _hooks_shape(template: SamTemplate, function: Function, preference: Mapping) -> Iterator[Finding]:
    hooks = preference.get("Hooks")
    if hooks is None or (isinstance(hooks, Mapping) and hooks.intrinsic() is None):
        return  # absent, or a map (SAM rejects anything else, null included)
    reason = "SAM ignores an intrinsic here" if isinstance(hooks, Mapping) else "SAM rejects it"
    yield finding(
        template,
        META.id,
        anchor(hooks, preference.key_node("Hooks")),
        f"Function '{function.logical_id}': DeploymentPreference Hooks must be a map of PreTraffic/PostTraffic "
        f"function names ({reason})",
        function,
        function.path("DeploymentPreference", "Hooks"),
    )


def _alarms_shape(template: SamTemplate, function: Function, preference: Mapping) -> Iterator[Finding]:
    alarms = preference.get("Alarms")
    if alarms is None or isinstance(alarms, Sequence) or (isinstance(alarms, Scalar) and not alarms.value):
        return  # SAM ignores a falsy value
    if isinstance(alarms, Mapping) and (not alarms.entries or is_no_value(alarms) or _is_list_if(alarms)):
        return
    yield finding(
        template,
        META.id,
        alarms,
        f"Function '{function.logical_id}': DeploymentPreference Alarms must be a list of alarm names "
        "(or an Fn::If of lists); SAM rejects anything else",
        function,
        function.path("DeploymentPreference", "Alarms"),
    )


def _is_list_if(node: Mapping) -> bool:
    intrinsic = node.intrinsic()
    if intrinsic is None or intrinsic[0] != "Fn::If":
        return False
    argument = intrinsic[1]
    if not isinstance(argument, Sequence) or len(argument.items) != 3:
        return False
    return all(isinstance(branch, Sequence) for branch in argument.items[1:])  # SAM: "Alarms must be a list"
