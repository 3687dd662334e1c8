"""How a ``DeploymentPreference.Type`` moves traffic: at once, or gradually (a Canary/Linear built-in type, or
an in-template ``AWS::CodeDeploy::DeploymentConfig`` whose ``TrafficRoutingConfig.Type`` is
``TimeBasedCanary``/``TimeBasedLinear``). A gradual type keeps the alias weighted between two versions for
minutes."""
from __future__ import annotations

from typing import Any

from sam_shift_lint.model.deployment_types import FULL_NAME_PREFIX, is_builtin
from sam_shift_lint.model.intrinsics import ref_target
from sam_shift_lint.model.sam import DEPLOYMENT_CONFIG_TYPE, SamTemplate
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, get_path

GRADUAL_ROUTING = ("TimeBasedCanary", "TimeBasedLinear")


def is_gradual_builtin(value: str) -> bool:
    """A built-in Lambda type other than AllAtOnce."""
    name = value[len(FULL_NAME_PREFIX):] if value.startswith(FULL_NAME_PREFIX) else value
    return is_builtin(value) and name.startswith(("Canary", "Linear"))


def _custom_config_is_gradual(resource: Mapping, unreadable_is_gradual: bool = False) -> bool:
    config = get_path(resource, "Properties", "TrafficRoutingConfig")
    routing = get_path(config, "Type")
    if isinstance(routing, Scalar):
        return routing.value in GRADUAL_ROUTING
    return unreadable_is_gradual and config is not None  # a routing type written as an intrinsic


def _custom_configs(template: SamTemplate) -> tuple[dict[str, Mapping], dict[str, str]]:
    """The template's ``AWS::CodeDeploy::DeploymentConfig`` resources by logical id, and the logical ids by
    literal ``DeploymentConfigName``; read once per document (every function's preference asks)."""
    memo = template.document.memo
    if "traffic.custom_configs" not in memo:
        configs = {
            logical_id: resource
            for logical_id, resource in template.resources.items()
            if template.resource_type(logical_id) == DEPLOYMENT_CONFIG_TYPE
        }
        by_name: dict[str, str] = {}
        for logical_id, resource in configs.items():
            config_name = get_path(resource, "Properties", "DeploymentConfigName")
            if isinstance(config_name, Scalar) and isinstance(config_name.value, str):
                by_name[config_name.value] = logical_id
        memo["traffic.custom_configs"] = (configs, by_name)
    found: tuple[dict[str, Mapping], dict[str, str]] = memo["traffic.custom_configs"]
    return found


def shifts_gradually(template: SamTemplate, type_node: Node | None) -> bool:
    """Whether a preference ``Type`` may shift traffic gradually; a custom configuration whose routing type is
    not literal counts as gradual. Names of configurations outside the template are not judged."""
    return bool(gradual_types(template, type_node, unreadable_is_gradual=True))


def gradual_types(template: SamTemplate, type_node: Node | None, unreadable_is_gradual: bool = False) -> list[str]:
    """The gradual deployment types ``type_node`` may name (through parameters, mappings and ``Fn::If``).
    ``unreadable_is_gradual``: count a custom configuration whose routing type is an intrinsic."""
    if type_node is None:
        return []
    configs, by_name = _custom_configs(template)
    found: list[str] = []
    for value in template.candidates(type_node):
        name = _gradual_name(value, configs, by_name, unreadable_is_gradual)
        if name is not None and name not in found:
            found.append(name)
    return found


def _gradual_name(value: Any, configs: dict[str, Mapping], by_name: dict[str, str], unreadable: bool) -> str | None:
    if isinstance(value, str):
        if is_gradual_builtin(value):
            return value
        logical_id = by_name.get(value)
        return value if logical_id is not None and _custom_config_is_gradual(configs[logical_id], unreadable) else None
    if isinstance(value, Mapping):
        target = ref_target(value)
        if target is not None and target in configs and _custom_config_is_gradual(configs[target], unreadable):
            return target
    return None
