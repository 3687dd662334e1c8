"""Unified diffs that ``git apply`` accepts, including CRLF lines, a missing final newline and file names with
control characters or bytes that are not UTF-8 (C-quoted in the headers, as git writes them).

Lines are split at ``\\n`` only, as git splits them (``\\r``, NEL and U+2028 stay inside lines). difflib
compares the whole texts, unless that would be slow: its time grows with the number of lines times the number
of changed places (5 s for the 3,000 edits of a 1 MB template). Then the diff is computed from the regions
the fixer changed: the lines between them are equal by construction, so only the changed lines, with a
margin of equal lines around them, are compared. Where a repeated line (a blank line) could go on either
side of an insertion, the two ways may place it differently; both diffs apply to the same result.
"""
from __future__ import annotations

import bisect
import difflib
import os
import re
from collections.abc import Iterator, Sequence

NO_NEWLINE = "\\ No newline at end of file\n"
CONTEXT = 3
MARGIN = 8  # equal lines given to difflib on each side of a changed region
WHOLE_TEXT_BUDGET = 500_000  # lines x changed regions up to which difflib compares the whole texts
Opcode = tuple[str, int, int, int, int]


def _diff_path(path: str) -> str:
    relative = os.path.relpath(path) if os.path.isabs(path) else os.path.normpath(path)
    return relative.replace(os.sep, "/")


# git's quote_c_style: these characters by name, every other control character, DEL and non-ASCII byte in octal
_C_ESCAPES = {0x07: "\\a", 0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0B: "\\v", 0x0C: "\\f", 0x0D: "\\r", 0x22: '\\"', 0x5C: "\\\\"}


def git_quoted(name: str) -> str:
    """``name`` as git writes a path in a diff header: as it is when plain, else in double quotes with C escapes
    of its bytes (``"a/x\\ny.yaml"``), which ``git apply`` reads back; so no name can break a header line."""
    raw = os.fsencode(name)
    if all(0x20 <= byte < 0x7F and byte not in (0x22, 0x5C) for byte in raw):
        return name
    quoted = "".join(
        _C_ESCAPES.get(byte) or (chr(byte) if 0x20 <= byte < 0x7F else f"\\{byte:03o}") for byte in raw
    )
    return f'"{quoted}"'


def _lines(text: str) -> list[str]:
    """Lines split at ``\n`` only (keeping ``\r`` and other separators inside lines, as git does)."""
    return re.findall(r"[^\n]*\n|[^\n]+", text)


def unified_diff(
    path: str, before: str, after: str, regions: Sequence[tuple[int, int, int, int]] | None = None
) -> str:
    """A ``git apply``-able diff of one file (``a/`` and ``b/`` prefixes, three lines of context). ``regions``:
    where ``after`` differs from ``before`` ((start, end) in ``before``, (start, end) in ``after``, in order);
    without them the whole texts are compared."""
    if before == after:
        return ""
    old_lines = _lines(before)
    new_lines = _lines(after)
    name = _diff_path(path)
    opcodes: list[Opcode]
    if regions is None or len(old_lines) * len(regions) <= WHOLE_TEXT_BUDGET:
        opcodes = list(difflib.SequenceMatcher(None, old_lines, new_lines).get_opcodes())
    else:
        opcodes = _opcodes(before, after, old_lines, new_lines, regions)
    old_name, new_name = git_quoted(f"a/{name}"), git_quoted(f"b/{name}")
    out = [f"diff --git {old_name} {new_name}\n", f"--- {old_name}\n", f"+++ {new_name}\n"]
    for group in _grouped(opcodes):
        first, last = group[0], group[-1]
        out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend(_marked(" ", old_lines[i1:i2]))
                continue
            if tag in ("replace", "delete"):
                out.extend(_marked("-", old_lines[i1:i2]))
            if tag in ("replace", "insert"):
                out.extend(_marked("+", new_lines[j1:j2]))
    return "".join(out)


def _marked(sign: str, lines: list[str]) -> Iterator[str]:
    for line in lines:
        if line.endswith("\n"):
            yield sign + line
        else:  # the last line of a file without a final newline
            yield sign + line + "\n"
            yield NO_NEWLINE


def _range(start: int, stop: int) -> str:
    """A unified diff range, as difflib writes it (1-based start, then the length unless it is 1)."""
    beginning = start + 1
    length = stop - start
    if length == 1:
        return f"{beginning}"
    if not length:
        beginning -= 1  # an empty range begins at the line before it
    return f"{beginning},{length}"


def _grouped(opcodes: list[Opcode]) -> Iterator[list[Opcode]]:
    """Hunks: changes with three lines of context (``difflib.SequenceMatcher.get_grouped_opcodes``)."""
    codes = list(opcodes)
    if codes[0][0] == "equal":
        tag, i1, i2, j1, j2 = codes[0]
        codes[0] = tag, max(i1, i2 - CONTEXT), i2, max(j1, j2 - CONTEXT), j2
    if codes[-1][0] == "equal":
        tag, i1, i2, j1, j2 = codes[-1]
        codes[-1] = tag, i1, min(i2, i1 + CONTEXT), j1, min(j2, j1 + CONTEXT)
    group: list[Opcode] = []
    for tag, i1, i2, j1, j2 in codes:
        if tag == "equal" and i2 - i1 > 2 * CONTEXT:  # a long unchanged stretch ends the hunk
            group.append((tag, i1, min(i2, i1 + CONTEXT), j1, min(j2, j1 + CONTEXT)))
            yield group
            group = []
            i1, j1 = max(i1, i2 - CONTEXT), max(j1, j2 - CONTEXT)
        group.append((tag, i1, i2, j1, j2))
    if group and not (len(group) == 1 and group[0][0] == "equal"):
        yield group


def _opcodes(
    before: str, after: str, old_lines: list[str], new_lines: list[str], regions: Sequence[tuple[int, int, int, int]]
) -> list[Opcode]:
    """difflib's opcodes for the whole texts, computed around the changed regions only."""
    old = _Lines(before, old_lines)
    new = _Lines(after, new_lines)
    windows: list[list[int]] = []  # [old from, old to, new from, new to] in lines, merged, in order
    for index, (start, end, new_start, new_end) in enumerate(regions):
        limits = regions[index + 1][::2] if index + 1 < len(regions) else (len(before), len(after))
        old_to, new_to = _aligned_ends(old, new, (end, new_end), limits)
        window = [old.line_of(start), old_to, new.line_of(new_start), new_to]
        first_margin = min(MARGIN, window[0], window[2])
        last_margin = min(MARGIN, len(old_lines) - window[1], len(new_lines) - window[3])
        window = [window[0] - first_margin, window[1] + last_margin, window[2] - first_margin, window[3] + last_margin]
        if windows and window[0] <= windows[-1][1]:
            windows[-1][1], windows[-1][3] = window[1], window[3]
        else:
            windows.append(window)
    opcodes: list[Opcode] = []
    old_at = new_at = 0
    for old_from, old_to, new_from, new_to in windows:
        opcodes.append(("equal", old_at, old_from, new_at, new_from))
        matcher = difflib.SequenceMatcher(None, old_lines[old_from:old_to], new_lines[new_from:new_to])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            opcodes.append((tag, i1 + old_from, i2 + old_from, j1 + new_from, j2 + new_from))
        old_at, new_at = old_to, new_to
    opcodes.append(("equal", old_at, len(old_lines), new_at, len(new_lines)))
    return _joined(opcodes)


def _aligned_ends(old: _Lines, new: _Lines, ends: tuple[int, int], limits: tuple[int, int]) -> tuple[int, int]:
    """The lines after which a region ending at ``ends`` (old text, new text) is over in both. The text after it
    is the same in both up to ``limits`` (the next region's start, or the ends of the texts), so the windows end
    where that text next starts a line in both: a region that ends inside a line (lines inserted after a NEL,
    which ``\n``-split lines do not break at) takes the rest of that line in both. When that line runs into the
    next region, both windows end with that region's first line (and are merged with its window)."""
    end, new_end = ends
    old_to, new_to = old.line_end(end), new.line_end(new_end)
    while (old_rest := old.starts[old_to] - end) != (new_rest := new.starts[new_to] - new_end):
        if end + new_rest > limits[0] or new_end + old_rest > limits[1]:
            return old.line_end(limits[0]), new.line_end(limits[1])
        if old_rest < new_rest:
            old_to = old.line_end(end + new_rest)
        else:
            new_to = new.line_end(new_end + old_rest)
    return old_to, new_to


def _joined(opcodes: list[Opcode]) -> list[Opcode]:
    """Without empty opcodes, neighbouring ``equal`` ones as one (as difflib gives them)."""
    joined: list[Opcode] = []
    for code in opcodes:
        if code[1] == code[2] and code[3] == code[4]:
            continue
        if joined and code[0] == "equal" and joined[-1][0] == "equal":
            last = joined[-1]
            joined[-1] = ("equal", last[1], code[2], last[3], code[4])
        else:
            joined.append(code)
    return joined


class _Lines:
    """Offsets of a text to indexes of its ``\n``-split lines."""

    def __init__(self, text: str, lines: list[str]) -> None:
        self.text = text
        self.starts = [0]
        for line in lines:
            self.starts.append(self.starts[-1] + len(line))

    def line_of(self, offset: int) -> int:
        """The index of the line holding ``offset``: the number of ``\n`` before it."""
        index = bisect.bisect_right(self.starts, offset) - 1
        if offset == len(self.text) and offset and not self.text.endswith("\n"):
            index -= 1  # the end of a last line without a final newline belongs to that line
        return index

    def line_end(self, offset: int) -> int:
        """The index of the first line wholly after ``offset`` (a region ending where a line starts ends before
        that line)."""
        at_line_start = offset == 0 or self.text[offset - 1] == "\n"
        return self.line_of(offset) + (0 if at_line_start else 1)
