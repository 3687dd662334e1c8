"""Edits to suppression comments: add a rule id to the line a finding is on (the language server's "disable for
this line"), and take unused ids out of a directive (I9001's fix). Comments hold no data, so these edits change
no value; the fixer still proves it (the re-parsed data must equal the original)."""
from __future__ import annotations

from sam_shift_lint.editing.positions import SourceText
from sam_shift_lint.findings import Edit
from sam_shift_lint.model.directives import LINE, MALFORMED, Directive, Entry, directives_of
from sam_shift_lint.parsing.comments import inside_scalar, line_end, line_start, next_line
from sam_shift_lint.parsing.document import Document

DIRECTIVE_PREFIX = "sam-shift-lint: disable="


def disable_on_line(document: Document, offset: int, rule_id: str) -> Edit | None:
    """The edit that suppresses ``rule_id`` on the line holding ``offset``: its id added to the line's
    ``disable=`` comment, or a new one at the end of the line. None when the line cannot hold a comment (JSON,
    or the line ends inside a multi-line scalar) or the rule is already disabled there."""
    if document.format != "yaml":
        return None
    text = document.text
    source = SourceText(text)
    for directive in directives_of(document):
        if directive.kind == LINE and directive.region[0] <= offset <= directive.region[1]:
            if directive.names(rule_id) is not None:
                return None
            last = directive.entries[-1].end
            return source.edit(last, last, "," + rule_id)
    start, end = line_start(text, offset), line_end(text, offset)
    content_end = end
    while content_end > start and text[content_end - 1] in " \t":
        content_end -= 1
    if content_end == start or inside_scalar(document.root, content_end, text):
        return None
    return source.edit(content_end, content_end, f"  # {DIRECTIVE_PREFIX}{rule_id}")


def remove_entries(document: Document, directive: Directive, unused: list[Entry]) -> Edit | None:
    """The edit that takes ``unused`` out of ``directive``: the other ids stay; with none left the directive goes,
    and the whole comment (its line, when the comment is alone on it) when nothing else is in it."""
    if directive.kind == MALFORMED:
        return None  # what the author meant is unclear: leave it to them
    text = document.text
    source = SourceText(text)
    kept = [entry for entry in directive.entries if entry not in unused]
    if kept:
        first, last = directive.entries[0].start, directive.entries[-1].end
        separator = ", " if ", " in text[first:last] else ","
        return source.edit(first, last, separator.join(text[entry.start:entry.end] for entry in kept))
    comment = directive.comment
    end = directive.end
    if not text[comment.start + 1:directive.start].strip(" \t#"):  # the directive opens the comment
        if text[end:comment.end].strip(" \t"):
            return source.edit(directive.start, _forward_over_blanks(text, end, comment.end), "")
        if comment.own_line:
            return source.edit(line_start(text, comment.start), next_line(text, comment.end), "")
        return source.edit(_back_over_blanks(text, comment.start, line_start(text, comment.start)), comment.end, "")
    # after other comment text: the directive goes with the blanks and the '#' it brought
    start = _back_over_blanks(text, directive.start, comment.start)
    if start > comment.start and text[start - 1] == "#":
        start = _back_over_blanks(text, start - 1, comment.start)
    return source.edit(start, end, "")


def _back_over_blanks(text: str, offset: int, limit: int) -> int:
    while offset > limit and text[offset - 1] in " \t":
        offset -= 1
    return offset


def _forward_over_blanks(text: str, offset: int, limit: int) -> int:
    while offset < limit and text[offset] in " \t":
        offset += 1
    return offset
