"""How the SAM translator reads a function's ``DeploymentPreference`` (``deployment_preference.py``,
``sam_resources.py::_validate_deployment_preference_and_add_update_policy``).

* An absent (null) or empty-map preference does nothing; any other non-map value (``''``, ``[]``,
  ``false`` included) is rejected: "Property 'DeploymentPreference' should be a map."
* ``Enabled`` is resolved through parameter ``Ref`` and ``Fn::FindInMap`` only; the preference is
  disabled iff the value is ``"false"``/``"False"`` or falsy (``false``, ``0``, null, ``""``). Anything
  else, including ``"FALSE"``, ``"no"`` (quoted), ``Fn::If`` or a condition name, counts as enabled.
* A preference written as an intrinsic (``Fn::If`` ...) is a dict to the translator: enabled, no ``Type``.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sam_shift_lint.model.sam import UNKNOWN, Function, SamTemplate
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


def enabled_preferences(template: SamTemplate) -> Iterator[tuple[Function, PreferenceState]]:
    """Each function with a preference the translator acts on and that may be enabled, with its state (what
    the rules about an active preference look at)."""
    for function in template.functions.values():
        state = preference_state(template, function)
        if state.present and state.maybe_enabled:
            yield function, state
