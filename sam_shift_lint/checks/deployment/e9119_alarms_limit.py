"""## What it does
Reports a deployment group that gets the same alarm twice, or more than 10 alarms, after SAM's Globals merge:
`Alarms` in `Globals.Function.DeploymentPreference` and on the function concatenate (global entries first,
duplicates kept). The same alarm is the same entry (`!Ref ErrorsAlarm` twice) or a `Ref` to an in-template alarm
and its literal `AlarmName`. Each branch of an `Fn::If` is one possible list; a list starting with
`!Ref AWS::NoValue` gives no alarms at all.

## Why it breaks deployments
CodeDeploy takes at most 10 alarms per deployment group ("A maximum of 10 alarms can be added",
`AWS::CodeDeploy::DeploymentGroup AlarmConfiguration`; the API's `AlarmsLimitExceededException`), and "each
alarm name can be used only once in a list of alarms" (`AWS::CodeDeploy::DeploymentGroup Alarm`). SAM passes
the merged list through unchanged, so the transform succeeds and the stack update fails when the deployment
group is created or updated.

## Example
```yaml
Globals:
  Function:
    DeploymentPreference:
      Alarms: [!Ref ErrorsAlarm]
Resources:
  Api:
    Type: AWS::Serverless::Function
    Properties:
      DeploymentPreference:
        Alarms: [!Ref ErrorsAlarm, !Ref LatencyAlarm]   # ErrorsAlarm twice after the merge
```
Use instead: `Alarms: [!Ref LatencyAlarm]` on the function.

## Fix safety
Safe. Removes entries written exactly like an earlier one of the same deployment group: from the function's
own list when the earlier one is in `Globals` (other functions still need the global one), from the list that
repeats it otherwise. A function list left empty is written `[]`. Entries that name the same alarm in two
different ways, and lists longer than 10, are reported without a fix: which alarms to keep is your choice.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sam_shift_lint.checks.base import finding
from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta
from sam_shift_lint.editing.builder import FixBuilder
from sam_shift_lint.editing.positions import EditError
from sam_shift_lint.findings import Applicability, Finding, Fix
from sam_shift_lint.model.alarms import MAX_ALARMS, AlarmEntry, AlarmList, alarm_identity, alarm_lists
from sam_shift_lint.model.preference import preference_state
from sam_shift_lint.model.sam import Function, SamTemplate
from sam_shift_lint.model.values import MAX_DESCRIBED
from sam_shift_lint.parsing.errors import shorten
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, Sequence, to_data
from sam_shift_lint.records import record, replace

META = RuleMeta(
    id="E9119",
    name="deployment-alarms-duplicate-or-too-many",
    summary="Deployment group gets an alarm twice or more than 10 alarms",
    tags=("sam", "codedeploy", "alarms"),
    fix=FixAvailability.SOMETIMES,
)


@record(frozen=True)
class Removal:
    """The exact repeats to remove from one written list (``source`` at ``path``, under ``key``)."""

    source: Sequence
    path: tuple[Any, ...]
    key: Scalar | None
    indexes: tuple[int, ...]


def check(ctx: CheckContext) -> Iterator[Finding]:
    template = ctx.sam
    for function in template.functions.values():
        state = preference_state(template, function)
        if not (state.present and state.maybe_enabled and state.is_map):
            continue
        for alarm_list in alarm_lists(template, function) or []:
            yield from _list_findings(template, function, alarm_list)


def _list_findings(template: SamTemplate, function: Function, alarm_list: AlarmList) -> Iterator[Finding]:
    name = function.logical_id
    base = function.path("DeploymentPreference", "Alarms") + alarm_list.branch
    active = alarm_list.active
    first_seen: dict[Any, AlarmEntry] = {}
    repeats = _exact_repeats(active)
    positions = {id(entry): index for index, entry in enumerate(alarm_list.entries)}
    removals: dict[int, Removal] = {}  # one per written list (the same for each of its repeats)
    for entry in active:
        identity = alarm_identity(template, entry.node)
        earlier = first_seen.setdefault(identity, entry)
        if earlier is entry:
            continue
        exact = id(entry) in repeats
        position = positions[id(entry)]
        found = finding(
            template,
            META.id,
            entry.node,
            f"Function '{name}': {_describe(entry.node)} is listed twice for one deployment group "
            f"(first at line {earlier.node.span.line}{_where(earlier)}); CodeDeploy accepts each alarm name once",
            function,
            base + (position,),
        )
        if exact and id(entry.source) not in removals:
            removals[id(entry.source)] = _removal(entry, active, repeats)
        yield replace(found, data=removals[id(entry.source)]) if exact else found
    distinct = len(first_seen)
    if len(active) > MAX_ALARMS:
        node: Node = active[0].source if alarm_list.branch else alarm_list.node
        yield finding(
            template,
            META.id,
            node,
            f"Function '{name}': {len(active)} alarms for one deployment group after the Globals merge "
            f"({distinct} distinct); CodeDeploy accepts at most {MAX_ALARMS}",
            function,
            base,
        )


def _exact_repeats(entries: list[AlarmEntry]) -> set[int]:
    """Ids of the entries written exactly like an earlier one."""
    seen: set[Any] = set()
    repeats = set()
    for entry in entries:
        data = _hashable(to_data(entry.node))
        if data in seen:
            repeats.add(id(entry))
        else:
            seen.add(data)
    return repeats


def _hashable(value: Any) -> Any:
    """``value`` as a key that is equal exactly when the values are equal (``==``)."""
    if isinstance(value, dict):
        return frozenset((key, _hashable(item)) for key, item in value.items())
    if isinstance(value, list):
        return tuple(_hashable(item) for item in value)
    return value


def _removal(entry: AlarmEntry, active: list[AlarmEntry], repeats: set[int]) -> Removal:
    """Every exact repeat written in the same list as ``entry``: one edit for all of them, the same whichever
    function's finding asks (a Globals list comes first, so its repeats do not depend on the function)."""
    indexes = tuple(e.index for e in active if id(e) in repeats and e.source is entry.source)
    return Removal(entry.source, entry.path, entry.key, indexes)


def _describe(node: Node) -> str:
    if isinstance(node, Scalar):
        return f"alarm '{shorten(str(node.value), MAX_DESCRIBED)}'"
    intrinsic = node.intrinsic() if isinstance(node, Mapping) else None
    if intrinsic and isinstance(intrinsic[1], Scalar):
        return f"alarm !{intrinsic[0].replace('Fn::', '')} {shorten(str(intrinsic[1].value), MAX_DESCRIBED)}"
    return "an alarm"


def _where(entry: AlarmEntry) -> str:
    return " in Globals" if entry.path[:1] == ("Globals",) else ""


def fix(ctx: CheckContext, finding: Finding) -> Fix | None:
    removal = finding.data
    if not isinstance(removal, Removal) or not removal.indexes:
        return None
    built: dict[int, tuple[Removal, Fix | None]] = ctx.shared(_built)
    if id(removal) not in built or built[id(removal)][0] is not removal:  # every repeat of a list shares one
        built[id(removal)] = (removal, _build(ctx, removal))
    return built[id(removal)][1]


def _built(ctx: CheckContext) -> dict[int, tuple[Removal, Fix | None]]:
    """The fixes built for this file, by their removal (kept with it, so its id is not reused)."""
    return {}


def _build(ctx: CheckContext, removal: Removal) -> Fix | None:
    changes = FixBuilder(ctx.document)
    try:
        changes.remove_items(removal.source, removal.path, list(removal.indexes), removal.key)
    except EditError:
        return None
    count = len(removal.indexes)
    return changes.build(Applicability.SAFE, f"Remove {count} repeated alarm{'s' if count > 1 else ''}")
