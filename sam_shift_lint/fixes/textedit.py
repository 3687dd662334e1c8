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


def content_end(node: Node, text: str = "") -> int:
    """Offset just after the last character that belongs to ``node`` (block collections end at their last leaf).

    The parser's end of a block collection is the start of the next token, past blank lines, comments and
    the next key's indentation; a block scalar's end is past its trailing blank lines. Neither is where
    the node's text ends, so block collections are followed to their last leaf (also inside a short-form
    intrinsic such as ``!If`` followed by a block sequence) and a block scalar ends at its last non-blank
    character, unless it keeps trailing newlines (``|+``), which then belong to its value."""
    if isinstance(node, Mapping) and node.short_tag is not None and node.entries:
        argument = next(iter(node.entries.values()))[1]
        if isinstance(argument, (Mapping, Sequence)) and not argument.flow:
            return content_end(argument, text)
        if isinstance(argument, Scalar) and argument.style in ("|", ">"):
            return content_end(argument, text)
        return node.span.end
    if isinstance(node, Mapping) and not node.flow and node.entries:
        last_value = list(node.entries.values())[-1][1]
        return content_end(last_value, text)
    if isinstance(node, Sequence) and not node.flow and node.items:
        return content_end(node.items[-1], text)
    if isinstance(node, Scalar) and node.style in ("|", ">") and text:
        source = text[node.span.start:node.span.end]
        header = source.split("\n", 1)[0].split("#", 1)[0]
        if "+" not in header:
            return node.span.start + len(source.rstrip())
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
            return self._add_flow_yaml(mapping, entries, before)
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

    @staticmethod
    def _quotes(mapping: Mapping) -> Tuple[Optional[str], Optional[str]]:
        """The quote style of a map's keys and of its string values, when every one is quoted alike
        (a template converted from JSON quotes everything); ``None`` means plain."""

        def common(styles: List[Optional[str]]) -> Optional[str]:
            return styles[0] if styles and styles[0] in ("'", '"') and all(s == styles[0] for s in styles) else None

        keys = [key.style for key, _ in mapping.entries.values()]
        values = [
            value.style
            for _, value in mapping.entries.values()
            if isinstance(value, Scalar) and isinstance(value.value, str)
        ]
        key_quote = common(keys)
        if key_quote is None:
            return None, None
        return key_quote, common(values) if values else key_quote

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
        quotes = self._quotes(mapping)
        body = self.newline.join(yaml_block(k, v, indent, unit, self.newline, quotes) for k, v in entries.items())
        if before is not None and before in mapping.entries:
            anchor = self._attached_comment_start(mapping.entries[before][0].span.start)
            return self.edit(anchor, anchor, body + self.newline + self._blank_after(anchor))
        end = content_end(list(mapping.entries.values())[-1][1], self.text)
        if end > 0 and self.text[end - 1] == "\n":
            return self.edit(end, end, body + self.newline)
        newline_at = self.text.find("\n", end)
        if newline_at == -1:
            return self.edit(len(self.text), len(self.text), self.newline + body)
        return self.edit(newline_at + 1, newline_at + 1, body + self.newline)

    def _attached_comment_start(self, key_offset: int) -> int:
        """Start of the comment lines directly above a key and indented like it (they belong to it; a
        more indented comment ends the section above)."""
        start = self.line_start(key_offset)
        indent = self.text[start:key_offset]
        while start > 0:
            previous = self.line_start(start - 1)
            line = self.text[previous:start]
            if line.startswith(indent + "#"):
                start = previous
            else:
                break
        if start == 0:  # comments that open the file are its header, not the key's
            return self.line_start(key_offset)
        return start

    def _blank_after(self, anchor: int) -> str:
        """A blank line when the sections around ``anchor`` are separated by one."""
        if anchor == 0:
            return ""
        previous = self.line_start(anchor - 1)
        return self.newline if self.text[previous:anchor].strip() == "" else ""

    def _add_flow_yaml(self, mapping: Mapping, entries: Dict[str, Value], before: Optional[str] = None) -> Edit:
        quotes = self._quotes(mapping)
        item = ", ".join(f"{yaml_key(k, quotes[0])}: {yaml_flow(v, quotes)}" for k, v in entries.items())
        if before is not None and before in mapping.entries:
            start = mapping.entries[before][0].span.start
            return self.edit(start, start, item + ", ")
        if not mapping.entries:
            close = mapping.span.end - 1
            if self.text[close] != "}":
                raise EditError("unexpected flow mapping end")
            return self.edit(close, close, item)
        end = content_end(list(mapping.entries.values())[-1][1], self.text)
        return self.edit(end, end, ", " + item)

    # -------------------------------------------------------------------------------- JSON

    def _json_separators(self, mapping: Mapping) -> Tuple[str, str]:
        """(member separator, key separator) as this object (else the root object) writes them on one line:
        ``", "`` and ``": "``, or ``","`` and ``":"`` in minified JSON."""
        for candidate in (mapping, self.document.root):
            if not isinstance(candidate, Mapping) or not candidate.entries:
                continue
            entries = list(candidate.entries.values())
            key, value = entries[0]
            colon = self.text[key.span.end:value.span.start]
            if "\n" in colon or colon.strip() != ":":
                colon = ": "
            comma = ", "
            if len(entries) > 1:
                between = self.text[value.span.end:entries[1][0].span.start]
                if "\n" not in between and between.strip() == ",":
                    comma = between
            return comma, colon
        return ", ", ": "

    def _json_members(
        self, entries: Dict[str, Value], indent: Optional[str], unit: str, separators: Tuple[str, str]
    ) -> List[str]:
        colon = separators[1]
        return [f"{json.dumps(k)}{colon}{json_value(v, indent, unit, self.newline, separators)}" for k, v in entries.items()]

    def _add_json(self, mapping: Mapping, entries: Dict[str, Value], before: Optional[str]) -> Edit:
        unit = self.indent_unit()
        separators = self._json_separators(mapping)
        comma = separators[0]
        if before is not None and before in mapping.entries:
            key_node = mapping.entries[before][0]
            indent = self.leading_whitespace(key_node.span.start)
            if self.line_start(key_node.span.start) + len(indent) == key_node.span.start:
                separator = "," + self.newline + indent
                members = separator.join(self._json_members(entries, indent, unit, separators))
                return self.edit(key_node.span.start, key_node.span.start, members + separator)
            members = comma.join(self._json_members(entries, None, unit, separators))
            return self.edit(key_node.span.start, key_node.span.start, members + comma)
        if not mapping.entries:
            open_brace = mapping.span.start
            close_brace = mapping.span.end - 1
            if self.position(close_brace)[0] > self.position(open_brace)[0]:  # {<newline> ... }: one member a line
                inner = self.leading_whitespace(close_brace) + unit
                separator = "," + self.newline + inner
                members = separator.join(self._json_members(entries, inner, unit, separators))
                return self.edit(open_brace + 1, open_brace + 1, self.newline + inner + members)
            members = comma.join(self._json_members(entries, None, unit, separators))
            return self.edit(open_brace + 1, open_brace + 1, members)
        last_key = list(mapping.entries.values())[-1][0]
        end = list(mapping.entries.values())[-1][1].span.end
        first_key = next(iter(mapping.entries.values()))[0]
        multiline = self.position(first_key.span.start)[0] > self.position(mapping.span.start)[0]
        if multiline:
            indent = self.leading_whitespace(last_key.span.start)
            separator = "," + self.newline + indent
            return self.edit(end, end, separator + separator.join(self._json_members(entries, indent, unit, separators)))
        return self.edit(end, end, comma + comma.join(self._json_members(entries, None, unit, separators)))


# ------------------------------------------------------------------------------------ rendering


def yaml_scalar(value: Value, quote: Optional[str] = None) -> str:
    """A scalar as YAML text; strings in ``quote`` style (``'`` or ``"``) when given, else plain if that reads back."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    text = str(value)
    if quote == "'":
        return "'" + text.replace("'", "''") + "'"
    if quote == '"':
        return json.dumps(text)
    return json.dumps(text) if needs_quotes(text) else text


def needs_quotes(text: str) -> bool:
    """True when ``text`` written plain would not read back as the same string (YAML 1.1 rules)."""
    import yaml

    if not text or text != text.strip() or any(char in text for char in ":#{}[],&*!|>'\"%@`\n\t"):
        return True
    tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False))
    return tag != "tag:yaml.org,2002:str"


def yaml_key(key: str, quote: Optional[str] = None) -> str:
    return yaml_scalar(key, quote)


def yaml_flow(value: Value, quotes: Tuple[Optional[str], Optional[str]] = (None, None)) -> str:
    """``value`` in flow style; ``quotes`` is the (key, string value) quote style of the surrounding map."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{yaml_key(k, quotes[0])}: {yaml_flow(v, quotes)}" for k, v in value.items()) + "}"
    return yaml_scalar(value, quotes[1])


def yaml_block(
    key: str, value: Value, indent: str, unit: str, newline: str, quotes: Tuple[Optional[str], Optional[str]] = (None, None)
) -> str:
    """``key: value`` in block style at ``indent`` (no trailing newline)."""
    if isinstance(value, dict):
        lines = [f"{indent}{yaml_key(key, quotes[0])}:"]
        lines += [yaml_block(k, v, indent + unit, unit, newline, quotes) for k, v in value.items()]
        return newline.join(lines)
    return f"{indent}{yaml_key(key, quotes[0])}: {yaml_scalar(value, quotes[1])}"


def json_value(
    value: Value, indent: Optional[str], unit: str, newline: str, separators: Tuple[str, str] = (", ", ": ")
) -> str:
    """JSON text for ``value``; nested objects are laid out like the file when ``indent`` is given, else on
    one line with the file's ``separators`` (member, key)."""
    if not isinstance(value, dict):
        return json.dumps(value)
    comma, colon = separators
    if indent is None:
        return "{" + comma.join(
            f"{json.dumps(k)}{colon}{json_value(v, None, unit, newline, separators)}" for k, v in value.items()
        ) + "}"
    inner = indent + unit
    items = [f"{inner}{json.dumps(k)}{colon}{json_value(v, inner, unit, newline, separators)}" for k, v in value.items()]
    return "{" + newline + ("," + newline).join(items) + newline + indent + "}"


def as_data(value: Value) -> Any:
    """The parsed form of a value this module writes (used to state the intended data change)."""
    if isinstance(value, dict):
        return {k: as_data(v) for k, v in value.items()}
    return value


def ordered(pairs: List[Tuple[str, Value]]) -> Dict[str, Value]:
    return dict(pairs)


# ------------------------------------------------------------------------------------ lists and intrinsics
#
# Used by the IAM fixes (statements appended to a ``Statement`` list, a policy added to a role or a
# function). Values may hold lists and :class:`Intrinsic` functions besides maps and scalars; how they are
# written follows a :class:`Style` read from the file itself.


class Intrinsic:
    """An intrinsic function to write, e.g. ``Intrinsic("Fn::Sub", "arn:${AWS::Partition}:...")``.

    YAML gets the short form (``!Sub '...'``) when the file already uses short-form tags, else the long
    form (``Fn::Sub: ...``); JSON gets ``{"Fn::Sub": ...}``."""

    __slots__ = ("name", "argument")

    def __init__(self, name: str, argument: Any) -> None:
        self.name = name
        self.argument = argument

    @property
    def short_tag(self) -> str:
        return "!" + (self.name[4:] if self.name.startswith("Fn::") else self.name)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Intrinsic) and (self.name, self.argument) == (other.name, other.argument)

    def __hash__(self) -> int:
        return hash((self.name, repr(self.argument)))

    def __repr__(self) -> str:
        return f"Intrinsic({self.name!r}, {self.argument!r})"


class FlowList(list):  # type: ignore[type-arg]
    """A list written in flow style (``[a, b]``) even inside block YAML."""


def plain_data(value: Value) -> Any:
    """The parsed form of a value with lists and intrinsics (what the re-parsed file must contain)."""
    if isinstance(value, Intrinsic):
        return {value.name: plain_data(value.argument)}
    if isinstance(value, dict):
        return {k: plain_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_data(v) for v in value]
    return value


class Style:
    """How the file writes things: indentation, ``- `` under a key (indented or flush), short-form tags,
    quoting, JSON separators."""

    __slots__ = ("newline", "unit", "sequence_indent", "short_tags", "plain_colons", "quote", "separators", "colon_quote")

    def __init__(
        self,
        newline: str = "\n",
        unit: str = "  ",
        sequence_indent: Optional[str] = None,
        short_tags: bool = True,
        plain_colons: bool = True,
        quote: str = "'",
        separators: Tuple[str, str] = (", ", ": "),
        colon_quote: Optional[str] = None,
    ) -> None:
        self.colon_quote = colon_quote  # every "a:b" string nearby is quoted so: quote new ones alike
        self.newline = newline
        self.unit = unit
        self.sequence_indent = unit if sequence_indent is None else sequence_indent
        self.short_tags = short_tags
        self.plain_colons = plain_colons
        self.quote = quote
        self.separators = separators


def _reads_back(text: str, flow: bool) -> bool:
    import yaml

    source = f"[{text}]" if flow else f"- {text}\n"
    try:
        return yaml.safe_load(source) == [text]
    except yaml.YAMLError:
        return False


def styled_scalar(value: Value, style: Style, flow: bool = False) -> str:
    """A scalar: strings plain when they read back unchanged (and the file writes ``a:b`` plain), else quoted."""
    if not isinstance(value, str):
        return yaml_scalar(value)
    if style.colon_quote and ":" in value:
        return yaml_scalar(value, style.colon_quote)
    plain = (
        bool(value)
        and value == value.strip()
        and not any(char in value for char in "\n\t#'\"")
        and (style.plain_colons or ":" not in value)
        and _reads_back(value, flow)
    )
    if plain:
        return value
    if style.quote == "'" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    return json.dumps(value)


def _intrinsic_argument(argument: Value, style: Style) -> str:
    if isinstance(argument, str):
        if style.quote == "'":
            return "'" + argument.replace("'", "''") + "'"
        return json.dumps(argument)
    return styled_flow(argument, style)


def styled_flow(value: Value, style: Style) -> str:
    """``value`` in YAML flow style."""
    if isinstance(value, Intrinsic):
        if style.short_tags:
            return f"{value.short_tag} {_intrinsic_argument(value.argument, style)}"
        return "{" + f"{value.name}: {_intrinsic_argument(value.argument, style)}" + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{styled_scalar(k, style, True)}: {styled_flow(v, style)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(styled_flow(v, style) for v in value) + "]"
    return styled_scalar(value, style, flow=True)


def styled_entry(key: str, value: Value, indent: str, style: Style) -> str:
    """``key: value`` in block style at ``indent`` (no trailing newline)."""
    head = f"{indent}{styled_scalar(key, style)}:"
    if isinstance(value, Intrinsic):
        if style.short_tags:
            return f"{head} {styled_flow(value, style)}"
        return head + style.newline + f"{indent}{style.unit}{value.name}: {_intrinsic_argument(value.argument, style)}"
    if isinstance(value, dict):
        if not value:
            return f"{head} {{}}"
        return head + style.newline + style.newline.join(
            styled_entry(k, v, indent + style.unit, style) for k, v in value.items()
        )
    if isinstance(value, FlowList):
        return f"{head} {styled_flow(value, style)}"
    if isinstance(value, (list, tuple)):
        if not value:
            return f"{head} []"
        dash = indent + style.sequence_indent
        return head + style.newline + style.newline.join(styled_item(v, dash, style) for v in value)
    return f"{head} {styled_scalar(value, style)}"


def styled_item(value: Value, dash_indent: str, style: Style, gap: str = " ") -> str:
    """``- value`` in block style with its dash at ``dash_indent`` (no trailing newline)."""
    prefix = f"{dash_indent}-{gap}"
    if isinstance(value, Intrinsic):
        if style.short_tags:
            return prefix + styled_flow(value, style)
        return f"{prefix}{value.name}: {_intrinsic_argument(value.argument, style)}"
    if isinstance(value, dict) and value:
        content = " " * len(prefix)
        text = style.newline.join(styled_entry(k, v, content, style) for k, v in value.items())
        return prefix + text[len(content):]
    if isinstance(value, (dict, list, tuple)):
        return prefix + styled_flow(value, style)
    return prefix + styled_scalar(value, style)


def styled_json(value: Value, indent: Optional[str], style: Style) -> str:
    """JSON text; maps and lists laid out one member per line under ``indent`` (None: on one line)."""
    if isinstance(value, Intrinsic):
        value = {value.name: value.argument}
    comma, colon = style.separators
    if isinstance(value, dict):
        if indent is None or not value:
            return "{" + comma.join(f"{json.dumps(k)}{colon}{styled_json(v, None, style)}" for k, v in value.items()) + "}"
        inner = indent + style.unit
        members = [f"{inner}{json.dumps(k)}{colon}{styled_json(v, inner, style)}" for k, v in value.items()]
        return "{" + style.newline + ("," + style.newline).join(members) + style.newline + indent + "}"
    if isinstance(value, (list, tuple)):
        if indent is None or not value:
            return "[" + comma.join(styled_json(v, None, style) for v in value) + "]"
        inner = indent + style.unit
        items = [f"{inner}{styled_json(v, inner, style)}" for v in value]
        return "[" + style.newline + ("," + style.newline).join(items) + style.newline + indent + "]"
    return json.dumps(value)


def _uses_short_tags(node: Node) -> bool:
    if isinstance(node, Mapping):
        return node.short_tag is not None or any(_uses_short_tags(v) for _, v in node.items())
    if isinstance(node, Sequence):
        return any(_uses_short_tags(item) for item in node.items)
    return False


def _scalars(node: Node) -> List[Scalar]:
    out: List[Scalar] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Scalar):
            out.append(current)
        elif isinstance(current, Mapping):
            stack.extend(v for _, v in current.items())
        elif isinstance(current, Sequence):
            stack.extend(current.items)
    return out


class SequenceEditor(TextEditor):
    """A TextEditor that can also append items to sequences and add keys holding lists or intrinsics."""

    def __init__(self, document: Document) -> None:
        super().__init__(document)
        self._style: Optional[Style] = None

    # -------------------------------------------------------------------------------- style

    def dash_offset(self, item: Node) -> Tuple[int, str]:
        """(offset of the ``-`` before a block sequence item, the gap between dash and item)."""
        start = item.span.start
        if isinstance(item, Mapping) and item.short_tag is None and item.entries:
            start = next(iter(item.entries.values()))[0].span.start
        position = start - 1
        while position >= 0 and self.text[position] == " ":
            position -= 1
        if position < 0 or self.text[position] != "-":
            raise EditError("cannot find the dash of a sequence item")
        if self.text[self.line_start(position):position].strip():
            raise EditError("compact nested sequences are not edited")
        return position, self.text[position + 1:start]

    def sequence_indent(self, near: Optional[Node] = None) -> Optional[str]:
        """How far ``- `` sits right of its key in block sequences (first near ``near``, else anywhere)."""
        for scope in ([near] if near is not None else []) + [self.document.root]:
            found = self._sequence_indent_in(scope)
            if found is not None:
                return found
        return None

    def _sequence_indent_in(self, node: Node) -> Optional[str]:
        stack = [node]
        while stack:
            current = stack.pop(0)
            if isinstance(current, Mapping) and not current.flow:
                for key, value in current.entries.values():
                    if isinstance(value, Sequence) and not value.flow and value.items:
                        try:
                            dash, _ = self.dash_offset(value.items[0])
                        except EditError:
                            continue
                        width = (dash - self.line_start(dash)) - (key.span.column - 1)
                        if width >= 0 and self.line_start(dash) != self.line_start(key.span.start):
                            return " " * width
                stack.extend(v for _, v in current.items())
            elif isinstance(current, Mapping):
                stack.extend(v for _, v in current.items())
            elif isinstance(current, Sequence):
                stack.extend(current.items)
        return None

    def style(self, near: Optional[Node] = None) -> Style:
        if self._style is None or near is not None:
            scalars = _scalars(self.document.root)
            single = sum(1 for s in scalars if s.style == "'")
            double = sum(1 for s in scalars if s.style == '"')
            plain_colons = any(
                s.style is None and isinstance(s.value, str) and ":" in s.value and s.span.end > s.span.start
                for s in scalars
            )
            root = self.document.root
            separators = self._json_separators(near if isinstance(near, Mapping) else root) if isinstance(root, Mapping) else (", ", ": ")
            nearby = [
                sc.style for sc in (_scalars(near) if near is not None else [])
                if isinstance(sc.value, str) and ":" in sc.value and sc.span.end > sc.span.start
            ]
            colon_quote = nearby[0] if nearby and nearby[0] in ("'", '"') and all(q == nearby[0] for q in nearby) else None
            style = Style(
                colon_quote=colon_quote,
                newline=self.newline,
                unit=self.indent_unit(),
                sequence_indent=self.sequence_indent(near),
                short_tags=_uses_short_tags(self.document.root),
                plain_colons=plain_colons,
                quote="'" if single >= double else '"',
                separators=separators,
            )
            if near is not None:
                return style
            self._style = style
        return self._style

    # -------------------------------------------------------------------------------- operations

    def append_items(self, sequence: Sequence, items: List[Value], style: Optional[Style] = None) -> Edit:
        """Append ``items`` to ``sequence`` in one edit, written as the sequence is (block, flow, JSON)."""
        if not items:
            raise EditError("nothing to append")
        style = style or self.style(sequence)
        if self.document.format == "json":
            return self._append_json(sequence, items, style)
        if sequence.flow:
            if not sequence.items:
                close = sequence.span.end - 1
                if self.text[close] != "]":
                    raise EditError("unexpected flow sequence end")
                return self.edit(close, close, ", ".join(styled_flow(v, style) for v in items))
            end = content_end(sequence.items[-1], self.text)
            return self.edit(end, end, ", " + ", ".join(styled_flow(v, style) for v in items))
        if not sequence.items:
            raise EditError("empty block sequence")
        dash, gap = self.dash_offset(sequence.items[-1])
        dash_indent = self.text[self.line_start(dash):dash]
        if dash_indent.strip():
            raise EditError("sequence item not at the start of its line")
        body = style.newline.join(styled_item(v, dash_indent, style, gap or " ") for v in items)
        return self._insert_block_lines(content_end(sequence.items[-1], self.text), body, style)

    def _insert_block_lines(self, end: int, body: str, style: Style) -> Edit:
        if end > 0 and self.text[end - 1] == "\n":
            return self.edit(end, end, body + style.newline)
        newline_at = self.text.find("\n", end)
        if newline_at == -1:
            return self.edit(len(self.text), len(self.text), style.newline + body)
        if self.text[end:newline_at].strip(" \t\r") and not self.text[end:newline_at].strip(" \t\r").startswith("#"):
            raise EditError("text after the last item on its line")
        return self.edit(newline_at + 1, newline_at + 1, body + style.newline)

    def _append_json(self, sequence: Sequence, items: List[Value], style: Style) -> Edit:
        comma = style.separators[0]
        if not sequence.items:
            open_bracket = sequence.span.start
            if self.text[open_bracket] != "[":
                raise EditError("unexpected JSON array start")
            outer = self.leading_whitespace(open_bracket)
            if "\n" in self.text.strip():
                inner = outer + style.unit
                members = ("," + style.newline).join(inner + styled_json(v, inner, style) for v in items)
                return self.edit(open_bracket + 1, sequence.span.end - 1, style.newline + members + style.newline + outer)
            return self.edit(open_bracket + 1, open_bracket + 1, comma.join(styled_json(v, None, style) for v in items))
        first, last = sequence.items[0], sequence.items[-1]
        multiline = self.position(first.span.start)[0] > self.position(sequence.span.start)[0]
        if multiline:
            indent = self.leading_whitespace(last.span.start)
            separator = "," + style.newline + indent
            return self.edit(last.span.end, last.span.end, separator + separator.join(styled_json(v, indent, style) for v in items))
        return self.edit(last.span.end, last.span.end, comma + comma.join(styled_json(v, None, style) for v in items))

    def add_values(self, mapping: Mapping, entries: Dict[str, Value], style: Optional[Style] = None) -> Edit:
        """Add keys whose values may hold lists and intrinsics at the end of ``mapping``."""
        if mapping.short_tag is not None or mapping.intrinsic() is not None:
            raise EditError("cannot add a key to an intrinsic function")
        if any(key in mapping.entries for key in entries):
            raise EditError("key already present")
        style = style or self.style(mapping)
        if self.document.format == "json":
            if not mapping.entries:
                raise EditError("empty JSON object")
            comma, colon = style.separators
            last_key, last_value = list(mapping.entries.values())[-1]
            first_key = next(iter(mapping.entries.values()))[0]
            end = last_value.span.end
            if self.position(first_key.span.start)[0] > self.position(mapping.span.start)[0]:
                indent = self.leading_whitespace(last_key.span.start)
                separator = "," + style.newline + indent
                members = [f"{json.dumps(k)}{colon}{styled_json(v, indent, style)}" for k, v in entries.items()]
                return self.edit(end, end, separator + separator.join(members))
            members = [f"{json.dumps(k)}{colon}{styled_json(v, None, style)}" for k, v in entries.items()]
            return self.edit(end, end, comma + comma.join(members))
        if mapping.flow:
            item = ", ".join(f"{styled_scalar(k, style, True)}: {styled_flow(v, style)}" for k, v in entries.items())
            if not mapping.entries:
                close = mapping.span.end - 1
                if self.text[close] != "}":
                    raise EditError("unexpected flow mapping end")
                return self.edit(close, close, item)
            end = content_end(list(mapping.entries.values())[-1][1], self.text)
            return self.edit(end, end, ", " + item)
        if not mapping.entries:
            raise EditError("empty block mapping")
        indent = self._block_indent(mapping)
        body = style.newline.join(styled_entry(k, v, indent, style) for k, v in entries.items())
        return self._insert_block_lines(content_end(list(mapping.entries.values())[-1][1], self.text), body, style)
