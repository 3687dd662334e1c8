"""IAM matching semantics on top of :mod:`.glob`.

Actions match case-insensitively, ``*`` and ``?`` anywhere. Resources match case-sensitively; a ``*``
spans any characters, ``:`` and ``/`` included (``function:*`` matches ``function:f:live``). Resource
arguments given as ``str`` are read with :func:`~.pattern.parse_template`, so ``${AWS::Region}`` is a
symbol there.

"Covers" is containment: every string matching the required pattern matches the policy pattern(s).
"Overlaps" means some string matches both, whatever the symbols stand for; "may overlap" means it
could for some values of the symbols.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from sam_shift_lint.iam import glob
from sam_shift_lint.iam.pattern import Pattern, parse_template

PatternLike = Pattern | str


@lru_cache(maxsize=8192)
def _action(pattern: str) -> glob.Tokens:
    return glob.from_glob(pattern.lower())


def _resource(pattern: PatternLike) -> glob.Tokens:
    return (parse_template(pattern) if isinstance(pattern, str) else pattern).tokens


def _many(patterns: PatternLike | Sequence[PatternLike]) -> tuple[glob.Tokens, ...]:
    if isinstance(patterns, (str, Pattern)):
        return (_resource(patterns),)
    return tuple(_resource(p) for p in patterns)


def action_matches(pattern: str, action: str) -> bool:
    """Does the action pattern match the concrete action name?"""
    return glob.matches(_action(pattern), action.lower())


def action_covers(patterns: str | Sequence[str], required: str, work: glob.WorkLimit | None = None) -> bool:
    """Does every action matching ``required`` (itself possibly a wildcard) match one of ``patterns``?
    (Raises :class:`.glob.TooComplex` when that takes more than ``work`` allows.)"""
    names = (patterns,) if isinstance(patterns, str) else tuple(patterns)
    return glob.covers(tuple(_action(p) for p in names), _action(required), work=work)


def action_overlaps(pattern: str, required: str) -> bool:
    """Can some action name match both patterns?"""
    return glob.overlaps(_action(pattern), _action(required))


def resource_matches(pattern: PatternLike, arn: str) -> bool:
    """Does the pattern match the concrete ARN (a pattern with an unbound symbol matches nothing)?"""
    return glob.matches(_resource(pattern), arn)


def resource_covers(
    patterns: PatternLike | Sequence[PatternLike],
    required: PatternLike,
    within: Sequence[Sequence[PatternLike]] = (),
    loose: bool = False,
    work: glob.WorkLimit | None = None,
) -> bool:
    """Does every resource matching ``required`` match one of ``patterns``, for all symbol values?

    ``within``: only resources matching some pattern of every group count (see :func:`.glob.covers`).
    ``loose``: answer whether it holds for *some* values of the symbols (an over-approximation).
    Raises :class:`.glob.TooComplex` when that takes more than ``work`` allows.
    """
    groups = tuple(_many(g) for g in within)
    return glob.covers(_many(patterns), _resource(required), groups, loose, work)


def resource_overlaps(pattern: PatternLike, required: PatternLike) -> bool:
    """Does some resource match both, for all symbol values?"""
    return glob.overlaps(_resource(pattern), _resource(required))


def resource_may_overlap(pattern: PatternLike, required: PatternLike) -> bool:
    """Could some resource match both, for some symbol values?"""
    return glob.overlaps_loose(_resource(pattern), _resource(required))
