"""``small_key_cache``: an LRU cache that remembers only calls with small arguments.

Why: a long-lived process (the language server, a fuzzer's worker) keeps its caches for hours, and their keys
come from untrusted input. ``functools.lru_cache(maxsize=N)`` bounds the number of entries, not their size: a
cache of 65,536 wildcard patterns holds as many patterns of 100,000 characters as of 20. Here a call whose
arguments weigh more than ``max_weight`` (by default the lengths of its string, bytes and tuple arguments) is
computed and not kept, so a cache holds at most about ``maxsize * max_weight`` items of key. Real IAM actions, ARNs and YAML scalars are
far below the weights used; the long ones are computed each time (every cached function is linear anyway).
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

F = TypeVar("F", bound=Callable[..., Any])


def _sized(*args: Any) -> int:
    """The default weight: the lengths of the string, bytes and tuple arguments."""
    return sum(len(a) for a in args if isinstance(a, (str, bytes, tuple)))


def small_key_cache(maxsize: int, max_weight: int, weigh: Callable[..., int] = _sized) -> Callable[[F], F]:
    """Like ``functools.lru_cache(maxsize)`` for calls whose arguments weigh at most ``max_weight``
    (``weigh(*args)``: by default the lengths of the string, bytes and tuple arguments); heavier calls run
    uncached. ``cache_clear`` and ``cache_info`` are those of the LRU cache."""

    def decorate(function: F) -> F:
        cached = functools.lru_cache(maxsize=maxsize)(function)

        @functools.wraps(function)
        def call(*args: Any) -> Any:
            return cached(*args) if weigh(*args) <= max_weight else function(*args)

        wrapper = cast(Any, call)
        wrapper.cache_clear = cached.cache_clear
        wrapper.cache_info = cached.cache_info
        return cast(F, call)

    return decorate
