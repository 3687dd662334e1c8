"""## What it does
Reports an enabled `DeploymentPreference` without a `Type`, with a null or empty `Type` (directly or through
its parameter), or written as an intrinsic function as a whole, which SAM does not evaluate (unless
`AWS::LanguageExtensions`, listed before SAM's transform, resolves it: then each map it may become is judged).

## Why it breaks deployments
SAM rejects a preference without `Type` ("'DeploymentPreference' is missing required Property 'Type'"); an
intrinsic in place of the map is read as enabled with no `Type`. A null `Type` is accepted: SAM creates the
deployment group without a `DeploymentConfigName`, so CodeDeploy falls back to its default configuration
instead of a Lambda traffic-shifting type. An empty `Type` becomes `DeploymentConfigName: ''`, which names no
deployment configuration.

## Example
```yaml
DeploymentPreference:
  Enabled: true          # no Type
```
Use instead: `Type: Canary10Percent5Minutes` (or another of the nine Lambda deployment types).

## Fix safety
Unsafe. Adds (or fills in) `Type: AllAtOnce` (`--deployment-type`): which type you want is a decision about
how traffic should move, so it is applied only with `--unsafe-fixes`.
"""
from __future__ import annotations

from collections.abc import Iterator

from sam_shift_lint.checks.base import anchor, finding
from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.deployment.placement import GLOBALS_FUNCTION_PATH, DeploymentFixes, function_of
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta
from sam_shift_lint.findings import Applicability, Finding, Fix
from sam_shift_lint.model.intrinsics import if_branches
from sam_shift_lint.model.language_extensions import NO_VALUE, runs_before_sam, values_seen_by_sam
from sam_shift_lint.model.preference import enabled_preferences, enabled_values, preference_state, value_disables
from sam_shift_lint.model.sam import Function, SamTemplate
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar

META = RuleMeta(
    id="E9104",
    name="deployment-preference-type-missing",
    summary="DeploymentPreference Type missing",
    tags=("sam", "codedeploy"),
    fix=FixAvailability.SOMETIMES,
)


def check(ctx: CheckContext) -> Iterator[Finding]:
    template = ctx.sam
    for function, state in enabled_preferences(template):
        node = state.node
        assert node is not None
        intrinsic = node.intrinsic() if isinstance(node, Mapping) else None
        if intrinsic is not None and _branches_once_resolved(template, node) is not None:
            yield from _branches_without_type(template, function, node)
            continue
        if intrinsic is not None:
            yield finding(
                template,
                META.id,
                node,
                f"Function '{function.logical_id}': DeploymentPreference is an {intrinsic[0]}, which SAM does not "
                "evaluate: it is read as enabled with no Type; put the intrinsic on Enabled/Type inside a map instead",
                function,
                function.path("DeploymentPreference"),
            )
            continue
        if not state.is_map:
            continue  # E9107
        assert isinstance(node, Mapping)
        type_node = node.get("Type")
        if type_node is None:
            yield finding(
                template,
                META.id,
                function.key_of("DeploymentPreference") or function.key,
                f"Function '{function.logical_id}': DeploymentPreference is enabled but has no Type",
                function,
                function.path("DeploymentPreference"),
            )
            continue
        values = template.candidates(type_node)
        if any(value in (None, "") for value in values):
            through = "" if isinstance(type_node, Scalar) else " (through its parameter)"
            if any(v is None for v in values):
                what = (
                    "null: SAM accepts it but creates the deployment group without a DeploymentConfigName, so "
                    "CodeDeploy uses its default configuration instead of a Lambda deployment type"
                )
            else:
                what = "empty: SAM writes it as DeploymentConfigName '', which names no deployment configuration"
            yield finding(
                template,
                META.id,
                anchor(type_node, node.key_node("Type")),
                f"Function '{function.logical_id}': DeploymentPreference Type{through} is {what}",
                function,
                function.path("DeploymentPreference", "Type"),
            )


def _branches_once_resolved(template: SamTemplate, node: Node) -> list[Mapping] | None:
    """The maps an ``Fn::If`` preference may become once AWS::LanguageExtensions (before SAM) chose a branch."""
    if not runs_before_sam(template):
        return None
    seen = values_seen_by_sam(template, node)
    if seen is None or not all(v is NO_VALUE or (isinstance(v, Mapping) and v.intrinsic() is None) for v in seen):
        return None
    branches = [branch for branch, _, _ in if_branches(node)]
    return [branch for branch in branches if isinstance(branch, Mapping) and branch.intrinsic() is None]


def _branches_without_type(template: SamTemplate, function: Function, node: Node) -> Iterator[Finding]:
    for branch in _branches_once_resolved(template, node) or []:
        enabled = branch.get("Enabled")
        if not branch.entries or "Type" in branch.entries:
            continue
        if enabled is not None and all(value_disables(v) for v in enabled_values(template, enabled)):
            continue
        yield finding(
            template,
            META.id,
            branch,
            f"Function '{function.logical_id}': DeploymentPreference (a branch AWS::LanguageExtensions may choose) "
            "is enabled but has no Type",
            function,
            function.path("DeploymentPreference"),
        )


def fix(ctx: CheckContext, finding: Finding) -> Fix | None:
    function = function_of(ctx, finding.resource)
    if function is None:
        return None
    state = preference_state(ctx.sam, function)
    if not isinstance(state.node, Mapping) or state.node.intrinsic() is not None:
        return None
    planner = ctx.shared(DeploymentFixes)
    changes = planner.builder()
    type_node = state.node.get("Type")
    kind = ctx.fixes.deployment_type
    if type_node is None:
        local = function.local.get("DeploymentPreference") if function.local is not None else None
        if isinstance(local, Mapping) and local.intrinsic() is None:
            changes.add_at(function.path("DeploymentPreference"), "Type", kind)
        else:
            changes.add_at(GLOBALS_FUNCTION_PATH + ("DeploymentPreference",), "Type", kind)
    elif isinstance(type_node, Scalar) and type_node.value == "":
        changes.replace_value(type_node, planner.type_path(function, type_node), kind)
    else:
        return None
    return changes.build(Applicability.UNSAFE, f"Set Type: {kind}")
