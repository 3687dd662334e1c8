"""## What it does
Reports a `DeploymentPreference.Alarms` entry (after the Globals merge) that is not an alarm name: an alarm's
ARN (`!GetAtt Alarm.Arn`, or an `arn:...:alarm:...` string), or a `Ref`/`Fn::GetAtt` of a resource that is no
`AWS::CloudWatch::Alarm`/`CompositeAlarm`. For the in-template alarms those entries name, it also reports an
`AWS/Lambda` metric written `Error`, `Error Count` or `ErrorCount` (or `Errors` in another letter case) instead
of `Errors`, and a `FunctionName` dimension given `!GetAtt Function.Arn` instead of the function's name.

## Why it breaks deployments
SAM passes each entry to CodeDeploy as an alarm *name*; CodeDeploy cannot find an alarm called by its ARN or by
the name of another resource, and (unless `IgnorePollAlarmFailure` is set) stops the deployment. An alarm on a
metric that does not exist, or on dimensions no metric has (Lambda publishes `FunctionName` as the name, not
the ARN), never leaves `INSUFFICIENT_DATA`: it never fires, so errors never roll the deployment back.

## Example
```yaml
DeploymentPreference:
  Type: Canary10Percent5Minutes
  Alarms:
    - !GetAtt ErrorsAlarm.Arn     # an ARN; CodeDeploy wants the name
ErrorsAlarm:
  Type: AWS::CloudWatch::Alarm
  Properties:
    Namespace: AWS/Lambda
    MetricName: Error             # the metric is called Errors
    Dimensions:
      - Name: FunctionName
        Value: !GetAtt Api.Arn    # the metric's dimension is the function's name
```
Use instead: `- !Ref ErrorsAlarm`, `MetricName: Errors`, `Value: !Ref Api`.

## Fix safety
Safe: each fix makes the value mean what it was written for. `!GetAtt Alarm.Arn` becomes `!Ref Alarm` (an
alarm's `Ref` is its name), the metric name becomes `Errors`, and `!GetAtt Function.Arn` in a `FunctionName`
dimension becomes `!Ref Function`, each written in the file's own form (short tag, long form, JSON). References
to other resources and ARN strings are reported without a fix.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sam_shift_lint.checks.base import finding, finding_at
from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta
from sam_shift_lint.editing.builder import FixBuilder
from sam_shift_lint.editing.positions import EditError
from sam_shift_lint.editing.render import Intrinsic
from sam_shift_lint.findings import Applicability, Finding, Fix
from sam_shift_lint.model.alarms import (
    ALARM_TYPES,
    ERRORS_METRIC,
    FUNCTION_TYPES,
    LAMBDA_NAMESPACE,
    MISTAKEN_ERRORS_METRICS,
    AlarmEntry,
    alarm_lists,
)
from sam_shift_lint.model.intrinsics import getatt_target, literal_text, ref_target
from sam_shift_lint.model.preference import preference_state
from sam_shift_lint.model.sam import Function, SamTemplate
from sam_shift_lint.model.values import MAX_DESCRIBED, describe
from sam_shift_lint.parsing.errors import shorten
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, Sequence, get_path
from sam_shift_lint.records import record, replace

META = RuleMeta(
    id="E9118",
    name="deployment-alarm-not-an-alarm-name",
    summary="Deployment alarm is not an alarm name, or watches no Lambda metric",
    tags=("sam", "codedeploy", "alarms"),
    fix=FixAvailability.SOMETIMES,
)


@record(frozen=True)
class Repair:
    """What the fix writes: ``value`` in place of ``node`` (a string keeps its quotes)."""

    node: Node
    value: Intrinsic
    path: tuple[Any, ...]  # where the node is written (Globals for an inherited entry)


def check(ctx: CheckContext) -> Iterator[Finding]:
    template = ctx.sam
    alarms: dict[str, None] = {}  # in-template alarms named by a deployment, in order, once
    for function in template.functions.values():
        state = preference_state(template, function)
        if not (state.present and state.maybe_enabled and state.is_map):
            continue
        for alarm_list in alarm_lists(template, function) or []:
            active = {id(entry) for entry in alarm_list.active}
            for position, entry in enumerate(alarm_list.entries):
                if id(entry) not in active:
                    continue
                path = function.path("DeploymentPreference", "Alarms") + alarm_list.branch + (position,)
                yield from _entry_findings(template, function, entry, path)
                target = ref_target(entry.node) or getatt_target(entry.node)
                if target is not None and template.resource_type(target) == ALARM_TYPES[0]:
                    alarms[target] = None
    for alarm in alarms:
        yield from _alarm_findings(ctx, alarm)


# ------------------------------------------------------------------------------------------------ entries


def _entry_findings(template: SamTemplate, function: Function, entry: AlarmEntry, path: tuple[Any, ...]) -> Iterator[Finding]:
    name = function.logical_id
    node = entry.node
    getatt = getatt_target(node)
    if getatt is not None:
        kind = template.resource_type(getatt)
        if kind in ALARM_TYPES:
            found = finding(
                template, META.id, node,
                f"Function '{name}': Alarms entry is the ARN of alarm '{getatt}', but CodeDeploy looks alarms up by "
                f"name: use !Ref {getatt}",
                function, path,
            )
            yield replace(found, data=Repair(node, Intrinsic("Ref", getatt), entry.path + (entry.index,)))
        elif kind is not None:
            yield finding(
                template, META.id, node,
                f"Function '{name}': Alarms entry is an attribute of '{getatt}' ({shorten(kind, MAX_DESCRIBED)}), not the name of a CloudWatch alarm",
                function, path,
            )
        return
    target = ref_target(node)
    if target is not None:
        kind = template.resource_type(target)
        if kind is not None and kind not in ALARM_TYPES:
            yield finding(
                template, META.id, node,
                f"Function '{name}': Alarms entry refers to '{target}' ({shorten(kind, MAX_DESCRIBED)}), not to a CloudWatch alarm",
                function, path,
            )
        return
    text = literal_text(node)
    if text is not None and text.startswith("arn:") and ":alarm:" in text:
        alarm_name = text.split(":alarm:", 1)[1]
        yield finding(
            template, META.id, node,
            f"Function '{name}': Alarms entry is an alarm ARN, but CodeDeploy looks alarms up by name: use "
            f"{describe(alarm_name)}",
            function, path,
        )


# ------------------------------------------------------------------------------------------------ alarms


def _alarm_findings(ctx: CheckContext, alarm: str) -> Iterator[Finding]:
    template = ctx.sam
    properties = get_path(template.resources[alarm], "Properties")
    if not isinstance(properties, Mapping):
        return
    base = ("Resources", alarm, "Properties")
    yield from _metric_findings(ctx, alarm, properties, base)
    metrics = properties.get("Metrics")
    if isinstance(metrics, Sequence):
        for index, query in enumerate(metrics.items):
            metric = get_path(query, "MetricStat", "Metric")
            if isinstance(metric, Mapping):
                yield from _metric_findings(ctx, alarm, metric, base + ("Metrics", index, "MetricStat", "Metric"))


def _metric_findings(ctx: CheckContext, alarm: str, metric: Mapping, path: tuple[Any, ...]) -> Iterator[Finding]:
    """One metric of an alarm (the alarm's own, or one of its ``Metrics``)."""
    template = ctx.sam
    namespace = metric.get("Namespace")
    if not (isinstance(namespace, Scalar) and namespace.value == LAMBDA_NAMESPACE):
        return
    metric_name = metric.get("MetricName")
    if (
        isinstance(metric_name, Scalar)
        and isinstance(metric_name.value, str)
        and metric_name.value != ERRORS_METRIC
        and metric_name.value.lower() in MISTAKEN_ERRORS_METRICS
    ):
        yield finding_at(
            META.id,
            f"Alarm '{alarm}': AWS/Lambda has no metric '{metric_name.value}' (metric names are case-sensitive): "
            "the alarm never fires; the function errors metric is 'Errors'",
            template.document.path, metric_name, alarm, path + ("MetricName",),
        )
    dimensions = metric.get("Dimensions")
    if not isinstance(dimensions, Sequence):
        return
    for index, dimension in enumerate(dimensions.items):
        name, value = get_path(dimension, "Name"), get_path(dimension, "Value")
        if not (isinstance(name, Scalar) and name.value == "FunctionName" and value is not None):
            continue
        function = _function_arn_of(template, value)
        if function is not None:
            yield finding_at(
                META.id,
                f"Alarm '{alarm}': the FunctionName dimension is the ARN of '{function}'; Lambda publishes the "
                f"function's name, so the alarm never fires: use !Ref {function}",
                template.document.path, value, alarm, path + ("Dimensions", index, "Value"),
            )


def _function_arn_of(template: SamTemplate, node: Node) -> str | None:
    """The function whose ``Arn`` ``node`` gets with ``Fn::GetAtt``."""
    target = getatt_target(node)
    if target is None or template.resource_type(target) not in FUNCTION_TYPES:
        return None
    intrinsic = node.intrinsic() if isinstance(node, Mapping) else None
    assert intrinsic is not None
    argument = intrinsic[1]
    if isinstance(argument, Sequence) and len(argument.items) == 2 and isinstance(argument.items[1], Scalar):
        attribute = argument.items[1].value
    elif isinstance(argument, Scalar) and isinstance(argument.value, str):
        attribute = argument.value.split(".", 1)[-1]
    else:
        return None
    return target if attribute == "Arn" else None


# ------------------------------------------------------------------------------------------------ fix


def fix(ctx: CheckContext, finding: Finding) -> Fix | None:
    changes = FixBuilder(ctx.document)
    node = _node_at(ctx, finding)
    if node is None:
        return None
    try:
        if isinstance(finding.data, Repair):
            changes.replace_node(finding.data.node, finding.data.path, finding.data.value)
            description = f"Use {finding.data.value.short_tag} {finding.data.value.argument}"
        elif finding.path[-1] == "MetricName" and isinstance(node, Scalar):
            changes.replace_string(node, finding.path, ERRORS_METRIC)
            description = f"Use MetricName {ERRORS_METRIC}"
        elif finding.path[-1] == "Value" and (function := _function_arn_of(ctx.sam, node)) is not None:
            changes.replace_node(node, finding.path, Intrinsic("Ref", function))
            description = f"Use !Ref {function}"
        else:
            return None
    except EditError:
        return None
    return changes.build(Applicability.SAFE, description)


def _node_at(ctx: CheckContext, finding: Finding) -> Node | None:
    if isinstance(finding.data, Repair):
        return finding.data.node
    if finding.path[:1] == ("Resources",) and finding.resource in ctx.sam.resources:
        return get_path(ctx.document.root, *finding.path)
    return None
