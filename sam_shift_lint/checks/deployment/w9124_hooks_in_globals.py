"""## What it does
Reports `Hooks` (with `PreTraffic` or `PostTraffic`) in `Globals.Function.DeploymentPreference` when they reach
the enabled preferences of two or more functions other than the hooks themselves (a hook that inherits the
preference is W9113's). Reported once, at the `Hooks` key in `Globals`.

## Why it breaks deployments
Hooks merge per key into every function's preference, so every function's deployment runs the same hook. A
hook usually tests one function (it invokes that function's new version); run for another function's
deployment it tests the wrong code, passes or fails regardless of what is being deployed, and every deploy of
the stack waits for it once per function.

## Example
```yaml
Globals:
  Function:
    DeploymentPreference:
      Type: Canary10Percent5Minutes
      Hooks:
        PreTraffic: !Ref CheckOrdersHook     # also runs for Payments, Users ...
```
Use instead: `Hooks` on each function's own `DeploymentPreference`, naming that function's hook.

## Fix safety
No fix: which function each hook belongs to is for the author to say.
"""
from __future__ import annotations

from collections.abc import Iterator

from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta, no_fix
from sam_shift_lint.findings import Finding
from sam_shift_lint.model.iam_view import executed_hooks
from sam_shift_lint.model.preference import preference_state
from sam_shift_lint.model.sam import HOOK_KEYS, hook_targets
from sam_shift_lint.parsing.nodes import Mapping, get_path

META = RuleMeta(
    id="W9124",
    name="hooks-in-globals",
    summary="Hooks in Globals run for every function",
    tags=("sam", "codedeploy"),
    fix=FixAvailability.NONE,
)

fix = no_fix

_NAMED = 3  # functions named in the message


def check(ctx: CheckContext) -> Iterator[Finding]:
    template = ctx.sam
    preference = get_path(template.globals_function, "DeploymentPreference") if template.globals_function else None
    if not isinstance(preference, Mapping) or preference.intrinsic() is not None:
        return
    hooks = preference.get("Hooks")
    hooks_key = preference.key_node("Hooks")
    if not isinstance(hooks, Mapping) or hooks.intrinsic() is not None or hooks_key is None or not hook_targets(hooks):
        return
    targets = template.functions_named_in(hooks) | set(executed_hooks(template))  # hooks with a preference: W9113
    receivers = []
    for function in template.functions.values():
        if function.logical_id in targets:
            continue
        state = preference_state(template, function)
        if not (state.present and state.maybe_enabled) or not _inherits_hook(function.get("DeploymentPreference"), hooks):
            continue
        receivers.append(function)
    if len(receivers) < 2:
        return
    names = ", ".join(f"'{f.logical_id}'" for f in receivers[:_NAMED]) + (" ..." if len(receivers) > _NAMED else "")
    message = (
        f"Hooks in Globals run for the deployment of every function ({len(receivers)}: {names}): a hook usually "
        "tests one function; put Hooks on each function's own DeploymentPreference"
    )
    first = receivers[0]
    path = first.path("DeploymentPreference", "Hooks")
    yield Finding(META.id, message, template.document.path, hooks_key.span, first.logical_id, path)


def _inherits_hook(preference: object, global_hooks: Mapping) -> bool:
    """The function's merged Hooks still hold a hook key written in Globals (not replaced locally)."""
    merged = get_path(preference, "Hooks") if isinstance(preference, Mapping) else None
    if not isinstance(merged, Mapping):
        return False
    for key in HOOK_KEYS:
        entry, global_entry = merged.entries.get(key), global_hooks.entries.get(key)
        if entry is not None and global_entry is not None and entry[1] is global_entry[1]:
            return True
    return False
