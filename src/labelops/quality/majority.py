"""Majority vote over one item's annotations."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Vote:
    """The majority answer (None on a tie or with no annotations) and the share of annotators
    who gave exactly that answer."""

    labels: tuple[str, ...] | None
    agreement: float | None
    annotations: int


def majority_vote(answers: Sequence[Sequence[str]], *, multi: bool = False) -> Vote:
    """Single choice: the most frequent label, None on a tie. Multi choice: every label chosen
    by more than half of the annotators; agreement is the share whose whole answer matches it."""
    n = len(answers)
    if n == 0:
        return Vote(None, None, 0)
    if multi:
        counts = Counter(label for answer in answers for label in set(answer))
        chosen = tuple(sorted(label for label, c in counts.items() if 2 * c > n))
        matching = sum(1 for answer in answers if tuple(sorted(set(answer))) == chosen)
        return Vote(chosen, matching / n, n)
    ranked = Counter(answer[0] for answer in answers if answer).most_common(2)
    top, votes = ranked[0]
    if len(ranked) > 1 and ranked[1][1] == votes:
        return Vote(None, votes / n, n)
    return Vote((top,), votes / n, n)
