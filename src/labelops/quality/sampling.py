"""The statistics of an audit, free of the database: how many items to sample, how to spread
them over strata, which ones, and what the verdicts say about the whole lot.

Sample size is Cochran's, n0 = z²·p(1−p)/e² for a margin e around an expected accuracy p
(±2 points near 95 % at 95 % confidence: 457 items), shrunk by the finite-population correction
n = n0 / (1 + (n0 − 1)/N) for a lot of N items.

The estimate is stratified: the accuracy of each stratum weighted by its share of the lot,
p = Σ W_h·p_h with W_h = N_h/N. Its variance is the textbook one for stratified sampling without
replacement, V = Σ W_h²·(1 − n_h/N_h)·p_h(1 − p_h)/(n_h − 1). The interval is Wilson's, taken on
the *effective* sample size n_eff = p(1 − p)/V (Kish's design effect), rather than the normal
p ± z·√V: audits run near 95–100 % accuracy, where a stratum with no error has p_h(1 − p_h) = 0
and the normal interval collapses to a point (or spills past 100 %) after a handful of items,
while Wilson's stays inside [0, 1] and keeps honest width at the boundary. When V is 0 (every
reviewed stratum all right or all wrong) the effective size is the number of items reviewed;
when every stratum was reviewed in full there is nothing left to estimate and the interval is
the point itself.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

Z_95 = 1.959963984540054


def sample_size(
    margin: float, expected_accuracy: float, *, population: int | None = None, z: float = Z_95
) -> int:
    """Items to review for an accuracy estimate within ±`margin` (a share, 0.02 for 2 points)
    at the confidence of `z`; with a `population`, corrected for sampling a finite lot
    without replacement, and never more than the lot."""
    if not 0 < margin < 1:
        raise ValueError("margin must be between 0 and 1")
    if not 0 < expected_accuracy < 1:
        raise ValueError("expected accuracy must be between 0 and 1")
    n0 = z * z * expected_accuracy * (1 - expected_accuracy) / (margin * margin)
    if population is None:
        return math.ceil(n0)
    if population <= 0:
        return 0
    # A tiny float excess (457.0000000001) must not cost a whole extra item.
    return min(population, math.ceil(n0 / (1 + (n0 - 1) / population) - 1e-9))


def allocate(sizes: Mapping[str, int], n: int) -> dict[str, int]:
    """Spread `n` sampled items over strata in proportion to their sizes, by largest remainder
    (the total is exactly `n`, capped at the lot), with at least one item in every non-empty
    stratum when `n` allows it."""
    strata = sorted(key for key, size in sizes.items() if size > 0)
    total = sum(sizes[key] for key in strata)
    n = min(n, total)
    if n <= 0:
        return dict.fromkeys(sizes, 0)
    quotas = {key: n * sizes[key] / total for key in strata}
    shares = {key: math.floor(quotas[key]) for key in strata}
    # Ties go to the larger stratum, then by name: the same input always gives the same plan.
    by_remainder = sorted(strata, key=lambda k: (-(quotas[k] - shares[k]), -sizes[k], k))
    for key in by_remainder[: n - sum(shares.values())]:
        shares[key] += 1
    if n >= len(strata):
        for key in [k for k in strata if shares[k] == 0]:
            # Take from the stratum the most over its exact quota (it has at least 2 items).
            donor = max(
                (k for k in strata if shares[k] > 1), key=lambda k: (shares[k] - quotas[k], k)
            )
            shares[donor] -= 1
            shares[key] = 1
    return {key: shares.get(key, 0) for key in sizes}


def draw(
    members: Mapping[str, Sequence[int]], allocation: Mapping[str, int], *, seed: int
) -> dict[str, list[int]]:
    """A simple random sample without replacement within each stratum, reproducible from
    `seed` (members are taken in sorted order, so storage order does not matter)."""
    rng = random.Random(seed)
    return {
        key: sorted(rng.sample(sorted(members[key]), allocation.get(key, 0)))
        for key in sorted(members)
    }


@dataclass(frozen=True, slots=True)
class StratumTally:
    """One stratum: its size in the lot, its sample, and the verdicts given so far."""

    population: int
    sampled: int
    reviewed: int
    correct: int


@dataclass(frozen=True, slots=True)
class Estimate:
    """The stratified accuracy of the lot and its 95 % interval (None before any verdict)."""

    accuracy: float | None
    low: float | None
    high: float | None
    reviewed: int
    correct: int
    effective_n: float | None


def stratified_accuracy(tallies: Sequence[StratumTally], *, z: float = Z_95) -> Estimate:
    """The lot's accuracy from the verdicts so far. Strata with no verdict yet are left out
    and the weights renormalised over the others (a running estimate, complete once every
    sampled item is reviewed)."""
    seen = [t for t in tallies if t.reviewed > 0]
    reviewed = sum(t.reviewed for t in seen)
    correct = sum(t.correct for t in seen)
    if not seen:
        return Estimate(None, None, None, 0, 0, None)
    lot = sum(t.population for t in seen)
    accuracy = 0.0
    variance = 0.0
    for t in seen:
        weight = t.population / lot
        p = t.correct / t.reviewed
        accuracy += weight * p
        if t.reviewed > 1:
            unsampled = 1 - t.reviewed / t.population
            variance += weight * weight * unsampled * p * (1 - p) / (t.reviewed - 1)
    accuracy = min(1.0, max(0.0, accuracy))
    if all(t.reviewed >= t.population for t in seen):
        return Estimate(accuracy, accuracy, accuracy, reviewed, correct, None)
    effective = accuracy * (1 - accuracy) / variance if variance > 0 else float(reviewed)
    low, high = wilson(accuracy, effective, z=z)
    return Estimate(accuracy, low, high, reviewed, correct, effective)


def wilson(p: float, n: float, *, z: float = Z_95) -> tuple[float, float]:
    """Wilson's score interval of a proportion `p` observed on `n` (possibly effective,
    non-integer) trials."""
    if n <= 0:
        return 0.0, 1.0
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)
