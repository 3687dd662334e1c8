"""## What it does
Reports a `Hooks.PreTraffic`/`PostTraffic` value (of a preference that may be enabled) that does not name a
function of this template the way CodeDeploy reads it: `!GetAtt Hook.Arn` (an ARN, where a function *name* is
expected), a plain string equal to a function's logical id (CodeDeploy looks for a function of that name), a
`Ref`/`GetAtt`/string naming a resource that is not a function, or a string that names nothing in the
template. `!Ref Hook`, a string equal to a function's literal `FunctionName`, parameters and computed values
are not reported. A value inherited from `Globals` is reported once, at its line there.

## Why it breaks deployments
SAM copies the value unchanged into the alias `UpdatePolicy` (`BeforeAllowTrafficHook`/`AfterAllowTrafficHook`),
which takes the name of the Lambda function to run. A logical id is not a function name (SAM names functions
`<stack>-<LogicalId>-<suffix>` unless `FunctionName` is set), so CodeDeploy cannot find the hook and the
deployment fails; ARNs are not documented there.

## Example
```yaml
DeploymentPreference:
  Type: Canary10Percent5Minutes
  Hooks:
    PreTraffic: !GetAtt PreTrafficHook.Arn   # or: PreTraffic: PreTrafficHook
```
Use instead: `PreTraffic: !Ref PreTrafficHook`.

## Fix safety
Safe: `!GetAtt X.Arn` and a string equal to the logical id `X` of a function become `!Ref X` (the name
CodeDeploy needs), in `Globals` when the value is written there. Other values are reported without a fix.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta
from sam_shift_lint.editing.builder import FixBuilder
from sam_shift_lint.editing.positions import EditError
from sam_shift_lint.editing.render import Intrinsic
from sam_shift_lint.findings import Applicability, Finding, Fix
from sam_shift_lint.model.hooks import HookUse, RefKind, hook_reference, hook_uses
from sam_shift_lint.model.values import MAX_DESCRIBED, describe
from sam_shift_lint.parsing.errors import shorten
from sam_shift_lint.parsing.nodes import Node, Scalar
from sam_shift_lint.records import record

META = RuleMeta(
    id="E9116",
    name="hook-not-a-function-reference",
    summary="Hooks value is not a Ref to a function of the template",
    tags=("sam", "codedeploy", "hooks"),
    fix=FixAvailability.SOMETIMES,
)


@record(frozen=True)
class _Replace:
    node: Node
    path: tuple[Any, ...]  # where the value is written (Globals or the function)
    target: str


def check(ctx: CheckContext) -> Iterator[Finding]:
    template = ctx.sam
    seen: set[int] = set()
    for use in hook_uses(template):
        if id(use.node) in seen:
            continue  # a value in Globals reaches every function: one finding
        seen.add(id(use.node))
        reference = hook_reference(template, use.node)
        problem = _problem(use, reference.kind, reference.name, reference.resource_type)
        if problem is None:
            continue
        data = None
        if reference.kind in (RefKind.GETATT_ARN, RefKind.LOGICAL_ID) and reference.name:
            data = _Replace(use.node, use.path, reference.name)
        message = f"Function '{use.owner.logical_id}': Hooks.{use.key} {problem}"
        if use.inherited:
            message += " (inherited from Globals)"
        path = use.owner.path("DeploymentPreference", "Hooks", use.key)
        yield Finding(META.id, message, ctx.file, use.node.span, use.owner.logical_id, path, data=data)


def _problem(use: HookUse, kind: RefKind, name: str | None, resource_type: str | None) -> str | None:
    if kind is RefKind.GETATT_ARN:
        return f"is the ARN of '{name}' (!GetAtt {name}.Arn); CodeDeploy expects the function name: use !Ref {name}"
    if kind is RefKind.LOGICAL_ID:
        return (
            f"is the string '{name}', a logical id: CodeDeploy looks for a function of that name, which does not "
            f"exist (the function gets a generated name); use !Ref {name}"
        )
    if kind is RefKind.NOT_FUNCTION:
        shown = shorten(resource_type, MAX_DESCRIBED) if resource_type else "a resource"  # the template's own text
        return f"names '{name}' ({shown}), which is not a Lambda function"
    if kind is RefKind.NOTHING:
        value = use.node.value if isinstance(use.node, Scalar) else None
        return (
            f"is {describe(value)}, which names no function of this template (not a logical id, not a "
            "FunctionName); use !Ref to the hook function"
        )
    return None


def fix(ctx: CheckContext, finding: Finding) -> Fix | None:
    change = finding.data
    if not isinstance(change, _Replace):
        return None
    edits = FixBuilder(ctx.document)
    try:
        edits.replace_node(change.node, change.path, Intrinsic("Ref", change.target))
    except EditError:
        return None
    return edits.build(Applicability.SAFE, f"Use !Ref {change.target}")
