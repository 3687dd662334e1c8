"""## What it does
Reports a `DeploymentPreference` that is not a map, `Hooks` that are not a map of `PreTraffic`/`PostTraffic`
function names, `Alarms` that are not a list (or an `Fn::If` of lists), a `PassthroughCondition` that is not
`true`/`false` (also through its parameter or mapping, and even when the preference is disabled), and a
function whose `Properties` is not a map (`Properties:` left empty is null).

## Why it breaks deployments
SAM rejects a preference or `Hooks` of the wrong shape at deploy time, ignores an intrinsic in place of
`Hooks`, and rejects `Alarms` that are neither a list nor falsy, so the hooks or the rollback alarms you wrote
never take effect. `PassthroughCondition` must resolve to `true`, `"True"`, `false` or `"False"` (any case
other than these, `"yes"`, `!If` or null fails the transform). A function with null `Properties` gets none
of the `Globals` and SAM rejects the whole template ("Attribute 'Properties' should be a map").

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

from sam_shift_lint.checks.base import anchor, describe, finding, finding_at
from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta, no_fix
from sam_shift_lint.findings import Finding
from sam_shift_lint.model.intrinsics import is_no_value
from sam_shift_lint.model.language_extensions import NO_VALUE, runs_before_sam, values_seen_by_sam
from sam_shift_lint.model.preference import (
    PSEUDO_VALUE_PREFIX,
    passthrough_accepts,
    passthrough_values,
    preference_state,
)
from sam_shift_lint.model.sam import Function, SamTemplate
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, Sequence

META = RuleMeta(
    id="E9107",
    name="deployment-preference-shape",
    summary="Function Properties, DeploymentPreference, Hooks, Alarms or PassthroughCondition of the wrong shape",
    tags=("sam", "codedeploy"),
    fix=FixAvailability.NONE,
)

fix = no_fix


def check(ctx: CheckContext) -> Iterator[Finding]:
    template = ctx.sam
    yield from _unreadable_properties(template)
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
        if state.is_map:
            assert isinstance(node, Mapping)
            yield from _passthrough_shape(template, function, node)
        if not (state.is_map and state.maybe_enabled):
            continue
        assert isinstance(node, Mapping)
        yield from _hooks_shape(template, function, node)
        yield from _alarms_shape(template, function, node)


def _hooks_shape(template: SamTemplate, function: Function, preference: Mapping) -> Iterator[Finding]:
    hooks = preference.get("Hooks")
    if hooks is None or (isinstance(hooks, Mapping) and hooks.intrinsic() is None):
        return  # absent, or a map (SAM rejects anything else, null included)
    if _maps_once_resolved(template, hooks):
        return
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


def _unreadable_properties(template: SamTemplate) -> Iterator[Finding]:
    for logical_id, resource in template.unreadable_functions.items():
        properties = resource.get("Properties")
        assert properties is not None
        intrinsic = properties.intrinsic() if isinstance(properties, Mapping) else None
        if intrinsic is not None:
            what = (
                f"an {intrinsic[0]}, which SAM does not evaluate: it merges none of the Globals and rejects the "
                f"function (\"property {intrinsic[0]} not defined\")"
            )
        else:
            shown = "a list" if isinstance(properties, Sequence) else describe(properties.value) if isinstance(
                properties, Scalar
            ) else "not a map"
            what = (
                f"{shown}: SAM merges none of the Globals into it and rejects the whole template "
                "(\"Attribute 'Properties' should be a map\")"
            )
        yield finding_at(
            META.id,
            f"Function '{logical_id}': Properties is {what}",
            template.document.path,
            anchor(properties, resource.key_node("Properties")),
            logical_id,
            ("Resources", logical_id, "Properties"),
        )


def _passthrough_shape(template: SamTemplate, function: Function, preference: Mapping) -> Iterator[Finding]:
    """SAM validates PassthroughCondition whenever the preference is a non-empty map, even a disabled one."""
    node = preference.get("PassthroughCondition")
    if node is None:
        return
    bad = [value for value in passthrough_values(template, node) if not passthrough_accepts(value)]
    if not bad:
        return
    value = bad[0]
    through = ""
    if isinstance(value, Node):
        intrinsic = value.intrinsic() if isinstance(value, Mapping) else None
        shown = f"an {intrinsic[0]} SAM cannot resolve" if intrinsic else "not a boolean"
    elif isinstance(value, str) and value.startswith(PSEUDO_VALUE_PREFIX):
        shown = f"a Ref to {value[len(PSEUDO_VALUE_PREFIX):]}, which SAM resolves to a name"
    else:
        shown = describe(value)
        if not isinstance(node, Scalar):
            through = " (a possible value of its parameter or mapping)"
    yield finding(
        template,
        META.id,
        anchor(node, preference.key_node("PassthroughCondition")),
        f"Function '{function.logical_id}': DeploymentPreference PassthroughCondition is {shown}{through}: SAM "
        "accepts only true/false (or 'True'/'False') and rejects the template otherwise, even when the preference "
        "is disabled",
        function,
        function.path("DeploymentPreference", "PassthroughCondition"),
    )


def _maps_once_resolved(template: SamTemplate, node: Node) -> bool:
    """Does AWS::LanguageExtensions turn this intrinsic into a map (or remove it) before SAM sees it?"""
    if not runs_before_sam(template):
        return False
    seen = values_seen_by_sam(template, node)
    return seen is not None and all(
        value is NO_VALUE or (isinstance(value, Mapping) and value.intrinsic() is None) for value in seen
    )
