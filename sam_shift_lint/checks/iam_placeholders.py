"""W9202: a placeholder (``region``, ``ACCOUNT_ID``, ``<...>``, an unsubstituted ``${...}``) left where a policy
ARN expects a region or an account id, with the fix that puts the real value (or the stack's own) there."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Optional, Tuple

from ..document import Document, Mapping, Node, Scalar, Sequence
from ..findings import Finding, Fix
from ..fixes.iam import IamEdits
from ..fixes.positions import EditError
from ..roles import iam_view
from ..sam import SamTemplate
from . import check
from .base import finding_at
from .iam_options import Bindings
from .iam_walk import PathTuple, iter_statements, iter_values, principal_values
from .registry import RuleInfo, register

W9202 = register(
    RuleInfo(
        "W9202",
        "Placeholder left in a policy ARN",
        "A policy ARN holds a placeholder where the ARN format expects a region or an account id: 'region', 'id', "
        "'account-id', 'REGION', 'ACCOUNT_ID', '<...>', '{...}', 'xxxx', or a ${...} nobody substitutes (such as "
        "${AWS::Region} in a string that is not an Fn::Sub). The policy then matches no real resource.",
        tags=("iam",),
    )
)

PSEUDO_PARAMETERS = {"region": "${AWS::Region}", "account": "${AWS::AccountId}"}
FLAGS = {"region": "--region", "account": "--account-id"}


@dataclass
class PlaceholderContext:
    file: str
    document: Document
    resource: Optional[str]
    template: bool
    bindings: Bindings


def _arn_expectations(service: str) -> Tuple[bool, bool]:
    """Does the service's ARN format have a region / an account field? (Unknown services: both.)"""
    from ..iam.actions import catalog_if_available

    if "*" in service or "?" in service or "$" in service:
        return True, True
    cat = catalog_if_available()
    fields = cat.arn_fields(service) if cat is not None else None
    return fields if fields is not None else (True, True)


def arn_placeholders(text: str, substituted: bool) -> List[Any]:
    """The placeholder fields of an ARN, where its service's ARN format has such a field."""
    from ..iam.arns import arn_fields, placeholders

    found = placeholders(text, substituted)
    if not found:
        return []
    fields = arn_fields(text)
    assert fields is not None
    region, account = _arn_expectations(fields["service"].text)
    return [f for f in found if (f.name == "region" and region) or (f.name == "account" and account)]


def _sub_text(node: Node) -> Optional[Tuple[Mapping, Scalar, PathTuple]]:
    """(the Fn::Sub map, its text scalar, the path below the map) for an ``Fn::Sub`` of a string."""
    intrinsic = node.intrinsic() if isinstance(node, Mapping) else None
    if not intrinsic or intrinsic[0] != "Fn::Sub":
        return None
    argument = intrinsic[1]
    if isinstance(argument, Scalar) and isinstance(argument.value, str):
        return node, argument, ("Fn::Sub",)  # type: ignore[return-value]
    if isinstance(argument, Sequence) and argument.items and isinstance(argument.items[0], Scalar):
        text = argument.items[0]
        if isinstance(text.value, str):
            return node, text, ("Fn::Sub", 0)  # type: ignore[return-value]
    return None


def placeholder_findings(document: Mapping, path: PathTuple, context: PlaceholderContext) -> Iterator[Finding]:
    """W9202 findings for one policy document (resources and principals)."""
    for statement, statement_path in iter_statements(document, path):
        values = list(iter_values(statement, "Resource", statement_path))
        values += list(iter_values(statement, "NotResource", statement_path))
        values += list(principal_values(statement, statement_path))
        for node, here in values:
            yield from _placeholder_finding(node, here, context)


def _placeholder_finding(node: Node, path: PathTuple, context: PlaceholderContext) -> Iterator[Finding]:
    sub = _sub_text(node)
    if isinstance(node, Scalar) and isinstance(node.value, str):
        text, substituted = node.value, False
    elif sub is not None:
        text, substituted = sub[1].value, True
    else:
        return
    fields = arn_placeholders(text, substituted)
    if not fields:
        return
    what = " and ".join(
        f"'{f.text}' where the {'region' if f.name == 'region' else 'account id'} belongs" for f in fields
    )
    message = f"Placeholder left in policy ARN '{text}': {what}"
    if any("${" in f.text and not substituted for f in fields) and context.template:
        message += " (the string is not an Fn::Sub, so ${...} is not substituted)"
    fix = _placeholder_fix(node, path, text, fields, sub, context)
    yield finding_at("W9202", message, context.file, node, context.resource, path, fix)


def _placeholder_fix(
    node: Node,
    path: PathTuple,
    text: str,
    fields: List[Any],
    sub: Optional[Tuple[Mapping, Scalar, PathTuple]],
    context: PlaceholderContext,
) -> Optional[Fix]:
    """In a template the stack's own pseudo parameters (``sub``: the ``Fn::Sub`` the text is in); in a policy
    file the values of ``--region``/``--account-id`` or of the file's other ARNs."""
    from ..iam.arns import replace_fields

    edits = IamEdits(context.document)
    try:
        if context.template:
            replacements = {f.name: PSEUDO_PARAMETERS[f.name] for f in fields}
            if sub is not None:
                edits.replace_sub_text(sub[0], sub[1], path + sub[2], replace_fields(text, replacements))
            else:
                edits.replace_with_sub(node, path, _sub_from_plain(text, replacements))  # type: ignore[arg-type]
            names = " and ".join(PSEUDO_PARAMETERS[f.name] for f in fields)
            return edits.fix("unsafe", f"Use {names} (the stack's own; check the ARN does not mean another one)")
        bindings = context.bindings
        values: Dict[str, str] = {}
        missing = []
        for f in fields:
            value = bindings.region if f.name == "region" else bindings.account
            if value is None:
                missing.append(FLAGS[f.name])
            else:
                values[f.name] = value
        if missing:
            return Fix("display", f"Pass {' and '.join(missing)} to replace the placeholder")
        edits.replace_string(node, path, replace_fields(text, values))  # type: ignore[arg-type]
        inferred = any(bindings.sources.get(f.name) == "file" for f in fields)
        shown = ", ".join(values[f.name] for f in fields)
        if inferred:
            return edits.fix("unsafe", f"Use {shown} (what the file's other ARNs say)")
        return edits.fix("safe", f"Use {shown}")
    except EditError:
        return None


def _sub_from_plain(text: str, replacements: Dict[str, str]) -> str:
    """The ``Fn::Sub`` text for a plain string, fields replaced. IAM policy variables (``${aws:username}``,
    ``${*}``) stay literal (``${!...}``); anything else in ``${...}`` (``${AWS::Partition}``, ``${Table}``) was
    meant to be substituted and now is."""
    from ..iam.arns import arn_fields

    def keep_literal(match: "re.Match[str]") -> str:
        name = match.group(1)
        variable = name in ("*", "?", "$") or (":" in name and "::" not in name)
        return "${!" + name + "}" if variable else match.group(0)

    def escape(part: str) -> str:
        return re.sub(r"\$\{([^}]*)\}", keep_literal, part)

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


@check
def template_placeholders(template: SamTemplate) -> Iterator[Finding]:
    view = iam_view(template)
    if not view.documents:
        return
    bindings = Bindings()
    for document in view.documents:
        context = PlaceholderContext(template.document.path, template.document, document.resource, True, bindings)
        yield from placeholder_findings(document.node, document.path, context)
