"""DeploymentPreference rules: W9102 (missing), E9103 (no alias), E9104 (no Type), E9105 (unknown Type),
E9107 (wrong shape)."""
from __future__ import annotations

from typing import Any, Iterator, List, Optional

from .. import deployment_types
from ..document import Mapping, Node, Scalar, Sequence, is_no_value
from ..findings import Finding
from ..preference import preference_state
from ..sam import DEPLOYMENT_CONFIG_TYPE, UNKNOWN, Function, SamTemplate
from . import check
from .alias import alias_is_missing
from .base import anchor, describe, finding
from .registry import RuleInfo, register

W9102 = register(
    RuleInfo(
        "W9102",
        "Function has no DeploymentPreference",
        "An AWS::Serverless::Function without DeploymentPreference (after the Globals merge) sends all traffic to a "
        "new version at once, with no CodeDeploy hooks, alarms or automatic rollback. Hook functions and an explicit "
        "'Enabled: false' are exempt.",
    )
)
E9103 = register(
    RuleInfo(
        "E9103",
        "DeploymentPreference without AutoPublishAlias",
        "An enabled DeploymentPreference needs AutoPublishAlias; SAM rejects the template at deploy time "
        "(\"'DeploymentPreference' requires AutoPublishAlias property to be specified.\"). cfn-lint >= 1.54 no longer "
        "reports this.",
    )
)
E9104 = register(
    RuleInfo(
        "E9104",
        "DeploymentPreference Type missing",
        "An enabled DeploymentPreference needs a Type; SAM rejects it (\"'DeploymentPreference' is missing required "
        "Property 'Type'\") and an empty Type fails in CloudFormation.",
    )
)
E9105 = register(
    RuleInfo(
        "E9105",
        "DeploymentPreference Type is not a Lambda deployment type",
        "Type must be one of the nine Lambda deployment types (Canary10Percent5Minutes ... AllAtOnce, case-sensitive), "
        "its CodeDeployDefault.Lambda* name, or a Ref to an AWS::CodeDeploy::DeploymentConfig in the template. SAM "
        "passes anything else through as a custom configuration name, so a typo fails only during the deployment.",
    )
)
E9107 = register(
    RuleInfo(
        "E9107",
        "DeploymentPreference, Hooks or Alarms of the wrong shape",
        "DeploymentPreference and its Hooks must be maps and Alarms a list (or an Fn::If of lists); SAM rejects or "
        "silently ignores anything else.",
    )
)


def _preference_key(function: Function) -> Node:
    return function.key_of("DeploymentPreference") or function.key


@check
def missing_preference(template: SamTemplate) -> Iterator[Finding]:
    for function in template.functions.values():
        if function.logical_id in template.hook_functions:
            continue
        state = preference_state(template, function)
        if state.present:
            continue
        node = function.get("DeploymentPreference")
        yield finding(
            template,
            "W9102",
            anchor(node, function.key_of("DeploymentPreference")) if node is not None else function.key,
            f"Function '{function.logical_id}' has no DeploymentPreference: a new version gets all traffic at once, "
            "with no hooks, alarms or automatic rollback",
            function,
            function.path("DeploymentPreference") if node is not None else ("Resources", function.logical_id),
        )


@check
def preference_without_alias(template: SamTemplate) -> Iterator[Finding]:
    for function in template.functions.values():
        state = preference_state(template, function)
        if not (state.present and state.maybe_enabled):
            continue
        reason = _alias_gap(template, function)
        if reason is None:
            continue
        when = "" if not state.maybe_disabled else " (when enabled)"
        yield finding(
            template,
            "E9103",
            _preference_key(function),
            f"Function '{function.logical_id}' has a DeploymentPreference{when} but {reason}: SAM rejects this at "
            "deploy time",
            function,
            function.path("DeploymentPreference"),
        )


def _alias_gap(template: SamTemplate, function: Function) -> Optional[str]:
    if function.get("AutoPublishAlias") is None:
        return "no AutoPublishAlias"
    if alias_is_missing(function):
        return "an empty AutoPublishAlias"
    return None  # a parameter that may be empty is E9106 (SAM: "Alias name is required to create an alias")


@check
def missing_type(template: SamTemplate) -> Iterator[Finding]:
    for function in template.functions.values():
        state = preference_state(template, function)
        if not (state.present and state.maybe_enabled):
            continue
        node = state.node
        assert node is not None
        if isinstance(node, Mapping) and node.intrinsic() is not None:
            name = node.intrinsic()[0]  # type: ignore[index]
            yield finding(
                template,
                "E9104",
                node,
                f"Function '{function.logical_id}': DeploymentPreference is an {name}, which SAM does not evaluate: "
                "it is read as enabled with no Type; put the intrinsic on Enabled/Type inside a map instead",
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
                "E9104",
                _preference_key(function),
                f"Function '{function.logical_id}': DeploymentPreference is enabled but has no Type",
                function,
                function.path("DeploymentPreference"),
            )
            continue
        values = template.candidates(type_node)
        if any(value in (None, "") for value in values):
            what = "null" if any(v is None for v in values) else "empty"
            through = "" if isinstance(type_node, Scalar) else " (through its parameter)"
            yield finding(
                template,
                "E9104",
                anchor(type_node, node.key_node("Type")),
                f"Function '{function.logical_id}': DeploymentPreference Type is {what}{through}",
                function,
                function.path("DeploymentPreference", "Type"),
            )


@check
def unknown_type(template: SamTemplate) -> Iterator[Finding]:
    custom_names = template.deployment_config_names()
    for function in template.functions.values():
        state = preference_state(template, function)
        if not (state.present and state.maybe_enabled and state.is_map):
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
            "E9105",
            type_node,
            _unknown_type_message(function, type_node, invalid),
            function,
            function.path("DeploymentPreference", "Type"),
        )


def _type_problem(template: SamTemplate, value: Any, custom_names: set) -> bool:
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


def _unknown_type_message(function: Function, type_node: Node, invalid: List[Any]) -> str:
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


@check
def wrong_shape(template: SamTemplate) -> Iterator[Finding]:
    for function in template.functions.values():
        state = preference_state(template, function)
        node = state.node
        if node is None or not state.present:
            continue
        if isinstance(node, (Scalar, Sequence)):
            kind = "a list" if isinstance(node, Sequence) else f"the scalar {describe(node.value)}"
            yield finding(
                template,
                "E9107",
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
        "E9107",
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
        "E9107",
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
