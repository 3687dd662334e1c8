"""Suppression comments written in a YAML file (JSON has no comments):

* ``# sam-shift-lint: disable=W9101,W9102`` at the end of a line: findings reported on that line;
* the same comment alone on its line: the key (or list item) on the next line that holds one, and everything
  under it: findings that start inside it, or whose path is under it (a finding about a function that points at
  a value it inherits from ``Globals``);
* ``# sam-shift-lint: disable-file=...`` anywhere: the whole file.

Each id is a rule id or a prefix (``W91``), as ``--ignore`` takes them. A comment that names the marker but holds
no valid directive is kept too (``malformed``), so that I9001 can say so. The directives of a document are read
once (:func:`directives_of`) and cost one substring search when the file has none.
"""
from __future__ import annotations

import functools
import re
from typing import NamedTuple

from sam_shift_lint.findings import Finding
from sam_shift_lint.parsing.comments import Comment, comments_with, line_end, line_start, next_line
from sam_shift_lint.parsing.document import Document
from sam_shift_lint.parsing.nodes import Mapping, Node, PathItem, Sequence

MARKER = "sam-shift-lint:"
LINE, BLOCK, FILE, MALFORMED = "line", "block", "file", "malformed"
_MEMO_KEY = "suppression-directives"


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A directive and one id of it, compiled when a file has the marker (most have none: compiling them costs a
    one-template run about half a percent of its instructions)."""
    directive = re.compile(
        r"sam-shift-lint:[ \t]*(?P<kind>disable-file|disable)[ \t]*=[ \t]*"
        r"(?P<ids>[A-Za-z0-9]+(?:[ \t]*,[ \t]*[A-Za-z0-9]+)*)"
    )
    return directive, re.compile(r"[A-Za-z0-9]+")


class Entry(NamedTuple):
    """One id of a directive, with its offsets in the text."""

    code: str
    start: int
    end: int


class Directive(NamedTuple):
    """One directive. ``start``/``end``: the directive's text (from the marker to its last id); ``region``: the
    offsets it covers; ``path``: the node path of the key it covers (``BLOCK`` only)."""

    kind: str
    start: int
    end: int
    comment: Comment
    entries: tuple[Entry, ...]
    region: tuple[int, int]
    path: tuple[PathItem, ...] | None = None

    def names(self, rule_id: str) -> Entry | None:
        """The first entry matching ``rule_id`` (an equal id or a prefix of it)."""
        return next((entry for entry in self.entries if rule_id.startswith(entry.code)), None)

    def covers(self, finding: Finding) -> bool:
        """Is ``finding`` where this directive applies (whatever its rule)?"""
        if self.kind == FILE:
            return True
        start, end = self.region
        at = finding.span.start
        if self.kind == LINE:
            return start <= at <= end
        if self.kind == BLOCK:
            under = self.path is not None and finding.path[: len(self.path)] == self.path
            return start <= at < end or under
        return False

    def matches(self, finding: Finding) -> Entry | None:
        """The entry that suppresses ``finding``, if any."""
        return self.names(finding.rule) if self.covers(finding) else None


def directives_of(document: Document) -> list[Directive]:
    """The suppression directives of ``document`` (none in JSON), read once per document."""
    cached = document.memo.get(_MEMO_KEY)
    if cached is None:
        cached = _read(document) if document.format == "yaml" and MARKER in document.text else []
        document.memo[_MEMO_KEY] = cached
    result: list[Directive] = cached
    return result


def _read(document: Document) -> list[Directive]:
    text, root = document.text, document.root
    found: list[Directive] = []
    directive = _patterns()[0]
    for comment in comments_with(text, root, MARKER):
        position = text.find(MARKER, comment.start, comment.end)
        while position >= 0:
            match = directive.match(text, position, comment.end)
            if match is None:
                found.append(Directive(MALFORMED, position, position + len(MARKER), comment, (), (position, position)))
            else:
                found.append(_directive(document, comment, match))
            position = text.find(MARKER, position + len(MARKER), comment.end)
    return found


def _directive(document: Document, comment: Comment, match: re.Match[str]) -> Directive:
    text = document.text
    ids_start = match.start("ids")
    entries = tuple(
        Entry(item.group().upper(), ids_start + item.start(), ids_start + item.end()) for item in _patterns()[1].finditer(match.group("ids"))
    )
    if match.group("kind") == "disable-file":
        return Directive(FILE, match.start(), match.end(), comment, entries, (0, len(text)))
    if not comment.own_line:
        region = (line_start(text, comment.start), comment.end)
        return Directive(LINE, match.start(), match.end(), comment, entries, region)
    target = _next_key(document, comment)
    if target is None:  # nothing below it: it covers nothing
        return Directive(BLOCK, match.start(), match.end(), comment, entries, (comment.start, comment.start))
    start, end, path = target
    return Directive(BLOCK, match.start(), match.end(), comment, entries, (start, end), path)


def _next_key(document: Document, comment: Comment) -> tuple[int, int, tuple[PathItem, ...]] | None:
    """The key or list item on the first line after ``comment`` that holds content: (start, end, path)."""
    text = document.text
    start = next_line(text, comment.end)
    while start < len(text):
        end = line_end(text, start)
        content = text[start:end].strip(" \t")
        if content and not content.startswith("#"):
            return _key_on_line(document.root, start, end)
        start = next_line(text, start)
    return None


def _key_on_line(root: Node, low: int, high: int) -> tuple[int, int, tuple[PathItem, ...]] | None:
    """The shallowest mapping entry or list item that starts between ``low`` and ``high``, the first of them."""
    level: list[tuple[Node, tuple[PathItem, ...]]] = [(root, ())]
    while level:
        below: list[tuple[Node, tuple[PathItem, ...]]] = []
        for node, path in level:
            if node.span.start > high or node.span.end < low:
                continue
            if isinstance(node, Mapping):
                for key, (key_node, value) in node.entries.items():
                    if node.short_tag is None and low <= key_node.span.start <= high:
                        return key_node.span.start, max(value.span.end, key_node.span.end), path + (key,)
                    below.append((value, path + (key,)))
            elif isinstance(node, Sequence):
                for index, item in enumerate(node.items):
                    if low <= item.span.start <= high:
                        return item.span.start, item.span.end, path + (index,)
                    below.append((item, path + (index,)))
        level = below
    return None


class Usage:
    """Which entries of which directives suppressed something (for I9001)."""

    def __init__(self) -> None:
        self.used: set[tuple[int, int]] = set()  # (directive start, entry start)

    def mark(self, directive: Directive, entry: Entry) -> None:
        self.used.add((directive.start, entry.start))

    def unused(self, directive: Directive) -> list[Entry]:
        return [entry for entry in directive.entries if (directive.start, entry.start) not in self.used]


def suppressed_by(directives: list[Directive], finding: Finding, usage: Usage | None = None) -> bool:
    """Is ``finding`` suppressed by one of ``directives``? Every directive that suppresses it is marked used."""
    hit = False
    for directive in directives:
        entry = directive.matches(finding)
        if entry is not None:
            hit = True
            if usage is None:
                break
            usage.mark(directive, entry)
    return hit
