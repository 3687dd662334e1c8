"""Where the deployment fixes write: ``Globals.Function`` or each function.

Placement ``auto`` puts additions into ``Globals.Function`` when every non-hook function needs them (and can
inherit them, and has not declined them: ``ctx.declined``, its finding asking for them is suppressed), otherwise
on each function. When a global ``DeploymentPreference`` is added, every hook function gets
``DeploymentPreference: {Enabled: false}`` so it is not traffic-shifted itself. One planner is shared by all
findings of a template (``ctx.shared(DeploymentFixes)``), so the decision is made once.

A global preference is decided from what the fix itself will apply, never from what other findings' fixes
might add: it reaches every function that does not ignore it, and SAM rejects each of them that is enabled
without an alias. So the same fix adds every alias the global preference needs, and the preference goes into
``Globals`` only when all of them can be added (a local ``AutoPublishAlias: null`` cannot: the function gets
its own preference instead, or none). The fix is then identical for every finding and applies once, whatever
rules are selected.
"""
from __future__ import annotations

from collections.abc import Callable

from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.editing.builder import FixBuilder, deepest_mapping
from sam_shift_lint.editing.positions import EditError
from sam_shift_lint.findings import Applicability, Fix
from sam_shift_lint.model.alias import alias_is_missing
from sam_shift_lint.model.preference import enabled_values, preference_state, value_disables
from sam_shift_lint.model.sam import ALL_GLOBALS, GLOBALS_FUNCTION_PATH, Function, ignored_globals
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, get_path

__all__ = ["GLOBALS_FUNCTION_PATH", "DeploymentFixes", "EditError"]


class DeploymentFixes:
    """Builds the deployment fixes of one template under the fix settings."""

    def __init__(self, ctx: CheckContext) -> None:
        # Not the context itself: it keeps this planner (ctx.shared), and a reference cycle would keep the
        # parsed document alive until the garbage collector runs.
        self.document = ctx.document
        self.declined = ctx.declined  # the context's own dict (the engine fills it in place)
        self.template = ctx.sam
        self.settings = ctx.fixes
        self.non_hooks = [f for name, f in self.template.functions.items() if name not in self.template.hook_functions]
        self._preference_globally: bool | None = None
        self._global: dict[str, bool] = {}  # property name -> placed in Globals (decided once per template)
        self._reached: list[Function] | None = None
        self._global_preference: tuple[Fix | None] | None = None  # built once: every function's fix is this one

    def builder(self) -> FixBuilder:
        return FixBuilder(self.document)

    # ------------------------------------------------------------------------------ placement

    def _global_placement(self, name: str, needs: Callable[[Function], bool]) -> bool:
        """Does an addition of ``name`` go into ``Globals.Function``? Decided once per template and property
        (every function's fix asks; deciding it anew would be quadratic in the number of functions)."""
        if name not in self._global:
            self._global[name] = self._decide_global_placement(name, needs)
        return self._global[name]

    def _decide_global_placement(self, name: str, needs: Callable[[Function], bool]) -> bool:
        if self.settings.placement == "function":
            return False
        if self.template.document.root is None or not self.non_hooks or not self._globals_writable():
            return False
        if self.settings.placement == "globals":
            return True
        declined = self.declined.get(name, frozenset())
        return all(needs(f) and f.can_inherit(name) and f.logical_id not in declined for f in self.non_hooks)

    def _globals_writable(self) -> bool:
        """Globals and Globals.Function are maps (or absent); otherwise additions go on each function."""
        try:
            deepest_mapping(self.template.document.root, GLOBALS_FUNCTION_PATH)
        except EditError:
            return False
        return True

    def _needs_preference(self, function: Function) -> bool:
        return not preference_state(self.template, function).present

    def preference_in_globals(self) -> bool:
        """Does the added preference go into ``Globals`` (decided once per template)?"""
        if self._preference_globally is None:
            self._preference_globally = (
                self._global_placement("DeploymentPreference", self._needs_preference)
                and not self._globals_have("DeploymentPreference")
                and all(self._alias_can_be_assured(f) for f in self._needing_alias_under_global_preference())
            )
        return self._preference_globally

    def _globals_have(self, name: str) -> bool:
        return self.template.globals_function is not None and name in self.template.globals_function.entries

    def _needing_alias_under_global_preference(self) -> list[Function]:
        """The non-hook functions a global preference would reach and (maybe) enable: SAM's merge gives it to
        every function that does not ignore it and has no local preference, or a local map (merged; its own
        ``Enabled`` wins). Hooks are turned off by the same fix. Computed once per template."""
        if self._reached is None:
            self._reached = self._reached_by_global_preference()
        return self._reached

    def _reached_by_global_preference(self) -> list[Function]:
        reached = []
        for function in self.non_hooks:
            ignored = ignored_globals(function.resource)
            if ALL_GLOBALS in ignored or "DeploymentPreference" in ignored:
                continue
            local = function.local.get("DeploymentPreference") if function.local is not None else None
            if local is not None and not (isinstance(local, Mapping) and local.intrinsic() is None):
                continue  # a non-map local value replaces the global one
            enabled = local.get("Enabled") if isinstance(local, Mapping) else None
            if enabled is not None and all(value_disables(v) for v in enabled_values(self.template, enabled)):
                continue
            reached.append(function)
        return reached

    def _alias_can_be_assured(self, function: Function) -> bool:
        if not alias_is_missing(function):
            return True
        try:
            self.add_alias(self.builder(), function)
        except EditError:
            return False
        return True

    # ------------------------------------------------------------------------------ additions

    def add_alias(self, changes: FixBuilder, function: Function) -> None:
        alias = self.settings.alias
        local = function.local.get("AutoPublishAlias") if function.local is not None else None
        if isinstance(local, Scalar) and local.value == "":
            changes.replace_value(local, function.path("AutoPublishAlias"), alias)
        elif local is not None:
            raise EditError("AutoPublishAlias is null")
        elif self._global_placement("AutoPublishAlias", alias_is_missing) and function.can_inherit("AutoPublishAlias"):
            existing = get_path(self.template.globals_function, "AutoPublishAlias") if self.template.globals_function else None
            if isinstance(existing, Scalar) and existing.value == "":
                changes.replace_value(existing, GLOBALS_FUNCTION_PATH + ("AutoPublishAlias",), alias)
            elif existing is None:
                changes.add_at(GLOBALS_FUNCTION_PATH, "AutoPublishAlias", alias)
            else:  # a global null: the function's own value overrides it
                changes.add_at(function.path(), "AutoPublishAlias", alias)
        else:
            changes.add_at(function.path(), "AutoPublishAlias", alias)

    def preference_fix(self, function: Function, description: str) -> Fix | None:
        """The fix adding ``function``'s preference. A preference going into ``Globals`` is one fix (with every
        alias it needs and the hooks turned off), the same for every function: it is built once per template,
        not once per function (which would be quadratic in the number of functions)."""
        try:
            if self._goes_to_globals(function):
                if self._global_preference is None:
                    changes = self.builder()
                    self.add_preference(changes, function)
                    self._global_preference = (changes.build(Applicability.SAFE, description),)
                return self._global_preference[0]
            changes = self.builder()
            self.add_preference(changes, function)
        except EditError:
            return None
        return changes.build(Applicability.SAFE, description)

    def _goes_to_globals(self, function: Function) -> bool:
        if function.local is not None and "DeploymentPreference" in function.local.entries:
            raise EditError("an empty DeploymentPreference is written on the function")
        return self.preference_in_globals() and function.can_inherit("DeploymentPreference")

    def add_preference(self, changes: FixBuilder, function: Function) -> None:
        """Add the preference, with every alias it needs (the function's own, or, in ``Globals``, those of all
        functions it reaches); raises EditError when an alias cannot be added."""
        value = {"Enabled": True, "Type": self.settings.deployment_type}
        if self._goes_to_globals(function):
            for reached in self._needing_alias_under_global_preference():
                if alias_is_missing(reached):
                    self.add_alias(changes, reached)
            changes.add_at(GLOBALS_FUNCTION_PATH, "DeploymentPreference", value)
            for hook in sorted(self.template.hook_functions):
                self.disable_for_hook(changes, self.template.functions[hook])
        else:
            if alias_is_missing(function):
                self.add_alias(changes, function)
            changes.add_at(function.path(), "DeploymentPreference", value)

    def disable_for_hook(self, changes: FixBuilder, hook: Function) -> None:
        if not hook.can_inherit("DeploymentPreference"):
            local = hook.local.get("DeploymentPreference") if hook.local is not None else None
            if isinstance(local, Mapping) and local.intrinsic() is None and "Enabled" not in local.entries:
                changes.add_at(hook.path("DeploymentPreference"), "Enabled", False)
            return
        changes.add_at(hook.path(), "DeploymentPreference", {"Enabled": False})

    def type_path(self, function: Function, type_node: Node) -> tuple[str, ...]:
        """Where the ``Type`` node is written: on the function or in Globals."""
        local_type = get_path(function.local, "DeploymentPreference", "Type") if function.local is not None else None
        if local_type is type_node:
            return function.path("DeploymentPreference", "Type")
        return GLOBALS_FUNCTION_PATH + ("DeploymentPreference", "Type")


def function_of(ctx: CheckContext, resource: str | None) -> Function | None:
    """The function a deployment finding is about."""
    return ctx.sam.functions.get(resource or "")


def alias_fix(ctx: CheckContext, function: Function) -> Fix | None:
    """Add the alias (W9101, and E9103 when the alias is what is missing)."""
    planner = ctx.shared(DeploymentFixes)
    changes = planner.builder()
    try:
        planner.add_alias(changes, function)
    except EditError:
        return None
    return changes.build(Applicability.SAFE, f"Add AutoPublishAlias: {ctx.fixes.alias}")
