"""An excerpt of a block-style YAML document: the entries that hold some changed text, each under stand-in keys
indented as its real ancestors are, so another parser can be asked about the changed part alone.

YAML's block structure is decided by indentation, line by line. An entry of a block mapping at indentation
``n`` starts on a line whose key is at column ``n`` and runs to the next line with a key at ``n`` (or less);
comments and blank lines in between belong to it. Whether a parser accepts a run of whole entries depends on
their own text and on the indentation of the mappings around them, not on the entries beside them: after a
complete entry the parser is back where it was before it (a block mapping at ``n``, expecting a key). So when
a parser accepted the original text and the new text differs from it only inside some runs of entries, it
accepts the new text if it accepts those runs placed under keys with the same indentation. The excerpt is
those runs (each at most once) under such stand-in keys, after the document's own prologue (directives,
``---``, leading comments).

Only documents that parsers cannot disagree on the lines of are excerpted: a block mapping at the root, keys
that start their lines, and line breaks that every YAML version reads alike (LF, CRLF; YAML 1.2 reads NEL,
U+2028 and U+2029 as content, YAML 1.1 as line breaks). Anything else gets ``None``: ask about the whole text.
"""
from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable

from sam_shift_lint.parsing.document import Document
from sam_shift_lint.parsing.lines import line_starts, only_common_breaks
from sam_shift_lint.parsing.nodes import Mapping, Node, Scalar, Sequence

STAND_IN = "sam-shift-lint-excerpt-{}"


class _NoExcerpt(Exception):
    """The text around a change is not plain block structure."""


class _Entries:
    """The entries of one block mapping: where each begins (the start of its key's line) and ends."""

    def __init__(self, text: str, starts_of_lines: list[int], mapping: Mapping, end: int) -> None:
        self.mapping = mapping
        self.items = list(mapping.entries.values())
        self.starts: list[int] = []
        self.indent = ""
        for key, _ in self.items:
            line = starts_of_lines[bisect.bisect_right(starts_of_lines, key.span.start) - 1]
            indent = text[line:key.span.start]
            if indent.strip(" ") or (self.starts and line <= self.starts[-1]):
                raise _NoExcerpt  # "? key", "- key", "--- key", or two keys on one line
            if not _simple_key(text[key.span.start:key.span.end], key):
                raise _NoExcerpt  # "&anchor key", "!tag key": YAML 1.1 and 1.2 may read such a line differently
            self.starts.append(line)
            self.indent = indent
        self.end = end

    def extent(self, index: int) -> tuple[int, int]:
        return self.starts[index], self.starts[index + 1] if index + 1 < len(self.starts) else self.end

    def index(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1


def excerpt(document: Document, changed: Iterable[tuple[int, int]]) -> str | None:
    """The excerpt of ``document`` (YAML) around the ``changed`` ranges of its text (start, end; an empty range
    is a removal at that offset), or None when it cannot be made."""
    text = document.text
    root = document.root
    if document.format != "yaml" or not _block_mapping(root) or not only_common_breaks(text):
        return None
    assert isinstance(root, Mapping)
    try:
        return _Excerpt(text, root).build(changed)
    except _NoExcerpt:
        return None


class _Excerpt:
    def __init__(self, text: str, root: Mapping) -> None:
        self.text = text
        self.line_starts = line_starts(text, "yaml")
        self.mappings: dict[int, _Entries] = {}
        self.top = self.entries(root, len(text) + 1)

    def entries(self, mapping: Mapping, end: int) -> _Entries:
        found = self.mappings.get(id(mapping))
        if found is None:
            found = self.mappings[id(mapping)] = _Entries(self.text, self.line_starts, mapping, end)
        return found

    def build(self, changed: Iterable[tuple[int, int]]) -> str:
        # (stand-in indentation above, text, indentation of the line after it or None at the end): in order, once
        regions: dict[tuple[tuple[str, ...], str, str | None], None] = {}
        covered = (-1, -1)
        for start, end in sorted(changed):
            low, high = (start, end - 1) if end > start else (start - 1, start)
            low, high = max(low, 0), max(high, 0)
            if covered[0] <= low and high < covered[1]:
                continue
            chain, covered = self.region(low, high)
            regions[(chain, self.text[covered[0]:covered[1]], self.indent_after(covered[1]))] = None
        parts = [self.text[:self.top.starts[0]]]
        names = (STAND_IN.format(number) for number in itertools.count())
        for chain, region, after in regions:
            if parts[-1] and not parts[-1].endswith("\n"):
                parts.append("\n")
            parts.extend(f"{indent}{next(names)}:\n" for indent in chain)
            parts.append(region)
            if after is not None:
                parts.append(("" if region.endswith("\n") else "\n") + f"{after}{next(names)}: x\n")
        return "".join(parts)

    def indent_after(self, end: int) -> str | None:
        """The indentation of the key line that follows a region ending at ``end`` (None: the end of the text).
        A parser looks at it to end the region's last value (a block scalar's indentation is that of its first
        non-empty line), so a stand-in key with the same indentation follows the region in the excerpt."""
        if end >= len(self.text):
            return None
        line_end = self.text.find("\n", end)
        line = self.text[end:line_end if line_end != -1 else len(self.text)]
        return line[: len(line) - len(line.lstrip(" "))]

    def region(self, low: int, high: int) -> tuple[tuple[str, ...], tuple[int, int]]:
        """(indentation of the stand-in keys above, the region's extent) for the characters ``low``..``high``:
        the deepest run of whole entries of a block mapping that holds them, with the entry before them when
        that one ends in a block scalar (where it ends depends on the line after it, the region's first)."""
        entries = self.top
        chain: list[str] = []
        while True:
            first, last = entries.index(low), entries.index(high)
            if first < 0:
                raise _NoExcerpt  # before the first key of the document: its prologue
            value = entries.items[first][1]
            if first == last and _block_mapping(value):
                assert isinstance(value, Mapping)
                inner = self.entries(value, entries.extent(first)[1])
                if inner.starts[0] > entries.starts[first] and low >= inner.starts[0]:
                    chain.append(entries.indent)
                    entries = inner
                    continue  # the change is inside the value: look deeper
            if first > 0 and _ends_in_block_scalar(entries.items[first - 1][1]):
                first -= 1
            return tuple(chain), (entries.extent(first)[0], entries.extent(last)[1])


def _simple_key(source: str, key: Scalar) -> bool:
    """Is a key written as a bare or quoted scalar, with no anchor or tag before it?"""
    if key.style is None:
        return source == key.value and source[:1] not in _INDICATORS
    return key.style in ("'", '"') and source[:1] == key.style


_INDICATORS = frozenset("&*!|>'\"%@`?-[]{},#:")


def _ends_in_block_scalar(node: Node) -> bool:
    """Does the text of ``node`` end with a block scalar (``|`` or ``>``, at any depth of block collections)?"""
    while True:
        if isinstance(node, Mapping) and node.entries and (not node.flow or node.short_tag is not None):
            node = next(reversed(node.entries.values()))[1]
        elif isinstance(node, Sequence) and node.items and not node.flow:
            node = node.items[-1]
        else:
            return isinstance(node, Scalar) and node.style in ("|", ">")


def _block_mapping(node: object) -> bool:
    return isinstance(node, Mapping) and not node.flow and node.short_tag is None and bool(node.entries)
