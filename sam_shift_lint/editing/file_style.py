"""How a parsed file writes things (indentation, ``- `` placement, quotes, short-form tags, JSON separators),
read into a :class:`Style` so that new text looks like the text around it."""
from __future__ import annotations

import collections

from sam_shift_lint.editing.positions import EditError, SourceText
from sam_shift_lint.editing.render import QUOTES, Style
from sam_shift_lint.parsing.document import Document
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, Sequence, scalars, walk


def block_indent(mapping: Mapping) -> str:
    """The indentation of a non-empty block map's keys."""
    first_key = next(iter(mapping.entries.values()))[0]
    return " " * (first_key.span.column - 1)


def common_quote(styles: list[str | None]) -> str | None:
    """The quote every one of ``styles`` uses (None: some are plain, or they differ)."""
    return styles[0] if styles and styles[0] in QUOTES and all(s == styles[0] for s in styles) else None


def mapping_quotes(mapping: Mapping) -> tuple[str | None, str | None]:
    """The quote style of a map's keys and of its string values, when every one is quoted alike
    (a template converted from JSON quotes everything); ``None`` means plain."""
    keys = [key.style for key, _ in mapping.entries.values()]
    values = [
        value.style
        for _, value in mapping.entries.values()
        if isinstance(value, Scalar) and isinstance(value.value, str)
    ]
    key_quote = common_quote(keys)
    if key_quote is None:
        return None, None
    return key_quote, common_quote(values) if values else key_quote


def uses_short_tags(node: Node | None) -> bool:
    if node is None:
        return False
    return any(isinstance(child, Mapping) and child.short_tag is not None for _, child in walk(node))


def prefers_short_tags(document: Document) -> bool:
    """Short-form tags (``!Ref X``) unless the file writes intrinsics only in long form (``Ref: X``); read once
    per document (every fix asks)."""
    if "prefers_short_tags" not in document.memo:
        document.memo["prefers_short_tags"] = not _redefines_primary_tag_handle(document) and _prefers_short_tags(document.root)
    return bool(document.memo["prefers_short_tags"])


def _redefines_primary_tag_handle(document: Document) -> bool:
    """Does a ``%TAG ! ...`` directive give ``!`` another prefix? Then a written ``!Ref`` would mean another tag
    (``tag:example.com,2000:Ref``), so intrinsics are written in long form. Directives come before ``---``."""
    if document.format != "yaml" or "%TAG" not in document.text:
        return False
    for line in document.text.splitlines():
        if line.startswith("---") or line.startswith("..."):
            return False
        line = line.lstrip("\ufeff")
        words = line.split() if line.startswith("%TAG") else []  # a directive starts its line: "%TAG ! prefix"
        if len(words) >= 2 and words[1] == "!":
            return True
    return False


def _prefers_short_tags(node: Node | None) -> bool:
    long_form = False
    for _, child in walk(node):  # type: ignore[arg-type]
        if isinstance(child, Mapping) and child.intrinsic() is not None:
            if child.short_tag is not None:
                return True
            long_form = True
    return not long_form


class FileStyle:
    """Reads the style of one document."""

    def __init__(self, document: Document, source: SourceText) -> None:
        self.document = document
        self.source = source

    def indent_unit(self) -> str:
        """The file's indentation step, read from the children of ``Resources`` (or the root)."""
        root = self.document.root
        whitespace = self.source.leading_whitespace
        if isinstance(root, Mapping):
            for child in root.values():
                if isinstance(child, Mapping) and not child.flow and child.entries:
                    first_key = next(iter(child.entries.values()))[0]
                    if self.document.format == "json":
                        inner = whitespace(first_key.span.start)
                        outer = whitespace(root.span.start) if root.entries else ""
                        unit = inner[len(whitespace(next(iter(root.entries.values()))[0].span.start)):]
                        return unit or inner or outer or "  "
                    parent_key = next(k for k, v in root.entries.values() if v is child)
                    width = first_key.span.column - parent_key.span.column
                    if width > 0:
                        return " " * width
        if self.document.format == "json" and isinstance(root, Mapping) and root.entries:
            first = next(iter(root.entries.values()))[0]
            return whitespace(first.span.start) or "  "
        return "  "

    def json_separators(self, mapping: Node | None) -> tuple[str, str]:
        """(member separator, key separator) as this object (else the root object) writes them on one line:
        ``", "`` and ``": "``, or ``","`` and ``":"`` in minified JSON."""
        text = self.source.text
        for candidate in (mapping, self.document.root):
            if not isinstance(candidate, Mapping) or not candidate.entries:
                continue
            entries = list(candidate.entries.values())
            key, value = entries[0]
            colon = text[key.span.end:value.span.start]
            if self.source.has_break(colon) or colon.strip() != ":":
                colon = ": "
            comma = ", "
            if len(entries) > 1:
                between = text[value.span.end:entries[1][0].span.start]
                if not self.source.has_break(between) and between.strip() == ",":
                    comma = between
            return comma, colon
        return ", ", ": "

    def sequence_indent(self, near: Node | None = None) -> str | None:
        """How far ``- `` sits right of its key in block sequences (first near ``near``, else anywhere)."""
        if near is not None:
            found = self._sequence_indent_in(near)
            if found is not None:
                return found
        if "sequence_indent" not in self.document.memo:  # the whole file's, read once
            self.document.memo["sequence_indent"] = self._sequence_indent_in(self.document.root)
        whole: str | None = self.document.memo["sequence_indent"]
        return whole

    def _sequence_indent_in(self, node: Node | None) -> str | None:
        line_start = self.source.line_start
        stack = collections.deque([node])
        while stack:  # breadth first: the shallowest example wins
            current = stack.popleft()
            if isinstance(current, Mapping) and not current.flow:
                for key, value in current.entries.values():
                    if isinstance(value, Sequence) and not value.flow and value.items:
                        try:
                            dash, _ = self.source.dash_offset(value.items[0])
                        except EditError:
                            continue
                        width = (dash - line_start(dash)) - (key.span.column - 1)
                        if width >= 0 and line_start(dash) != line_start(key.span.start):
                            return " " * width
                stack.extend(v for _, v in current.items())
            elif isinstance(current, Mapping):
                stack.extend(v for _, v in current.items())
            elif isinstance(current, Sequence):
                stack.extend(current.items)
        return None

    def file_style(self, near: Node | None = None) -> Style:
        """The style of the whole file; quoting of ``a:b`` strings, JSON separators and ``- `` placement
        from ``near`` first when given. Read once per document and node: every fix asks, and reading it
        walks the whole file (once per fix, that was quadratic in the size of the file)."""
        memo: dict[int | None, tuple[Node | None, Style]] = self.document.memo.setdefault("file_style", {})
        key = id(near) if near is not None else None
        found = memo.get(key)
        if found is not None and found[0] is near:  # the node is kept with its style, so its id is not reused
            return found[1]
        style = self._file_style(near)
        memo[key] = (near, style)
        return style

    def _whole_file(self) -> tuple[int, int, bool, bool]:
        """(single-quoted scalars, double-quoted scalars, some ``a:b`` string is plain, short tags are used)."""
        if "whole_file_style" not in self.document.memo:
            everywhere = list(scalars(self.document.root))
            single = sum(1 for s in everywhere if s.style == "'")
            double = sum(1 for s in everywhere if s.style == '"')
            plain_colons = any(
                s.style is None and isinstance(s.value, str) and ":" in s.value and s.span.end > s.span.start
                for s in everywhere
            )
            self.document.memo["whole_file_style"] = (single, double, plain_colons, uses_short_tags(self.document.root))
        found: tuple[int, int, bool, bool] = self.document.memo["whole_file_style"]
        return found

    def _file_style(self, near: Node | None) -> Style:
        root = self.document.root
        single, double, plain_colons, short_tags = self._whole_file()
        separators = self.json_separators(near if isinstance(near, Mapping) else root) if isinstance(root, Mapping) else (", ", ": ")
        nearby = [
            s.style for s in (scalars(near) if near is not None else [])
            if isinstance(s.value, str) and ":" in s.value and s.span.end > s.span.start
        ]
        return Style(
            colon_quote=common_quote(nearby),
            newline=self.document.newline,
            unit=self.indent_unit(),
            sequence_indent=self.sequence_indent(near),
            short_tags=short_tags,
            plain_colons=plain_colons,
            quote="'" if single >= double else '"',
            separators=separators,
        )

    def mapping_style(self, mapping: Mapping) -> Style:
        """The style for keys added to ``mapping`` by :meth:`TextEditor.add_entries`: quoted as its own keys
        and strings are, indented as its own nested maps are."""
        newline = self.document.newline
        if self.document.format == "json":
            return Style(newline, self.indent_unit(), separators=self.json_separators(mapping), strict_plain=True, quote='"')
        key_quote, value_quote = mapping_quotes(mapping)
        unit = self._child_unit(mapping) if not mapping.flow and mapping.entries else self.indent_unit()
        short_tags = prefers_short_tags(self.document)
        return Style(newline, unit, key_quote=key_quote, value_quote=value_quote, strict_plain=True, quote='"', short_tags=short_tags)

    def _child_unit(self, mapping: Mapping) -> str:
        """The indentation step below ``mapping``, read from its own nested block maps."""
        indent = len(block_indent(mapping))
        for (_, value) in mapping.entries.values():
            if isinstance(value, Mapping) and not value.flow and value.short_tag is None and value.entries:
                inner = next(iter(value.entries.values()))[0].span.column - 1
                if inner > indent:
                    return " " * (inner - indent)
        return self.indent_unit()
