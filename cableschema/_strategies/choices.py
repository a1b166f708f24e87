"""One grammar, two sources of choices.

The cable grammar (:mod:`.draft`, :mod:`.damage`) asks a :class:`Chooser` for every decision.
Hypothesis strategies answer with draws (so that failing examples shrink: integers towards their
lower bound, choices towards the first option, flags towards False); ``cableschema generate``
answers with a seeded :class:`random.Random` (fast, reproducible, weighted like the release).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class Chooser(Protocol):
    def integer(self, low: int, high: int) -> int:
        """An integer in ``[low, high]``; shrinks towards ``low``."""
        ...

    def choice(self, options: Sequence[T], weights: Sequence[float] | None = None) -> T:
        """One of ``options``; weights are honoured by the random chooser, and Hypothesis shrinks
        towards the first option."""
        ...

    def flag(self, probability: float) -> bool:
        """True with roughly this probability; shrinks towards False."""
        ...

    def seed(self) -> int:
        """A seed for the prose of one paragraph (prose is not worth shrinking word by word)."""
        ...


class RandomChooser:
    """Choices from a seeded :class:`random.Random`."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def integer(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def choice(self, options: Sequence[T], weights: Sequence[float] | None = None) -> T:
        if weights is None:
            return options[self.rng.randrange(len(options))]
        return self.rng.choices(options, weights)[0]

    def flag(self, probability: float) -> bool:
        return self.rng.random() < probability

    def seed(self) -> int:
        return self.rng.getrandbits(32)


class DrawChooser:
    """Choices drawn by Hypothesis inside ``st.composite``.

    Every choice is exactly one draw, even when there is nothing to choose (a range of one
    value): constraints that narrow a choice then do not make an example "shorter", which would
    make Hypothesis prefer it when shrinking.
    """

    def __init__(self, draw: Callable[[Any], Any]) -> None:
        from hypothesis import strategies as st

        self._draw = draw
        self._st = st

    def integer(self, low: int, high: int) -> int:
        if low >= high:
            self._draw(self._st.integers(0, 1))  # a placeholder draw, see the class docs
            return low
        return int(self._draw(self._st.integers(low, high)))

    def choice(self, options: Sequence[T], weights: Sequence[float] | None = None) -> T:
        return options[self.integer(0, len(options) - 1)]

    def flag(self, probability: float) -> bool:
        if probability <= 0:
            return False
        if probability >= 1:
            return True
        threshold = 100 - max(1, round(probability * 100))
        return self.integer(0, 99) >= threshold

    def seed(self) -> int:
        return self.integer(0, 2**32 - 1)
