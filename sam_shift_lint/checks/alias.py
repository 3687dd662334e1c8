"""AutoPublishAlias rules: W9101 (missing) and E9106 (invalid)."""
from __future__ import annotations

import re
from typing import Iterator, Optional

from ..document import Mapping, Node, Scalar
from ..findings import Finding
from ..preference import preference_state
from ..sam import TRANSLATOR_PSEUDO_PARAMETERS, UNKNOWN, Function, SamTemplate
from . import check
from .base import anchor, describe, finding
from .registry import RuleInfo, register

W9101 = register(
    RuleInfo(
        "W9101",
        "Function has no AutoPublishAlias",
        "An AWS::Serverless::Function without AutoPublishAlias (after the Globals merge) publishes no versions, "
        "so CodeDeploy cannot shift traffic gradually; every deploy replaces the code in place. Hook functions are exempt.",
    )
)
E9106 = register(
    RuleInfo(
        "E9106",
        "AutoPublishAlias is invalid",
        "AutoPublishAlias must be a string matching (?!^[0-9]+$)([a-zA-Z0-9-_]+) of at most 128 characters, or a Ref "
        "to a template parameter whose values do; SAM cannot resolve any other intrinsic.",
    )
)

ALIAS_PATTERN = re.compile(r"(?!^[0-9]+$)[a-zA-Z0-9\-_]+")
MAX_ALIAS_LENGTH = 128


def alias_is_missing(function: Function) -> bool:
    """No alias as SAM sees it: the property is absent, null or the empty string."""
    node = function.get("AutoPublishAlias")
    return node is None or (isinstance(node, Scalar) and node.value in (None, ""))


def alias_problem(value: object) -> Optional[str]:
    """Why a resolved alias value is invalid, or None."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str):
        return f"{describe(value)} is not a string (quote it)"
    if not ALIAS_PATTERN.fullmatch(value):
        if value.isdigit():
            return f"{describe(value)} is purely numeric"
        return f"{describe(value)} may contain only letters, digits, hyphens and underscores"
    if len(value) > MAX_ALIAS_LENGTH:
        return f"{describe(value)} is longer than {MAX_ALIAS_LENGTH} characters"
    return None


@check
def missing_alias(template: SamTemplate) -> Iterator[Finding]:
    for function in template.functions.values():
        if function.logical_id in template.hook_functions or not alias_is_missing(function):
            continue
        state = preference_state(template, function)
        if state.present and state.maybe_enabled:
            continue  # E9103 reports the same gap as an error
        value = function.get("AutoPublishAlias")
        node: Node = anchor(value, function.key_of("AutoPublishAlias")) if value is not None else function.key
        path = function.path("AutoPublishAlias") if function.get("AutoPublishAlias") else ("Resources", function.logical_id)
        yield finding(
            template,
            "W9101",
            node,
            f"Function '{function.logical_id}' has no AutoPublishAlias: no versions are published, so traffic "
            "cannot be shifted gradually",
            function,
            path,
        )


@check
def invalid_alias(template: SamTemplate) -> Iterator[Finding]:
    for function in template.functions.values():
        node = function.get("AutoPublishAlias")
        if node is None:
            continue
        problem = _problem_of_node(template, node)
        if problem:
            yield finding(
                template,
                "E9106",
                node,
                f"Function '{function.logical_id}': AutoPublishAlias {problem}",
                function,
                function.path("AutoPublishAlias"),
            )


def _problem_of_node(template: SamTemplate, node: Node) -> Optional[str]:
    if isinstance(node, Scalar):
        return alias_problem(node.value)
    intrinsic = node.intrinsic() if isinstance(node, Mapping) else None
    if intrinsic is None:
        return "must be a string"
    name, argument = intrinsic
    if name != "Ref" or not isinstance(argument, Scalar):
        return f"uses {name}, which SAM cannot resolve: use a string or a Ref to a template parameter"
    target = str(argument.value)
    if target in TRANSLATOR_PSEUDO_PARAMETERS:
        return None
    if target not in template.parameters:
        return f"is a Ref to '{target}', which is not a template parameter: SAM cannot resolve it"
    for value in template.candidates(node):
        if value is UNKNOWN or isinstance(value, Node):
            continue
        if value in ("", None):  # SAM: "Alias name is required to create an alias"
            return f"(through parameter '{target}') may be empty, which SAM rejects"
        problem = alias_problem(value)
        if problem:
            return f"(through parameter '{target}') {problem}"
    return None
