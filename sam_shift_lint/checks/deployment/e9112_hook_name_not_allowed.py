"""## What it does
Reports a hook function (named in `Hooks.PreTraffic`/`PostTraffic` of a preference that may be enabled)
whose name does not start with `CodeDeployHook_` while that preference sets no `Role`, so its deployment group
runs with the CodeDeploy role SAM creates. A function without `FunctionName` gets a generated name
(`<stack>-<LogicalId>-<suffix>`) and is always reported. A name given as `!Sub` is judged by its literal start
(`!Sub ${AWS::StackName}-hook` can never match: stack names have no underscore); a parameter by its
Default/AllowedValues.

## Why it breaks deployments
Without `DeploymentPreference.Role` SAM creates `CodeDeployServiceRole` with the managed policy
`AWSCodeDeployRoleForLambda`, which allows `lambda:InvokeFunction` only on
`arn:aws:lambda:*:*:function:CodeDeployHook_*`. CodeDeploy then cannot invoke any other hook: the deployment
fails with `IAM_ROLE_PERMISSIONS` and rolls back, on every deploy.

## Example
```yaml
PreTrafficHook:
  Type: AWS::Serverless::Function
  Properties:
    Handler: hook.handler          # no FunctionName: a generated name
    DeploymentPreference:
      Enabled: false
```
Use instead: `FunctionName: CodeDeployHook_PreTrafficHook` on the hook (case-sensitive, at most 64
characters), or a `DeploymentPreference.Role` that may invoke it.

## Fix safety
Unsafe: renaming a function replaces it. Adds `FunctionName: CodeDeployHook_<LogicalId>` (cut to 64
characters), or puts `CodeDeployHook_` before a literal name that nothing else in the template mentions. A
fixed name must be unique per account and region: a template deployed as several stacks there needs a name
per stack instead. No fix for computed names.
"""
from __future__ import annotations

from collections.abc import Iterator

from sam_shift_lint.checks.base import finding
from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.deployment.placement import function_of
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta
from sam_shift_lint.editing.builder import FixBuilder
from sam_shift_lint.findings import Applicability, Finding, Fix
from sam_shift_lint.model.hooks import (
    DEFAULT_CODEDEPLOY_POLICY,
    FUNCTION_NAME_MAX,
    HOOK_NAME_PREFIX,
    NameVerdict,
    hook_function_name,
    hook_name_verdict,
    hook_uses,
)
from sam_shift_lint.model.sam import Function
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, scalars

META = RuleMeta(
    id="E9112",
    name="hook-name-not-invokable-by-codedeploy",
    summary="Hook function not named CodeDeployHook_* while the default CodeDeploy role is used",
    tags=("sam", "codedeploy", "hooks"),
    fix=FixAvailability.SOMETIMES,
)


def check(ctx: CheckContext) -> Iterator[Finding]:
    template = ctx.sam
    owners: dict[str, list[str]] = {}
    for use in hook_uses(template):
        if use.default_role and use.target is not None and use.owner.logical_id not in owners.setdefault(use.target, []):
            owners[use.target].append(use.owner.logical_id)
    for name, users in owners.items():
        if not users:
            continue
        hook = template.functions[name]
        verdict, value = hook_name_verdict(template, hook)
        if verdict is not NameVerdict.FAILS:
            continue
        node = hook.get("FunctionName")
        if node is None or (isinstance(node, Scalar) and node.value is None):
            what = "has no FunctionName, so it gets a generated name"
            where: Node = hook.key_of("FunctionName") or hook.key
            path = hook.path("FunctionName") if node is not None else ("Resources", name)
        else:
            what = f"is named {value!r}" if isinstance(value, str) else "has a name that cannot start with it"
            where, path = node, hook.path("FunctionName")
        groups = ", ".join(f"'{u}'" for u in users)
        yield finding(
            template,
            META.id,
            where,
            f"Hook function '{name}' {what}, but the deployment{'s' if len(users) > 1 else ''} of {groups} "
            f"use{'' if len(users) > 1 else 's'} SAM's CodeDeploy role "
            f"({DEFAULT_CODEDEPLOY_POLICY}), which may only invoke functions named {HOOK_NAME_PREFIX}*: the "
            f"deployment fails; name it {HOOK_NAME_PREFIX}... or set DeploymentPreference.Role",
            hook,
            path,
        )


def fix(ctx: CheckContext, finding: Finding) -> Fix | None:
    hook = function_of(ctx, finding.resource)
    if hook is None or hook.local is None:
        return None
    node = hook.local.get("FunctionName")
    edits = FixBuilder(ctx.document)
    if node is None:
        new_name = hook_function_name(hook.logical_id)
        if _name_taken(ctx, new_name):
            return None
        edits.add_at(hook.path(), "FunctionName", new_name)
    elif isinstance(node, Scalar) and isinstance(node.value, str) and node.value:
        new_name = (HOOK_NAME_PREFIX + node.value)[:FUNCTION_NAME_MAX]
        if _mentioned_elsewhere(ctx, hook, node) or _name_taken(ctx, new_name):
            return None
        edits.replace_string(node, hook.path("FunctionName"), new_name)
    else:
        return None
    return edits.build(Applicability.UNSAFE, f"Name the hook function {new_name} (replaces the function)")


class _Names:
    """The template's literal function names and the text of its strings, read once per file (every hook's fix
    asks; reading them per fix was quadratic in the number of functions)."""

    def __init__(self, ctx: CheckContext) -> None:
        self.taken = {name for name in map(_literal_name, ctx.sam.functions.values()) if name is not None}
        root = ctx.document.root
        self.strings = [s.value for s in scalars(root) if isinstance(s.value, str)] if isinstance(root, Mapping) else []
        self.joined = "\0".join(self.strings)


def _name_taken(ctx: CheckContext, name: str) -> bool:
    return name in ctx.shared(_Names).taken


def _literal_name(function: Function) -> str | None:
    node = function.get("FunctionName")
    return node.value if isinstance(node, Scalar) and isinstance(node.value, str) else None


def _mentioned_elsewhere(ctx: CheckContext, hook: Function, name_node: Scalar) -> bool:
    """Is the old name written anywhere else (a hook given by name, a policy ARN)? Then renaming would break it."""
    old = str(name_node.value)
    if not isinstance(ctx.document.root, Mapping):
        return True
    names = ctx.shared(_Names)
    if "\0" in old:
        return sum(1 for text in names.strings if old in text) > 1
    return names.joined.count(old) > 1  # the name itself holds it once
