"""## What it does
Reports a key of a `DeploymentPreference` that SAM does not read (it knows `Type`, `Enabled`, `Hooks`,
`Alarms`, `Role`, `TriggerConfigurations` and `PassthroughCondition`, case-sensitive) and a key of its `Hooks`
other than `PreTraffic` and `PostTraffic`, after the Globals merge: `Alarm`, `Hook`, `hooks`,
`BeforeAllowTraffic`, `PreTrafic` ... A key written in `Globals` is reported once, at its line there. When the
key stands for exactly one key SAM reads (a case variant, a usual synonym, a slip of one or two letters), the
message names it.

## Why it breaks deployments
SAM ignores unknown keys silently: with `Alarm:` no alarm can roll the deployment back, with
`BeforeAllowTraffic:` the hook never runs, with `enabled: false` the preference stays enabled. The template
deploys and looks right.

## Example
```yaml
DeploymentPreference:
  Type: Canary10Percent5Minutes
  Alarm:                         # ignored: no automatic rollback
    - !Ref ErrorsAlarm
  Hooks:
    BeforeAllowTraffic: !Ref PreTrafficHook   # ignored: the hook never runs
```
Use instead: `Alarms:` and `PreTraffic:`.

## Fix safety
Safe: renames the key in place (its value, position and quoting kept) when exactly one known key is meant, that
key is not already in the same map, and the value has a shape SAM accepts for it. One edit per written key, so
a key in `Globals` is fixed once for every function. Unsafe when the key becomes `Enabled` with a value that
turns the preference off, or `PassthroughCondition`: that changes what is deployed, as turning the preference
off or adding `PassthroughCondition` by hand would. A hook key written directly in the preference (outside
`Hooks`) is reported without a fix.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta
from sam_shift_lint.editing.builder import FixBuilder
from sam_shift_lint.editing.positions import EditError
from sam_shift_lint.findings import Applicability, Finding, Fix
from sam_shift_lint.model.intrinsics import if_branches, is_no_value
from sam_shift_lint.model.preference import (
    PREFERENCE_KEYS,
    enabled_values,
    hook_key_at_preference_level,
    meant_key,
    owner_of,
    preference_state,
    value_disables,
)
from sam_shift_lint.model.sam import GLOBALS_FUNCTION_PATH, HOOK_KEYS, Function, SamTemplate
from sam_shift_lint.model.values import describe
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, Sequence
from sam_shift_lint.records import record

META = RuleMeta(
    id="W9110",
    name="unknown-deployment-preference-key",
    summary="DeploymentPreference or Hooks key that SAM ignores",
    tags=("sam", "codedeploy"),
    fix=FixAvailability.SOMETIMES,
)

# What SAM does without the key that was meant.
_CONSEQUENCE = {
    "Type": "the preference has no Type",
    "Enabled": "the preference stays enabled",
    "Hooks": "no hook runs",
    "Alarms": "no alarm can roll the deployment back",
    "Role": "SAM uses its own CodeDeploy service role",
    "TriggerConfigurations": "no deployment notification is sent",
    "PassthroughCondition": "the deployment group ignores the function's Condition",
    "PreTraffic": "the pre-traffic hook never runs",
    "PostTraffic": "the post-traffic hook never runs",
}
# PassthroughCondition values the translator accepts (_resolve_property_to_boolean).
_TRUE_FALSE_STRINGS = ("true", "True", "false", "False")


@record(frozen=True)
class _Rename:
    mapping: Mapping
    path: tuple[Any, ...]
    old: str
    new: str
    applicability: Applicability


def check(ctx: CheckContext) -> Iterator[Finding]:
    template = ctx.sam
    seen: set[int] = set()
    for function in template.functions.values():
        state = preference_state(template, function)
        preference = state.node
        if not (state.present and state.is_map and isinstance(preference, Mapping)):
            continue
        for name, (key, value) in preference.entries.items():
            if name in PREFERENCE_KEYS:
                if name == "Hooks" and isinstance(value, Mapping) and value.intrinsic() is None:
                    for hook_name, (hook_key, hook_value) in value.entries.items():
                        if hook_name not in HOOK_KEYS and hook_key.span.start not in seen:
                            seen.add(hook_key.span.start)
                            yield _finding(template, function, hook_key, hook_value, HOOK_KEYS)
                continue
            if key.span.start not in seen:
                seen.add(key.span.start)
                yield _finding(template, function, key, value, PREFERENCE_KEYS)
                if meant_key(name, PREFERENCE_KEYS) == "Hooks" and isinstance(value, Mapping) and value.intrinsic() is None:
                    yield from _inside_misspelled_hooks(template, function, name, value)


def _inside_misspelled_hooks(template: SamTemplate, function: Function, hooks_key: str, hooks: Mapping) -> Iterator[Finding]:
    """Keys of a map under a misspelled ``Hooks`` that will be wrong once it is renamed; fixed in a later pass
    (two renames on one path in one pass would not compose)."""
    for name, (key, _) in hooks.entries.items():
        if name in HOOK_KEYS:
            continue
        meant = meant_key(name, HOOK_KEYS)
        advice = f"; did you mean '{meant}'?" if meant else " (only PreTraffic and PostTraffic run)"
        message = (
            f"Function '{function.logical_id}': key {describe(name)} under {describe(hooks_key)} is not a hook key "
            f"SAM reads{advice}"
        )
        path = function.path("DeploymentPreference", hooks_key, name)
        yield Finding(META.id, message, template.document.path, key.span, function.logical_id, path)


def _finding(template: SamTemplate, function: Function, key: Scalar, value: Node, known: tuple[str, ...]) -> Finding:
    name = str(key.value)
    in_hooks = known == HOOK_KEYS
    owner = owner_of(template, function, key)
    in_globals = owner is not None and owner[1][: len(GLOBALS_FUNCTION_PATH)] == GLOBALS_FUNCTION_PATH
    where = "Globals.Function" if in_globals else f"Function '{function.logical_id}'"
    what = "DeploymentPreference Hooks" if in_hooks else "DeploymentPreference"
    meant = meant_key(name, known)
    misplaced = None if in_hooks or meant else hook_key_at_preference_level(name)
    if meant:
        advice = f"; {_CONSEQUENCE[meant]}: did you mean '{meant}'?"
    elif misplaced:
        advice = f"; {_CONSEQUENCE[misplaced]}: '{misplaced}' belongs under Hooks"
    elif in_hooks:
        advice = " (only PreTraffic and PostTraffic run)"
    else:
        advice = f" (it reads only {', '.join(PREFERENCE_KEYS)})"
    message = f"{where}: {what} key {describe(name)} is ignored by SAM{advice}"
    path = function.path("DeploymentPreference", *(("Hooks",) if in_hooks else ()), name)
    data = None
    if meant and owner is not None and _fits(template, meant, value, owner[0], name, known):
        data = _Rename(owner[0], owner[1], name, meant, _applicability(template, meant, value))
    return Finding(META.id, message, template.document.path, key.span, function.logical_id, path, data=data)


def _fits(template: SamTemplate, meant: str, value: Node, mapping: Mapping, name: str, known: tuple[str, ...]) -> bool:
    """The rename is the one meant (no other unknown key of the map means the same key, the key is not there
    already) and SAM accepts the value under the new key."""
    if meant in mapping.entries:
        return False
    if any(other != name and other not in known and meant_key(other, known) == meant for other in mapping.entries):
        return False
    if meant == "Hooks":
        return isinstance(value, Mapping) and value.intrinsic() is None
    if meant == "Alarms":
        return isinstance(value, Sequence) or _is_if_of_lists(value)
    if meant == "TriggerConfigurations":
        return isinstance(value, Sequence)
    if meant == "PassthroughCondition":
        return isinstance(value, Scalar) and (isinstance(value.value, bool) or value.value in _TRUE_FALSE_STRINGS)
    if meant in HOOK_KEYS:
        return not (isinstance(value, Sequence) or _is_map(value))  # a function name or an intrinsic
    return True


def _is_map(node: Node) -> bool:
    return isinstance(node, Mapping) and node.intrinsic() is None


def _is_if_of_lists(node: Node) -> bool:
    branches = if_branches(node)
    return len(branches) > 1 and all(isinstance(b, Sequence) or is_no_value(b) for b, _, _ in branches)


def _applicability(template: SamTemplate, meant: str, value: Node) -> Applicability:
    """A rename that turns the preference off, or makes its group conditional, changes what is deployed."""
    if meant == "PassthroughCondition":
        return Applicability.UNSAFE
    if meant == "Enabled" and any(value_disables(v) for v in enabled_values(template, value)):
        return Applicability.UNSAFE
    return Applicability.SAFE


def fix(ctx: CheckContext, finding: Finding) -> Fix | None:
    rename = finding.data
    if not isinstance(rename, _Rename):
        return None
    changes = FixBuilder(ctx.document)
    try:
        changes.rename_key(rename.mapping, rename.path, rename.old, rename.new)
    except EditError:
        return None
    return changes.build(rename.applicability, f"Rename {rename.old} to {rename.new}")
