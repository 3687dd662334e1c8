"""Turn "add this key" / "replace this value" into minimal text edits that keep the file's own style.

Edits are computed from parser positions: a new key goes after the last line of the mapping's last
entry, indented like its siblings, in block or flow style as the mapping is written; new lines end as the
line they follow does (:meth:`~.positions.SourceText.newline_at`), and a missing final newline stays missing. JSON gets the file's indentation string and stays JSON.
The file is never re-dumped. Values become text in :mod:`.render`; sequences are edited by
:class:`~.sequence_edit.SequenceEditor`.
"""
from __future__ import annotations

from collections.abc import Callable

from sam_shift_lint.editing.file_style import FileStyle, block_indent
from sam_shift_lint.editing.positions import EditError, SourceText, clips_at_end, content_end
from sam_shift_lint.editing.render import (
    Intrinsic,
    Style,
    Value,
    double_quoted,
    render_block_entry,
    render_flow,
    render_flow_entries,
    render_json,
    render_json_member,
    yaml_scalar,
)
from sam_shift_lint.findings import Edit
from sam_shift_lint.parsing.document import Document
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, Sequence
from sam_shift_lint.records import replace

__all__ = ["EditError", "TextEditor", "content_end"]

JsonMembers = Callable[[str | None], list[str]]  # indentation (None: one line) -> rendered members


class TextEditor(SourceText):
    """Builds edits against one parsed document."""

    def __init__(self, document: Document) -> None:
        super().__init__(document.text, document.format, document.newline)
        self.document = document
        self._style: Style | None = None

    @property
    def styles(self) -> FileStyle:
        # Made on each use (it keeps no state; the document's memo keeps what it reads): an editor holding a
        # FileStyle that holds the editor is a reference cycle, which keeps the parsed document alive until the
        # garbage collector runs.
        return FileStyle(self.document, self)

    def inside_scalar(self, offset: int) -> bool:
        return self.document.scalar_lines().holds(offset)

    def style(self, near: Node | None = None) -> Style:
        """The file's style (read once), or the style around ``near``."""
        if near is not None:
            return self.styles.file_style(near)
        if self._style is None:
            self._style = self.styles.file_style()
        return self._style

    # -------------------------------------------------------------------------------- operations

    def add_entries(self, mapping: Mapping, entries: dict[str, Value], before: str | None = None) -> Edit:
        """Add ``entries`` to ``mapping`` in one edit (at the end, or before the entry ``before``), quoted and
        indented as the mapping's own entries are."""
        self._check_can_add(mapping, entries)
        style = self.styles.mapping_style(mapping)
        return self._add_to_mapping(mapping, entries, style, before, check_line_rest=False)

    def add_values(
        self, mapping: Mapping, entries: dict[str, Value], style: Style | None = None, before: str | None = None
    ) -> Edit:
        """Add keys whose values may hold lists and intrinsics at the end of ``mapping`` (or before its entry
        ``before``), in the file's style."""
        self._check_can_add(mapping, entries)
        style = style or self.style(mapping)
        if self.document.format == "json" and not mapping.entries:
            raise EditError("empty JSON object")
        return self._add_to_mapping(mapping, entries, style, before, check_line_rest=True)

    def replace_scalar(self, node: Scalar, value: Value) -> Edit:
        """Replace a scalar's text, keeping its quote style."""
        original = self.text[node.span.start:node.span.end]
        if self.document.format == "json":
            import json  # here: a YAML file's fixes need none

            content = json.dumps(value)
        elif node.style == '"' and isinstance(value, str):
            content = double_quoted(value)
        elif node.style in ("|", ">"):
            raise EditError("block scalars are not rewritten")
        else:
            content = yaml_scalar(value, "'" if node.style == "'" and isinstance(value, str) else None)
        if self.has_break(original):
            raise EditError("multi-line scalars are not rewritten")
        return self.edit(node.span.start, node.span.end, content)

    def replace_inline(self, node: Node, value: Value) -> Edit:
        """Replace a whole value (a scalar, or an intrinsic such as ``!GetAtt X.Arn``, ``{"Fn::GetAtt": [...]}``
        or a block ``Fn::GetAtt:`` map) by ``value`` written inline: JSON, or YAML flow/short form."""
        if isinstance(node, Scalar) and node.style in ("|", ">"):
            raise EditError("block scalars are not rewritten")
        end = content_end(node, self.text)
        if isinstance(node, Scalar) and self.has_break(self.text[node.span.start:end]):
            raise EditError("multi-line scalars are not rewritten")
        if "#" in self.text[node.span.start:end] and not isinstance(node, Scalar):
            raise EditError("a comment inside the replaced value")
        style = self.style()
        if self.document.format == "json":
            content = render_json(value, None, style)
        elif isinstance(node, Mapping) and not node.flow and node.short_tag is None and isinstance(value, Intrinsic):
            content = render_block_entry(value.name, value.argument, "", replace(style, short_tags=False))  # Ref: X
        else:
            if isinstance(node, Mapping):  # an intrinsic keeps its form: short tag, or long-form flow map
                style = replace(style, short_tags=node.short_tag is not None)
            content = render_flow(value, style)
        return self.edit(node.span.start, end, content)

    # -------------------------------------------------------------------------------- shared steps

    @staticmethod
    def _check_can_add(mapping: Mapping, entries: dict[str, Value]) -> None:
        if mapping.short_tag is not None or mapping.intrinsic() is not None:
            raise EditError("cannot add a key to an intrinsic function")
        if any(key in mapping.entries for key in entries):
            raise EditError("key already present")

    def _add_to_mapping(
        self, mapping: Mapping, entries: dict[str, Value], style: Style, before: str | None, check_line_rest: bool
    ) -> Edit:
        if self.document.format == "json":
            return self._add_json(mapping, entries, style, before)
        if mapping.flow:
            return self._add_flow_yaml(mapping, entries, style, before)
        return self._add_block_yaml(mapping, entries, style, before, check_line_rest)

    def _insert_lines_after(self, end: int, render: Callable[[str], str], check_line_rest: bool) -> Edit:
        """Lines after the line holding ``end`` (``check_line_rest``: refuse when more than a comment follows
        ``end`` on that line). ``render(newline)`` gives the lines, joined by ``newline``, without a last one:
        they end as the line they follow does. At the end of a file without a final newline they go after a
        new line break and the file still ends without one."""
        if end > 0 and self.line_start(end) == end:
            newline = self.newline_at(end)
            return self.edit(end, end, self.opening(end) + render(newline) + newline)
        line_end = self.line_end(end)
        rest = self.text[end:line_end].strip(" \t")
        if check_line_rest and rest and not rest.startswith("#"):
            raise EditError("text after the last item on its line")
        after = self.next_line_start(end)
        newline = self.newline_at(end)
        if after is None:
            return self.edit(len(self.text), len(self.text), newline + render(newline))
        return self.edit(after, after, self.opening(after) + render(newline) + newline)

    def _insert_in_flow(self, collection: Mapping | Sequence, item: str) -> Edit:
        """``item`` after the last entry of a flow map or sequence, or between the brackets when it is empty."""
        if isinstance(collection, Mapping):
            kind, closing, children = "mapping", "}", [value for _, value in collection.entries.values()]
        else:
            kind, closing, children = "sequence", "]", collection.items
        if not children:
            close = collection.span.end - 1
            if self.text[close] != closing:
                raise EditError(f"unexpected flow {kind} end")
            return self.edit(close, close, item)
        end = content_end(children[-1], self.text)
        return self.edit(end, end, ", " + item)

    def _append_json_members(
        self, container: Node, first: Node, last: Node, end: int, members: JsonMembers, style: Style
    ) -> Edit:
        """Members after ``end`` (the end of the last one): one a line, indented like ``last``, when ``first``
        is not on the container's opening line; else on that line. ``style.newline`` is the line break at
        ``end`` (:meth:`newline_at`)."""
        if self.line_of(first) > self.line_of(container):
            indent = self.leading_whitespace(last.span.start)
            separator = "," + style.newline + indent
            return self.edit(end, end, separator + separator.join(members(indent)))
        comma = style.separators[0]
        return self.edit(end, end, comma + comma.join(members(None)))

    # -------------------------------------------------------------------------------- YAML

    def _add_block_yaml(
        self, mapping: Mapping, entries: dict[str, Value], style: Style, before: str | None, check_line_rest: bool
    ) -> Edit:
        if not mapping.entries:
            raise EditError("empty block mapping")
        self.check_lines_read_alike(key.span.start for key, _ in mapping.entries.values())
        indent = block_indent(mapping)

        def render(newline: str) -> str:
            local = replace(style, newline=newline)
            return newline.join(render_block_entry(k, v, indent, local) for k, v in entries.items())

        if before is None or before not in mapping.entries:
            last_key = next(reversed(mapping.entries))
            end = content_end(mapping.entries[last_key][1], self.text)
            if self.next_line_start(end) is not None or not clips_at_end(mapping.entries[last_key][1], self.text):
                return self._insert_lines_after(end, render, check_line_rest)
            # Lines after a block scalar that ends the file without a line break would give it one (its value
            # would change): the new keys go before the last one instead.
            before = last_key
        anchor = self._attached_comment_start(mapping.entries[before][0].span.start)
        newline = self.newline_at(anchor)
        return self.edit(anchor, anchor, self.opening(anchor) + render(newline) + newline + self._blank_after(anchor, newline))

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

    def _blank_after(self, anchor: int, newline: str) -> str:
        """A blank line (ended by ``newline``) when the sections around ``anchor`` are separated by one."""
        if anchor == 0:
            return ""
        previous = self.line_start(anchor - 1)
        return newline if self.text[previous:anchor].strip() == "" else ""

    def _add_flow_yaml(self, mapping: Mapping, entries: dict[str, Value], style: Style, before: str | None) -> Edit:
        item = render_flow_entries(entries, style)
        if before is not None and before in mapping.entries:
            start = mapping.entries[before][0].span.start
            return self.edit(start, start, item + ", ")
        return self._insert_in_flow(mapping, item)

    # -------------------------------------------------------------------------------- JSON

    def _add_json(self, mapping: Mapping, entries: dict[str, Value], style: Style, before: str | None) -> Edit:
        comma = style.separators[0]
        if before is not None and before in mapping.entries:
            at = mapping.entries[before][0].span.start
        elif mapping.entries:
            at = next(reversed(mapping.entries.values()))[1].span.end
        else:
            at = mapping.span.start + 1
        style = replace(style, newline=self.newline_at(at))

        def members(indent: str | None) -> list[str]:
            return [render_json_member(k, v, indent, style) for k, v in entries.items()]

        if before is not None and before in mapping.entries:
            indent = self.leading_whitespace(at)
            if self.line_start(at) + len(indent) == at:
                separator = "," + style.newline + indent
                return self.edit(at, at, separator.join(members(indent)) + separator)
            return self.edit(at, at, comma.join(members(None)) + comma)
        if not mapping.entries:
            close_brace = mapping.span.end - 1
            if self.position(close_brace)[0] > self.position(at)[0]:  # {<newline> ... }: one member a line
                inner = self.leading_whitespace(close_brace) + style.unit
                separator = "," + style.newline + inner
                return self.edit(at, at, style.newline + inner + separator.join(members(inner)))
            return self.edit(at, at, comma.join(members(None)))
        first_key = next(iter(mapping.entries.values()))[0]
        last_key = next(reversed(mapping.entries.values()))[0]
        return self._append_json_members(mapping, first_key, last_key, at, members, style)
