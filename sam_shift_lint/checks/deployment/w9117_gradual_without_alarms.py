"""## What it does
Reports a function whose enabled `DeploymentPreference` shifts traffic gradually — a Canary or Linear `Type`
(or a value its parameter or `Fn::If` may take), or a custom `AWS::CodeDeploy::DeploymentConfig` of the
template with time-based routing — but has no `Alarms` after the Globals merge (none, an empty list, or a list
starting with `!Ref AWS::NoValue`, which SAM turns into no alarm configuration). `AllAtOnce` needs no alarms; a
disabled preference none either. Hook functions are left to the rule for hooks that get a preference.

## Why it breaks deployments
Alarms are what makes CodeDeploy roll back on its own: SAM always sets `DEPLOYMENT_STOP_ON_ALARM`, but without
an alarm the canary only delays the full shift. A new version that fails every request still reaches 100% of
the traffic unless a hook fails or someone stops the deployment by hand.

## Example
```yaml
Api:
  Type: AWS::Serverless::Function
  Properties:
    AutoPublishAlias: live
    DeploymentPreference:
      Type: Canary10Percent5Minutes      # no Alarms: nothing rolls back on errors
```
Use instead: an alarm on the new version's `Errors` and `Alarms: [!Ref ApiAliasErrorsAlarm]`.

## Fix safety
Unsafe (it adds a resource and changes when deployments roll back). Adds the alarm SAM's documentation gives
for a new version — `AWS::CloudWatch::Alarm` `<Function>AliasErrorsAlarm` (numbered if taken) on `AWS/Lambda`
`Errors`, `Sum` over 60 seconds, 2 evaluation periods, `GreaterThanThreshold` 0, dimensions
`Resource: !Sub "${Function}:<alias>"`, `FunctionName: !Ref Function` and
`ExecutedVersion: !GetAtt Function.Version.Version`, with the function's `Condition` — right after the function,
and lists it in the function's own `DeploymentPreference.Alarms`. When the preference comes from `Globals`, the
alarm is still added to the function (`DeploymentPreference: {Alarms: [...]}`, which SAM merges with the global
preference), never to `Globals`: the alarm watches one function, and a global alarm list would make every
function roll back on this one's errors. Without a literal (or parameter) alias there is no fix.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sam_shift_lint.checks.base import anchor, finding
from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.deployment.placement import function_of
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta
from sam_shift_lint.editing.builder import FixBuilder
from sam_shift_lint.editing.positions import EditError
from sam_shift_lint.editing.render import Intrinsic
from sam_shift_lint.findings import Applicability, Finding, Fix
from sam_shift_lint.model.alarms import (
    ALARM_TYPES,
    ERRORS_ALARM_PROPERTIES,
    alarm_lists,
    errors_alarm_id,
    has_alarms,
)
from sam_shift_lint.model.alias import alias_is_missing
from sam_shift_lint.model.intrinsics import ref_target
from sam_shift_lint.model.preference import preference_state
from sam_shift_lint.model.sam import Function, SamTemplate
from sam_shift_lint.model.traffic import shifts_gradually
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, Sequence, get_path

META = RuleMeta(
    id="W9117",
    name="gradual-deployment-without-alarms",
    summary="Canary/Linear deployment without Alarms",
    tags=("sam", "codedeploy", "alarms"),
    fix=FixAvailability.SOMETIMES,
)


def check(ctx: CheckContext) -> Iterator[Finding]:
    template = ctx.sam
    for function in template.functions.values():
        if function.logical_id in template.hook_functions or alias_is_missing(function):
            continue
        state = preference_state(template, function)
        if not (state.present and state.maybe_enabled and isinstance(state.node, Mapping) and state.is_map):
            continue
        type_node = state.node.get("Type")
        if not shifts_gradually(template, type_node) or has_alarms(alarm_lists(template, function)):
            continue
        alarms = state.node.get("Alarms")
        node: Node | None = anchor(alarms, state.node.key_node("Alarms")) if alarms is not None else None
        yield finding(
            template,
            META.id,
            node or function.key_of("DeploymentPreference") or function.key,
            f"Function '{function.logical_id}': {_describe_type(type_node)} shifts traffic gradually but the "
            "deployment has no Alarms: CodeDeploy never rolls back on errors by itself",
            function,
            function.path("DeploymentPreference", "Alarms"),
        )


def _describe_type(type_node: Node | None) -> str:
    if isinstance(type_node, Scalar):
        return f"Type {type_node.value}"
    return "its Type"


# ------------------------------------------------------------------------------------------------ fix


def fix(ctx: CheckContext, finding: Finding) -> Fix | None:
    function = function_of(ctx, finding.resource)
    if function is None:
        return None
    template = ctx.sam
    alias = _alias_text(template, function)
    if alias is None:
        return None
    alias_name = alias if "${" not in alias else None
    alarm_id = errors_alarm_id(template, function, alias_name)
    changes = FixBuilder(ctx.document)
    try:
        if not _reference_alarm(changes, function, alarm_id):
            return None
        changes.add_resource(alarm_id, _alarm_resource(function, alias), before=_next_resource(template, function))
    except EditError:
        return None
    return changes.build(Applicability.UNSAFE, f"Add alarm {alarm_id} on the Errors of the new version")


def _alias_text(template: SamTemplate, function: Function) -> str | None:
    """The alias as ``Fn::Sub`` text: a literal name, or ``${Parameter}``."""
    node = function.get("AutoPublishAlias")
    if isinstance(node, Scalar) and isinstance(node.value, str) and node.value and "${" not in node.value:
        return node.value
    target = ref_target(node) if node is not None else None
    if target is not None and target in template.parameters:
        return "${" + target + "}"
    return None


def _alarm_resource(function: Function, alias: str) -> dict[str, Any]:
    name = function.logical_id
    properties: dict[str, Any] = dict(ERRORS_ALARM_PROPERTIES)
    properties["Dimensions"] = [
        {"Name": "Resource", "Value": Intrinsic("Fn::Sub", "${" + name + "}:" + alias)},
        {"Name": "FunctionName", "Value": Intrinsic("Ref", name)},
        {"Name": "ExecutedVersion", "Value": Intrinsic("Fn::GetAtt", [name, "Version.Version"])},
    ]
    resource: dict[str, Any] = {"Type": ALARM_TYPES[0]}
    condition = function.resource.get("Condition")
    if isinstance(condition, Scalar) and isinstance(condition.value, str):
        resource["Condition"] = condition.value  # the alarm names the function: it exists only with it
    resource["Properties"] = properties
    return resource


def _reference_alarm(changes: FixBuilder, function: Function, alarm_id: str) -> bool:
    """List the alarm in the function's own preference (a local ``DeploymentPreference: {Alarms: [...]}``
    when the preference comes from Globals: SAM merges the two maps)."""
    reference = Intrinsic("Ref", alarm_id)
    local = function.local.get("DeploymentPreference") if function.local is not None else None
    if local is None:
        changes.add_at(function.path(), "DeploymentPreference", {"Alarms": [reference]})
        return True
    if not isinstance(local, Mapping) or local.intrinsic() is not None:
        return False
    alarms = local.get("Alarms")
    if alarms is None:
        changes.add_at(function.path("DeploymentPreference"), "Alarms", [reference])
        return True
    if isinstance(alarms, Sequence) and not alarms.items:
        changes.append(alarms, function.path("DeploymentPreference", "Alarms"), [reference])
        return True
    return False  # null, an Fn::If, or a list starting with AWS::NoValue: the author's choice stands


def _next_resource(template: SamTemplate, function: Function) -> str | None:
    """The resource after the function in ``Resources`` (the alarm goes between them), or None (at the end)."""
    resources = get_path(template.root, "Resources")
    names = list(resources.entries) if isinstance(resources, Mapping) else []
    position = names.index(function.logical_id) if function.logical_id in names else -1
    return names[position + 1] if 0 <= position < len(names) - 1 else None
