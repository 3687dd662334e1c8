"""Where the generators' choices come from: ``random.Random`` (fast) or hypothesis (shrinkable)."""
from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class Chooser(Protocol):
    def int(self, low: int, high: int) -> int:
        """An integer in ``[low, high]``; shrinks towards ``low``."""

    def pick(self, options: Sequence[T]) -> T:
        """One of ``options``; shrinks towards the first."""

    def chance(self, probability: float) -> bool:
        """True with ``probability``; shrinks towards False."""


class RandomChooser:
    def __init__(self, seed: int | str | random.Random) -> None:
        self.random = seed if isinstance(seed, random.Random) else random.Random(seed)

    def int(self, low: int, high: int) -> int:
        return self.random.randint(low, high)

    def pick(self, options: Sequence[T]) -> T:
        return options[self.random.randrange(len(options))]

    def chance(self, probability: float) -> bool:
        return self.random.random() < probability


class HypothesisChooser:
    """Draws from a hypothesis ``st.data()`` object."""

    def __init__(self, data: Any) -> None:
        from hypothesis import strategies as st

        self.data = data
        self.st = st

    def int(self, low: int, high: int) -> int:
        value: int = self.data.draw(self.st.integers(low, high))
        return value

    def pick(self, options: Sequence[T]) -> T:
        return options[self.int(0, len(options) - 1)]

    def chance(self, probability: float) -> bool:
        return self.int(0, 999) >= 1000 - round(probability * 1000)
