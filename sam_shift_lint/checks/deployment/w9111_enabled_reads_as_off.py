"""## What it does
Reports a `DeploymentPreference.Enabled` (after the Globals merge) that reads as "off" but that SAM treats as
enabled: a string other than exactly `false`/`False` such as `"FALSE"`, `"no"`, `"off"`, `"0"`, `"disabled"`
(quoted; unquoted `no`/`off`/`FALSE` are YAML booleans and do turn it off); a condition's name; an intrinsic
SAM does not evaluate here (`!If`, `!Equals`, `!Condition`, `!Sub` ...; it resolves only parameter `Ref`s and
`!FindInMap`); a parameter `Ref` or `!FindInMap` that may give such a string. A value in `Globals` is reported
once, at its line there.

## Why it breaks deployments
The translator disables the preference only for `false`, `"false"`, `"False"` and other falsy values. Every
other value keeps traffic shifting on: the function still needs an alias, gets a deployment group, hooks and
alarms, and deploys gradually where the author meant it not to (or fails where the alias is missing).

## Example
```yaml
DeploymentPreference:
  Enabled: "FALSE"       # enabled: only false/"false"/"False" turn it off
  Type: Canary10Percent5Minutes
```
Use instead: `Enabled: false` (or a parameter whose values are `true`/`false`).

## Fix safety
Unsafe. Replaces a literal string with `false`: that turns traffic shifting off for every function the value
reaches (their deployment groups are deleted), which is what the text says but not what is deployed today.
Intrinsics, condition names and parameter values are reported without a fix: the right value depends on the
condition or on the parameter's users.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta
from sam_shift_lint.editing.builder import FixBuilder
from sam_shift_lint.editing.positions import EditError
from sam_shift_lint.findings import Applicability, Finding, Fix
from sam_shift_lint.model.intrinsics import is_no_value
from sam_shift_lint.model.language_extensions import runs_before_sam, values_seen_by_sam
from sam_shift_lint.model.preference import enabled_values, owner_of, preference_state, reads_as_off, value_disables
from sam_shift_lint.model.sam import UNKNOWN, Function, SamTemplate
from sam_shift_lint.model.values import describe
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, get_path

META = RuleMeta(
    id="W9111",
    name="enabled-reads-as-off",
    summary="DeploymentPreference Enabled reads as off but SAM treats it as enabled",
    tags=("sam", "codedeploy"),
    fix=FixAvailability.SOMETIMES,
)

_RESOLVED = ("Ref", "Fn::FindInMap")  # the only intrinsics the translator resolves in Enabled


def check(ctx: CheckContext) -> Iterator[Finding]:
    template = ctx.sam
    conditions = get_path(template.root, "Conditions")
    condition_names = set(conditions.entries) if isinstance(conditions, Mapping) else set()
    seen: set[int] = set()
    for function in template.functions.values():
        state = preference_state(template, function)
        if not (state.is_map and isinstance(state.node, Mapping)):
            continue
        enabled = state.node.get("Enabled")
        key = state.node.key_node("Enabled")
        if enabled is None or key is None or enabled.span.start in seen:
            continue
        problem = _problem(template, enabled, condition_names)
        if problem is None:
            continue
        seen.add(enabled.span.start)
        node = enabled if enabled.span.start != enabled.span.end else key
        where = "Globals.Function" if _from_globals(template, function, key) else f"Function '{function.logical_id}'"
        message = f"{where}: DeploymentPreference Enabled {problem}: SAM treats the preference as enabled"
        path = function.path("DeploymentPreference", "Enabled")
        data = (key, enabled) if isinstance(enabled, Scalar) and reads_as_off(enabled.value) else None
        yield Finding(META.id, message, template.document.path, node.span, function.logical_id, path, data=data)


def _from_globals(template: SamTemplate, function: Function, key: Scalar) -> bool:
    owner = owner_of(template, function, key)
    return owner is not None and owner[1][0] == "Globals"


def _problem(template: SamTemplate, enabled: Node, condition_names: set[str]) -> str | None:
    """Why ``Enabled`` reads as off while SAM keeps the preference on, or None."""
    if isinstance(enabled, Scalar):
        if reads_as_off(enabled.value):
            return f"is the string {describe(enabled.value)}, which only reads as off (use false)"
        if isinstance(enabled.value, str) and enabled.value in condition_names:
            return f"is the name of the condition {describe(enabled.value)}, which SAM does not evaluate"
        return None
    intrinsic = enabled.intrinsic() if isinstance(enabled, Mapping) else None
    if intrinsic is None or is_no_value(enabled):
        return None
    name = intrinsic[0]
    if runs_before_sam(template) and values_seen_by_sam(template, enabled) is not None:
        # AWS::LanguageExtensions resolves it first: judge the values SAM will see
        seen = [v for v in enabled_values(template, enabled) if reads_as_off(v)]
        if not seen:
            return None
        return f"may become {describe(seen[0])} once AWS::LanguageExtensions resolves its {name}, which only reads as off"
    if name not in _RESOLVED:
        if name == "Fn::If" and not _may_read_as_off(template.candidates(enabled)):
            return None  # every branch is on
        return f"is the intrinsic {name}, which SAM does not evaluate here (it resolves only parameter Refs and Fn::FindInMap)"
    values = template.candidates(enabled, through_if=False)
    off = [v for v in values if v is not UNKNOWN and not isinstance(v, Node) and reads_as_off(v)]
    if off:
        through = "its parameter" if name == "Ref" else "Fn::FindInMap"
        return f"may be {', '.join(describe(v) for v in off)} (through {through}), which only reads as off"
    if name == "Ref" and any(isinstance(v, Node) for v in values):
        return "is a Ref to something that is not a parameter, which SAM does not resolve here"
    return None


def _may_read_as_off(values: list[Any]) -> bool:
    return any(v is UNKNOWN or isinstance(v, Node) or value_disables(v) or reads_as_off(v) for v in values)


def fix(ctx: CheckContext, finding: Finding) -> Fix | None:
    """``Enabled: "FALSE"`` -> ``Enabled: false``, where the value is written (on the function or in Globals)."""
    if not isinstance(finding.data, tuple):
        return None
    key, value = finding.data
    function = ctx.sam.functions.get(finding.resource or "")
    owner = owner_of(ctx.sam, function, key) if function is not None else None
    if owner is None:
        return None
    changes = FixBuilder(ctx.document)
    try:
        changes.replace_value(value, owner[1] + ("Enabled",), False)
    except EditError:
        return None
    return changes.build(Applicability.UNSAFE, f"Replace Enabled: {describe(value.value)} with false")
