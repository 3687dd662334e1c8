"""The wildcard algebra as it was before issue 9, kept as the reference the tests compare with on small
inputs: ``matches`` is the plain regular-expression translation (``*`` -> ``.*``, ``?`` -> ``.``, as fnmatch
does), ``overlaps`` walks every pair of positions, ``covers`` runs the full subset construction over every
character the patterns name. All three are exponential or quadratic on adversarial patterns: never use them
outside tests, and only on short patterns."""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from sam_shift_lint.iam.glob import ANY, STAR, Symbol, Token, Tokens, Wild


class _Other:
    """Stands for every concrete character that no pattern in a question names literally."""

    def __repr__(self) -> str:
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


def loosen(tokens: Tokens) -> Tokens:
    """The pattern with every symbol replaced by ``*`` (matches what any value of the symbols could)."""
    return tuple(STAR if isinstance(t, Symbol) else t for t in tokens)


@lru_cache(maxsize=4096)
def _regex(tokens: Tokens, ignore_case: bool) -> re.Pattern[str] | None:
    if any(isinstance(t, Symbol) for t in tokens):
        return None
    parts = [".*" if t == STAR else "." if t == ANY else re.escape(str(t)) for t in tokens]
    return re.compile("".join(parts), re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def matches(tokens: Tokens, text: str, ignore_case: bool = False) -> bool:
    """Does the concrete ``text`` match? A pattern with a symbol matches no concrete text."""
    regex = _regex(tokens, ignore_case)
    return regex is not None and regex.fullmatch(text) is not None


def _step_one(a: Token, b: Token) -> bool:
    """Can one character be produced by both non-star tokens ``a`` and ``b``?"""
    if isinstance(a, Symbol) or isinstance(b, Symbol):
        return a == b
    return ANY in (a, b) or a == b


@lru_cache(maxsize=65536)
def overlaps(a: Tokens, b: Tokens) -> bool:
    """Is some string matched by both patterns, whatever values the symbols take?"""
    seen: set[tuple[int, int]] = set()
    stack = [(0, 0)]
    while stack:
        i, j = stack.pop()
        if (i, j) in seen:
            continue
        seen.add((i, j))
        if i == len(a) and j == len(b):
            return True
        ta = a[i] if i < len(a) else None
        tb = b[j] if j < len(b) else None
        if ta == STAR:
            stack.append((i + 1, j))
            if tb is not None and tb != STAR:
                stack.append((i, j + 1))
        if tb == STAR:
            stack.append((i, j + 1))
            if ta is not None and ta != STAR:
                stack.append((i + 1, j))
        if ta is not None and tb is not None and ta != STAR and tb != STAR and _step_one(ta, tb):
            stack.append((i + 1, j + 1))
    return False


def overlaps_loose(a: Tokens, b: Tokens) -> bool:
    """Could some string match both patterns for some values of the symbols?"""
    return overlaps(loosen(a), loosen(b))


# --- containment -----------------------------------------------------------------------------------

_State = frozenset[tuple[int, int]]  # (pattern number, position)


def _closure(patterns: Sequence[Tokens], states: Iterable[tuple[int, int]]) -> _State:
    out: set[tuple[int, int]] = set()
    todo = list(states)
    while todo:
        k, i = todo.pop()
        if (k, i) in out:
            continue
        out.add((k, i))
        if i < len(patterns[k]) and patterns[k][i] == STAR:
            todo.append((k, i + 1))
    return frozenset(out)


SEPARATOR = ":"


def _step(patterns: Sequence[Tokens], states: _State, char: _Char, jump: bool) -> _State:
    """Move every state over one character.

    ``jump``: a symbol character may stand for any run of tokens that does not cross a literal ``:``
    (a symbol's value stays inside one ARN segment).
    """
    nxt: list[tuple[int, int]] = []
    for k, i in states:
        tokens = patterns[k]
        if jump and isinstance(char, Symbol):
            for n in range(i, len(tokens) + 1):
                nxt.append((k, n))
                if n < len(tokens) and tokens[n] == SEPARATOR:
                    break
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
    return any(i < len(patterns[k]) and all(t == STAR for t in patterns[k][i:]) for k, i in states)


def _required_moves(required: Tokens, j: int, concrete: Sequence[_Char]) -> list[tuple[_Char, int]]:
    """The characters ``required`` can produce at position ``j`` (wildcards: concrete ones only)."""
    t = required[j]
    if t == STAR:
        return [(c, j) for c in concrete]
    if isinstance(t, Wild):
        return [(c, j + 1) for c in concrete]
    return [(t, j + 1)]


def _required_closure(required: Tokens, j: int) -> list[int]:
    out = [j]
    while j < len(required) and required[j] == STAR:
        j += 1
        out.append(j)
    return out


@lru_cache(maxsize=65536)
def covers(
    include: tuple[Tokens, ...],
    required: Tokens,
    within: tuple[tuple[Tokens, ...], ...] = (),
    loose: bool = False,
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

    The check explores ``required`` (an NFA) against the subset construction of ``include`` and each
    group, over the characters the patterns name plus one "other" character, looking for a string in
    ``required`` that no include pattern accepts.
    """
    if loose:
        include = tuple(loosen(p) for p in include)
    else:
        within = tuple(tuple(loosen(p) for p in group) for group in within)
    text = "".join(t for t in required if isinstance(t, str))
    if len(text) == len(required):
        return _covers_text(text, include, within)
    chars: set[_Char] = {_OTHER}
    for tokens in (required, *include, *(p for group in within for p in group)):
        chars.update(t for t in tokens if isinstance(t, str))
    concrete = sorted(chars, key=str)

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
                return False
            continue
        for char, nj in _required_moves(required, j, concrete):
            ninc = _step(include, inc, char, loose)
            ngroups = tuple(_step(within[n], g, char, not loose) for n, g in enumerate(groups))
            stack.extend((jj, ninc, ngroups) for jj in _required_closure(required, nj))
    return True


def _covers_text(text: str, include: Sequence[Tokens], within: Sequence[Sequence[Tokens]]) -> bool:
    """:func:`covers` for a required pattern without wildcards or symbols: one string to check."""
    if not all(any(matches(p, text) for p in group) for group in within):
        return True
    return any(matches(p, text) for p in include)
