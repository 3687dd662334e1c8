"""Turn "add this key" / "replace this value" into minimal text edits that keep the file's own style.

Edits are computed from parser positions: a new key goes after the last line of the mapping's last
entry, indented like its siblings, in block or flow style as the mapping is written, with the file's line
ending; a missing final newline stays missing. JSON gets the file's indentation string and stays JSON.
The file is never re-dumped.
"""
from __future__ import annotations

import json
from typing import Any, Dict, List, Optional, Tuple

from ..document import Document, Mapping, Node, Scalar, Sequence
from ..findings import Edit

Value = Any  # str | bool | int | Dict[str, Value]


class EditError(Exception):
    """The edit cannot be made safely here (the fix is then withheld)."""


def content_end(node: Node) -> int:
    """Offset just after the last character that belongs to ``node`` (block collections end at their last leaf)."""
    if isinstance(node, Mapping) and not node.flow and node.short_tag is None and node.entries:
        last_value = list(node.entries.values())[-1][1]
        return content_end(last_value)
    if isinstance(node, Sequence) and not node.flow and node.items:
        return content_end(node.items[-1])
    return node.span.end


class TextEditor:
    """Builds edits against one parsed document."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.text = document.text
        self.newline = document.newline
        self.line_starts = [0] + [i + 1 for i, char in enumerate(self.text) if char == "\n"]

    # -------------------------------------------------------------------------------- positions

    def position(self, offset: int) -> Tuple[int, int]:
        import bisect

        index = bisect.bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def edit(self, start: int, end: int, content: str) -> Edit:
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Edit(start, end, content, line, column, end_line, end_column)

    def line_start(self, offset: int) -> int:
        return self.text.rfind("\n", 0, offset) + 1

    def leading_whitespace(self, offset: int) -> str:
        start = self.line_start(offset)
        end = start
        while end < len(self.text) and self.text[end] in " \t":
            end += 1
        return self.text[start:end]

    def indent_unit(self) -> str:
        """The file's indentation step, read from the children of ``Resources`` (or the root)."""
        root = self.document.root
        if isinstance(root, Mapping):
            for _, child in root.items():
                if isinstance(child, Mapping) and not child.flow and child.entries:
                    first_key = next(iter(child.entries.values()))[0]
                    if self.document.format == "json":
                        inner = self.leading_whitespace(first_key.span.start)
                        outer = self.leading_whitespace(root.span.start) if root.entries else ""
                        unit = inner[len(self.leading_whitespace(next(iter(root.entries.values()))[0].span.start)):]
                        return unit or inner or outer or "  "
                    parent_key = next(k for k, v in root.entries.values() if v is child)
                    width = first_key.span.column - parent_key.span.column
                    if width > 0:
                        return " " * width
        if self.document.format == "json" and isinstance(root, Mapping) and root.entries:
            first = next(iter(root.entries.values()))[0]
            return self.leading_whitespace(first.span.start) or "  "
        return "  "

    # -------------------------------------------------------------------------------- operations

    def add_entries(self, mapping: Mapping, entries: Dict[str, Value], before: Optional[str] = None) -> Edit:
        """Add ``entries`` to ``mapping`` in one edit (at the end, or before the entry ``before``)."""
        if mapping.short_tag is not None or mapping.intrinsic() is not None:
            raise EditError("cannot add a key to an intrinsic function")
        if any(key in mapping.entries for key in entries):
            raise EditError("key already present")
        if self.document.format == "json":
            return self._add_json(mapping, entries, before)
        if mapping.flow:
            return self._add_flow_yaml(mapping, entries)
        return self._add_block_yaml(mapping, entries, before)

    def replace_scalar(self, node: Scalar, value: Value) -> Edit:
        """Replace a scalar's text, keeping its quote style."""
        original = self.text[node.span.start:node.span.end]
        if self.document.format == "json" or (node.style == '"' and isinstance(value, str)):
            content = json.dumps(value)
        elif node.style == "'" and isinstance(value, str):
            content = "'" + str(value).replace("'", "''") + "'"
        elif node.style in ("|", ">"):
            raise EditError("block scalars are not rewritten")
        else:
            content = yaml_scalar(value)
        if "\n" in original:
            raise EditError("multi-line scalars are not rewritten")
        return self.edit(node.span.start, node.span.end, content)

    # -------------------------------------------------------------------------------- YAML

    def _block_indent(self, mapping: Mapping) -> str:
        first_key = next(iter(mapping.entries.values()))[0]
        return " " * (first_key.span.column - 1)

    def _child_unit(self, mapping: Mapping, indent: str) -> str:
        for _, (_, value) in mapping.entries.items():
            if isinstance(value, Mapping) and not value.flow and value.short_tag is None and value.entries:
                inner = next(iter(value.entries.values()))[0].span.column - 1
                if inner > len(indent):
                    return " " * (inner - len(indent))
        return self.indent_unit()

    def _add_block_yaml(self, mapping: Mapping, entries: Dict[str, Value], before: Optional[str]) -> Edit:
        if not mapping.entries:
            raise EditError("empty block mapping")
        indent = self._block_indent(mapping)
        unit = self._child_unit(mapping, indent)
        body = self.newline.join(yaml_block(k, v, indent, unit, self.newline) for k, v in entries.items())
        if before is not None and before in mapping.entries:
            anchor = self._attached_comment_start(mapping.entries[before][0].span.start)
            return self.edit(anchor, anchor, body + self.newline + self._blank_after(anchor))
        end = content_end(list(mapping.entries.values())[-1][1])
        if end > 0 and self.text[end - 1] == "\n":
            return self.edit(end, end, body + self.newline)
        newline_at = self.text.find("\n", end)
        if newline_at == -1:
            return self.edit(len(self.text), len(self.text), self.newline + body)
        return self.edit(newline_at + 1, newline_at + 1, body + self.newline)

    def _attached_comment_start(self, key_offset: int) -> int:
        """Start of the comment lines directly above a key (they belong to it)."""
        start = self.line_start(key_offset)
        while start > 0:
            previous = self.line_start(start - 1)
            line = self.text[previous:start].strip()
            if line.startswith("#"):
                start = previous
            else:
                break
        return start

    def _blank_after(self, anchor: int) -> str:
        """A blank line when the sections around ``anchor`` are separated by one."""
        if anchor == 0:
            return ""
        previous = self.line_start(anchor - 1)
        return self.newline if self.text[previous:anchor].strip() == "" else ""

    def _add_flow_yaml(self, mapping: Mapping, entries: Dict[str, Value]) -> Edit:
        item = ", ".join(f"{yaml_key(k)}: {yaml_flow(v)}" for k, v in entries.items())
        if not mapping.entries:
            close = mapping.span.end - 1
            if self.text[close] != "}":
                raise EditError("unexpected flow mapping end")
            return self.edit(close, close, item)
        end = content_end(list(mapping.entries.values())[-1][1])
        return self.edit(end, end, ", " + item)

    # -------------------------------------------------------------------------------- JSON

    def _json_members(self, entries: Dict[str, Value], indent: Optional[str], unit: str) -> List[str]:
        return [f"{json.dumps(k)}: {json_value(v, indent, unit, self.newline)}" for k, v in entries.items()]

    def _add_json(self, mapping: Mapping, entries: Dict[str, Value], before: Optional[str]) -> Edit:
        unit = self.indent_unit()
        if before is not None and before in mapping.entries:
            key_node = mapping.entries[before][0]
            indent = self.leading_whitespace(key_node.span.start)
            if self.line_start(key_node.span.start) + len(indent) == key_node.span.start:
                separator = "," + self.newline + indent
                members = separator.join(self._json_members(entries, indent, unit))
                return self.edit(key_node.span.start, key_node.span.start, members + separator)
            members = ", ".join(self._json_members(entries, None, unit))
            return self.edit(key_node.span.start, key_node.span.start, members + ", ")
        if not mapping.entries:
            open_brace = mapping.span.start
            members = ", ".join(self._json_members(entries, None, unit))
            return self.edit(open_brace + 1, open_brace + 1, members)
        last_key = list(mapping.entries.values())[-1][0]
        end = list(mapping.entries.values())[-1][1].span.end
        first_key = next(iter(mapping.entries.values()))[0]
        multiline = self.position(first_key.span.start)[0] > self.position(mapping.span.start)[0]
        if multiline:
            indent = self.leading_whitespace(last_key.span.start)
            separator = "," + self.newline + indent
            return self.edit(end, end, separator + separator.join(self._json_members(entries, indent, unit)))
        return self.edit(end, end, ", " + ", ".join(self._json_members(entries, None, unit)))


# ------------------------------------------------------------------------------------ rendering


def yaml_scalar(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    return json.dumps(text) if needs_quotes(text) else text


def needs_quotes(text: str) -> bool:
    """True when ``text`` written plain would not read back as the same string (YAML 1.1 rules)."""
    import yaml

    if not text or text != text.strip() or any(char in text for char in ":#{}[],&*!|>'\"%@`\n\t"):
        return True
    tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False))
    return tag != "tag:yaml.org,2002:str"


def yaml_key(key: str) -> str:
    return yaml_scalar(key)


def yaml_flow(value: Value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{yaml_key(k)}: {yaml_flow(v)}" for k, v in value.items()) + "}"
    return yaml_scalar(value)


def yaml_block(key: str, value: Value, indent: str, unit: str, newline: str) -> str:
    """``key: value`` in block style at ``indent`` (no trailing newline)."""
    if isinstance(value, dict):
        lines = [f"{indent}{yaml_key(key)}:"]
        lines += [yaml_block(k, v, indent + unit, unit, newline) for k, v in value.items()]
        return newline.join(lines)
    return f"{indent}{yaml_key(key)}: {yaml_scalar(value)}"


def json_value(value: Value, indent: Optional[str], unit: str, newline: str) -> str:
    """JSON text for ``value``; nested objects are laid out like the file when ``indent`` is given."""
    if not isinstance(value, dict):
        return json.dumps(value)
    if indent is None:
        return "{" + ", ".join(f"{json.dumps(k)}: {json_value(v, None, unit, newline)}" for k, v in value.items()) + "}"
    inner = indent + unit
    items = [f"{inner}{json.dumps(k)}: {json_value(v, inner, unit, newline)}" for k, v in value.items()]
    return "{" + newline + ("," + newline).join(items) + newline + indent + "}"


def as_data(value: Value) -> Any:
    """The parsed form of a value this module writes (used to state the intended data change)."""
    if isinstance(value, dict):
        return {k: as_data(v) for k, v in value.items()}
    return value


def ordered(pairs: List[Tuple[str, Value]]) -> Dict[str, Value]:
    return dict(pairs)
