"""How the SAM translator reads a function's ``DeploymentPreference`` (``deployment_preference.py``,
``sam_resources.py::_validate_deployment_preference_and_add_update_policy``).

* An absent (null) or empty-map preference does nothing; any other non-map value (``''``, ``[]``,
  ``false`` included) is rejected: "Property 'DeploymentPreference' should be a map."
* ``Enabled`` is resolved through parameter ``Ref`` and ``Fn::FindInMap`` only; the preference is
  disabled iff the value is ``"false"``/``"False"`` or falsy (``false``, ``0``, null, ``""``). Anything
  else, including ``"FALSE"``, ``"no"`` (quoted), ``Fn::If`` or a condition name, counts as enabled.
* A preference written as an intrinsic (``Fn::If`` ...) is a dict to the translator: enabled, no ``Type``.
* With ``AWS::LanguageExtensions`` before SAM's transform, the values are those it leaves
  (:mod:`sam_shift_lint.model.language_extensions`).
* ``PassthroughCondition`` is validated whenever the preference is a non-empty map, disabled or not
  (``_resolve_property_to_boolean``): after resolving parameter ``Ref`` and ``Fn::FindInMap`` the value must
  equal ``True``/``"true"``/``"True"``/``False``/``"false"``/``"False"`` (Python ``==``, so ``1`` and ``0``
  pass too); anything else, null included, is rejected ("Invalid value for property PassthroughCondition."),
  as is an intrinsic left unresolved ("Unsupported intrinsic: ...").
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sam_shift_lint.model.language_extensions import NO_VALUE, runs_before_sam, values_seen_by_sam
from sam_shift_lint.model.sam import TRANSLATOR_PSEUDO_PARAMETERS, UNKNOWN, Function, SamTemplate
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, Sequence


def value_disables(value: Any) -> bool:
    if value is UNKNOWN:
        return False
    if isinstance(value, Mapping):  # an unresolved intrinsic is a non-empty dict: truthy
        return not value.entries
    if isinstance(value, Sequence):
        return not value.items
    return value in ("false", "False") or not value


def enabled_values(template: SamTemplate, node: Node) -> list[Any]:
    """The values the translator may see for ``Enabled``: it resolves only parameter ``Ref`` and
    ``Fn::FindInMap``; any other intrinsic (``Fn::If``, ``Fn::Sub`` ...) stays a dict, which is truthy."""
    if runs_before_sam(template):
        seen = values_seen_by_sam(template, node)
        if seen is not None:  # resolved before SAM; a removed Enabled means SAM's default: enabled
            return [True if value is NO_VALUE else value for value in seen]
    intrinsic = node.intrinsic() if isinstance(node, Mapping) else None
    if intrinsic is not None and intrinsic[0] not in ("Ref", "Fn::FindInMap"):
        return [node]
    return template.candidates(node, through_if=False)


@dataclass
class PreferenceState:
    node: Node | None
    present: bool  # the translator acts on it (non-empty)
    is_map: bool
    maybe_enabled: bool
    maybe_disabled: bool


def preference_state(template: SamTemplate, function: Function) -> PreferenceState:
    node = function.get("DeploymentPreference")
    if node is None or (isinstance(node, Scalar) and node.value is None):
        return PreferenceState(node, False, False, False, False)
    if isinstance(node, Mapping) and node.intrinsic() is None:
        if not node.entries:
            return PreferenceState(node, False, True, False, False)
        enabled = node.get("Enabled")
        if enabled is None:
            return PreferenceState(node, True, True, True, False)
        values = enabled_values(template, enabled)
        maybe_disabled = any(value_disables(v) or v is UNKNOWN for v in values)
        maybe_enabled = any(not value_disables(v) for v in values)
        return PreferenceState(node, True, True, maybe_enabled, maybe_disabled)
    if isinstance(node, (Sequence, Scalar)):  # rejected before anything else: "should be a map"
        return PreferenceState(node, True, False, False, False)
    return PreferenceState(node, True, False, True, False)  # intrinsic: a dict the translator cannot read


PASSTHROUGH_VALUES = (True, "true", "True", False, "false", "False")
PSEUDO_VALUE_PREFIX = "pseudo parameter "  # a value standing for what the translator substitutes for it


def passthrough_accepts(value: Any) -> bool:
    """Does the translator accept this resolved ``PassthroughCondition`` value (``UNKNOWN``: cannot tell)?"""
    if value is UNKNOWN:
        return True
    if isinstance(value, Node):  # an intrinsic the translator could not resolve
        return False
    return isinstance(value, (bool, int, float, str)) and any(value == accepted for accepted in PASSTHROUGH_VALUES)


def passthrough_values(template: SamTemplate, node: Node) -> list[Any]:
    """The values the translator may see for ``PassthroughCondition`` (it resolves what ``Enabled`` resolves, and
    the pseudo parameters it knows, to a region or partition name: never a boolean)."""
    if runs_before_sam(template):
        seen = values_seen_by_sam(template, node)
        if seen is not None:  # resolved before SAM; a removed key is not validated
            return [False if value is NO_VALUE else value for value in seen]
    intrinsic = node.intrinsic() if isinstance(node, Mapping) else None
    if intrinsic is not None and intrinsic[0] == "Ref" and isinstance(intrinsic[1], Scalar):
        if intrinsic[1].value in TRANSLATOR_PSEUDO_PARAMETERS:
            return [f"{PSEUDO_VALUE_PREFIX}{intrinsic[1].value}"]
    return enabled_values(template, node)
