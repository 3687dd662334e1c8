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

from collections.abc import Iterator
from typing import Any

from sam_shift_lint.model.language_extensions import NO_VALUE, runs_before_sam, values_seen_by_sam
from sam_shift_lint.model.sam import GLOBALS_FUNCTION_PATH, HOOK_KEYS, TRANSLATOR_PSEUDO_PARAMETERS, UNKNOWN, Function, SamTemplate
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, Sequence
from sam_shift_lint.records import record


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


@record
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

# ------------------------------------------------------------------------------------ keys

# The keys DeploymentPreference.from_dict and _validate_deployment_preference_and_add_update_policy read (the
# translator's schema, schema_source/aws_serverless_function.py ``DeploymentPreference``, lists the same seven).
# Any other key is ignored silently; so is any ``Hooks`` key but PreTraffic/PostTraffic (HOOK_KEYS).
PREFERENCE_KEYS = ("Type", "Enabled", "Hooks", "Alarms", "Role", "TriggerConfigurations", "PassthroughCondition")

# What people write for a key SAM reads (lower case -> the key), beyond case and spelling slips: CodeDeploy's
# own names for the hooks (AppSpec ``BeforeAllowTraffic``/``AfterAllowTraffic``, the alias UpdatePolicy's
# ``...Hook``), singulars and near names.
_PREFERENCE_SYNONYMS = {
    "alarm": "Alarms",
    "alarmconfiguration": "Alarms",
    "hook": "Hooks",
    "deploymenttype": "Type",
    "deploymentconfig": "Type",
    "deploymentconfigname": "Type",
    "enable": "Enabled",
    "servicerole": "Role",
    "servicerolearn": "Role",
    "rolearn": "Role",
    "triggers": "TriggerConfigurations",
    "trigger": "TriggerConfigurations",
    "triggerconfiguration": "TriggerConfigurations",
}
_HOOK_SYNONYMS = {
    "beforeallowtraffic": "PreTraffic",
    "beforeallowtraffichook": "PreTraffic",
    "pretraffichook": "PreTraffic",
    "pre": "PreTraffic",
    "afterallowtraffic": "PostTraffic",
    "afterallowtraffichook": "PostTraffic",
    "posttraffichook": "PostTraffic",
    "post": "PostTraffic",
}
_MAX_KEY_LENGTH = 64  # longer keys get no suggestion (the distance is quadratic in the length)


def meant_key(key: str, known: tuple[str, ...]) -> str | None:
    """The one key of ``known`` that ``key`` (not itself known) stands for: a case variant, a usual synonym, or
    the only known key within two edits (Damerau-Levenshtein, ignoring case). None when none or several fit."""
    if key in known or len(key) > _MAX_KEY_LENGTH:
        return None
    lowered = key.lower()
    synonyms = _HOOK_SYNONYMS if known == HOOK_KEYS else _PREFERENCE_SYNONYMS
    by_case = [name for name in known if name.lower() == lowered]
    if by_case:
        return by_case[0]
    if lowered in synonyms and synonyms[lowered] in known:
        return synonyms[lowered]
    near = [name for name in known if _within_two_edits(lowered, name.lower())]
    return near[0] if len(near) == 1 else None


def hook_key_at_preference_level(key: str) -> str | None:
    """The hook key a key written directly in the preference names (``PreTraffic`` outside ``Hooks``)."""
    if key in HOOK_KEYS:
        return key
    return meant_key(key, HOOK_KEYS) if len(key) >= 5 else None


def _within_two_edits(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 2 or min(len(a), len(b)) < 4:
        return False
    return _osa_distance(a, b) <= (1 if min(len(a), len(b)) < 6 else 2)


def _osa_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (a swap of two neighbours counts one edit)."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


# ------------------------------------------------------------------------------------ Enabled

# Strings that read as "off" to a person (compared lower case, stripped); only "false"/"False" are off to SAM.
_OFF_WORDS = frozenset({"false", "f", "no", "n", "off", "0", "disabled", "disable", "none", "null", "nil"})


def reads_as_off(value: Any) -> bool:
    """A string a reader takes for "disabled" that the translator treats as enabled (``"FALSE"``, ``"no"``,
    ``"0"``, ``" false"`` ...): anything but exactly ``"false"``/``"False"`` (and ``""``) is truthy to it."""
    return isinstance(value, str) and not value_disables(value) and value.strip().lower() in _OFF_WORDS


# ------------------------------------------------------------------------------------ where it is written


def written_maps(template: SamTemplate, function: Function) -> list[tuple[Mapping, tuple[Any, ...]]]:
    """The preference maps as written (not merged) that may reach ``function``, with their paths: its own
    ``DeploymentPreference`` and ``Hooks``, then those of ``Globals.Function``. A merged map keeps the key nodes
    of these, so :func:`owner_of` tells where a key seen after the merge is written."""
    found: list[tuple[Mapping, tuple[Any, ...]]] = []
    sources = [(function.local, function.path("DeploymentPreference"))]
    sources.append((template.globals_function, GLOBALS_FUNCTION_PATH + ("DeploymentPreference",)))
    for properties, path in sources:
        preference = properties.get("DeploymentPreference") if properties is not None else None
        if isinstance(preference, Mapping) and preference.intrinsic() is None:
            found.append((preference, path))
            hooks = preference.get("Hooks")
            if isinstance(hooks, Mapping) and hooks.intrinsic() is None:
                found.append((hooks, path + ("Hooks",)))
    return found


def owner_of(template: SamTemplate, function: Function, key: Scalar) -> tuple[Mapping, tuple[Any, ...]] | None:
    """The written map (and its path) holding the key node ``key`` of the function's merged preference."""
    for mapping, path in written_maps(template, function):
        if any(entry_key is key for entry_key, _ in mapping.entries.values()):
            return mapping, path
    return None


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
