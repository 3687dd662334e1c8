"""What a deployment group's alarms are, as SAM builds them and CodeDeploy reads them.

* SAM (``deployment_preference_collection.py``, ``_convert_alarms``/``_build_alarm_configuration``) turns the
  preference's ``Alarms`` list into ``AlarmConfiguration: {Enabled: true, Alarms: [{Name: <item>}, ...]}`` of the
  function's ``AWS::CodeDeploy::DeploymentGroup``; each item is used as an alarm **name** as it is. No list, an
  empty list, or a list whose first item is ``!Ref AWS::NoValue`` gives no alarm configuration; an ``Fn::If``
  is converted per branch, and each branch must be a list (``!Ref AWS::NoValue`` as a branch is rejected:
  "Alarms must be a list", translator 1.115.0). Globals and function lists concatenate (global items first), duplicates kept.
* CodeDeploy: at most 10 alarms per deployment group ("A maximum of 10 alarms can be added", CloudFormation
  ``AWS::CodeDeploy::DeploymentGroup AlarmConfiguration``; the API's ``AlarmsLimitExceededException``: "The
  maximum number of alarms for a deployment group (10) was exceeded"), and "Each alarm name can be used only
  once in a list of alarms" (``AWS::CodeDeploy::DeploymentGroup Alarm``).
* The alarm SAM's documentation gives for a function's new version (``docs/safe_lambda_deployments.rst``):
  ``AWS/Lambda`` ``Errors``, Sum over 60 s, 2 periods, greater than 0, dimensions ``Resource`` (function:alias),
  ``FunctionName`` and ``ExecutedVersion`` (``!GetAtt Fn.Version.Version``).
"""
from __future__ import annotations

from typing import Any

from sam_shift_lint.model.intrinsics import is_no_value, ref_target
from sam_shift_lint.model.sam import GLOBALS_FUNCTION_PATH, Function, SamTemplate
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, Sequence, get_path, to_data
from sam_shift_lint.records import record

MAX_ALARMS = 10
ALARM_TYPES = ("AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm")
FUNCTION_TYPES = ("AWS::Serverless::Function", "AWS::Lambda::Function")
LAMBDA_NAMESPACE = "AWS/Lambda"
ERRORS_METRIC = "Errors"
# Names written for the Errors metric that CloudWatch does not have (metric names are case-sensitive;
# ``ErrorCount`` is the metric ``Errors`` replaced).
MISTAKEN_ERRORS_METRICS = frozenset({"error", "error count", "errorcount", "errors count", "errors"})

# The canonical alias Errors alarm, less its dimensions (which name the function).
ERRORS_ALARM_PROPERTIES: dict[str, Any] = {
    "Namespace": LAMBDA_NAMESPACE,
    "MetricName": ERRORS_METRIC,
    "Statistic": "Sum",
    "Period": 60,
    "EvaluationPeriods": 2,
    "Threshold": 0,
    "ComparisonOperator": "GreaterThanThreshold",
}
ERRORS_ALARM_SUFFIX = "AliasErrorsAlarm"


@record(frozen=True)
class AlarmEntry:
    """One written ``Alarms`` item: the list it is written in (``source``, at ``path``, under ``key``)."""

    node: Node
    source: Sequence
    index: int
    path: tuple[Any, ...]
    key: Scalar | None


@record(frozen=True)
class AlarmList:
    """The alarms one deployment group gets (one branch of an ``Fn::If``: ``branch`` is its path suffix)."""

    entries: list[AlarmEntry]
    node: Node  # the effective value: the (merged) list, or the Fn::If
    key: Scalar | None
    branch: tuple[Any, ...] = ()

    @property
    def active(self) -> list[AlarmEntry]:
        """The entries that reach CodeDeploy: none when the first is ``!Ref AWS::NoValue`` (SAM then sets no
        alarm configuration); other ``AWS::NoValue`` items are dropped by CloudFormation."""
        if self.entries and is_no_value(self.entries[0].node):
            return []
        return [entry for entry in self.entries if not is_no_value(entry.node)]


def _preference_alarms(preference: Node | None) -> tuple[Node | None, Scalar | None]:
    if isinstance(preference, Mapping) and preference.intrinsic() is None:
        return preference.get("Alarms"), preference.key_node("Alarms")
    return None, None


def alarm_lists(template: SamTemplate, function: Function) -> list[AlarmList] | None:
    """The alarm lists of a function's deployment group after the Globals merge (one per ``Fn::If`` branch);
    ``[]`` when there are none, None when they cannot be read (a ``Ref`` to a list parameter, which SAM
    rejects, or another intrinsic)."""
    effective, key = _preference_alarms(function.get("DeploymentPreference"))
    if effective is None or (isinstance(effective, Scalar) and effective.value is None) or is_no_value(effective):
        return []
    local, local_key = _preference_alarms(function.local.get("DeploymentPreference") if function.local else None)
    written_global, global_key = _preference_alarms(
        template.globals_function.get("DeploymentPreference") if template.globals_function else None
    )
    sources: list[tuple[Node | None, tuple[Any, ...], Scalar | None]] = [
        (local, function.path("DeploymentPreference", "Alarms"), local_key),
        (written_global, GLOBALS_FUNCTION_PATH + ("DeploymentPreference", "Alarms"), global_key),
    ]
    if isinstance(effective, Sequence):
        return [AlarmList(_entries(effective, sources), effective, key)]
    intrinsic = effective.intrinsic() if isinstance(effective, Mapping) else None
    if intrinsic and intrinsic[0] == "Fn::If" and isinstance(intrinsic[1], Sequence) and len(intrinsic[1].items) == 3:
        base = next((path for node, path, _ in sources if node is effective), None)
        lists = []
        for index in (1, 2):
            branch = intrinsic[1].items[index]
            if not isinstance(branch, Sequence) or base is None:
                return None  # SAM rejects a branch that is not a list ("Alarms must be a list"), NoValue too
            path = base + ("Fn::If", index)
            entries = [AlarmEntry(item, branch, i, path, None) for i, item in enumerate(branch.items)]
            lists.append(AlarmList(entries, effective, key, ("Fn::If", index)))
        return lists
    return None


def _entries(merged: Sequence, sources: list[tuple[Node | None, tuple[Any, ...], Scalar | None]]) -> list[AlarmEntry]:
    """The merged list's items, each with the written list it comes from."""
    entries = []
    for item in merged.items:
        for source, path, key in sources:
            if isinstance(source, Sequence):
                index = next((i for i, candidate in enumerate(source.items) if candidate is item), None)
                if index is not None:
                    entries.append(AlarmEntry(item, source, index, path, key))
                    break
    return entries


def has_alarms(lists: list[AlarmList] | None) -> bool:
    """Whether a deployment group may get at least one alarm (None: unknown, counted as yes)."""
    return lists is None or any(alarm_list.active for alarm_list in lists)


def alarm_identity(template: SamTemplate, node: Node) -> Any:
    """What an entry names, for finding the same alarm twice: a ``Ref`` to an in-template alarm with a literal
    ``AlarmName`` is that name; anything else is its written data."""
    target = ref_target(node)
    if target is not None and template.resource_type(target) in ALARM_TYPES:
        name = get_path(template.resources[target], "Properties", "AlarmName")
        if isinstance(name, Scalar) and isinstance(name.value, str):
            return ("name", name.value)
    if isinstance(node, Scalar) and isinstance(node.value, str):
        return ("name", node.value)
    return ("data", repr(to_data(node)))


# ------------------------------------------------------------------------------------ deployment types


def errors_alarm_id(template: SamTemplate, function: Function, alias: str | None) -> str:
    """A logical id for the function's new alias Errors alarm: ``<Fn>AliasErrorsAlarm``, numbered when taken
    (by a resource, or by the alias SAM generates, ``<Fn>Alias<alias>``)."""
    taken = set(template.resources)
    if alias is not None:
        taken.add(f"{function.logical_id}Alias{alias}")
    base = function.logical_id + ERRORS_ALARM_SUFFIX
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}{number}"
    return candidate
