"""Appending items to a sequence (block, flow or JSON array) in one edit that keeps the file's style."""
from __future__ import annotations

from sam_shift_lint.editing.positions import EditError, content_end
from sam_shift_lint.editing.render import Style, Value, render_block_item, render_flow, render_json
from sam_shift_lint.editing.textedit import TextEditor
from sam_shift_lint.findings import Edit
from sam_shift_lint.parsing.nodes import Sequence


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
        last = sequence.items[-1]
        dash, gap = self.dash_offset(last)
        dash_indent = self.text[self.line_start(dash):dash]
        if dash_indent.strip():
            raise EditError("sequence item not at the start of its line")
        body = style.newline.join(render_block_item(v, dash_indent, style, gap or " ") for v in items)
        return self._insert_lines_after(content_end(last, self.text), body, style.newline, check_line_rest=True)

    def _append_json(self, sequence: Sequence, items: list[Value], style: Style) -> Edit:
        def members(indent: str | None) -> list[str]:
            return [render_json(v, indent, style) for v in items]

        if not sequence.items:
            open_bracket = sequence.span.start
            if self.text[open_bracket] != "[":
                raise EditError("unexpected JSON array start")
            outer = self.leading_whitespace(open_bracket)
            if "\n" in self.text.strip():
                inner = outer + style.unit
                body = ("," + style.newline).join(inner + member for member in members(inner))
                return self.edit(open_bracket + 1, sequence.span.end - 1, style.newline + body + style.newline + outer)
            return self.edit(open_bracket + 1, open_bracket + 1, style.separators[0].join(members(None)))
        first, last = sequence.items[0], sequence.items[-1]
        return self._append_json_members(sequence, first, last, last.span.end, members, style)
