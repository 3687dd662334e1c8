"""## What it does
Reports the ARN of a function's `AutoPublishAlias` built as a string where something invokes the alias or is
granted on it: `!Sub "${Fn.Arn}:live"`, `!Sub "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${Fn}:live"`
(also inside a longer text such as an API integration URI), or an `!Join` of `!GetAtt Fn.Arn` and `:live`.
The places looked at: `AWS::Lambda::Permission` and `AWS::Lambda::EventSourceMapping` `FunctionName`, SNS
subscription endpoints, EventBridge rule and scheduler targets, API Gateway (v1 and v2) integration and
authorizer URIs, S3 notifications, log subscription filters, pipes, IoT rules and custom resource
`ServiceToken`s. Only an alias name the function's `AutoPublishAlias` may take counts; alarm dimensions such
as `Resource: !Sub "${Fn}:live"` are names, not ARNs, and are never reported.

## Why it breaks deployments
`!Ref Fn.Alias` makes CloudFormation create the alias before the resource that uses it; a string does not,
so the permission, subscription or mapping can be created before the alias exists and fail, or race it on
the first deploy (SAM issue #316). The string also goes on naming the old alias after `AutoPublishAlias` is
renamed, so invocations and grants silently stop matching the alias CodeDeploy shifts.

## Example
```yaml
InvokePermission:
  Type: AWS::Lambda::Permission
  Properties:
    Action: lambda:InvokeFunction
    Principal: events.amazonaws.com
    FunctionName: !Sub "${Api.Arn}:live"
```
Use instead: `FunctionName: !Ref Api.Alias` (in a longer `!Sub` text: `${Api.Alias}`).

## Fix safety
Safe, when the result is the same ARN: the alias in the string is written exactly as the function's
`AutoPublishAlias` (the same literal, or `${Param}` for `AutoPublishAlias: !Ref Param`) and a full ARN uses
the stack's own `${AWS::Partition}`, `${AWS::Region}` and `${AWS::AccountId}`. A string that is the whole
value becomes `!Ref Fn.Alias`; inside a longer `!Sub` text the ARN becomes `${Fn.Alias}`. Joins inside longer
values, `!Sub` variable maps and an alias given by a parameter's value are reported only.
"""
from __future__ import annotations

from collections.abc import Iterator

from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta
from sam_shift_lint.editing.builder import FixBuilder
from sam_shift_lint.editing.positions import EditError
from sam_shift_lint.editing.render import Intrinsic
from sam_shift_lint.findings import Applicability, Finding, Fix
from sam_shift_lint.model.alias_arn import AliasText, alias_texts
from sam_shift_lint.model.values import describe
from sam_shift_lint.parsing.nodes import Mapping, Scalar

META = RuleMeta(
    id="W9122",
    name="alias-arn-built-by-string",
    summary="Alias ARN built as a string instead of !Ref Function.Alias",
    tags=("sam", "codedeploy"),
    fix=FixAvailability.SOMETIMES,
)


def check(ctx: CheckContext) -> Iterator[Finding]:
    for found in alias_texts(ctx.sam):
        place = ".".join(str(part) for part in found.path[3:] if part not in ("Fn::If", 1, 2)) or "value"
        yield Finding(
            META.id,
            f"Resource '{found.resource}' {place} builds the ARN of alias {describe(found.alias)} of function "
            f"'{found.function}' as a string ({describe(found.written)}): CloudFormation does not wait for the alias, and the "
            f"string goes stale when the alias is renamed; use !Ref {found.function}.Alias",
            ctx.file,
            found.node.span,
            found.resource,
            found.path,
            data=found,
        )


def fix(ctx: CheckContext, finding: Finding) -> Fix | None:
    found = finding.data
    if not isinstance(found, AliasText) or not found.same_arn or not isinstance(found.node, Mapping):
        return None
    reference = f"{found.function}.Alias"
    changes = FixBuilder(ctx.document)
    try:
        if found.written == found.text:
            changes.replace_node(found.node, found.path, Intrinsic("Ref", reference))
            description = f"Use !Ref {reference}"
        elif found.sub is not None:
            argument = found.sub.intrinsic()
            if argument is None or not isinstance(argument[1], Scalar):
                return None
            start, end = found.span
            text = found.text[:start] + "${" + reference + "}" + found.text[end:]
            changes.replace_sub_text(found.sub, argument[1], found.path + ("Fn::Sub",), text)
            description = f"Use ${{{reference}}}"
        else:
            return None
    except EditError:
        return None
    return changes.build(Applicability.SAFE, description)

