"""## What it does
Reports an `AutoPublishAlias` that is not a string matching `(?!^[0-9]+$)([a-zA-Z0-9-_]+)` of at most 128
characters, a `Ref` to something other than a template parameter, a parameter whose default or allowed values
are invalid or may be empty, or any other intrinsic function (SAM resolves only `Ref` to parameters). With `AWS::LanguageExtensions` listed
before SAM's transform, intrinsics it resolves (`!Sub`, `!If`, `!FindInMap`, ...) are judged by their values.

Unquoted YAML values that are not strings (`AutoPublishAlias: 2024`, `AutoPublishAlias: yes`) are reported
too: YAML 1.1 reads them as a number and a boolean.

## Why it breaks deployments
SAM rejects the template when it creates the alias ("Alias name is required to create an alias", or an invalid
name), so the deployment fails before any traffic moves.

## Example
```yaml
AutoPublishAlias: 2024       # purely numeric, and not a string
```
Use instead: `AutoPublishAlias: live`.

## Fix safety
Display only. Renaming an alias replaces the alias resource (and the deployment group's target), so the fix is
shown as advice and never applied.
"""
from __future__ import annotations

from collections.abc import Iterator

from sam_shift_lint.checks.base import finding
from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta
from sam_shift_lint.findings import Applicability, Finding, Fix
from sam_shift_lint.model.alias import alias_problem
from sam_shift_lint.model.language_extensions import NO_VALUE, runs_before_sam, values_seen_by_sam
from sam_shift_lint.model.sam import TRANSLATOR_PSEUDO_PARAMETERS, UNKNOWN, SamTemplate
from sam_shift_lint.model.values import describe
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar

META = RuleMeta(
    id="E9106",
    name="auto-publish-alias-invalid",
    summary="AutoPublishAlias is invalid",
    tags=("sam", "codedeploy"),
    fix=FixAvailability.ALWAYS,
)


def check(ctx: CheckContext) -> Iterator[Finding]:
    template = ctx.sam
    for function in template.functions.values():
        node = function.get("AutoPublishAlias")
        if node is None:
            continue
        problem = _problem_of_node(template, node)
        if problem:
            yield finding(
                template,
                META.id,
                node,
                f"Function '{function.logical_id}': AutoPublishAlias {problem}",
                function,
                function.path("AutoPublishAlias"),
            )


def _problem_of_node(template: SamTemplate, node: Node) -> str | None:
    if isinstance(node, Scalar):
        return alias_problem(node.value)
    intrinsic = node.intrinsic() if isinstance(node, Mapping) else None
    if intrinsic is not None and runs_before_sam(template):
        seen = values_seen_by_sam(template, node)
        if seen is not None:
            return _problem_of_values(seen)
    if intrinsic is None:
        return "must be a string"
    name, argument = intrinsic
    if name != "Ref" or not isinstance(argument, Scalar):
        return f"uses {name}, which SAM cannot resolve: use a string or a Ref to a template parameter"
    target = str(argument.value)
    if target in TRANSLATOR_PSEUDO_PARAMETERS:
        return None
    if target not in template.parameters:
        return f"is a Ref to {describe(target)}, which is not a template parameter: SAM cannot resolve it"
    for value in template.candidates(node):
        if value is UNKNOWN or isinstance(value, Node):
            continue
        if value in ("", None):  # SAM: "Alias name is required to create an alias"
            return f"(through parameter '{target}') may be empty, which SAM rejects"
        problem = alias_problem(value)
        if problem:
            return f"(through parameter '{target}') {problem}"
    return None


def _problem_of_values(values: list[object]) -> str | None:
    """The values AWS::LanguageExtensions leaves for SAM."""
    for value in values:
        if value is UNKNOWN or value is NO_VALUE or isinstance(value, Node):
            continue
        if value in ("", None):
            return "may be empty once AWS::LanguageExtensions resolves it, which SAM rejects"
        problem = alias_problem(value)
        if problem:
            return f"(as AWS::LanguageExtensions resolves it) {problem}"
    return None


def fix(ctx: CheckContext, finding: Finding) -> Fix | None:
    if finding.resource not in ctx.sam.functions:
        return None
    return Fix(
        Applicability.DISPLAY,
        f"Rename the alias to a valid name such as '{ctx.fixes.alias}' by hand: renaming replaces the alias "
        "(and the deployment group's target), so it is never done automatically",
    )
