"""One way to build a fix: record what should change, get back the edits and the intended data change.

Every fix, deployment or IAM, is made with a :class:`FixBuilder`. Additions at a path are collected and
rendered together (two keys added to one map become one edit, and missing maps on the way are created);
replacements and list appends are edits of their own. Each operation also records the intended change to
the parsed data, which the fixer checks the re-parsed result against.
"""
from __future__ import annotations

from typing import Any

from sam_shift_lint.editing.positions import EditError, content_end
from sam_shift_lint.editing.render import Intrinsic, Value, plain_data, render_flow, render_json, render_scalar
from sam_shift_lint.editing.sequence_edit import SequenceEditor
from sam_shift_lint.findings import Applicability, DataChange, Edit, Fix
from sam_shift_lint.parsing.document import Document
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, Sequence

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

    def replace_string(self, node: Scalar, path: Path, value: str) -> None:
        """Replace a string scalar (keeping its quotes; a plain one stays plain when it reads back)."""
        edit = self.editor.replace_scalar(node, value)
        if self.document.format == "yaml" and node.style is None:
            plain = render_scalar(value, self.editor.style())
            if plain == value:
                edit = self.editor.edit(edit.start, edit.end, plain)
        self._edits.append(edit)
        self._changes.append(DataChange("replace", path, value))

    def replace_sub_text(self, sub: Mapping, argument: Scalar, path: Path, value: str) -> None:
        """Replace the text of an ``Fn::Sub`` (short form: the tag is written again)."""
        if sub.short_tag is None:
            self.replace_string(argument, path, value)
            return
        if "\n" in self.editor.text[sub.span.start:sub.span.end]:
            raise EditError("multi-line scalars are not rewritten")
        rendered = self.editor.replace_scalar(argument, value).content
        self._edits.append(self.editor.edit(sub.span.start, sub.span.end, f"{sub.short_tag} {rendered}"))
        self._changes.append(DataChange("replace", path, value))

    def replace_with_sub(self, node: Scalar, path: Path, text: str) -> None:
        """Turn a plain string into ``Fn::Sub`` of ``text``."""
        if "\n" in self.editor.text[node.span.start:node.span.end] or node.style in ("|", ">"):
            raise EditError("multi-line scalars are not rewritten")
        value = Intrinsic("Fn::Sub", text)
        style = self.editor.style()
        if self.document.format == "json":
            rendered = render_json(value, None, style)
        else:
            rendered = render_flow(value, style)  # !Sub '...' or {Fn::Sub: '...'}
        self._edits.append(self.editor.edit(node.span.start, node.span.end, rendered))
        self._changes.append(DataChange("replace", path, plain_data(value)))

    def replace_intrinsic(self, node: Mapping, path: Path, value: Intrinsic) -> None:
        """Replace an intrinsic function as a whole (``!Sub '${F.Arn}:live'``, a block ``Fn::Join``) with
        ``value``, whose argument is a scalar, written in the form of the original: short tag, flow or block
        long form, JSON."""
        if node.intrinsic() is None or isinstance(value.argument, (dict, list, tuple, Intrinsic)):
            raise EditError("only an intrinsic is replaced, by one with a scalar argument")
        start, end = node.span.start, content_end(node, self.editor.text)
        style = self.editor.style(node)
        argument = render_scalar(value.argument, style, flow=True)  # plain when it reads back: !Ref Fn.Alias
        if self.document.format == "json":
            content = render_json(value, None, style)
        elif node.short_tag is not None:
            content = f"{value.short_tag} {argument}"
        elif node.flow:
            content = "{" + f"{value.name}: {argument}" + "}"
        else:
            content = f"{value.name}: {argument}"
        self._edits.append(self.editor.edit(start, end, content))
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
        return Fix(applicability, description, tuple(edits), tuple(changes))

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
                changes.append(DataChange("add", path[: len(path) - len(missing) + 1], value))
            else:
                edits.append(self.editor.add_entries(existing, value))
                changes.extend(DataChange("add", path + (key,), entry) for key, entry in value.items())
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
