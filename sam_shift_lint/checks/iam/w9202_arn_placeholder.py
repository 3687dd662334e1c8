"""## What it does
Reports a placeholder left where a policy ARN's format expects a region or an account id: `region`, `id`,
`account-id`, `REGION`, `ACCOUNT_ID`, `<...>`, `{...}`, `xxxx`, or a `${...}` nobody substitutes (such as
`${AWS::Region}` in a string that is not an `Fn::Sub`), in `Resource`, `NotResource` and `AWS` principals of
templates and standalone policy files.

Where the ARN format expects a region or an account id comes from cfn-lint's IAM data. IAM policy variables
(`${aws:PrincipalAccount}`) are real values. Trust policies and resource policies are checked too.

## Why it breaks deployments
The ARN matches no real resource: the statement grants nothing, and whatever depends on it fails with
AccessDenied during the deployment.

## Example
```yaml
Resource: arn:aws:lambda:REGION:ACCOUNT_ID:function:my-function
```
Use instead: `!Sub arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:my-function`.

## Fix safety
In a template the fix uses the stack's own `${AWS::Region}`/`${AWS::AccountId}` (a plain string becomes an
`Fn::Sub`): unsafe, since the ARN may mean another region or account. In a policy file it uses `--region`/
`--account-id` (safe) or the value all the file's other ARNs agree on (unsafe); with neither it is display only.
Multi-line strings are not rewritten.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.iam.options import Bindings, file_bindings
from sam_shift_lint.checks.iam.walk import PathTuple, iter_statements, iter_values, principal_values
from sam_shift_lint.checks.rule import FixAvailability, RuleMeta, Target
from sam_shift_lint.editing.builder import FixBuilder
from sam_shift_lint.editing.positions import EditError
from sam_shift_lint.findings import Applicability, Finding, Fix
from sam_shift_lint.model.values import MAX_DESCRIBED, describe
from sam_shift_lint.parsing.errors import shorten
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, Sequence
from sam_shift_lint.records import record

if TYPE_CHECKING:  # sam_shift_lint.iam is imported only when a policy has ARNs to look at
    from sam_shift_lint.iam.arns import ArnField

META = RuleMeta(
    id="W9202",
    name="policy-arn-placeholder",
    summary="Placeholder left in a policy ARN",
    tags=("iam",),
    fix=FixAvailability.SOMETIMES,
    targets=frozenset({Target.TEMPLATE, Target.POLICY_FILE}),
    settings=("region", "account_id"),
)

PSEUDO_PARAMETERS = {"region": "${AWS::Region}", "account": "${AWS::AccountId}"}
FLAGS = {"region": "--region", "account": "--account-id"}


def _arn_expectations(service: str) -> tuple[bool, bool]:
    """Does the service's ARN format have a region / an account field? (Unknown services: both.)"""
    from sam_shift_lint.iam.actions import catalog_if_available

    if "*" in service or "?" in service or "$" in service:
        return True, True
    cat = catalog_if_available()
    fields = cat.arn_fields(service) if cat is not None else None
    return fields if fields is not None else (True, True)


def arn_placeholders(text: str, substituted: bool) -> list[ArnField]:
    """The placeholder fields of an ARN, where its service's ARN format has such a field."""
    from sam_shift_lint.iam.arns import arn_fields, placeholders

    found = placeholders(text, substituted)
    if not found:
        return []
    fields = arn_fields(text)
    assert fields is not None
    region, account = _arn_expectations(fields["service"].text)
    return [f for f in found if (f.name == "region" and region) or (f.name == "account" and account)]


def _sub_text(node: Node) -> tuple[Mapping, Scalar, PathTuple] | None:
    """(the Fn::Sub map, its text scalar, the path below the map) for an ``Fn::Sub`` of a string."""
    if not isinstance(node, Mapping):
        return None
    intrinsic = node.intrinsic()
    if not intrinsic or intrinsic[0] != "Fn::Sub":
        return None
    argument = intrinsic[1]
    if isinstance(argument, Scalar) and isinstance(argument.value, str):
        return node, argument, ("Fn::Sub",)
    if isinstance(argument, Sequence) and argument.items and isinstance(argument.items[0], Scalar):
        text = argument.items[0]
        if isinstance(text.value, str):
            return node, text, ("Fn::Sub", 0)
    return None


@record(frozen=True)
class _Placeholder:
    """What the fix needs to know about one finding."""

    node: Node
    path: PathTuple
    text: str
    fields: list[ArnField]
    sub: tuple[Mapping, Scalar, PathTuple] | None
    in_template: bool
    bindings: Bindings


def check(ctx: CheckContext) -> Iterator[Finding]:
    if ctx.target is Target.POLICY_FILE:
        root = ctx.document.root
        assert isinstance(root, Mapping)
        yield from placeholder_findings(root, (), ctx.file, None, False, ctx.shared(file_bindings))
        return
    bindings = Bindings()
    for document in ctx.iam.documents:
        yield from placeholder_findings(document.node, document.path, ctx.file, document.resource, True, bindings)


def placeholder_findings(
    document: Mapping, path: PathTuple, file: str, resource: str | None, in_template: bool, bindings: Bindings
) -> Iterator[Finding]:
    """Findings for one policy document (resources and principals)."""
    for statement, statement_path in iter_statements(document, path):
        values = list(iter_values(statement, "Resource", statement_path))
        values += list(iter_values(statement, "NotResource", statement_path))
        values += list(principal_values(statement, statement_path))
        for node, here in values:
            sub = _sub_text(node)
            if isinstance(node, Scalar) and isinstance(node.value, str):
                text, substituted = node.value, False
            elif sub is not None and isinstance(sub[1].value, str):  # (always: _sub_text checked it)
                text, substituted = sub[1].value, True
            else:
                continue
            fields = arn_placeholders(text, substituted)
            if not fields:
                continue
            what = " and ".join(
                f"{describe(f.text)} where the {'region' if f.name == 'region' else 'account id'} belongs" for f in fields
            )
            message = f"Placeholder left in policy ARN {describe(text)}: {what}"
            if any("${" in f.text and not substituted for f in fields) and in_template:
                message += " (the string is not an Fn::Sub, so ${...} is not substituted)"
            data = _Placeholder(node, here, text, fields, sub, in_template, bindings)
            yield Finding(META.id, message, file, node.span, resource, tuple(here), data=data)


def fix(ctx: CheckContext, finding: Finding) -> Fix | None:
    """In a template the stack's own pseudo parameters (``sub``: the ``Fn::Sub`` the text is in); in a policy
    file the values of ``--region``/``--account-id`` or of the file's other ARNs."""
    from sam_shift_lint.iam.arns import replace_fields

    found = finding.data
    if not isinstance(found, _Placeholder):
        return None
    node, path, text, fields, sub = found.node, found.path, found.text, found.fields, found.sub
    edits = FixBuilder(ctx.document)
    try:
        if found.in_template:
            replacements = {f.name: PSEUDO_PARAMETERS[f.name] for f in fields}
            if sub is not None:
                edits.replace_sub_text(sub[0], sub[1], path + sub[2], replace_fields(text, replacements))
            else:
                assert isinstance(node, Scalar)
                edits.replace_with_sub(node, path, _sub_from_plain(text, replacements))
            names = " and ".join(PSEUDO_PARAMETERS[f.name] for f in fields)
            return edits.build(Applicability.UNSAFE, f"Use {names} (the stack's own; check the ARN does not mean another one)")
        bindings = found.bindings
        values: dict[str, str] = {}
        missing = []
        for f in fields:
            value = bindings.region if f.name == "region" else bindings.account
            if value is None:
                missing.append(FLAGS[f.name])
            else:
                values[f.name] = value
        if missing:
            return Fix(Applicability.DISPLAY, f"Pass {' and '.join(missing)} to replace the placeholder")
        assert isinstance(node, Scalar)
        edits.replace_string(node, path, replace_fields(text, values))
        inferred = any(bindings.sources.get(f.name) == "file" for f in fields)
        shown = ", ".join(shorten(values[f.name], MAX_DESCRIBED) for f in fields)
        if inferred:
            return edits.build(Applicability.UNSAFE, f"Use {shown} (what the file's other ARNs say)")
        return edits.build(Applicability.SAFE, f"Use {shown}")
    except EditError:
        return None


def _sub_from_plain(text: str, replacements: dict[str, str]) -> str:
    """The ``Fn::Sub`` text for a plain string, fields replaced. IAM policy variables (``${aws:username}``,
    ``${*}``) stay literal (``${!...}``); anything else in ``${...}`` (``${AWS::Partition}``, ``${Table}``) was
    meant to be substituted and now is."""
    from sam_shift_lint.iam.arns import arn_fields
    from sam_shift_lint.iam.pattern import replace_variables

    def keep_literal(name: str, whole: str) -> str:
        variable = name in ("*", "?", "$") or (":" in name and "::" not in name)
        return "${!" + name + "}" if variable else whole

    def escape(part: str) -> str:
        return replace_variables(part, keep_literal)

    fields = arn_fields(text)
    assert fields is not None
    spans = sorted((fields[name].start, fields[name].end, value) for name, value in replacements.items())
    out, position = [], 0
    for start, end, value in spans:
        out.append(escape(text[position:start]))
        out.append(value)
        position = end
    out.append(escape(text[position:]))
    return "".join(out)
