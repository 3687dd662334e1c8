"""Appending items to a sequence (block, flow or JSON array) in one edit that keeps the file's style, and
removing items from one (whole lines in block style, the item with its separator in flow style and JSON)."""
from __future__ import annotations

from collections.abc import Iterable

from sam_shift_lint.editing.positions import EditError, clips_at_end, content_end
from sam_shift_lint.editing.render import Style, Value, render_block_item, render_flow, render_json
from sam_shift_lint.editing.textedit import TextEditor
from sam_shift_lint.findings import Edit
from sam_shift_lint.parsing.nodes import Node, Scalar, Sequence
from sam_shift_lint.records import replace


class SequenceEditor(TextEditor):
    """A TextEditor that can also append items to sequences (and, as every TextEditor, add keys holding lists
    or intrinsics with :meth:`add_values`)."""

    def append_items(self, sequence: Sequence, items: list[Value], style: Style | None = None) -> Edit:
        """Append ``items`` to ``sequence`` in one edit, written as the sequence is (block, flow, JSON)."""
        if not items:
            raise EditError("nothing to append")
        style = style or self.style(sequence)
        if self.document.format == "json":
            return self._append_json(sequence, items, style)
        if sequence.flow:
            return self._insert_in_flow(sequence, ", ".join(render_flow(v, style) for v in items))
        if not sequence.items:
            raise EditError("empty block sequence")
        self.check_lines_read_alike(item.span.start for item in sequence.items)
        last = sequence.items[-1]
        dash, gap = self.dash_offset(last)
        dash_indent = self.text[self.line_start(dash):dash]
        if dash_indent.strip():
            raise EditError("sequence item not at the start of its line")
        end = content_end(last, self.text)
        if self.next_line_start(end) is None and clips_at_end(last, self.text):
            raise EditError("a block scalar ends the file without a final line break")
        chosen = style

        def render(newline: str) -> str:
            local = replace(chosen, newline=newline)
            return newline.join(render_block_item(v, dash_indent, local, gap or " ") for v in items)

        return self._insert_lines_after(end, render, check_line_rest=True)

    def _append_json(self, sequence: Sequence, items: list[Value], style: Style) -> Edit:
        at = sequence.items[-1].span.end if sequence.items else sequence.span.start + 1
        style = replace(style, newline=self.newline_at(at))

        def members(indent: str | None) -> list[str]:
            return [render_json(v, indent, style) for v in items]

        if not sequence.items:
            open_bracket = sequence.span.start
            if self.text[open_bracket] != "[":
                raise EditError("unexpected JSON array start")
            outer = self.leading_whitespace(open_bracket)
            if self.has_break(self.text.strip()):
                inner = outer + style.unit
                body = ("," + style.newline).join(inner + member for member in members(inner))
                return self.edit(open_bracket + 1, sequence.span.end - 1, style.newline + body + style.newline + outer)
            return self.edit(open_bracket + 1, open_bracket + 1, style.separators[0].join(members(None)))
        first, last = sequence.items[0], sequence.items[-1]
        return self._append_json_members(sequence, first, last, last.span.end, members, style)

    # -------------------------------------------------------------------------------- removal

    def remove_items(self, sequence: Sequence, indexes: Iterable[int], key: Scalar | None = None) -> list[Edit]:
        """Edits that remove the items at ``indexes`` from ``sequence`` (block, flow or JSON), one per run of
        neighbouring items. Removing every item of a block sequence needs its ``key``: the list is then written
        ``key: []`` (an empty block sequence would read back as null)."""
        remove = sorted(set(indexes))
        if not remove or remove[0] < 0 or remove[-1] >= len(sequence.items):
            raise EditError("no such item")
        if len(remove) == len(sequence.items):
            return [self._empty_sequence(sequence, key)]
        if not sequence.flow and self.document.format == "yaml":
            return self._remove_block_items([sequence.items[index] for index in remove])
        return [self._remove_inline_run(sequence, run) for run in _runs(remove)]

    def _remove_block_items(self, items: list[Node]) -> list[Edit]:
        """The whole lines of block sequence items (a comment on an item's last line goes with it), one edit each.
        When the last line of a file without a final newline goes, the line break before it goes too (the file
        stays without one): with the removed items right above it, from the line break before the first of them."""
        spans = [self._block_item_lines(item) for item in items]
        if spans and spans[-1][1] is None:
            first = len(spans) - 1
            while first > 0 and spans[first - 1][1] == spans[first][0]:
                first -= 1
            start = spans[first][0]
            if start > 0:
                start = self.line_end(start - 1)
            return [self.edit(begin, end, "") for begin, end in spans[:first] if end is not None] + [
                self.edit(start, len(self.text), "")
            ]
        return [self.edit(begin, end, "") for begin, end in spans if end is not None]

    def _block_item_lines(self, item: Node) -> tuple[int, int | None]:
        """Where the lines of a block sequence item start and where the line after them starts (None: the item
        ends the file without a final newline)."""
        dash, _ = self.dash_offset(item)
        end = content_end(item, self.text)
        rest = self.text[end:self.line_end(end)]
        if rest.strip(" \t") and not rest.lstrip(" \t").startswith("#"):
            raise EditError("text after the item on its line")
        return self.line_start(dash), self.next_line_start(end)

    def _remove_inline_run(self, sequence: Sequence, run: list[int]) -> Edit:
        """A run of flow/JSON items with the separator before them (or after them, at the start)."""
        items = sequence.items
        first, last = run[0], run[-1]
        if first > 0:
            start, end = content_end(items[first - 1], self.text), content_end(items[last], self.text)
        else:
            start, end = items[first].span.start, items[last + 1].span.start
        if "#" in self._between(items, first, last, start, end):
            raise EditError("a comment inside the removed items")
        return self.edit(start, end, "")

    def _between(self, items: list[Node], first: int, last: int, start: int, end: int) -> str:
        """The removed text outside the removed items' own text (separators, whitespace, comments)."""
        parts, position = [], start
        for index in range(first, last + 1):
            node = items[index]
            parts.append(self.text[position:node.span.start])
            position = content_end(node, self.text)
        parts.append(self.text[position:end])
        return "".join(parts)

    def _empty_sequence(self, sequence: Sequence, key: Scalar | None) -> Edit:
        if self.document.format == "json" or sequence.flow:
            start, end = sequence.span.start, sequence.span.end
            if self.text[start] != "[" or self.text[end - 1] != "]":
                raise EditError("unexpected sequence delimiters")
            if self.document.format == "yaml" and "#" in self._between(sequence.items, 0, len(sequence.items) - 1, start + 1, end - 1):
                raise EditError("a comment inside the removed items")
            return self.edit(start + 1, end - 1, "")
        if key is None:
            raise EditError("removing every item of a block sequence needs its key")
        end = content_end(sequence, self.text)
        gap = self.text[key.span.end:end]
        if "#" in gap:  # a comment between the key and the items, or on them
            raise EditError("comments inside the removed items")
        colon = self.text.find(":", key.span.end)
        if colon == -1 or self.text[key.span.end:colon].strip():
            raise EditError("cannot find the key's colon")
        return self.edit(colon + 1, end, " []")


def _runs(indexes: list[int]) -> list[list[int]]:
    """Sorted indexes grouped into runs of consecutive numbers."""
    runs: list[list[int]] = []
    for index in indexes:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs
