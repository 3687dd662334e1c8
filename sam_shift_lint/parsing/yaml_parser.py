"""YAML into nodes, with libyaml through PyYAML (the loader cfn-lint and the SAM CLI use, YAML 1.1 scalar
rules), so ``Enabled: no`` is ``False`` here exactly as it is for them. CloudFormation short-form tags become the
long-form intrinsic mappings; anchors, aliases, unknown tags and excessive nesting are errors."""
from __future__ import annotations

from typing import Any

from sam_shift_lint.parsing.errors import MAX_DEPTH, DocumentError
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
            span = _span(node)
            raise DocumentError(f"unknown tag {tag}", span.line, span.column)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node)
        if isinstance(node, yaml.SequenceNode):
            return self._sequence(node)
        return self._scalar(node)

    def _scalar(self, node: Any) -> Scalar:
        tag = node.tag
        value: Any = node.value
        short = tag.rsplit(":", 1)[-1] if tag.startswith("tag:yaml.org,2002:") else ""
        try:
            if short == "bool":
                value = _constructor.construct_yaml_bool(node)
            elif short == "int":
                value = _constructor.construct_yaml_int(node)
            elif short == "float":
                value = _constructor.construct_yaml_float(node)
            elif short == "null":
                value = None
            elif short in ("str", "timestamp", "binary", ""):
                value = node.value  # CloudFormation keeps dates and the like as strings
            else:
                span = _span(node)
                raise DocumentError(f"unsupported tag {tag}", span.line, span.column)
        except (ValueError, _yaml.YAMLError):
            span = _span(node)
            raise DocumentError(f"invalid value for {tag}: {node.value!r}", span.line, span.column) from None
        style = node.style if node.style else None
        return Scalar(value, _span(node), style)

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
        if node.tag == "tag:yaml.org,2002:merge":
            span = _span(node)
            raise DocumentError("YAML merge keys (<<) are not supported", span.line, span.column)
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
                    f"duplicate key '{name}' (first defined at line {first.line})", key.span.line, key.span.column
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
