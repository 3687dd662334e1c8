"""The CodeDeploy deployment group SAM makes of each function's enabled ``DeploymentPreference``
(``deployment_preference_collection.py::deployment_group``), read after the Globals merge:

* ``ServiceRoleArn`` is ``DeploymentPreference.Role`` when given, else SAM's own ``CodeDeployServiceRole``
  (``AWSCodeDeployRoleForLambda`` attached);
* ``AlarmConfiguration`` holds the ``Alarms`` names; a list that is empty or starts with ``!Ref AWS::NoValue``
  gives no alarms; ``Fn::If`` over two lists gives either (``_convert_alarms``);
* ``TriggerConfigurations`` are copied as written (each ``TriggerTargetArn`` an SNS topic ARN);
* the hooks are the ``PreTraffic``/``PostTraffic`` values (the only keys SAM reads).
"""
from __future__ import annotations

from sam_shift_lint.model.intrinsics import if_branches, is_no_value
from sam_shift_lint.model.preference import preference_state
from sam_shift_lint.model.sam import Function, SamTemplate, hook_targets
from sam_shift_lint.parsing.nodes import Mapping, Node, Sequence
from sam_shift_lint.records import field, record


@record
class DeploymentGroup:
    """What one function's deployment group is made of (every value ``Fn::If`` may give, NoValue left out)."""

    function: Function
    preference: Mapping
    roles: list[Node] = field(default_factory=list)  # DeploymentPreference.Role values; none: SAM's role
    hooks: list[Node] = field(default_factory=list)
    alarms: list[Node] = field(default_factory=list)
    trigger_targets: list[Node] = field(default_factory=list)


def deployment_groups(template: SamTemplate) -> list[DeploymentGroup]:
    """The deployment groups of the functions whose preference may be enabled, in template order."""
    groups = []
    for function in template.functions.values():
        state = preference_state(template, function)
        node = state.node
        if not (state.present and state.maybe_enabled and isinstance(node, Mapping)) or node.intrinsic() is not None:
            continue
        group = DeploymentGroup(function, node)
        group.roles = _branches(node.get("Role"))
        hooks = node.get("Hooks")
        if isinstance(hooks, Mapping) and hooks.intrinsic() is None:
            group.hooks = [value for target in hook_targets(hooks) for value in _branches(target)]
        group.alarms = _alarms(node.get("Alarms"))
        group.trigger_targets = _trigger_targets(node.get("TriggerConfigurations"))
        groups.append(group)
    return groups


def _branches(node: Node | None) -> list[Node]:
    if node is None:
        return []
    return [value for value, _, _ in if_branches(node) if not is_no_value(value)]


def _alarms(node: Node | None) -> list[Node]:
    names: list[Node] = []
    for alarms in _branches(node):
        if not isinstance(alarms, Sequence) or not alarms.items or is_no_value(alarms.items[0]):
            continue
        for item in alarms.items:
            names.extend(_branches(item))
    return names


def _trigger_targets(node: Node | None) -> list[Node]:
    targets: list[Node] = []
    for triggers in _branches(node):
        items = triggers.items if isinstance(triggers, Sequence) else []
        for item in items:
            for trigger in _branches(item):
                if isinstance(trigger, Mapping) and trigger.intrinsic() is None:
                    targets.extend(_branches(trigger.get("TriggerTargetArn")))
    return targets
