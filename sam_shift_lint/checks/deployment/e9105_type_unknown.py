"""## What it does
Reports a `DeploymentPreference` `Type` (or a value its parameter or mapping may take) that is none of the nine
Lambda deployment types (case-sensitive), their `CodeDeployDefault.Lambda*` names, a custom
`AWS::CodeDeploy::DeploymentConfig` of the template, or a `Ref` to one. Suggests the closest type.

The nine types: `Canary10Percent5Minutes`, `Canary10Percent10Minutes`, `Canary10Percent15Minutes`,
`Canary10Percent30Minutes`, `Linear10PercentEvery1Minute`, `Linear10PercentEvery2Minutes`,
`Linear10PercentEvery3Minutes`, `Linear10PercentEvery10Minutes`, `AllAtOnce`.

## Why it breaks deployments
SAM passes an unknown `Type` through as a custom deployment configuration name, so a typo is accepted by the
transform and fails only during the deployment, when CodeDeploy cannot find the configuration.

## Example
```yaml
DeploymentPreference:
  Type: Canary10Percent5Minute     # typo
```
Use instead: `Type: Canary10Percent5Minutes`.

## Fix safety
A wrong letter case of a built-in type is corrected safely. A unique spelling correction is unsafe (applied
with `--unsafe-fixes`): the closest name may not be the one you meant.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sam_shift_lint.checks.base import describe, finding
from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.deployment.placement import DeploymentFixes, function_of
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta
from sam_shift_lint.findings import Applicability, Finding, Fix
from sam_shift_lint.model import deployment_types
from sam_shift_lint.model.preference import enabled_preferences, preference_state
from sam_shift_lint.model.sam import DEPLOYMENT_CONFIG_TYPE, UNKNOWN, Function, SamTemplate
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, Sequence

META = RuleMeta(
    id="E9105",
    name="deployment-preference-type-unknown",
    summary="DeploymentPreference Type is not a Lambda deployment type",
    tags=("sam", "codedeploy"),
    fix=FixAvailability.SOMETIMES,
)


def check(ctx: CheckContext) -> Iterator[Finding]:
    template = ctx.sam
    custom_names = template.deployment_config_names()
    for function, state in enabled_preferences(template):
        if not state.is_map:
            continue
        assert isinstance(state.node, Mapping)
        type_node = state.node.get("Type")
        if type_node is None:
            continue
        invalid = [v for v in template.candidates(type_node) if _type_problem(template, v, custom_names)]
        if not invalid:
            continue
        yield finding(
            template,
            META.id,
            type_node,
            _message(function, type_node, invalid),
            function,
            function.path("DeploymentPreference", "Type"),
        )


def _type_problem(template: SamTemplate, value: Any, custom_names: set[str]) -> bool:
    if value is UNKNOWN or value is None or value == "":
        return False
    if isinstance(value, Node):
        intrinsic = value.intrinsic() if isinstance(value, Mapping) else None
        if intrinsic is None:
            return True  # a list or a plain map: SAM passes it through as DeploymentConfigName
        return intrinsic[0] == "Ref" and _ref_problem(template, intrinsic[1])
    if not isinstance(value, str):
        return True
    return not (deployment_types.is_builtin(value) or value in custom_names)


def _ref_problem(template: SamTemplate, argument: Node) -> bool:
    """A Ref to a resource must be a CodeDeploy DeploymentConfig; unknown targets are left to cfn-lint."""
    if not isinstance(argument, Scalar):
        return False
    resource_type = template.resource_type(str(argument.value))
    return resource_type is not None and resource_type != DEPLOYMENT_CONFIG_TYPE


def _message(function: Function, type_node: Node, invalid: list[Any]) -> str:
    head = f"Function '{function.logical_id}': DeploymentPreference Type"
    value = invalid[0]
    if isinstance(value, Sequence) or (isinstance(value, Mapping) and value.intrinsic() is None):
        return f"{head} must be a string, not a {'list' if isinstance(value, Sequence) else 'map'}"
    if isinstance(value, Node):
        return f"{head} refers to a resource that is not an {DEPLOYMENT_CONFIG_TYPE}"
    if not isinstance(value, str):
        return f"{head} {describe(value)} is not a string"
    through = "" if isinstance(type_node, Scalar) else " (a possible value)"
    message = f"{head} {describe(value)}{through} is not a Lambda deployment type"
    suggestions = deployment_types.suggestions(value)
    if suggestions:
        message += "; did you mean " + " or ".join(f"'{name}'" for name in suggestions) + "?"
    else:
        message += f" (one of {', '.join(deployment_types.LAMBDA_DEPLOYMENT_TYPES)})"
    return message


def fix(ctx: CheckContext, finding: Finding) -> Fix | None:
    function = function_of(ctx, finding.resource)
    if function is None:
        return None
    state = preference_state(ctx.sam, function)
    type_node = state.node.get("Type") if isinstance(state.node, Mapping) else None
    if not isinstance(type_node, Scalar) or not isinstance(type_node.value, str):
        return None
    corrected = deployment_types.case_match(type_node.value)
    applicability = Applicability.SAFE
    if corrected is None:
        corrected = deployment_types.closest(type_node.value)
        applicability = Applicability.UNSAFE
    if corrected is None:
        return None
    planner = ctx.shared(DeploymentFixes)
    changes = planner.builder()
    changes.replace_value(type_node, planner.type_path(function, type_node), corrected)
    return changes.build(applicability, f"Change Type to {corrected}")
