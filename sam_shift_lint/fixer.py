"""Apply fixes to a file's text, prove the result, and write it atomically.

Like black's ``--safe`` mode the fixer refuses to write unless (1) the new text parses, (2) its data equals
the original data with exactly the intended changes applied, (3) another fix pass changes nothing, and (4) a
second, independent parser that accepted the original accepts the result. Fixes are applied in passes (as
ESLint does): a fix whose edits touch another's, or whose intended data change meets another's (the same key,
a key inside a map another adds, an item of a list another removes from), waits for the next pass, which
re-reads the edited text, so every edit is computed from fresh positions and every change from fresh data.

What each step costs, and why it is done the way it is:

1. and 2. The project's own parser (libyaml through PyYAML's C loader, or the strict span-keeping JSON parser)
   re-reads the whole text once per pass; the data is compared NaN-aware and type-strict. The next pass needs
   this parse anyway, so it costs one parse of the file per pass.
3. The check after the last pass (which reports what remains) is the second fix pass: a pass with nothing
   to apply ends the loop, so idempotence costs no extra work.
4. The second parser is there for what the first cannot see: text that libyaml (YAML 1.1) accepts but a YAML
   1.2 tool (ruamel.yaml, as editors and formatters use) rejects, e.g. a renderer bug that writes something
   only libyaml tolerates. ruamel.yaml is pure Python, about as slow on a file as the whole check, and
   parsing both texts in full made ``--fix`` 7-15 times slower than checking. But the texts differ only where
   the edits are, and YAML's block structure is local (see :mod:`sam_shift_lint.parsing.excerpt`): when
   ruamel accepted the original, it accepts the result if it accepts the changed runs of entries under
   stand-in keys indented as their real ancestors (plus the entry before them when it ends in a block scalar,
   and a stand-in for the key line after them: where a block scalar ends depends on the next line). So each
   pass asks ruamel about that excerpt (a few lines; a verdict on a repeated excerpt is remembered) and
   nothing else. Only when no excerpt can be made (a flow-style root; keys after ``?``, ``-``, an anchor or
   a tag, which YAML 1.1 and 1.2 may read differently; NEL/U+2028/U+2029 or lone CR line breaks) or ruamel
   rejects the excerpt does it parse the original in full (once per file) and, if it accepted that, the
   whole result: the same answer as before, at the old price, only where it decides something.
   ``tests/fixes/test_second_parser.py`` checks the locality on thousands of random edits against the
   whole-text answer. JSON files are read again by the standard library's ``json`` (C) instead.
"""
from __future__ import annotations

import bisect
import copy
import functools
import itertools
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sam_shift_lint import __version__
from sam_shift_lint.checks.context import CheckContext
from sam_shift_lint.checks.registry import select_rules
from sam_shift_lint.checks.rule import Rule
from sam_shift_lint.engine import check_context, new_context
from sam_shift_lint.findings import DataChange, Edit, Finding, Fix, applies
from sam_shift_lint.parsing.document import Document, parse
from sam_shift_lint.parsing.errors import DocumentError
from sam_shift_lint.parsing.excerpt import excerpt
from sam_shift_lint.parsing.lines import DEFAULT_NEWLINE, YAML_1_1_BREAKS
from sam_shift_lint.records import field, record
from sam_shift_lint.settings import FixSettings, LintSettings

MAX_PASSES = 10


class FixError(Exception):
    """The fix cannot be applied safely; nothing is written. ``report`` is the path of a file holding what
    would have been written and why it was refused (as black does), when one could be written."""

    def __init__(self, reason: str, report: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.report = report

    def __str__(self) -> str:
        if self.report:
            return f"{self.reason} (details to report: {self.report})"
        return self.reason


class NotWritable(FixError):
    """The file cannot be replaced safely (read-only, a symbolic link, not a regular file)."""


# A changed part of the text: the original's [start, end) became the fixed text's [new start, new end).
Region = tuple[int, int, int, int]


@record
class FixOutcome:
    document: Document
    text: str
    fixed: list[Finding] = field(default_factory=list)
    remaining: list[Finding] = field(default_factory=list)
    regions: list[Region] = field(default_factory=list)  # where ``text`` differs from the original, in order

    @property
    def changed(self) -> bool:
        return self.text != self.document.text


def fix_context(ctx: CheckContext, rules: Iterable[Rule] | None = None, unsafe: bool = False) -> FixOutcome:
    """Fix the file behind ``ctx`` in memory. Raises FixError when a pass cannot be verified."""
    selected = select_rules() if rules is None else list(rules)
    document = ctx.document
    current = document
    second = SecondParser(document)
    second.keep_lines(document)
    first = check_context(ctx, selected)
    findings = first
    regions: list[Region] = []
    for _ in range(MAX_PASSES):
        chosen = _choose([f.fix for f in findings if f.fix is not None and applies(f.fix, unsafe)])
        if not chosen:
            break
        edits = [edit for fix in chosen for edit in fix.edits]
        new_text = apply_edits(current.text, edits)
        current = _verified(current, new_text, [change for fix in chosen for change in fix.changes], chosen)
        second.check(current, changed_ranges(edits))
        regions = compose_regions(regions, edits)
        second.keep_lines(current)
        findings = check_context(new_context(current, ctx.lint, ctx.fixes), selected)
    else:
        raise FixError(f"fixes did not settle after {MAX_PASSES} passes")
    remaining_keys = {_key(f) for f in findings}
    fixed = [f for f in first if _key(f) not in remaining_keys and f.fix is not None]
    return FixOutcome(document, current.text, fixed, findings, regions)


def fix_document(
    document: Document,
    lint: LintSettings | None = None,
    fixes: FixSettings | None = None,
    rules: Iterable[Rule] | None = None,
    unsafe: bool = False,
) -> FixOutcome:
    """:func:`fix_context` for a parsed document."""
    return fix_context(new_context(document, lint, fixes), rules, unsafe)


def apply_verified(document: Document, fixes: Sequence[Fix]) -> str:
    """``document``'s text with ``fixes`` applied as one pass of :func:`fix_context`, proved as ``--fix`` proves
    a pass (the text parses, its data is the old data plus exactly the intended changes, and a YAML file that
    ruamel.yaml accepted is still accepted). The language server's quick fixes come from here. Raises FixError,
    also when the fixes' edits or intended changes touch one another (``--fix`` would apply them in separate
    passes)."""
    chosen = _choose(fixes)
    if len(chosen) != len({fix.edits for fix in fixes}):
        raise FixError("the fixes touch one another (their edits or the data they change)")
    edits = [edit for fix in chosen for edit in fix.edits]
    new_text = apply_edits(document.text, edits)
    after = _verified(document, new_text, [change for fix in chosen for change in fix.changes], chosen)
    if new_text != document.text:
        SecondParser(document).check(after, changed_ranges(edits))
    return new_text


class SecondParser:
    """Step 4 of the module docstring: a second, independent parser must accept each pass's result when it
    accepted the original (ruamel.yaml's round-trip loader, YAML 1.2, for YAML; ``json`` for JSON)."""

    def __init__(self, original: Document) -> None:
        self.original = original
        self._original_accepted: bool | None = None

    def original_accepted(self) -> bool:
        if self._original_accepted is None:
            self._original_accepted = self._accepts(self.original.text)
        return self._original_accepted

    def keep_lines(self, document: Document) -> None:
        """Before fixes are made for ``document`` (the original or a pass's result): when it ends its lines with NEL,
        U+2028 or U+2029 and ruamel.yaml accepted the original, the lines YAML 1.2 reads are not those libyaml reads
        (it reads these breaks as content after a plain scalar, and the file has none there), so lines added with
        that ending (``AutoPublishAlias: live<U+2028>``) would be rejected: they end with LF instead. Costs a full
        parse of the original with ruamel only for such files, which :meth:`check` would parse anyway."""
        if document.format == "yaml" and document.newline in YAML_1_1_BREAKS and self.original_accepted():
            document.use_newline(DEFAULT_NEWLINE)

    def _accepts(self, text: str) -> bool:
        return ruamel_accepts(text) if self.original.format == "yaml" else json_accepts(text)

    def check(self, after: Document, changed: Sequence[tuple[int, int]]) -> None:
        """Raise FixError when ``after`` (a pass's verified result; ``changed``: where its text is new) is
        rejected although the original was accepted. The text the pass started from is the original or a
        result proven the same way, so only the pass's own changes need asking about."""
        if self._original_accepted is False:
            return
        if self.original.format == "yaml":
            part = excerpt(after, changed)
            if part is not None and ruamel_accepts(part):
                return
            if not self.original_accepted() or ruamel_accepts(after.text):
                return
        elif json_accepts(after.text) or not self.original_accepted():
            return
        kind = "YAML 1.2 (ruamel.yaml" if self.original.format == "yaml" else "JSON (Python's json module"
        reason = f"the fixed text is not valid {kind} rejects it) although the original was"
        raise FixError(reason, write_report(self.original, after.text, reason))


# Excerpts up to this size have their verdicts remembered: most fixes write the same few lines (over the test
# corpus 1,495 excerpts are 116 different texts), and ruamel.yaml costs about a millisecond even for those.
REMEMBERED_EXCERPT = 16_384


def ruamel_accepts(text: str) -> bool:
    """Does ruamel.yaml's round-trip loader (YAML 1.2) load ``text``?"""
    if len(text) <= REMEMBERED_EXCERPT:
        return _ruamel_accepts_remembered(text)
    return _ruamel_accepts(text)


@functools.lru_cache(maxsize=512)
def _ruamel_accepts_remembered(text: str) -> bool:
    return _ruamel_accepts(text)


def _ruamel_accepts(text: str) -> bool:
    import warnings

    from ruamel.yaml import YAML

    try:
        with warnings.catch_warnings():  # its YAML 1.1 warnings (a float like 1e+308) are not the user's business
            warnings.simplefilter("ignore")
            YAML(typ="rt").load(text)
    except Exception:  # any failure is a rejection (its comment handling can raise NotImplementedError)
        return False
    return True


def json_accepts(text: str) -> bool:
    """Does the standard library's JSON parser load ``text``?"""
    import json

    try:
        json.loads(text)
    except (ValueError, RecursionError):  # json.JSONDecodeError is a ValueError; so are over-long integers
        return False
    return True


def _key(finding: Finding) -> tuple[Any, ...]:
    return (finding.rule, finding.resource, finding.path)


def _choose(fixes: Sequence[Fix]) -> list[Fix]:
    """Identical fixes once; then those whose edits do not touch an edit already chosen and whose intended data
    changes do not meet a change already chosen (:class:`_Claims`). Where fixes compete for one place, the one
    writing more goes first (adding alias and preference together beats adding the alias alone), so related
    keys land together in their usual order. A fix left out waits for the next pass, which sees the chosen
    fixes' result: a key renamed to ``Type`` is not added again, and a list item's index is the new one.

    Linear in the number of edits and changes (up to a log): one fix object is often shared by many findings (a
    global addition), and "does it touch" is answered from the chosen ranges kept sorted and the chosen data
    paths kept in sets."""
    distinct = list({id(fix): fix for fix in fixes}.values())
    unique: dict[tuple[Edit, ...], Fix] = {}
    for fix in distinct:
        unique.setdefault(fix.edits, fix)
    chosen: list[Fix] = []
    taken = _Ranges()
    claims = _Claims()
    for fix in sorted(
        unique.values(), key=lambda f: (min(e.start for e in f.edits), -sum(len(e.content) for e in f.edits))
    ):
        ranges = sorted((e.start, e.end) for e in fix.edits)
        if any(_touch(a, b) for a, b in itertools.pairwise(ranges)) or any(taken.touches(r) for r in ranges):
            continue
        if claims.meets(fix.changes):
            continue
        chosen.append(fix)
        claims.add(fix.changes)
        for r in ranges:
            taken.add(r)
    return chosen


def _touch(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


class _Ranges:
    """Closed ranges that do not touch one another, sorted by start: whether a new range touches one of them
    is a binary search (two of them never overlap, so only the neighbours of its place can touch it)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ranges: list[tuple[int, int]] = []

    def touches(self, candidate: tuple[int, int]) -> bool:
        index = bisect.bisect_right(self.starts, candidate[1])
        return index > 0 and self.ranges[index - 1][1] >= candidate[0]

    def add(self, candidate: tuple[int, int]) -> None:
        index = bisect.bisect_right(self.starts, candidate[0])
        self.starts.insert(index, candidate[0])
        self.ranges.insert(index, candidate)


DataPath = tuple[Any, ...]


def _index(key: Any) -> int | None:
    """A list index in a data path (``bool`` keys of a map are no index)."""
    return key if type(key) is int else None


class _Claims:
    """The data paths the chosen fixes' intended changes touch, so that two fixes whose changes would not
    compose are not applied in one pass. Every change is stated against the data the pass starts from and the
    changes are applied one after the other, so two changes meet when:

    * one's path is the other's or lies below it (a key renamed to ``Type`` and ``Type`` added: a duplicate key;
      a map added and a key added inside it);
    * one removes or appends a list item at index ``i`` and the other names an item of that list at ``i`` or
      later (its index would be stale once the first is applied).

    Checks and additions cost the length of the paths (hashing prefixes), not the number of chosen fixes."""

    def __init__(self) -> None:
        self.paths: set[DataPath] = set()  # touched exactly (a rename touches the old and the new key)
        self.above: set[DataPath] = set()  # every proper prefix of a touched path
        self.shifts: dict[DataPath, int] = {}  # list -> the lowest index a removal or append moves
        self.highest: dict[DataPath, int] = {}  # list -> the highest index a touched path names in it

    @staticmethod
    def _touched(change: DataChange) -> Iterator[DataPath]:
        path = tuple(change.path)
        yield path
        if change.op == "rename" and path:
            yield path[:-1] + (change.value,)

    @staticmethod
    def _shift(change: DataChange) -> tuple[DataPath, int] | None:
        path = tuple(change.path)
        index = _index(path[-1]) if path else None
        if change.op in ("remove", "add") and index is not None:
            return path[:-1], index
        return None

    def meets(self, changes: Sequence[DataChange]) -> bool:
        for change in changes:
            for path in self._touched(change):
                if path in self.above:
                    return True
                for depth in range(1, len(path) + 1):
                    if path[:depth] in self.paths:
                        return True
                    index = _index(path[depth - 1])
                    if index is not None and index >= self.shifts.get(path[: depth - 1], index + 1):
                        return True
            shift = self._shift(change)
            if shift is not None and self.highest.get(shift[0], -1) >= shift[1]:
                return True
        return False

    def add(self, changes: Sequence[DataChange]) -> None:
        for change in changes:
            for path in self._touched(change):
                self.paths.add(path)
                for depth in range(len(path)):
                    self.above.add(path[:depth])
                    index = _index(path[depth])
                    if index is not None:
                        lst = path[:depth]
                        self.highest[lst] = max(self.highest.get(lst, index), index)
            shift = self._shift(change)
            if shift is not None:
                self.shifts[shift[0]] = min(self.shifts.get(shift[0], shift[1]), shift[1])


def changed_ranges(edits: Sequence[Edit]) -> list[tuple[int, int]]:
    """Where the text :func:`apply_edits` writes for ``edits`` lies in its result (start, end; an empty range
    where text was only removed)."""
    ranges = []
    shift = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        start = edit.start + shift
        ranges.append((start, start + len(edit.content)))
        shift += len(edit.content) - (edit.end - edit.start)
    return ranges


def compose_regions(regions: Sequence[Region], edits: Sequence[Edit]) -> list[Region]:
    """The regions where the text differs from the original after ``edits`` (in the current text's offsets,
    not overlapping) are applied to a text that differed from it in ``regions``. Regions and edits that
    overlap or touch merge into one region; one sweep over both, in order."""
    items = sorted(
        [(r[2], r[3], 0, r[1] - r[0] - (r[3] - r[2])) for r in regions]  # current span, kind, orig - current
        + [(e.start, e.end, 1, len(e.content) - (e.end - e.start)) for e in edits]  # current span, kind, new - current
    )
    composed: list[Region] = []
    to_original = 0  # original offset - current offset, before the group
    to_new = 0  # new offset - current offset, before the group
    index = 0
    while index < len(items):
        start, end = items[index][0], items[index][1]
        grow_original = grow_new = 0
        while index < len(items) and items[index][0] <= end:
            end = max(end, items[index][1])
            if items[index][2] == 0:
                grow_original += items[index][3]
            else:
                grow_new += items[index][3]
            index += 1
        composed.append(
            (start + to_original, end + to_original + grow_original, start + to_new, end + to_new + grow_new)
        )
        to_original += grow_original
        to_new += grow_new
    return composed


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """``text`` with ``edits`` (which do not overlap) applied, in one pass over the text."""
    pieces: list[str] = []
    position = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        pieces.append(text[position:edit.start])
        pieces.append(edit.content)
        position = max(position, edit.end)
    pieces.append(text[position:])
    return "".join(pieces)


def _verified(before: Document, new_text: str, changes: Sequence[DataChange], fixes: Sequence[Fix] = ()) -> Document:
    """The re-parsed fixed text, when its data is exactly the old data with the fixes' intended changes."""
    try:
        after = parse(before.path, new_text, before.bom)
    except DocumentError as error:
        reason = f"the fixed text does not parse ({error})"
        raise FixError(reason, write_report(before, new_text, reason, fixes)) from None
    expected = before.data()
    for change in _unique(changes):
        apply_change(expected, change)
    actual = after.data()
    if not strictly_equal(expected, actual):
        reason = "the fixed text does not hold exactly the intended change"
        raise FixError(reason, write_report(before, new_text, reason, fixes, expected, actual))
    return after


def write_report(
    before: Document,
    candidate: str,
    reason: str,
    fixes: Sequence[Fix] = (),
    expected: Any = None,
    actual: Any = None,
) -> str | None:
    """Write what the fixer refused to a temporary file (the original, the candidate text, the fixes, and the
    expected-vs-actual data diff) and return its path, so a user can attach it to a bug report."""
    import difflib
    import json

    def dump(data: Any) -> list[str]:
        return json.dumps(data, indent=2, sort_keys=True, default=repr, ensure_ascii=False).splitlines(keepends=True)

    parts = [
        f"sam-shift-lint {__version__} refused to write a fix to {before.path}: {reason}\n\n",
        "Fixes applied in this pass:\n",
        *(f"  - [{fix.applicability.value}] {fix.description}\n" for fix in fixes),
    ]
    if expected is not None or actual is not None:
        parts.append("\nExpected data (original plus the intended changes) vs. the data of the candidate text:\n")
        parts.extend(difflib.unified_diff(dump(expected), dump(actual), "expected", "candidate"))
    parts.append("\nCandidate text vs. the original:\n")
    parts.extend(
        difflib.unified_diff(
            before.text.splitlines(keepends=True), candidate.splitlines(keepends=True), "original", "candidate"
        )
    )
    parts += ["\n--- original text ---\n", before.text, "\n--- candidate text ---\n", candidate]
    try:
        handle, path = tempfile.mkstemp(prefix="sam-shift-lint-refused-", suffix=".log")
        with os.fdopen(handle, "w", encoding="utf-8", errors="replace") as stream:
            stream.write("".join(parts))
    except OSError:
        return None
    return path


def _unique(changes: Sequence[DataChange]) -> list[DataChange]:
    """Each intended change once (several findings may share one fix), keeping the first's place."""
    seen: dict[tuple[Any, ...], DataChange] = {}
    for change in changes:
        seen.setdefault((change.op, change.path, _hashable(change.value)), change)
    return list(seen.values())


def _hashable(value: Any) -> Any:
    """``value`` as a hashable key that is equal exactly when the values are (``==``, so ``1 == True``)."""
    if isinstance(value, dict):
        return frozenset((key, _hashable(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(item) for item in value)
    return value


def apply_change(data: Any, change: DataChange) -> None:
    """Apply one intended change to plain data (creating missing maps on the way for ``add``). In a list an
    integer key indexes an item; ``add`` at the list's length appends; ``remove`` deletes a list item (several
    removals from one list are listed from the highest index down)."""
    node = data
    for key in change.path[:-1]:
        if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            node = node[key]
            continue
        if not isinstance(node, dict):
            raise FixError(f"intended change at {change.path} crosses a non-map")
        node = node.setdefault(key, {}) if change.op == "add" else node[key]
    last = change.path[-1]
    if isinstance(node, list) and isinstance(last, int):
        if change.op == "remove" and 0 <= last < len(node):
            del node[last]
        elif change.op == "add" and last == len(node):
            node.append(copy.deepcopy(change.value))
        elif change.op == "replace" and 0 <= last < len(node):
            node[last] = copy.deepcopy(change.value)
        else:
            raise FixError(f"intended change at {change.path} is outside the list")
        return
    if not isinstance(node, dict) or change.op == "remove":
        raise FixError(f"intended change at {change.path} targets a non-map")
    if change.op == "rename":
        _rename(node, last, change.value, change.path)
        return
    if change.op == "add" and last in node:
        raise FixError(f"intended addition {change.path} already exists")
    if change.op == "replace" and last not in node:
        raise FixError(f"intended replacement {change.path} does not exist")
    node[last] = copy.deepcopy(change.value)


def _rename(node: dict[Any, Any], old: Any, new: Any, path: tuple[Any, ...]) -> None:
    """Rename key ``old`` to ``new`` keeping the order of the keys."""
    if old not in node or new in node:
        raise FixError(f"intended rename {path} -> {new!r} does not fit the data")
    items = [(new if key == old else key, value) for key, value in node.items()]
    node.clear()
    node.update(items)


def strictly_equal(a: Any, b: Any) -> bool:
    """Equality that also tells ``True`` from ``1`` and ``1`` from ``1.0``, and holds for NaN (``.nan``,
    ``.NaN``, ``!!float -.nan``: a value that is not equal to itself is still the value the file held)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and a != a:
        return bool(b != b)
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(strictly_equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(strictly_equal(x, y) for x, y in zip(a, b))
    return bool(a == b)


# ---------------------------------------------------------------------------------------------- writing


def check_writable(path: str) -> None:
    """Refuse what cannot be replaced safely: symlinks, read-only files, special files.

    Read-only is judged by the mode bits too, because root may write anything: a file its owner cannot
    write (or, for another owner's file, nobody may write) is left alone."""
    if os.path.islink(path):
        raise NotWritable("it is a symbolic link (fix the file it points to instead)")
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise NotWritable("it is not a regular file")
    if info.st_uid == os.geteuid():
        writable = bool(info.st_mode & stat.S_IWUSR)
    else:
        writable = bool(info.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    if not writable or not os.access(path, os.W_OK):
        raise NotWritable("the file is read-only")
    if not os.access(os.path.dirname(os.path.abspath(path)) or ".", os.W_OK):
        raise NotWritable("its directory is not writable")


def encode(document: Document, text: str) -> bytes:
    """The bytes of a file's (new) text: UTF-8, after the byte order marks the file started with."""
    return b"\xef\xbb\xbf" * document.bom + text.encode("utf-8")


def write_atomically(path: str, data: bytes) -> None:
    """Write to a temporary file beside ``path``, keep the mode, then rename over it: a reader sees the old
    file or the new one, never a part. Not fsync'ed (as black and ruff do not): waiting for the disk once per
    file cost more than fixing (about 5 ms a file, 7 s for the 1,460 files the test corpus changes)."""
    from sam_shift_lint.held_signals import signals_held  # signal: not imported by a run that writes nothing

    directory = os.path.dirname(os.path.abspath(path))
    info = os.stat(path)
    mode = stat.S_IMODE(info.st_mode)
    with signals_held():  # Ctrl-C (SIGTERM in a worker) waits until the file is whole and the temporary gone
        handle, temporary = tempfile.mkstemp(prefix=".sam-shift-lint-", dir=directory)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            os.chmod(temporary, mode)
            if hasattr(os, "chown") and (info.st_uid, info.st_gid) != (os.geteuid(), os.getegid()):
                try:  # keep the owner too, where allowed (root fixing someone else's file)
                    os.chown(temporary, info.st_uid, info.st_gid)
                except OSError:
                    pass
            os.replace(temporary, path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
