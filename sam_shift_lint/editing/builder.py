"""One way to build a fix: record what should change, get back the edits and the intended data change.

Every fix, deployment or IAM, is made with a :class:`FixBuilder`. Additions at a path are collected and
rendered together (two keys added to one map become one edit, and missing maps on the way are created);
replacements and list appends are edits of their own. Each operation also records the intended change to
the parsed data, which the fixer checks the re-parsed result against.
"""
from __future__ import annotations

from typing import Any

from sam_shift_lint.editing.file_style import prefers_short_tags
from sam_shift_lint.editing.key_rename import rename_key
from sam_shift_lint.editing.positions import EditError
from sam_shift_lint.editing.render import Intrinsic, Value, plain_data, render_flow, render_json, render_scalar
from sam_shift_lint.editing.sequence_edit import SequenceEditor
from sam_shift_lint.findings import Applicability, DataChange, Edit, Fix
from sam_shift_lint.parsing.document import Document
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, Sequence
from sam_shift_lint.records import replace

Path = tuple[Any, ...]


class FixBuilder:
    """Edits and intended data changes for one fix, against one document."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.editor = SequenceEditor(document)
        self._additions: dict[tuple[str, ...], dict[str, Any]] = {}
        self._replacements: list[tuple[Scalar, Path, Any]] = []
        self._edits: list[Edit] = []
        self._changes: list[DataChange] = []

    # ------------------------------------------------------------------------------ collected, rendered at build

    def add_at(self, path: tuple[str, ...], key: str, value: Any) -> None:
        """Add ``key: value`` to the map at ``path`` (created, with the maps above it, when missing)."""
        self._additions.setdefault(path, {})[key] = value

    def replace_value(self, node: Scalar, path: Path, value: Any) -> None:
        """Replace a scalar with ``value`` (rendered in the file's style)."""
        self._replacements.append((node, path, value))

    # ------------------------------------------------------------------------------ immediate edits

    def append(self, sequence: Sequence, path: Path, values: list[Value]) -> None:
        """Append items to a list."""
        self._edits.append(self.editor.append_items(sequence, values))
        start = len(sequence.items)
        self._changes.extend(DataChange("add", path + (start + i,), plain_data(v)) for i, v in enumerate(values))

    def add_key(self, mapping: Mapping, path: Path, key: str, value: Value) -> None:
        """Add one key to an existing map, now."""
        self._edits.append(self.editor.add_values(mapping, {key: value}))
        self._changes.append(DataChange("add", path + (key,), plain_data(value)))

    def add_resource(self, logical_id: str, value: dict[str, Value], before: str | None = None) -> None:
        """Add a resource to ``Resources`` (at its end, or before the resource ``before``: next to the one it
        belongs to), written as the file writes things: short or long intrinsics, plain ``AWS::...`` types when
        the file writes such strings plain, the file's quotes and indentation."""
        resources = self.document.root.get("Resources") if isinstance(self.document.root, Mapping) else None
        if not isinstance(resources, Mapping) or resources.intrinsic() is not None:
            raise EditError("Resources is not a map")
        style = replace(self.editor.style(resources), short_tags=prefers_short_tags(self.document))
        self._edits.append(self.editor.add_values(resources, {logical_id: value}, style, before))
        self._changes.append(DataChange("add", ("Resources", logical_id), plain_data(value)))

    def remove_items(self, sequence: Sequence, path: Path, indexes: list[int], key: Scalar | None = None) -> None:
        """Remove list items (``key``: the list's key, needed when every item of a block list goes)."""
        self._edits.extend(self.editor.remove_items(sequence, indexes, key))
        self._changes.extend(DataChange("remove", path + (index,)) for index in sorted(set(indexes), reverse=True))

    def replace_string(self, node: Scalar, path: Path, value: str) -> None:
        """Replace a string scalar (keeping its quotes; a plain one stays plain when it reads back)."""
        edit = self.editor.replace_scalar(node, value)
        if self.document.format == "yaml" and node.style is None:
            plain = render_scalar(value, self.editor.style())
            if plain == value:
                edit = self.editor.edit(edit.start, edit.end, plain)
        self._edits.append(edit)
        self._changes.append(DataChange("replace", path, value))

    def rename_key(self, mapping: Mapping, path: Path, old: str, new: str) -> None:
        """Rename key ``old`` of the map at ``path`` to ``new`` in place (value, position and quoting kept)."""
        self._edits.append(rename_key(self.editor, mapping, old, new, self.document.format == "json"))
        self._changes.append(DataChange("rename", path + (old,), new))

    def replace_node(self, node: Node, path: Path, value: Value) -> None:
        """Replace a whole value, scalar or intrinsic (e.g. ``!GetAtt A.Arn`` by ``!Ref A``), written in the node's
        own form: short tag, flow map, block map (``Ref: A``) or JSON."""
        self._edits.append(self.editor.replace_inline(node, value))
        self._changes.append(DataChange("replace", path, plain_data(value)))

    def replace_sub_text(self, sub: Mapping, argument: Scalar, path: Path, value: str) -> None:
        """Replace the text of an ``Fn::Sub`` (short form: the tag is written again)."""
        if sub.short_tag is None:
            self.replace_string(argument, path, value)
            return
        if self.editor.has_break(self.editor.text[sub.span.start:sub.span.end]):
            raise EditError("multi-line scalars are not rewritten")
        rendered = self.editor.replace_scalar(argument, value).content
        self._edits.append(self.editor.edit(sub.span.start, sub.span.end, f"{sub.short_tag} {rendered}"))
        self._changes.append(DataChange("replace", path, value))

    def replace_with_sub(self, node: Scalar, path: Path, text: str) -> None:
        """Turn a plain string into ``Fn::Sub`` of ``text``."""
        if self.editor.has_break(self.editor.text[node.span.start:node.span.end]) or node.style in ("|", ">"):
            raise EditError("multi-line scalars are not rewritten")
        value = Intrinsic("Fn::Sub", text)
        style = self.editor.style()
        if self.document.format == "json":
            rendered = render_json(value, None, style)
        else:
            rendered = render_flow(value, style)  # !Sub '...' or {Fn::Sub: '...'}
        self._edits.append(self.editor.edit(node.span.start, node.span.end, rendered))
        self._changes.append(DataChange("replace", path, plain_data(value)))

    # ------------------------------------------------------------------------------ result

    def build(self, applicability: Applicability, description: str) -> Fix | None:
        """The fix, or None when there is nothing to edit or the collected additions cannot be placed."""
        try:
            edits, changes = self._render()
        except EditError:
            return None
        edits += self._edits
        changes += self._changes
        if not edits:
            return None
        return Fix(applicability, description, tuple(_joined_insertions(edits)), tuple(changes))

    def _render(self) -> tuple[list[Edit], list[DataChange]]:
        root = self.document.root
        edits: list[Edit] = []
        changes: list[DataChange] = []
        for path, entries in self._additions.items():
            existing, missing = deepest_mapping(root, path)
            value: dict[str, Any] = dict(entries)
            for key in reversed(missing[1:]):
                value = {key: value}
            if missing:
                before = "Resources" if existing is root and missing[0] == "Globals" else None
                edits.append(self.editor.add_entries(existing, {missing[0]: value}, before=before))
                changes.append(DataChange("add", path[: len(path) - len(missing) + 1], plain_data(value)))
            else:
                edits.append(self.editor.add_entries(existing, value))
                changes.extend(DataChange("add", path + (key,), plain_data(entry)) for key, entry in value.items())
        for node, path, new_value in self._replacements:
            edits.append(self.editor.replace_scalar(node, new_value))
            changes.append(DataChange("replace", path, new_value))
        return edits, changes


def deepest_mapping(root: Node, path: tuple[str, ...]) -> tuple[Mapping, list[str]]:
    """The deepest existing mapping along ``path`` and the keys still missing below it."""
    node: Node = root
    for index, key in enumerate(path):
        if not isinstance(node, Mapping) or node.intrinsic() is not None:
            raise EditError(f"{'.'.join(path[:index])} is not a map")
        child = node.get(key)
        if child is None:
            return node, list(path[index:])
        node = child
    if not isinstance(node, Mapping) or node.intrinsic() is not None:
        raise EditError(f"{'.'.join(path)} is not a map")
    return node, []


def _joined_insertions(edits: list[Edit]) -> list[Edit]:
    """Edits that touch without overlapping joined into one, in the order they were made: insertions at one
    offset (a key added at the end of a function and a new resource added after that function land on the same
    line start), or adjacent removals (consecutive list items). As separate edits they would touch, and the fixer
    never applies a fix whose own edits touch. Sorting keeps this linear in the number of edits."""
    order = sorted(range(len(edits)), key=lambda i: (edits[i].start, edits[i].end, i))
    groups: list[list[int]] = []
    for i in order:
        if groups and edits[groups[-1][-1]].end == edits[i].start:
            groups[-1].append(i)
        else:
            groups.append([i])
    joined: list[tuple[int, Edit]] = []
    for group in groups:
        first, last = edits[group[0]], edits[group[-1]]
        if len(group) == 1:
            joined.append((group[0], first))
            continue
        content = "".join(edits[i].content for i in group)
        joined.append((min(group), Edit(first.start, last.end, content, first.line, first.column, last.end_line, last.end_column)))
    return [edit for _, edit in sorted(joined, key=lambda pair: pair[0])]
