"""Turn CloudFormation values (strings and intrinsic functions) into patterns.

``Fn::Sub`` text stays symbolic: ``${AWS::Region}`` and ``${Param}`` become symbols that a caller can
bind to concrete values later. ``Ref`` to a pseudo parameter or a known name is a symbol too;
``Fn::Join`` of resolvable parts is joined. Everything else (``Fn::If``, ``Fn::ImportValue``, a ``Ref``
to a name the context does not know, ...) is :class:`~.pattern.Unknown`.
"""
from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from typing import Any

from sam_shift_lint.iam.pattern import (
    POLICY_VERSION,
    PSEUDO_PARAMETERS,
    Pattern,
    Unknown,
    Value,
    iter_variables,
    join,
    parse_glob,
    parse_policy_string,
    symbol,
)
from sam_shift_lint.records import field, record

NO_VALUE = "AWS::NoValue"


class _NoValue:
    """``Ref: AWS::NoValue``: the element is left out."""

    def __repr__(self) -> str:
        return "NoValue"


NOVALUE = _NoValue()


@record(frozen=True)
class Context:
    """What the caller knows about the template the policy lives in.

    ``values``: concrete text for names (a parameter's value); it is read as IAM glob text.
    ``names``: names that may be used symbolically (parameters, logical ids, ``Logical.Attr``);
    ``None`` means any name is accepted. Pseudo parameters are always accepted.
    ``version``: the policy ``Version`` (policy variables exist only in ``2012-10-17``).
    ``patterns``: names (``Ref``/``GetAtt``/``Fn::Sub`` variables, e.g. ``Fn.Arn``) that stand for a pattern
    which may hold symbols itself (``arn:${AWS::Partition}:lambda:...:function:${Fn}``), so that two ways of
    writing the same ARN compare equal.
    """

    values: Mapping[str, str] = field(default_factory=dict)
    names: AbstractSet[str] | None = None
    version: str | None = POLICY_VERSION
    patterns: Mapping[str, Pattern] = field(default_factory=dict)

    def knows(self, name: str) -> bool:
        """May ``name`` appear as a symbol?"""
        return name in PSEUDO_PARAMETERS or self.names is None or name in self.names


DEFAULT_CONTEXT = Context()


def intrinsic_name(node: Any) -> str | None:
    """``"Fn::Sub"`` for ``{"Fn::Sub": ...}``; ``None`` if ``node`` is not a one-key intrinsic."""
    if isinstance(node, dict) and len(node) == 1:
        key = next(iter(node))
        if isinstance(key, str) and (key == "Ref" or key.startswith("Fn::") or key == "Condition"):
            return key
    return None


def resolve(node: Any, context: Context = DEFAULT_CONTEXT) -> Value | _NoValue:
    """The pattern a policy value stands for, ``Unknown``, or ``NOVALUE``."""
    if isinstance(node, str):
        return parse_policy_string(node, context.version)
    name = intrinsic_name(node)
    if name == "Ref":
        return _ref(node[name], context)
    if name == "Fn::Sub":
        return _sub(node[name], context)
    if name == "Fn::Join":
        return _join(node[name], context)
    if name == "Fn::GetAtt":
        return _get_att(node[name], context)
    if name is not None:
        return Unknown(f"unsupported intrinsic {name}")
    return Unknown(f"not a string: {type(node).__name__}")


def _name_value(name: str, context: Context) -> Value | _NoValue:
    if name == NO_VALUE:
        return NOVALUE
    if name in context.patterns:
        return context.patterns[name]
    if name in context.values:
        return parse_glob(context.values[name])
    if context.knows(name):
        return symbol(name)
    return Unknown(f"unknown name {name}")


def _ref(arg: Any, context: Context) -> Value | _NoValue:
    if not isinstance(arg, str):
        return Unknown("Ref to a non-string")
    return _name_value(arg, context)


def _get_att(arg: Any, context: Context) -> Value:
    if isinstance(arg, str) and "." in arg:
        name = arg
    elif isinstance(arg, list) and len(arg) == 2 and all(isinstance(a, str) for a in arg):
        name = f"{arg[0]}.{arg[1]}"
    else:
        return Unknown("Fn::GetAtt with a computed argument")
    logical = name.split(".", 1)[0]
    if name in context.patterns:
        return context.patterns[name]
    if name in context.values:
        return parse_glob(context.values[name])
    if context.names is None or logical in context.names or name in context.names:
        return symbol(name)
    return Unknown(f"unknown resource {logical}")


def _sub(arg: Any, context: Context) -> Value:
    variables: Mapping[str, Any] = {}
    if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], dict):
        arg, variables = arg
    if not isinstance(arg, str):
        return Unknown("Fn::Sub with a computed template")
    parts: list[Value] = []
    pos = 0
    for start, end, raw in iter_variables(arg):
        parts.append(parse_glob(arg[pos:start]))
        pos = end
        name = raw.strip()
        if name.startswith("!"):  # ${!x} is the literal ${x}, which IAM then reads
            value: Value | _NoValue = parse_policy_string(f"${{{name[1:]}}}", context.version)
        elif name in variables:
            value = resolve(variables[name], context)
        elif "." in name:
            value = _get_att(name, context)
        else:
            value = _name_value(name, context)
        if not isinstance(value, (Pattern, Unknown)):
            return Unknown(f"Fn::Sub variable {name} has no value")
        parts.append(value)
    parts.append(parse_glob(arg[pos:]))
    return join(parts)


def _join(arg: Any, context: Context) -> Value:
    if not (isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str)):
        return Unknown("malformed Fn::Join")
    delimiter, items = arg
    if not isinstance(items, list):
        return Unknown("Fn::Join over a computed list")
    parts: list[Value] = []
    for item in items:
        value = resolve(item, context)
        if not isinstance(value, (Pattern, Unknown)):
            continue
        if parts:
            parts.append(parse_glob(delimiter))
        parts.append(value)
    return join(parts)
