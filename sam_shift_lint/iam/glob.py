"""Wildcard patterns over strings: matching, overlap and containment.

A pattern is a tuple of tokens: a one-character ``str`` (a literal), ``STAR`` (any string, also empty),
``ANY`` (exactly one character) or a :class:`Symbol` (one fixed but unknown string, e.g. the deploy
region). A ``*`` spans every character, ``:`` and ``/`` included.

Symbols are opaque. A literal or ``?`` never matches a symbol, only the same symbol or a ``*`` does, so
every "yes" of :func:`covers` and :func:`overlaps` holds for *every* value the symbols may take
(for :func:`covers` with ``within`` groups: every value without ``:``). The ``loose`` variants answer
"could this hold for *some* values of the symbols?" instead.

Patterns come from untrusted policies and templates, so no operation may take exponential time (as a
regular expression with one ``.*`` per ``*`` does under backtracking). Every operation first collapses runs
of ``*`` (:func:`normalize`); then, with n the text length and m the pattern length:

* :func:`matches`: O(n + m) for patterns without ``?``. The segments between ``*`` are placed greedily,
  leftmost first, each once: no backtracking. A segment with a ``?`` is found by a regular expression of
  literals and fixed counts only (no ``*``, ``+`` or alternatives), O(n * segment) at worst.
* :func:`overlaps`: O(n + m) when both patterns have a ``*`` (compare the prefixes before the first and
  the suffixes after the last ``*``); otherwise the pattern without ``*`` is matched like a text, as above.
* :func:`covers`: language containment of a union of patterns, decided by exploring the required pattern
  against the subset construction of the others. That problem is hard in general (exponential for
  ``*a???...``), so the exploration is kept small (only the characters a counterexample needs, states
  dominated by a later ``*`` dropped) and bounded: by :data:`QUESTION_STEPS` steps per question, or by a
  :class:`WorkLimit` shared by many questions (one file's); a question needing more raises
  :class:`TooComplex` (the IAM evaluation reports it as unknown).
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from sam_shift_lint.memo import small_key_cache
from sam_shift_lint.records import record


@record(frozen=True)
class Symbol:
    """A placeholder for one concrete string not known yet (``${AWS::Region}``, ``${Param}``)."""

    name: str

    def __str__(self) -> str:
        return f"${{{self.name}}}"


@record(frozen=True)
class Wild:
    """A wildcard token: ``*`` or ``?``."""

    char: str

    def __str__(self) -> str:
        return self.char


# Patterns longer than this (in tokens) are compiled and compared each time, not remembered: the caches' keys
# come from untrusted policies, and a long-lived process must not keep thousands of huge ones (memo.py).
MAX_CACHED_TOKENS = 256
STAR = Wild("*")
ANY = Wild("?")

Token = str | Symbol | Wild
Tokens = tuple[Token, ...]


class TooComplex(Exception):
    """A :func:`covers` question needs more work than it may take (adversarial wildcard patterns)."""


class _Other:
    """Stands for every concrete character that no pattern in a question names literally."""

    def __repr__(self) -> str:
        return "<other>"

    def __str__(self) -> str:
        return "<other>"


_OTHER = _Other()
_Char = str | Symbol | _Other


def from_glob(text: str) -> Tokens:
    """Tokens for ``text`` where ``*`` and ``?`` are wildcards and everything else is literal."""
    return tuple(STAR if c == "*" else ANY if c == "?" else c for c in text)


def render(tokens: Tokens) -> str:
    """The pattern as text (symbols as ``${Name}``)."""
    return "".join(str(t) for t in tokens)


def symbols_of(tokens: Tokens) -> frozenset[Symbol]:
    """The symbols a pattern mentions."""
    return frozenset(t for t in tokens if isinstance(t, Symbol))


@small_key_cache(maxsize=8192, max_weight=MAX_CACHED_TOKENS)
def loosen(tokens: Tokens) -> Tokens:
    """The pattern with every symbol replaced by ``*`` (matches what any value of the symbols could)."""
    return tuple(STAR if isinstance(t, Symbol) else t for t in tokens)


@small_key_cache(maxsize=8192, max_weight=MAX_CACHED_TOKENS)
def normalize(tokens: Tokens) -> Tokens:
    """The same pattern with each run of ``*`` collapsed to one (``a***b`` -> ``a*b``). O(m).

    (``*?`` and ``?*`` are not interchangeable: ``?`` never matches a symbol, and a symbol may precede or
    follow it.)"""
    out: list[Token] = []
    for t in tokens:
        if not (t == STAR and out and out[-1] == STAR):
            out.append(t)
    return tokens if len(out) == len(tokens) else tuple(out)


# --- matching: segments placed greedily ----------------------------------------------------------------


@record(frozen=True)
class _Part:
    """A run of tokens without ``*``: fixed width; a plain ``str`` when it has only literals (and no case
    folding or markers are needed), else a regular expression without repetition."""

    width: int
    text: str | None = None
    regex: re.Pattern[str] | None = None

    def at(self, subject: str, pos: int) -> bool:
        if self.text is not None:
            return subject.startswith(self.text, pos)
        assert self.regex is not None
        return self.regex.match(subject, pos, pos + self.width) is not None

    def find(self, subject: str, pos: int, end: int) -> int:
        """The leftmost start >= pos where the part fits before ``end``, or -1."""
        if self.text is not None:
            return subject.find(self.text, pos, end)
        assert self.regex is not None
        found = self.regex.search(subject, pos, end)
        return -1 if found is None else found.start()


_NEVER = re.compile("(?!)")


@record(frozen=True)
class _Markers:
    """How ``?`` and symbols of a pattern used as the *text* of an overlap question are written in it:
    ``any`` for its ``?``, one character per symbol (none of them a literal of either pattern)."""

    any: str
    symbols: tuple[tuple[Symbol, str], ...]


def _part(tokens: Sequence[Token], ignore_case: bool, markers: _Markers | None) -> _Part:
    if markers is None and not ignore_case and all(isinstance(t, str) for t in tokens):
        return _Part(len(tokens), text="".join(t for t in tokens if isinstance(t, str)))
    return _Part(len(tokens), regex=_part_regex(tuple(tokens), ignore_case, markers))


@small_key_cache(maxsize=4096, max_weight=MAX_CACHED_TOKENS)
def _part_regex(tokens: Tokens, ignore_case: bool, markers: _Markers | None) -> re.Pattern[str]:
    """A regular expression for fixed-width tokens: literals, ``.`` (or a class) and ``{k}`` counts only,
    so a match attempt costs O(width) and a search O(text * width), never more."""
    symbol_chars = dict(markers.symbols) if markers else {}
    excluded = "".join(re.escape(c) for c in symbol_chars.values())
    any_char = f"[^{excluded}]" if excluded else "."
    pieces: list[str] = []
    index = 0
    while index < len(tokens):
        t = tokens[index]
        if t == ANY:
            run = index
            while run < len(tokens) and tokens[run] == ANY:
                run += 1
            pieces.append(any_char if run - index == 1 else f"{any_char}{{{run - index}}}")
            index = run
            continue
        if isinstance(t, Symbol):
            if t not in symbol_chars:
                return _NEVER  # a symbol matches only itself (or a *): nothing in this text
            pieces.append(re.escape(symbol_chars[t]))
        elif markers is not None:
            pieces.append(f"[{re.escape(str(t))}{re.escape(markers.any)}]")
        else:
            pieces.append(re.escape(str(t)))
        index += 1
    return re.compile("".join(pieces), re.DOTALL | (re.IGNORECASE if ignore_case else 0))


@record(frozen=True)
class Matcher:
    """A compiled pattern: ``head * middle[0] * ... * tail`` (``tail`` None: the pattern has no ``*``)."""

    head: _Part
    middle: tuple[_Part, ...]
    tail: _Part | None
    minimum: int  # the shortest text it can match
    never: bool = False

    def __call__(self, text: str) -> bool:
        """Does ``text`` match? O(len(text) + pattern) for literal segments (see the module docstring)."""
        n = len(text)
        if self.never or n < self.minimum:
            return False
        if self.tail is None:
            return n == self.head.width and self.head.at(text, 0)
        if not self.head.at(text, 0):
            return False
        end = n - self.tail.width
        if not self.tail.at(text, end):
            return False
        pos = self.head.width
        for part in self.middle:
            found = part.find(text, pos, end)
            if found < 0:
                return False
            pos = found + part.width
        return True


def _compile(tokens: Tokens, ignore_case: bool = False, markers: _Markers | None = None) -> Matcher:
    tokens = normalize(tokens)
    segments: list[list[Token]] = [[]]
    for t in tokens:
        if t == STAR:
            segments.append([])
        else:
            segments[-1].append(t)
    parts = [_part(s, ignore_case, markers) for s in segments]
    minimum = sum(p.width for p in parts)
    never = markers is None and any(isinstance(t, Symbol) for t in tokens)  # no concrete text holds a symbol
    if len(parts) == 1:
        return Matcher(parts[0], (), None, minimum, never)
    return Matcher(parts[0], tuple(parts[1:-1]), parts[-1], minimum, never)


@small_key_cache(maxsize=4096, max_weight=MAX_CACHED_TOKENS)
def compile_pattern(tokens: Tokens, ignore_case: bool = False) -> Matcher:
    """The matcher for ``tokens`` over concrete text (a pattern with a symbol matches none). Compile once
    to match many texts."""
    return _compile(tokens, ignore_case)


def matches(tokens: Tokens, text: str, ignore_case: bool = False) -> bool:
    """Does the concrete ``text`` match? A pattern with a symbol matches no concrete text."""
    return compile_pattern(tokens, ignore_case)(text)


# --- overlap --------------------------------------------------------------------------------------------


def _compatible(a: Token, b: Token) -> bool:
    """Can one character be produced by both non-star tokens ``a`` and ``b``?"""
    if isinstance(a, Symbol) or isinstance(b, Symbol):
        return a == b
    return ANY in (a, b) or a == b


def _free_chars(used: set[str], count: int) -> list[str]:
    """``count`` characters not in ``used`` (private-use code points first)."""
    out: list[str] = []
    code = 0xE000
    while len(out) < count:
        c = chr(code)
        if c not in used:
            out.append(c)
        code = code + 1 if code < 0x10FFFF else 0x80
    return out


def _as_text(pattern: Tokens, text: Tokens) -> bool:
    """Does ``pattern`` match some string ``text`` (no ``*``; ``?`` any character, symbols opaque) produces?"""
    if not any(isinstance(t, (Symbol, Wild)) for t in text):
        return matches(pattern, "".join(t for t in text if isinstance(t, str)))
    literals = {t for t in (*pattern, *text) if isinstance(t, str)}
    symbols = sorted(symbols_of(text), key=lambda s: s.name)
    chars = _free_chars(literals, len(symbols) + 1)
    markers = _Markers(chars[0], tuple(zip(symbols, chars[1:])))
    table = dict(markers.symbols)
    subject = "".join(markers.any if t == ANY else table[t] if isinstance(t, Symbol) else str(t) for t in text)
    return _compile(pattern, markers=markers)(subject)


@small_key_cache(maxsize=16384, max_weight=2 * MAX_CACHED_TOKENS)
def overlaps(a: Tokens, b: Tokens) -> bool:
    """Is some string matched by both patterns, whatever values the symbols take?

    O(|a| + |b|) when both have a ``*``: then they overlap exactly when the parts before their first ``*``
    agree where both are defined, and so do the parts after their last ``*`` (a string made of the longer
    prefix, every middle segment of both, and the longer suffix matches both). Otherwise the one without
    ``*`` is a fixed-width text for the other (see :func:`matches`).
    """
    a, b = normalize(a), normalize(b)
    a_star, b_star = STAR in a, STAR in b
    if not a_star:
        return _as_text(b, a)
    if not b_star:
        return _as_text(a, b)
    a_head, b_head = a[: a.index(STAR)], b[: b.index(STAR)]
    a_tail, b_tail = a[len(a) - a[::-1].index(STAR) :], b[len(b) - b[::-1].index(STAR) :]
    if not all(_compatible(x, y) for x, y in zip(a_head, b_head)):
        return False
    return all(_compatible(x, y) for x, y in zip(reversed(a_tail), reversed(b_tail)))


def overlaps_loose(a: Tokens, b: Tokens) -> bool:
    """Could some string match both patterns for some values of the symbols?"""
    return overlaps(loosen(a), loosen(b))


# --- containment -----------------------------------------------------------------------------------

QUESTION_STEPS = 100_000
"""The most automaton steps (state entries moved over one character) one :func:`covers` question may take
when no :class:`WorkLimit` is given. Real policies need a few hundred."""

FREE_STEPS = 2_000
"""Steps a question may take without drawing on its :class:`WorkLimit`."""

SHARED_STEPS = 400_000
"""The steps beyond :data:`FREE_STEPS` that the questions sharing one :class:`WorkLimit` may take together."""


class WorkLimit:
    """A work allowance shared by many :func:`covers` questions (the IAM checks use one per file), so that
    a file full of adversarial patterns costs at most about ``questions * FREE_STEPS + steps``.

    What a question costs does not depend on what was asked before (answers are cached with their cost), so
    the same file always gets the same answers."""

    def __init__(self, steps: int = SHARED_STEPS) -> None:
        self.left = steps

    def cap(self) -> int:
        """The most steps the next question may take."""
        return FREE_STEPS + max(self.left, 0)

    def charge(self, cost: int) -> None:
        self.left -= max(cost - FREE_STEPS, 0)


_State = frozenset[tuple[int, int]]  # (pattern number, position)


class _Steps:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0

    def spend(self, amount: int) -> None:
        self.used += amount
        if self.used > self.limit:
            raise TooComplex


def _closure(patterns: Sequence[Tokens], states: Iterable[tuple[int, int]]) -> _State:
    """The states with the ``*`` skipped (normalized patterns: one step), without the positions of a pattern
    before a ``*`` it has reached: whatever can follow them can follow the ``*`` too."""
    out: set[tuple[int, int]] = set()
    stars: dict[int, int] = {}
    for k, i in states:
        out.add((k, i))
        tokens = patterns[k]
        if i < len(tokens) and tokens[i] == STAR:
            out.add((k, i + 1))
            if i > stars.get(k, -1):
                stars[k] = i
    if stars:
        return frozenset((k, i) for k, i in out if i >= stars.get(k, -1))
    return frozenset(out)


SEPARATOR = ":"


def _step(patterns: Sequence[Tokens], states: _State, char: _Char, jump: bool, steps: _Steps) -> _State:
    """Move every state over one character.

    ``jump``: a symbol character may stand for any run of tokens that does not cross a literal ``:``
    (a symbol's value stays inside one ARN segment).
    """
    steps.spend(len(states) + 1)
    nxt: list[tuple[int, int]] = []
    for k, i in states:
        tokens = patterns[k]
        if jump and isinstance(char, Symbol):
            for n in range(i, len(tokens) + 1):
                nxt.append((k, n))
                if n < len(tokens) and tokens[n] == SEPARATOR:
                    break
            steps.spend(n - i)
            continue
        if i == len(tokens):
            continue
        t = tokens[i]
        if t == STAR:
            nxt.append((k, i))
        elif t == ANY:
            if not isinstance(char, Symbol):
                nxt.append((k, i + 1))
        elif t == char:
            nxt.append((k, i + 1))
    return _closure(patterns, nxt)


def _accepts(patterns: Sequence[Tokens], states: _State) -> bool:
    return any(i == len(patterns[k]) for k, i in states)


def _accepts_everything(patterns: Sequence[Tokens], states: _State) -> bool:
    # normalized: only a final * accepts every continuation
    return any(i == len(patterns[k]) - 1 and patterns[k][i] == STAR for k, i in states)


def _required_moves(required: Tokens, j: int, concrete: Sequence[_Char]) -> list[tuple[_Char, int]]:
    """The characters ``required`` can produce at position ``j`` (wildcards: concrete ones only)."""
    t = required[j]
    if t == STAR:
        return [(c, j) for c in concrete]
    if isinstance(t, Wild):
        return [(c, j + 1) for c in concrete]
    return [(t, j + 1)]


def _required_closure(required: Tokens, j: int) -> list[int]:
    if j < len(required) and required[j] == STAR:
        return [j, j + 1]
    return [j]


def covers(
    include: tuple[Tokens, ...],
    required: Tokens,
    within: tuple[tuple[Tokens, ...], ...] = (),
    loose: bool = False,
    work: WorkLimit | None = None,
) -> bool:
    """Does every string matching ``required`` (and some pattern of each group in ``within``) match one
    of ``include``, whatever values the symbols of ``required`` take?

    ``within`` restricts the question (used for NotResource: a string inside a group is excluded from
    what a NotResource statement reaches). Its groups are over-approximated so that the answer stays
    safe: their own symbols read as ``*``, and a symbol of ``required`` may stand for any run of their
    tokens within one ARN segment. This assumes that the symbols of ``required`` stand for text
    without ``:`` (a region, an account, a partition, a name).

    ``loose=True`` asks instead whether it is covered for *some* values of the symbols: ``include`` is
    over-approximated the way ``within`` was, and ``within`` is read strictly. It is a heuristic, used
    only to tell "unknown" from "not granted".

    Raises :class:`TooComplex` when deciding needs more steps than :data:`QUESTION_STEPS`, or than ``work``
    has left (never for a ``required`` pattern without wildcards and symbols, or an ``include`` with ``*``:
    those need no search).
    """
    question = _prepare(include, required, within, loose)
    if isinstance(question, bool):
        return question
    cap = QUESTION_STEPS if work is None else work.cap()
    answer, cost = _search_cached(question, cap)
    if work is not None:
        work.charge(cost)
    if answer is None:
        raise TooComplex(f"containment of {len(include)} pattern(s) needs more than {cap} steps")
    return answer


_Question = tuple[tuple[Tokens, ...], Tokens, tuple[tuple[Tokens, ...], ...], bool]


def _question_weight(include: tuple[Tokens, ...], required: Tokens, within: tuple[tuple[Tokens, ...], ...], loose: bool) -> int:
    return sum(map(len, include)) + len(required) + sum(len(p) for group in within for p in group)


@small_key_cache(maxsize=2048, max_weight=8 * MAX_CACHED_TOKENS, weigh=_question_weight)
def _prepare(
    include: tuple[Tokens, ...], required: Tokens, within: tuple[tuple[Tokens, ...], ...], loose: bool
) -> _Question | bool:
    """The question normalized, or its answer when no search is needed."""
    if loose:
        include = tuple(loosen(p) for p in include)
    else:
        within = tuple(tuple(loosen(p) for p in group) for group in within)
    include = tuple(normalize(p) for p in include)
    within = tuple(tuple(normalize(p) for p in group) for group in within if (STAR,) not in group)
    required = normalize(required)
    if (STAR,) in include:
        return True
    text = "".join(t for t in required if isinstance(t, str))
    if len(text) == len(required):
        return _covers_text(text, include, within)
    return include, required, within, loose


_searched: dict[_Question, tuple[bool | None, int]] = {}


def _search_cached(question: _Question, cap: int) -> tuple[bool | None, int]:
    """:func:`_search` remembered: an answer found in ``cost`` steps holds for every cap >= cost; "too
    complex" found with cap c holds for every cap <= c."""
    known = _searched.get(question)
    if known is not None:
        answer, cost = known
        if answer is not None and cost <= cap:
            return known
        if answer is not None or cost >= cap:
            return None, cap
    result = _search(question, cap)
    if len(_searched) > 65536:
        _searched.clear()
    _searched[question] = result
    return result


def _search(question: _Question, cap: int) -> tuple[bool | None, int]:
    """(the answer, or None when more than ``cap`` steps are needed; the steps taken). With ``within``, the
    question without it is asked first: what is covered without the restriction is covered with it, and
    that search is the small one (see :func:`_explore`)."""
    include, required, within, loose = question
    if not within:
        return _explore(question, cap)
    plain, cost = _explore((include, required, (), loose), cap)
    if plain is not False:
        return plain, cost
    answer, more = _explore(question, cap - cost)
    return answer, cost + more


def _explore(question: _Question, cap: int) -> tuple[bool | None, int]:
    """Explore ``required`` (an NFA) against the subset construction of ``include`` and each group, looking
    for a string in ``required`` that no include pattern accepts.

    The characters ``required`` leaves open (its ``*`` and ``?``) need only be one "other" character and
    those the groups name: if a string with some other concrete character there is not covered, neither is
    the one with "other" in its place (only a ``*`` or ``?`` of a pattern can match "other", and those match
    anything concrete), and it stays inside the groups. So without groups the search follows one path per
    required position, however many ``?`` the include patterns hold. O(steps), at most ``cap``.
    """
    include, required, within, loose = question
    chars: set[_Char] = {_OTHER}
    for group in within:
        for tokens in group:
            chars.update(t for t in tokens if isinstance(t, str))
    concrete = sorted(chars, key=str)

    steps = _Steps(cap)
    try:
        inc0 = _closure(include, ((k, 0) for k in range(len(include))))
        groups0 = tuple(_closure(g, ((k, 0) for k in range(len(g)))) for g in within)
        seen: set[tuple[int, _State, tuple[_State, ...]]] = set()
        stack = [(j, inc0, groups0) for j in _required_closure(required, 0)]
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            j, inc, groups = node
            if _accepts_everything(include, inc) or any(not g for g in groups):
                continue
            if j == len(required):
                if not _accepts(include, inc) and all(_accepts(within[n], g) for n, g in enumerate(groups)):
                    return False, steps.used
                continue
            for char, nj in _required_moves(required, j, concrete):
                ninc = _step(include, inc, char, loose, steps)
                ngroups = tuple(_step(within[n], g, char, not loose, steps) for n, g in enumerate(groups))
                stack.extend((jj, ninc, ngroups) for jj in _required_closure(required, nj))
    except TooComplex:
        return None, cap
    return True, steps.used


def _covers_text(text: str, include: Sequence[Tokens], within: Sequence[Sequence[Tokens]]) -> bool:
    """:func:`covers` for a required pattern without wildcards or symbols: one string to check."""
    if not all(any(matches(p, text) for p in group) for group in within):
        return True
    return any(matches(p, text) for p in include)
