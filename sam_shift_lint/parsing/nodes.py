"""The node tree every parser produces: scalars, mappings and sequences, each with its exact source span."""
from __future__ import annotations

from collections.abc import Iterator
from typing import TypeAlias

from sam_shift_lint.records import record

PathItem = str | int
# What a scalar holds: JSON's scalars; YAML's are read as these too (dates and the like stay strings).
ScalarValue = str | int | float | bool | None
# Plain data as a parsed JSON/YAML file holds it.
JsonValue: TypeAlias = "str | int | float | bool | dict[str, JsonValue] | list[JsonValue] | None"


@record(frozen=True)
class Span:
    """A source range: 1-based lines and columns, 0-based character offsets (end exclusive)."""

    line: int
    column: int
    end_line: int
    end_column: int
    start: int
    end: int


class Node:
    """Base of the three node kinds. ``span`` is where the node is written in the source."""

    __slots__ = ("span",)

    def __init__(self, span: Span) -> None:
        self.span = span


class Scalar(Node):
    __slots__ = ("style", "tag", "value")

    def __init__(self, value: ScalarValue, span: Span, style: str | None = None, tag: str | None = None) -> None:
        super().__init__(span)
        self.value = value
        self.style = style  # None (plain), "'", '"', "|", ">" for YAML; '"' for JSON strings
        self.tag = tag

    def __repr__(self) -> str:
        return f"Scalar({self.value!r}@{self.span.line}:{self.span.column})"


class Mapping(Node):
    """A mapping. ``short_tag`` is set (e.g. ``!Ref``) when an intrinsic was written in YAML short form."""

    __slots__ = ("entries", "flow", "short_tag")

    def __init__(self, span: Span, flow: bool = False, short_tag: str | None = None) -> None:
        super().__init__(span)
        self.entries: dict[str, tuple[Scalar, Node]] = {}
        self.flow = flow
        self.short_tag = short_tag

    def get(self, key: str) -> Node | None:
        entry = self.entries.get(key)
        return entry[1] if entry else None

    def key_node(self, key: str) -> Scalar | None:
        entry = self.entries.get(key)
        return entry[0] if entry else None

    def __contains__(self, key: object) -> bool:
        return key in self.entries

    def keys(self) -> list[str]:
        return list(self.entries)

    def items(self) -> Iterator[tuple[str, Node]]:
        for key, (_, value) in self.entries.items():
            yield key, value

    def values(self) -> Iterator[Node]:
        for _, value in self.entries.values():
            yield value

    def intrinsic(self) -> tuple[str, Node] | None:
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
    __slots__ = ("flow", "items")

    def __init__(self, span: Span, flow: bool = False) -> None:
        super().__init__(span)
        self.items: list[Node] = []
        self.flow = flow

    def __repr__(self) -> str:
        return f"Sequence({len(self.items)}@{self.span.line}:{self.span.column})"




def to_data(node: Node) -> JsonValue:
    """Plain Python data (dicts, lists, scalars) for a node tree, as cfn-lint or the SAM translator would see it."""
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Mapping):
        return {key: to_data(value) for key, value in node.items()}
    if isinstance(node, Sequence):
        return [to_data(item) for item in node.items]
    raise TypeError(node)


def walk(node: Node, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], Node]]:
    """Every node under ``node`` with its path."""
    yield path, node
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield from walk(value, path + (key,))
    elif isinstance(node, Sequence):
        for index, item in enumerate(node.items):
            yield from walk(item, path + (index,))


def scalars(node: Node | None) -> Iterator[Scalar]:
    """Every scalar value under ``node`` (keys are not nodes of the tree)."""
    if node is None:
        return
    for _, child in walk(node):
        if isinstance(child, Scalar):
            yield child


def get_path(node: Node | None, *path: str | int) -> Node | None:
    for part in path:
        if isinstance(node, Mapping) and isinstance(part, str):
            node = node.get(part)
        elif isinstance(node, Sequence) and isinstance(part, int) and 0 <= part < len(node.items):
            node = node.items[part]
        else:
            return None
    return node
