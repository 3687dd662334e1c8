"""How the SAM translator reads a function's ``DeploymentPreference`` (``deployment_preference.py``,
``sam_resources.py::_validate_deployment_preference_and_add_update_policy``).

* An absent or empty preference does nothing.
* ``Enabled`` is resolved through parameter ``Ref`` and ``Fn::FindInMap`` only; the preference is
  disabled iff the value is ``"false"``/``"False"`` or falsy (``false``, ``0``, null, ``""``). Anything
  else, including ``"FALSE"``, ``"no"`` (quoted), ``Fn::If`` or a condition name, counts as enabled.
* A preference written as an intrinsic (``Fn::If`` ...) is a dict to the translator: enabled, no ``Type``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from .document import Mapping, Node, Scalar, Sequence
from .sam import UNKNOWN, Function, SamTemplate


def value_disables(value: Any) -> bool:
    if value is UNKNOWN:
        return False
    if isinstance(value, Node):  # an unresolved intrinsic is a non-empty dict: truthy
        return False
    return value in ("false", "False") or not value


@dataclass
class PreferenceState:
    node: Optional[Node]
    present: bool  # the translator acts on it (non-empty)
    is_map: bool
    maybe_enabled: bool
    maybe_disabled: bool

    @property
    def explicitly_disabled_only(self) -> bool:
        return self.maybe_disabled and not self.maybe_enabled


def preference_state(template: SamTemplate, function: Function) -> PreferenceState:
    node = function.get("DeploymentPreference")
    if node is None or (isinstance(node, Scalar) and node.value in (None, "")):
        return PreferenceState(node, False, False, False, False)
    if isinstance(node, Mapping) and node.intrinsic() is None:
        if not node.entries:
            return PreferenceState(node, False, True, False, False)
        enabled = node.get("Enabled")
        if enabled is None:
            return PreferenceState(node, True, True, True, False)
        values = template.candidates(enabled, through_if=False)
        maybe_disabled = any(value_disables(v) or v is UNKNOWN for v in values)
        maybe_enabled = any(not value_disables(v) for v in values)
        return PreferenceState(node, True, True, maybe_enabled, maybe_disabled)
    if isinstance(node, (Sequence, Scalar)):
        truthy = bool(node.items) if isinstance(node, Sequence) else bool(node.value)
        return PreferenceState(node, truthy, False, truthy, False)
    return PreferenceState(node, True, False, True, False)  # intrinsic: a dict the translator cannot read
