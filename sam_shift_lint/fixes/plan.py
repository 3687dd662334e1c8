"""Which fix each finding gets: the edits a careful human would make, and the data change they intend.

| finding | fix | applicability |
| W9101 / E9103 | add ``AutoPublishAlias`` | safe |
| W9102 | add ``DeploymentPreference: {Enabled: true, Type: <type>}`` (and the alias when missing) | safe |
| E9104 | add ``Type: <type>`` | unsafe |
| E9105 | correct the case of a built-in type (safe); a unique spelling correction (unsafe) | |
| E9106 | none: renaming an alias replaces it (display only) | display |

Placement ``auto`` puts additions into ``Globals.Function`` when every non-hook function needs them (and
can inherit them), otherwise on each function. When a global DeploymentPreference is added, every hook
function gets ``DeploymentPreference: {Enabled: false}`` so it is not traffic-shifted itself.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple

from .. import deployment_types
from ..checks.alias import alias_is_missing
from ..document import Mapping, Node, Scalar, Sequence, get_path
from ..findings import DataChange, Finding, Fix
from ..preference import preference_state
from ..sam import Function, SamTemplate
from .positions import EditError
from .textedit import TextEditor

PLACEMENTS = ("auto", "globals", "function")
GLOBALS_PATH: Tuple[str, ...] = ("Globals", "Function")


@dataclass(frozen=True)
class FixConfig:
    alias: str = "live"
    deployment_type: str = "AllAtOnce"
    placement: str = "auto"
    # IAM rules: the deploy region/account (--region, --account-id; None: what the file's ARNs agree on) and
    # the profile a named policy file is checked against (--policy-profile)
    region: Optional[str] = None
    account: Optional[str] = None
    policy_profile: Optional[str] = None


class ChangeSet:
    """Keys to add per mapping path and scalars to replace, rendered into one edit per place."""

    def __init__(self, template: SamTemplate) -> None:
        self.template = template
        self.adds: Dict[Tuple[str, ...], Dict[str, Any]] = {}
        self.replacements: List[Tuple[Scalar, Tuple[Any, ...], Any]] = []

    def add(self, path: Tuple[str, ...], key: str, value: Any) -> None:
        self.adds.setdefault(path, {})[key] = value

    def replace(self, node: Scalar, path: Tuple[Any, ...], value: Any) -> None:
        self.replacements.append((node, path, value))

    def fix(self, applicability: str, description: str) -> Optional[Fix]:
        try:
            edits, changes = self._render()
        except EditError:
            return None
        if not edits:
            return None
        return Fix(applicability, description, tuple(edits), tuple(changes))

    def _render(self) -> Tuple[list, list]:
        editor = TextEditor(self.template.document)
        root = self.template.document.root
        edits, changes = [], []
        for path, entries in self.adds.items():
            existing, missing = _deepest_mapping(root, path)
            value: Dict[str, Any] = dict(entries)
            for key in reversed(missing[1:]):
                value = {key: value}
            if missing:
                before = "Resources" if existing is root and missing[0] == "Globals" else None
                edits.append(editor.add_entries(existing, {missing[0]: value}, before=before))
                changes.append(DataChange("add", path[: len(path) - len(missing) + 1], value))
            else:
                edits.append(editor.add_entries(existing, value))
                changes.extend(DataChange("add", path + (key,), entry) for key, entry in value.items())
        for node, path, new_value in self.replacements:
            edits.append(editor.replace_scalar(node, new_value))
            changes.append(DataChange("replace", path, new_value))
        return edits, changes


def _deepest_mapping(root: Node, path: Tuple[str, ...]) -> Tuple[Mapping, List[str]]:
    """The deepest existing mapping along ``path`` and the keys still missing below it."""
    node: Node = root
    for index, key in enumerate(path):
        if not isinstance(node, Mapping) or node.intrinsic() is not None:
            raise EditError(f"{'.'.join(path[:index])} is not a map")
        child = node.get(key)
        if child is None:
            return node, list(path[index:])
        node = child
    if not isinstance(node, Mapping) or node.intrinsic() is not None:
        raise EditError(f"{'.'.join(path)} is not a map")
    return node, []


class FixPlanner:
    def __init__(self, template: SamTemplate, config: FixConfig) -> None:
        self.template = template
        self.config = config
        self.non_hooks = [f for name, f in template.functions.items() if name not in template.hook_functions]

    # ------------------------------------------------------------------------------ placement

    def _can_inherit(self, function: Function, name: str) -> bool:
        ignore = function.resource.get("IgnoreGlobals")
        if isinstance(ignore, Scalar) and ignore.value == "*":
            return False
        if isinstance(ignore, Sequence) and any(isinstance(i, Scalar) and i.value == name for i in ignore.items):
            return False
        return function.local is None or name not in function.local.entries

    def _global_placement(self, name: str, needs) -> bool:  # type: ignore[no-untyped-def]
        if self.config.placement == "function":
            return False
        if self.template.document.root is None or not self.non_hooks or not self._globals_writable():
            return False
        if self.config.placement == "globals":
            return True
        return all(needs(f) and self._can_inherit(f, name) for f in self.non_hooks)

    def _globals_writable(self) -> bool:
        """Globals and Globals.Function are maps (or absent); otherwise additions go on each function."""
        try:
            _deepest_mapping(self.template.document.root, GLOBALS_PATH)
        except EditError:
            return False
        return True

    def _needs_alias(self, function: Function) -> bool:
        return alias_is_missing(function)

    def _needs_preference(self, function: Function) -> bool:
        return not preference_state(self.template, function).present

    # ------------------------------------------------------------------------------ additions

    def _add_alias(self, changes: ChangeSet, function: Function) -> None:
        alias = self.config.alias
        local = function.local.get("AutoPublishAlias") if function.local is not None else None
        if isinstance(local, Scalar) and local.value == "":
            changes.replace(local, function.path("AutoPublishAlias"), alias)
        elif local is not None:
            raise EditError("AutoPublishAlias is null")
        elif self._global_placement("AutoPublishAlias", self._needs_alias) and self._can_inherit(function, "AutoPublishAlias"):
            existing = get_path(self.template.globals_function, "AutoPublishAlias") if self.template.globals_function else None
            if isinstance(existing, Scalar) and existing.value == "":
                changes.replace(existing, GLOBALS_PATH + ("AutoPublishAlias",), alias)
            else:
                changes.add(GLOBALS_PATH, "AutoPublishAlias", alias)
        else:
            changes.add(function.path(), "AutoPublishAlias", alias)

    def _add_preference(self, changes: ChangeSet, function: Function) -> None:
        value = {"Enabled": True, "Type": self.config.deployment_type}
        if function.local is not None and "DeploymentPreference" in function.local.entries:
            raise EditError("an empty DeploymentPreference is written on the function")
        if self._global_placement("DeploymentPreference", self._needs_preference) and self._can_inherit(
            function, "DeploymentPreference"
        ):
            changes.add(GLOBALS_PATH, "DeploymentPreference", value)
            for hook in self.template.hook_functions:
                self._disable_for_hook(changes, self.template.functions[hook])
        else:
            changes.add(function.path(), "DeploymentPreference", value)

    def _disable_for_hook(self, changes: ChangeSet, hook: Function) -> None:
        if not self._can_inherit(hook, "DeploymentPreference"):
            local = hook.local.get("DeploymentPreference") if hook.local is not None else None
            if isinstance(local, Mapping) and local.intrinsic() is None and "Enabled" not in local.entries:
                changes.add(hook.path("DeploymentPreference"), "Enabled", False)
            return
        changes.add(hook.path(), "DeploymentPreference", {"Enabled": False})

    # ------------------------------------------------------------------------------ per rule

    def fix_for(self, finding: Finding) -> Optional[Fix]:
        function = self.template.functions.get(finding.resource or "")
        if function is None:
            return None
        builder = getattr(self, "_fix_" + finding.rule, None)
        if builder is None:
            return None
        try:
            return builder(finding, function)
        except EditError:
            return None

    def _fix_W9101(self, finding: Finding, function: Function) -> Optional[Fix]:
        changes = ChangeSet(self.template)
        self._add_alias(changes, function)
        return changes.fix("safe", f"Add AutoPublishAlias: {self.config.alias}")

    def _fix_E9103(self, finding: Finding, function: Function) -> Optional[Fix]:
        if function.logical_id in self.template.hook_functions and "DeploymentPreference" in function.from_globals:
            changes = ChangeSet(self.template)
            self._disable_for_hook(changes, function)
            return changes.fix("safe", "Turn off traffic shifting for this hook function")
        return self._fix_W9101(finding, function)

    def _fix_W9102(self, finding: Finding, function: Function) -> Optional[Fix]:
        changes = ChangeSet(self.template)
        if alias_is_missing(function):
            self._add_alias(changes, function)
        self._add_preference(changes, function)
        return changes.fix(
            "safe", f"Add DeploymentPreference (Enabled: true, Type: {self.config.deployment_type})"
        )

    def _fix_E9104(self, finding: Finding, function: Function) -> Optional[Fix]:
        state = preference_state(self.template, function)
        if not isinstance(state.node, Mapping) or state.node.intrinsic() is not None:
            return None
        changes = ChangeSet(self.template)
        type_node = state.node.get("Type")
        kind = self.config.deployment_type
        if type_node is None:
            local = function.local.get("DeploymentPreference") if function.local is not None else None
            if isinstance(local, Mapping) and local.intrinsic() is None:
                changes.add(function.path("DeploymentPreference"), "Type", kind)
            else:
                changes.add(GLOBALS_PATH + ("DeploymentPreference",), "Type", kind)
        elif isinstance(type_node, Scalar) and type_node.value == "":
            changes.replace(type_node, self._type_path(function, type_node), kind)
        else:
            return None
        return changes.fix("unsafe", f"Set Type: {kind}")

    def _type_path(self, function: Function, type_node: Node) -> Tuple[str, ...]:
        """Where the ``Type`` node is written: on the function or in Globals."""
        local_type = get_path(function.local, "DeploymentPreference", "Type") if function.local is not None else None
        if local_type is type_node:
            return function.path("DeploymentPreference", "Type")
        return GLOBALS_PATH + ("DeploymentPreference", "Type")

    def _fix_E9105(self, finding: Finding, function: Function) -> Optional[Fix]:
        state = preference_state(self.template, function)
        type_node = state.node.get("Type") if isinstance(state.node, Mapping) else None
        if not isinstance(type_node, Scalar) or not isinstance(type_node.value, str):
            return None
        corrected = deployment_types.case_match(type_node.value)
        applicability = "safe"
        if corrected is None:
            corrected = deployment_types.closest(type_node.value)
            applicability = "unsafe"
        if corrected is None:
            return None
        changes = ChangeSet(self.template)
        changes.replace(type_node, self._type_path(function, type_node), corrected)
        return changes.fix(applicability, f"Change Type to {corrected}")

    def _fix_E9106(self, finding: Finding, function: Function) -> Optional[Fix]:
        return Fix(
            "display",
            f"Rename the alias to a valid name such as '{self.config.alias}' by hand: renaming replaces the alias "
            "(and the deployment group's target), so it is never done automatically",
        )


def attach_fixes(template: SamTemplate, findings: List[Finding], config: FixConfig) -> List[Finding]:
    planner = FixPlanner(template, config)
    result = []
    for finding in findings:
        fix = planner.fix_for(finding)
        result.append(dataclasses.replace(finding, fix=fix) if fix else finding)
    return result
