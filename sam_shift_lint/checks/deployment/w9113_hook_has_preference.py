"""## What it does
Reports a hook function (named in `Hooks.PreTraffic`/`PostTraffic` of a preference that may be enabled) that
has an enabled `DeploymentPreference` itself, usually inherited from `Globals`, and an `AutoPublishAlias`.
A hook that gets the preference but no alias is rejected by SAM; E9103 reports that case (with the same fix),
this rule does not, so each hook is reported once.

## Why it breaks deployments
SAM gives the hook its own version, alias, deployment group and canary, and its alias's `UpdatePolicy` runs
the global hooks, so the hook tests itself before traffic shifts to it. Every change to the hook becomes a
slow gradual deployment of its own, and a broken hook blocks its own fix. SAM's documentation says to turn
off traffic shifting for hook functions.

## Example
```yaml
Globals:
  Function:
    AutoPublishAlias: live
    DeploymentPreference:
      Type: Canary10Percent5Minutes
      Hooks:
        PreTraffic: !Ref PreTrafficHook
Resources:
  PreTrafficHook:                      # inherits the preference: canaried, and its own hook
    Type: AWS::Serverless::Function
```
Use instead: `DeploymentPreference: {Enabled: false}` on `PreTrafficHook`.

## Fix safety
Safe. Adds `DeploymentPreference: {Enabled: false}` to the hook (or `Enabled: false` to its own preference
map when it has one without `Enabled`). Not fixed when the hook sets `Enabled` itself.
"""
from __future__ import annotations

from collections.abc import Iterator

from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.deployment.placement import DeploymentFixes, function_of
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta
from sam_shift_lint.findings import Applicability, Finding, Fix
from sam_shift_lint.model.alias import alias_is_missing
from sam_shift_lint.model.iam_view import executed_hooks
from sam_shift_lint.model.preference import preference_state
from sam_shift_lint.model.sam import HOOK_KEYS, SamTemplate
from sam_shift_lint.parsing.nodes import Mapping, get_path

META = RuleMeta(
    id="W9113",
    name="hook-function-has-deployment-preference",
    summary="Hook function is traffic-shifted itself",
    tags=("sam", "codedeploy"),
    fix=FixAvailability.SOMETIMES,
)


def check(ctx: CheckContext) -> Iterator[Finding]:
    template = ctx.sam
    for name, hook in executed_hooks(template).items():
        state = preference_state(template, hook)
        if not (state.present and state.maybe_enabled) or alias_is_missing(hook):
            continue  # no preference, or E9103 (SAM rejects a preference without an alias)
        source = ""
        if "DeploymentPreference" in hook.from_globals:
            own = hook.local is not None and "DeploymentPreference" in hook.local.entries
            source = " (merged with the one in Globals)" if own else " (inherited from Globals)"
        when = " when enabled" if state.maybe_disabled else ""
        itself = " and runs itself as its own hook" if name in _own_hooks(template, state.node) else ""
        message = (
            f"Hook function '{name}' has a DeploymentPreference{source}: SAM gives it its own alias, deployment "
            f"group and traffic shifting{when}{itself}; turn it off with DeploymentPreference: {{Enabled: false}}"
        )
        node = hook.key_of("DeploymentPreference") or hook.key
        yield Finding(META.id, message, template.document.path, node.span, name, hook.path("DeploymentPreference"))


def _own_hooks(template: SamTemplate, preference: object) -> set[str]:
    hooks = get_path(preference, "Hooks") if isinstance(preference, Mapping) else None
    names: set[str] = set()
    if isinstance(hooks, Mapping) and hooks.intrinsic() is None:
        for key in HOOK_KEYS:
            target = template.function_referenced_by(hooks.get(key))
            if target:
                names.add(target)
    return names


def fix(ctx: CheckContext, finding: Finding) -> Fix | None:
    hook = function_of(ctx, finding.resource)
    if hook is None:
        return None
    planner = ctx.shared(DeploymentFixes)
    changes = planner.builder()
    planner.disable_for_hook(changes, hook)
    return changes.build(Applicability.SAFE, "Turn off traffic shifting for this hook function")
