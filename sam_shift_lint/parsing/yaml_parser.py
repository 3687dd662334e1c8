"""YAML into nodes, with libyaml through PyYAML (the loader cfn-lint and the SAM CLI use, YAML 1.1 scalar
rules), so ``Enabled: no`` is ``False`` here exactly as it is for them. CloudFormation short-form tags become the
long-form intrinsic mappings; anchors, aliases, unknown tags and excessive nesting are errors.

Explicit YAML tags are read as cfn-lint and the SAM CLI read them (PyYAML's safe constructors): ``!!int``,
``!!float``, ``!!bool``, ``!!null``, ``!!str``, ``!!seq`` and ``!!map`` give the same values, and a value they
reject (``!!bool maybe``, an empty ``!!int``, ``!!seq`` on a mapping) is an error here as it is there (cfn-lint:
E0000). ``!!timestamp`` and ``!!binary`` keep their text (the SAM CLI keeps timestamps as strings; a template
holds no bytes), after the same validation for ``!!binary``. Tags that yield no CloudFormation value
(``!!omap``, ``!!pairs``, ``!!set``, ``!!merge``, ``!!python/...``, any other ``tag:`` URI) are errors, as is an
integer beyond Python's 4,300-digit conversion limit (cfn-lint rejects those too)."""
from __future__ import annotations

from typing import Any

from sam_shift_lint.parsing.errors import MAX_DEPTH, MAX_INT_BITS, MAX_INT_DIGITS, DocumentError, shorten
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, Sequence, Span

# Short-form CloudFormation tags and the long-form key each one stands for.
SHORT_TAGS = {
    "!Ref": "Ref",
    "!Condition": "Condition",
    "!Sub": "Fn::Sub",
    "!GetAtt": "Fn::GetAtt",
    "!If": "Fn::If",
    "!Join": "Fn::Join",
    "!Select": "Fn::Select",
    "!Split": "Fn::Split",
    "!FindInMap": "Fn::FindInMap",
    "!Base64": "Fn::Base64",
    "!Cidr": "Fn::Cidr",
    "!ImportValue": "Fn::ImportValue",
    "!GetAZs": "Fn::GetAZs",
    "!Equals": "Fn::Equals",
    "!And": "Fn::And",
    "!Or": "Fn::Or",
    "!Not": "Fn::Not",
    "!Transform": "Fn::Transform",
    "!ToJsonString": "Fn::ToJsonString",
    "!Length": "Fn::Length",
}


_yaml: Any = None
_constructor: Any = None


def _yaml_module() -> Any:
    global _yaml, _constructor
    if _yaml is None:
        from sam_shift_lint.parsing.pyyaml import import_pyyaml

        import_pyyaml()
        import yaml

        _yaml = yaml
        _constructor = yaml.constructor.SafeConstructor()
    return _yaml


def _span(node: Any) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1, start.index, end.index)


def parse_yaml(text: str) -> Node:
    yaml = _yaml_module()
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        loader = loader_class(text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problem = error.problem or error.context or "invalid YAML"
        if mark is not None:
            raise DocumentError(f"YAML syntax error: {problem}", mark.line + 1, mark.column + 1) from None
        raise DocumentError(f"YAML syntax error: {problem}") from None
    except yaml.YAMLError as error:
        raise DocumentError(f"YAML error: {str(error).splitlines()[0]}") from None
    if root is None:
        raise DocumentError("empty document")
    return _YamlConverter().convert(root)


_YAML_TAG = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ, _MERGE = (_YAML_TAG + name for name in ("str", "map", "seq", "merge"))
# Scalar tags whose values CloudFormation can hold, and how each is read (None: the text itself).
_SCALAR_TAGS = {
    "str": None,
    "timestamp": None,
    "binary": "construct_yaml_binary",
    "int": "construct_yaml_int",
    "float": "construct_yaml_float",
    "bool": "construct_yaml_bool",
    "null": "construct_yaml_null",
}


def _error(message: str, node: Any) -> DocumentError:
    span = _span(node)
    return DocumentError(message, span.line, span.column)


def _tag_name(tag: str) -> str:
    """``!!int`` for ``tag:yaml.org,2002:int``; other tags as written (shortened)."""
    return "!!" + tag[len(_YAML_TAG) :] if tag.startswith(_YAML_TAG) else shorten(tag)


def _node_kind(node: Any) -> str:
    return "a mapping" if isinstance(node, _yaml.MappingNode) else "a sequence" if isinstance(node, _yaml.SequenceNode) else "a scalar"


def _expect_tag(node: Any, tag: str, expected: str) -> None:
    """A mapping must be tagged ``!!map`` (the default), a sequence ``!!seq``."""
    if tag != expected:
        if tag in (_SEQ, _MAP) or (tag.startswith(_YAML_TAG) and tag[len(_YAML_TAG) :] in _SCALAR_TAGS):
            raise _error(f"{_tag_name(tag)} cannot tag {_node_kind(node)}", node)
        raise _error(f"unsupported tag {_tag_name(tag)} on {_node_kind(node)}", node)


def _scalar_value(node: Any) -> Any:
    """The value of a scalar node, read as PyYAML's safe loader reads it; errors name the tag, never the whole
    value."""
    tag: str = node.tag or ""
    name = tag[len(_YAML_TAG) :] if tag.startswith(_YAML_TAG) else None
    if name == "str":
        return node.value
    if name not in _SCALAR_TAGS:
        if name in ("seq", "map", "omap", "pairs", "set"):
            raise _error(f"{_tag_name(tag)} cannot tag a scalar", node)
        raise _error(f"unsupported tag {_tag_name(tag)}", node)
    constructor = _SCALAR_TAGS[name]
    if constructor is None:
        return node.value  # CloudFormation keeps dates and the like as strings (so does the SAM CLI)
    if name == "int" and len(node.value) > MAX_INT_DIGITS:
        raise _error(f"integer too large (more than {MAX_INT_DIGITS} digits)", node)
    try:
        value = getattr(_constructor, constructor)(node)
    except Exception:  # the constructors raise KeyError, IndexError, ValueError, binascii.Error, ConstructorError
        raise _error(f"invalid value for {_tag_name(tag)}: '{shorten(node.value)}'", node) from None
    if name == "binary":
        return node.value
    if name == "int" and abs(value).bit_length() > MAX_INT_BITS:
        raise _error(f"integer too large (more than {MAX_INT_DIGITS} digits)", node)
    return value


class _YamlConverter:
    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.depth = 0

    def _enter(self, node: Any) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            span = _span(node)
            raise DocumentError(f"nesting too deep (more than {MAX_DEPTH} levels)", span.line, span.column)

    def convert(self, node: Any) -> Node:
        yaml = _yaml
        if id(node) in self.seen:
            span = _span(node)
            raise DocumentError(
                "YAML anchors and aliases are not supported (CloudFormation rejects them)", span.line, span.column
            )
        self.seen.add(id(node))
        tag = node.tag or ""
        if tag in SHORT_TAGS:
            return self._short_form(node, tag)
        if tag.startswith("!"):
            raise _error(f"unknown tag {shorten(tag)}", node)
        if isinstance(node, yaml.MappingNode):
            _expect_tag(node, tag, _MAP)
            return self._mapping(node)
        if isinstance(node, yaml.SequenceNode):
            _expect_tag(node, tag, _SEQ)
            return self._sequence(node)
        value = _scalar_value(node)
        return Scalar(value, _span(node), node.style or None)

    def _key(self, node: Any) -> tuple[str, Scalar]:
        """(the key's text, its scalar)."""
        yaml = _yaml
        if not isinstance(node, yaml.ScalarNode):
            span = _span(node)
            raise DocumentError("mapping keys must be scalars", span.line, span.column)
        if id(node) in self.seen:
            span = _span(node)
            raise DocumentError("YAML anchors and aliases are not supported", span.line, span.column)
        self.seen.add(id(node))
        if node.tag == _MERGE:
            span = _span(node)
            raise DocumentError("YAML merge keys (<<) are not supported", span.line, span.column)
        if not node.tag.startswith(_YAML_TAG):
            raise _error(f"unsupported tag {_tag_name(node.tag)} on a key", node)
        if node.tag != _STR:
            _scalar_value(node)  # a key's tag is validated as a value's (``!!bool maybe: x`` is an error)
        text: str = node.value  # a scalar node's value is its text
        return text, Scalar(text, _span(node), node.style or None)

    def _mapping(self, node: Any) -> Mapping:
        self._enter(node)
        result = Mapping(_span(node), flow=bool(node.flow_style))
        for key_node, value_node in node.value:
            name, key = self._key(key_node)
            if name in result.entries:
                first = result.entries[name][0].span
                raise DocumentError(
                    f"duplicate key '{shorten(name)}' (first defined at line {first.line})", key.span.line, key.span.column
                )
            result.entries[name] = (key, self.convert(value_node))
        self.depth -= 1
        return result

    def _sequence(self, node: Any) -> Sequence:
        self._enter(node)
        result = Sequence(_span(node), flow=bool(node.flow_style))
        result.items = [self.convert(item) for item in node.value]
        self.depth -= 1
        return result

    def _short_form(self, node: Any, tag: str) -> Mapping:
        yaml = _yaml
        span = _span(node)
        function = SHORT_TAGS[tag]
        wrapper = Mapping(span, flow=True, short_tag=tag)
        key = Scalar(function, Span(span.line, span.column, span.line, span.column + len(tag), span.start, span.start + len(tag)))
        if isinstance(node, yaml.ScalarNode):
            argument: Node = Scalar(node.value, span, node.style or None)
            if function == "Fn::GetAtt":
                resource, _, attribute = node.value.partition(".")
                sequence = Sequence(span, flow=True)
                sequence.items = [Scalar(resource, span), Scalar(attribute, span)]
                argument = sequence
        elif isinstance(node, yaml.SequenceNode):
            argument = self._sequence(node)
        else:
            argument = self._mapping(node)
        wrapper.entries[function] = (key, argument)
        return wrapper
