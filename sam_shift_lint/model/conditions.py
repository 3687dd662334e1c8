"""Which generated CodeDeploy resources get a function's ``Condition``
(``deployment_preference.py`` ``from_dict``, ``deployment_preference_collection.py``).

* The function's own resources (``AWS::Lambda::Function``, its role, version and alias) always get its
  ``Condition``.
* Its ``<Fn>DeploymentGroup`` gets it only when the preference has ``PassthroughCondition`` true.
* ``ServerlessDeploymentApplication`` and ``CodeDeployServiceRole`` get a condition (the function's, or
  ``ServerlessCodeDeployCondition`` = ``Fn::Or`` of several) only when *every* enabled preference of the
  template passes one through; otherwise they are created unconditionally.

``PassthroughCondition`` is resolved through parameter ``Ref``/``Fn::FindInMap`` and then read as a boolean
(``true``/``"true"``/``"True"``). When absent, the translator asks the feature toggle
``deployment_preference_condition_fix``, which is off offline; what the CloudFormation-hosted transform
answers cannot be checked offline.
"""
from __future__ import annotations

from typing import Any

from sam_shift_lint.model.sam import Function, SamTemplate
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar

# Compared with ``in`` as the translator does, so ``1``/``0`` count as true/false too.
TRUE_VALUES = [True, "true", "True"]
FALSE_VALUES = [False, "false", "False"]


def resource_condition(function: Function) -> str | None:
    """The function's ``Condition`` resource attribute (a condition name), if any."""
    node = function.resource.get("Condition")
    return node.value if isinstance(node, Scalar) and isinstance(node.value, str) and node.value else None


def passthrough_values(template: SamTemplate, node: Node) -> list[Any]:
    """The values the translator may read for ``PassthroughCondition``."""
    intrinsic = node.intrinsic() if isinstance(node, Mapping) else None
    if intrinsic is not None and intrinsic[0] not in ("Ref", "Fn::FindInMap"):
        return [node]
    return template.candidates(node, through_if=False)


def never_passes_condition(template: SamTemplate, preference: Mapping) -> bool:
    """The preference certainly does not pass the function's condition to its deployment group:
    ``PassthroughCondition`` is absent or every value it may take is false."""
    node = preference.get("PassthroughCondition")
    if node is None:
        return True
    return all(_is_false(value) for value in passthrough_values(template, node))


def _is_false(value: Any) -> bool:
    return isinstance(value, (bool, int, float, str)) and value in FALSE_VALUES
