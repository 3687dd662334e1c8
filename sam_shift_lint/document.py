"""Parse a CloudFormation template or policy (YAML or JSON) into nodes with exact source positions.

YAML is read with libyaml through PyYAML (the loader cfn-lint and the SAM CLI use, YAML 1.1 scalar
rules), so ``Enabled: no`` is ``False`` here exactly as it is for them. Every node keeps its span
(1-based line/column and 0-based character offsets into the decoded text) so that findings point at
real source and fixes can edit text without re-dumping the file.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Optional, Tuple, Union

from .findings import Span
from .jsonparse import JsonSyntaxError, parse_json

MAX_BYTES = 5 * 1024 * 1024  # CloudFormation accepts at most 1 MB; anything this big is not a template.
MAX_DEPTH = 200  # nesting deeper than this is no template, and would exhaust Python's recursion limit

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


class DocumentError(Exception):
    """The file cannot be read or parsed; ``str(error)`` is a one-line reason (without the file name)."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column

    def __str__(self) -> str:
        if self.line:
            return f"{self.line}:{self.column}: {self.message}"
        return self.message


class Node:
    """Base of the three node kinds. ``span`` is where the node is written in the source."""

    __slots__ = ("span",)

    def __init__(self, span: Span) -> None:
        self.span = span


class Scalar(Node):
    __slots__ = ("value", "style", "tag")

    def __init__(self, value: Any, span: Span, style: Optional[str] = None, tag: Optional[str] = None) -> None:
        super().__init__(span)
        self.value = value
        self.style = style  # None (plain), "'", '"', "|", ">" for YAML; '"' for JSON strings
        self.tag = tag

    def __repr__(self) -> str:
        return f"Scalar({self.value!r}@{self.span.line}:{self.span.column})"


class Mapping(Node):
    """A mapping. ``short_tag`` is set (e.g. ``!Ref``) when an intrinsic was written in YAML short form."""

    __slots__ = ("entries", "flow", "short_tag")

    def __init__(self, span: Span, flow: bool = False, short_tag: Optional[str] = None) -> None:
        super().__init__(span)
        self.entries: Dict[str, Tuple[Scalar, Node]] = {}
        self.flow = flow
        self.short_tag = short_tag

    def get(self, key: str) -> Optional[Node]:
        entry = self.entries.get(key)
        return entry[1] if entry else None

    def key_node(self, key: str) -> Optional[Scalar]:
        entry = self.entries.get(key)
        return entry[0] if entry else None

    def __contains__(self, key: object) -> bool:
        return key in self.entries

    def keys(self) -> List[str]:
        return list(self.entries)

    def items(self) -> Iterator[Tuple[str, Node]]:
        for key, (_, value) in self.entries.items():
            yield key, value

    def intrinsic(self) -> Optional[Tuple[str, Node]]:
        """(function name, argument) when this mapping is a single-key intrinsic (``Ref``, ``Fn::*``, ``Condition``)."""
        if len(self.entries) != 1:
            return None
        key, (_, value) = next(iter(self.entries.items()))
        if key in ("Ref", "Condition") or key.startswith("Fn::"):
            return key, value
        return None

    def __repr__(self) -> str:
        return f"Mapping({list(self.entries)}@{self.span.line}:{self.span.column})"


class Sequence(Node):
    __slots__ = ("items", "flow")

    def __init__(self, span: Span, flow: bool = False) -> None:
        super().__init__(span)
        self.items: List[Node] = []
        self.flow = flow

    def __repr__(self) -> str:
        return f"Sequence({len(self.items)}@{self.span.line}:{self.span.column})"


@dataclass
class Document:
    """A parsed file: its text (BOM removed), its root node and how it was written."""

    path: str
    text: str
    root: Node
    format: str  # "yaml" | "json"
    bom: bool = False
    newline: str = "\n"

    def data(self) -> Any:
        return to_data(self.root)


def to_data(node: Node) -> Any:
    """Plain Python data (dicts, lists, scalars) for a node tree, as cfn-lint or the SAM translator would see it."""
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Mapping):
        return {key: to_data(value) for key, value in node.items()}
    if isinstance(node, Sequence):
        return [to_data(item) for item in node.items]
    raise TypeError(node)


# ---------------------------------------------------------------------------------------------- reading


def read_text(path: str, raw: Optional[bytes] = None) -> Tuple[str, bool]:
    """Read and decode a file as CloudFormation does (UTF-8, optional BOM). Returns (text, had_bom)."""
    if raw is None:
        try:
            if os.path.isdir(path):
                raise DocumentError("is a directory")
            size = os.path.getsize(path)
            if size > MAX_BYTES:
                raise DocumentError(f"file too large ({size} bytes; the limit is {MAX_BYTES})")
            with open(path, "rb") as handle:
                raw = handle.read(MAX_BYTES + 1)
        except FileNotFoundError:
            raise DocumentError("no such file") from None
        except PermissionError:
            raise DocumentError("permission denied") from None
        except IsADirectoryError:
            raise DocumentError("is a directory") from None
        except OSError as error:
            raise DocumentError(f"cannot read: {error.strerror or error}") from None
    if len(raw) > MAX_BYTES:
        raise DocumentError(f"file too large (more than {MAX_BYTES} bytes)")
    bom = raw.startswith(b"\xef\xbb\xbf")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DocumentError("UTF-16 text is not supported (CloudFormation templates are UTF-8)")
    if b"\x00" in raw:
        if _looks_like_utf16(raw):
            raise DocumentError("UTF-16 text is not supported (CloudFormation templates are UTF-8)")
        raise DocumentError("binary file (contains NUL bytes)")
    try:
        text = raw.decode("utf-8-sig" if bom else "utf-8")
    except UnicodeDecodeError as error:
        raise DocumentError(f"not valid UTF-8 (byte offset {error.start})") from None
    return text, bom


def _looks_like_utf16(raw: bytes) -> bool:
    """BOM-less UTF-16 of mostly ASCII text: every other byte of the first few hundred is NUL."""
    sample = raw[:256]
    return len(sample) >= 8 and (not sample[1::2].strip(b"\x00") or not sample[0::2].strip(b"\x00"))


def looks_like_json(text: str) -> bool:
    stripped = text.lstrip()
    return stripped.startswith("{") or stripped.startswith("[")


def parse(path: str, text: str, bom: bool = False) -> Document:
    """Parse ``text`` (YAML or JSON, chosen by content) into a Document."""
    try:
        return _parse(path, text, bom)
    except RecursionError:
        raise DocumentError("nesting too deep") from None


def _parse(path: str, text: str, bom: bool) -> Document:
    newline = "\r\n" if "\r\n" in text else "\n"
    if looks_like_json(text):
        try:
            root = parse_json(text)
            return Document(path, text, root, "json", bom, newline)
        except JsonSyntaxError as json_error:
            # JSON-looking YAML flow mappings exist; fall back to YAML before giving up.
            try:
                root = parse_yaml(text)
            except DocumentError:
                raise DocumentError(json_error.message, json_error.line, json_error.column) from None
            return Document(path, text, root, "yaml", bom, newline)
    root = parse_yaml(text)
    return Document(path, text, root, "yaml", bom, newline)


def load(path: str, raw: Optional[bytes] = None) -> Document:
    text, bom = read_text(path, raw)
    return parse(path, text, bom)


# ---------------------------------------------------------------------------------------------- YAML

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
        self.seen: set = set()
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

    def _key(self, node: Any) -> Scalar:
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
        return Scalar(node.value, _span(node), node.style or None)

    def _mapping(self, node: Any) -> Mapping:
        self._enter(node)
        result = Mapping(_span(node), flow=bool(node.flow_style))
        for key_node, value_node in node.value:
            key = self._key(key_node)
            name = key.value
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


# ---------------------------------------------------------------------------------------------- helpers


def walk(node: Node, path: Tuple[Union[str, int], ...] = ()) -> Iterator[Tuple[Tuple[Union[str, int], ...], Node]]:
    """Every node under ``node`` with its path."""
    yield path, node
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield from walk(value, path + (key,))
    elif isinstance(node, Sequence):
        for index, item in enumerate(node.items):
            yield from walk(item, path + (index,))


def scalars(node: Optional[Node]) -> Iterator[Scalar]:
    """Every scalar value under ``node`` (keys are not nodes of the tree)."""
    for _, child in walk(node):  # type: ignore[arg-type]
        if isinstance(child, Scalar):
            yield child


def if_branches(node: Node) -> List[Tuple[Node, Optional[str], Tuple[Any, ...]]]:
    """(value, condition, path below ``node``) for each value an ``Fn::If`` may take (recursively; the innermost
    condition names it), or ``[(node, None, ())]``."""
    intrinsic = node.intrinsic() if isinstance(node, Mapping) else None
    if intrinsic and intrinsic[0] == "Fn::If" and isinstance(intrinsic[1], Sequence) and len(intrinsic[1].items) == 3:
        condition = intrinsic[1].items[0]
        name = str(condition.value) if isinstance(condition, Scalar) else "?"
        out = []
        for index in (1, 2):
            for value, inner, extra in if_branches(intrinsic[1].items[index]):
                out.append((value, inner or name, ("Fn::If", index) + extra))
        return out
    return [(node, None, ())]


def is_no_value(node: Node) -> bool:
    """``Ref: AWS::NoValue``."""
    intrinsic = node.intrinsic() if isinstance(node, Mapping) else None
    return bool(intrinsic and intrinsic[0] == "Ref" and isinstance(intrinsic[1], Scalar) and intrinsic[1].value == "AWS::NoValue")


def get_path(node: Optional[Node], *path: Union[str, int]) -> Optional[Node]:
    for part in path:
        if isinstance(node, Mapping) and isinstance(part, str):
            node = node.get(part)
        elif isinstance(node, Sequence) and isinstance(part, int) and 0 <= part < len(node.items):
            node = node.items[part]
        else:
            return None
    return node
