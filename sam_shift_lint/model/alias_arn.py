"""Alias ARNs of SAM functions built as strings, in the places where something invokes the alias or is granted
on it.

SAM's ``AutoPublishAlias`` creates ``<Fn>Alias<name>``; ``!Ref Fn.Alias`` (also ``${Fn.Alias}`` inside
``Fn::Sub``) is rewritten by the translator to a ``Ref`` of that resource, which gives the alias ARN and makes
CloudFormation create the alias first. The same ARN written as text (``!Sub "${Fn.Arn}:live"``,
``arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${Fn}:live``, an ``Fn::Join`` of
``!GetAtt Fn.Arn`` and ``:live``) has no such dependency. Alarm dimensions (``Resource: ${Fn}:live``) are
names, not ARNs, and are not invocation places: they are never looked at.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from sam_shift_lint.lazy_pattern import lazy_compile
from sam_shift_lint.model.intrinsics import getatt_attribute, getatt_target, if_branches, ref_target
from sam_shift_lint.model.sam import Function, SamTemplate
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, Sequence
from sam_shift_lint.records import record

ANY = "*"
# Where a resource names a Lambda function (or an ARN embedding it) to invoke it or to grant on it.
INVOKE_PLACES: dict[str, tuple[tuple[str, ...], ...]] = {
    "AWS::Lambda::Permission": (("FunctionName",),),
    "AWS::Lambda::EventSourceMapping": (("FunctionName",),),
    "AWS::SNS::Subscription": (("Endpoint",),),
    "AWS::SNS::Topic": (("Subscription", ANY, "Endpoint"),),
    "AWS::Events::Rule": (("Targets", ANY, "Arn"),),
    "AWS::Scheduler::Schedule": (("Target", "Arn"),),
    "AWS::ApiGateway::Method": (("Integration", "Uri"),),
    "AWS::ApiGateway::Authorizer": (("AuthorizerUri",),),
    "AWS::ApiGatewayV2::Integration": (("IntegrationUri",),),
    "AWS::ApiGatewayV2::Authorizer": (("AuthorizerUri",),),
    "AWS::S3::Bucket": (("NotificationConfiguration", "LambdaConfigurations", ANY, "Function"),),
    "AWS::Logs::SubscriptionFilter": (("DestinationArn",),),
    "AWS::Pipes::Pipe": (("Target",),),
    "AWS::IoT::TopicRule": (("TopicRulePayload", "Actions", ANY, "Lambda", "FunctionArn"),),
    "AWS::CloudFormation::CustomResource": (("ServiceToken",),),
}
CUSTOM_RESOURCE_PREFIX = "Custom::"
CUSTOM_RESOURCE_PLACES: tuple[tuple[str, ...], ...] = (("ServiceToken",),)

_NAME = r"[A-Za-z0-9]+"
_ALIAS = r"(?:[A-Za-z0-9_\-]+|\$\{[A-Za-z0-9]+\})"
_OPAQUE = "\x00"  # stands for an intrinsic in a joined text: matches nothing


@functools.cache
def arn_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """``${Fn.Arn}:live`` and ``arn:<partition>:lambda:<region>:<account>:function:${Fn}:live`` (alias characters
    run to the end), compiled on first use: most templates have no text in an invocation place, and compiling
    the two costs a one-template run about 1 % of its instructions."""
    arn_suffix = re.compile(r"\$\{(" + _NAME + r")\.Arn\}:(" + _ALIAS + r")(?![A-Za-z0-9_\-])")
    function_arn = re.compile(
        r"arn:([^:${}]*|\$\{AWS::Partition\}):lambda:([^:${}]*|\$\{AWS::Region\}):([^:${}]*|\$\{AWS::AccountId\})"
        r":function:\$\{(" + _NAME + r")\}:(" + _ALIAS + r")(?![A-Za-z0-9_\-])"
    )
    return arn_suffix, function_arn


PSEUDO_ARN_PARTS = ("${AWS::Partition}", "${AWS::Region}", "${AWS::AccountId}")


@record(frozen=True)
class AliasText:
    """One alias ARN written as text: where it is, whose alias it is, and how it can be replaced."""

    resource: str  # the resource it is written in
    node: Node  # the intrinsic (Fn::Sub / Fn::Join) holding it
    path: tuple[Any, ...]  # of ``node``
    function: str
    alias: str  # as written: a name or ``${Parameter}``
    written: str  # the matched text
    span: tuple[int, int]  # of ``written`` in ``text``
    text: str  # the Sub text (or the Join rendered as one), variables as ``${...}``
    sub: Mapping | None  # the Fn::Sub when ``text`` is its literal text (no variable map)
    same_arn: bool  # replacing ``written`` with ``${Fn.Alias}`` gives the same ARN


def invoke_places(template: SamTemplate) -> Iterator[tuple[str, Node, tuple[Any, ...]]]:
    """(resource, value, path) for every invocation place in the template."""
    for logical_id, resource in template.resources.items():
        kind = template.resource_type(logical_id) or ""
        places = CUSTOM_RESOURCE_PLACES if kind.startswith(CUSTOM_RESOURCE_PREFIX) else INVOKE_PLACES.get(kind, ())
        properties = resource.get("Properties")
        if not places or not isinstance(properties, Mapping) or properties.intrinsic() is not None:
            continue
        base = ("Resources", logical_id, "Properties")
        for place in places:
            for node, path in _walk(properties, place, base):
                for branch, _, below in if_branches(node):
                    yield logical_id, branch, path + below


def _walk(node: Node, place: tuple[str, ...], path: tuple[Any, ...]) -> Iterator[tuple[Node, tuple[Any, ...]]]:
    if not place:
        yield node, path
        return
    head, rest = place[0], place[1:]
    if head == ANY:
        if isinstance(node, Sequence):
            for index, item in enumerate(node.items):
                yield from _walk(item, rest, path + (index,))
        return
    if isinstance(node, Mapping) and node.intrinsic() is None:
        child = node.get(head)
        if child is not None:
            yield from _walk(child, rest, path + (head,))


def alias_texts(template: SamTemplate) -> Iterator[AliasText]:
    """Every alias ARN of a SAM function written as text in an invocation place, for an alias name the
    function's ``AutoPublishAlias`` may take."""
    for resource, node, path in invoke_places(template):
        found = _text_of(node)
        if found is None:
            continue
        text, sub = found
        for match in _matches(text):
            function_id, alias, start, end, pseudo = match
            function = template.functions.get(function_id)
            if function is None or not _is_alias_of(template, function, alias):
                continue
            same = pseudo and _alias_is_exactly(function, alias)
            yield AliasText(resource, node, path, function_id, alias, text[start:end], (start, end), text, sub, same)


def _matches(text: str) -> Iterator[tuple[str, str, int, int, bool]]:
    arn_suffix, function_arn = arn_patterns()
    for match in arn_suffix.finditer(text):
        yield match.group(1), match.group(2), match.start(), match.end(), True
    for match in function_arn.finditer(text):
        pseudo = tuple(match.group(i) for i in (1, 2, 3)) == PSEUDO_ARN_PARTS
        yield match.group(4), match.group(5), match.start(), match.end(), pseudo


def _text_of(node: Node) -> tuple[str, Mapping | None] | None:
    """The text of an ``Fn::Sub`` (variables of its map substituted by what they stand for) or an
    ``Fn::Join`` rendered in ``Fn::Sub`` syntax; the Sub itself when its text is used as it is."""
    intrinsic = node.intrinsic() if isinstance(node, Mapping) else None
    if intrinsic is None:
        return None
    name, argument = intrinsic
    assert isinstance(node, Mapping)
    if name == "Fn::Sub":
        if isinstance(argument, Scalar) and isinstance(argument.value, str):
            return argument.value, node
        if isinstance(argument, Sequence) and len(argument.items) == 2:
            text, variables = argument.items
            if isinstance(text, Scalar) and isinstance(text.value, str) and isinstance(variables, Mapping):
                return _substitute(text.value, variables), None
        return None
    if name == "Fn::Join" and isinstance(argument, Sequence) and len(argument.items) == 2:
        delimiter, parts = argument.items
        if isinstance(delimiter, Scalar) and isinstance(parts, Sequence):
            return str(delimiter.value or "").join(_as_sub_text(part) for part in parts.items), None
    return None


def _as_sub_text(node: Node) -> str:
    """A joined part in ``Fn::Sub`` syntax: literals as they are, ``!GetAtt F.Arn`` as ``${F.Arn}``, ``!Ref X``
    as ``${X}``, anything else as a character no pattern matches."""
    if isinstance(node, Scalar):
        return str(node.value).replace("${", "$" + _OPAQUE + "{") if node.value is not None else ""
    target = getatt_target(node)
    if target is not None and getatt_attribute(node) == "Arn":
        return "${" + target + ".Arn}"
    ref = ref_target(node)
    return "${" + ref + "}" if ref is not None else _OPAQUE


# A ``${...}`` reference of an Fn::Sub text. Each match starts at a ``${`` and stops at the next brace, so one
# scan is linear in the text however many references and variables there are.
_REFERENCE = lazy_compile(r"\$\{([^{}]*)\}")


def _substitute(text: str, variables: Mapping) -> str:
    """``${Var}`` of a Sub variable map replaced by what the variable stands for, where that is a function's
    ARN or name; other variables become opaque. One pass over the text (as CloudFormation substitutes: a
    replacement is not looked at again), not one per variable."""
    replacements: dict[str, str] = {}
    for name, value in variables.items():
        replacements.setdefault(str(name), _as_sub_text(value))
    if not replacements:
        return text

    def substituted(match: re.Match[str]) -> str:
        return replacements.get(match.group(1), match.group(0))

    return _REFERENCE.sub(substituted, text)


def _alias_values(template: SamTemplate, function: Function) -> list[Any]:
    return template.candidates(function.get("AutoPublishAlias"))


def _is_alias_of(template: SamTemplate, function: Function, alias: str) -> bool:
    node = function.get("AutoPublishAlias")
    if node is None:
        return False
    if alias.startswith("${"):
        return ref_target(node) == alias[2:-1]
    return alias in [value for value in _alias_values(template, function) if isinstance(value, str) and value]


def _alias_is_exactly(function: Function, alias: str) -> bool:
    """The alias as written is the function's alias in every case: the same literal, or the same parameter."""
    node = function.get("AutoPublishAlias")
    if alias.startswith("${"):
        return node is not None and ref_target(node) == alias[2:-1]
    return isinstance(node, Scalar) and node.value == alias
