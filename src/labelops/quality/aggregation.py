"""Label aggregation: one label per task, with a probability, from several workers' answers.

- `majority_vote`: the most frequent answer.
- `dawid_skene`: Dawid & Skene (1979), a full confusion matrix per worker and class priors,
  fitted by EM. It learns that a worker confuses two classes, or answers the opposite label.
  Each worker's matrix is shrunk towards the pooled matrix of all workers (an empirical-Bayes
  Dirichlet prior worth a few answers per row): without it, a worker with few answers gets a
  matrix that fits them perfectly, and the fit drifts away from the truth the longer EM runs.
- `one_coin_dawid_skene`: the same model with one accuracy per worker, errors spread evenly over
  the other labels (Zhang, Chen, Zhou & Jordan 2016): fewer parameters for workers with few answers.

Both EM fits run over a sparse tasks × (worker·label) incidence matrix built once: the E-step is
one sparse product with the log confusion table, the M-step one with the posteriors, so a round
over a million answers costs a few milliseconds. Scores stay in log space until each task's are
shifted by their maximum, so many answers per task cannot underflow. The matrix is cut into row
blocks of tasks; a round runs the blocks on a thread per core (NumPy and SciPy's sparse products
release the GIL), and the cut depends on the data only, so results do not depend on the machine.
"""

from __future__ import annotations

import itertools
import math
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from labelops.quality.answers import Answers

Floats = NDArray[np.float64]
WorkerFit = Callable[[Floats, float], Floats]

# log(0) would turn one impossible answer into -inf and a task's scores into NaN; this floor
# keeps it finite (e^-690) when `smoothing=0` leaves zeros in a confusion matrix.
_FLOOR = 1e-300
# One-coin accuracies stay strictly inside (1/K, 1): see `one_coin_dawid_skene`.
_MARGIN = 1e-6
# Answers per row block: big enough that NumPy's per-call overhead vanishes, small enough that
# a million answers make a few blocks to share between cores.
_BLOCK_ANSWERS = 1 << 18


@dataclass(frozen=True)
class Aggregate:
    """The outcome of an aggregation, every array indexed like `Answers.tasks`, `.workers` and
    `.labels`. `worker_confusion[w, k, l]` is the probability that worker w answers label l on a
    task whose true label is k (rows: true label, columns: given label)."""

    labels: NDArray[np.int64]  # label index per task
    confidence: Floats  # posterior probability of that label
    posteriors: Floats  # tasks × labels, rows sum to 1
    priors: Floats  # class priors, sum to 1
    worker_confusion: Floats  # workers × labels × labels, rows sum to 1
    iterations: int  # EM rounds run (0 for majority vote)
    converged: bool
    log_likelihood: float  # observed-data log-likelihood under the Dawid–Skene model


def majority_vote(answers: Answers, *, smoothing: float = 0.01) -> Aggregate:
    """Each task gets its most frequent answer; confidence is that answer's share of the votes.

    A tie goes to the tied label given most often over all answers, then to the first in
    `answers.labels`; its confidence is the tied share (0.5 for a 2–2 tie). A task nobody
    answered gets a uniform posterior. Priors are the shares of the majority labels and each
    worker's confusion matrix is counted against them (with `smoothing` pseudo-counts);
    `log_likelihood` is that of the Dawid–Skene model with these parameters.
    """
    _check_smoothing(smoothing)
    incidence = _Incidence.build(answers)
    counts = answers.counts()
    winners = _vote_winners(counts)
    shares = _vote_shares(counts)
    tasks = np.arange(answers.n_tasks)
    chosen = np.zeros_like(shares)
    chosen[tasks, winners] = 1.0
    with _parallel(incidence) as run:
        counted = _count(incidence, incidence.split(chosen), run)
        priors = _normalise(counted.mass + smoothing)
        confusion = _fit_confusion(counted.tallies, smoothing)
        log_likelihood = _expect(incidence, priors, confusion, run).log_likelihood
    return Aggregate(
        labels=winners,
        confidence=shares[tasks, winners],
        posteriors=shares,
        priors=priors,
        worker_confusion=confusion,
        iterations=0,
        converged=True,
        log_likelihood=log_likelihood,
    )


def dawid_skene(
    answers: Answers,
    *,
    max_iter: int = 100,
    tol: float = 1e-6,
    smoothing: float = 0.01,
    pooling: float = 2.0,
    init: Literal["mv"] | Floats = "mv",
) -> Aggregate:
    """Dawid–Skene by EM: a confusion matrix per worker and class priors, started from the
    majority-vote shares (`init="mv"`) or from given tasks × labels posteriors (e.g. gold).

    The M-step adds to each row of each worker's matrix `pooling`·K pseudo-answers spread like
    the same row of the pooled matrix (all workers' expected answers together, plus
    `pooling`·K right answers so that a rare class or a new project pools towards "labelers
    answer right" rather than towards an unidentified row), then
    `smoothing` pseudo-counts to every cell and to every prior (a row for a class nobody met is
    uniform, not 0/0). A worker with many answers is fitted by them; one with a handful looks
    like the crowd until their answers say otherwise. `pooling=0` is the classic model, whose
    maximum-likelihood fit of sparse workers is worse than majority vote (see
    bench/aggregation.py). It stops as described in `_Convergence`; `max_iter` always bounds
    it and `tol=0` runs exactly `max_iter` rounds. With one label every task gets it,
    confidence 1.
    """
    if not pooling >= 0:
        raise ValueError(f"pooling must be 0 or more, not {pooling}")

    def fit_workers(tallies: Floats, smoothing: float) -> Floats:
        return _fit_pooled(tallies, smoothing, pooling * tallies.shape[1])

    return _fit(answers, fit_workers, max_iter, tol, smoothing, init)


def one_coin_dawid_skene(
    answers: Answers,
    *,
    max_iter: int = 100,
    tol: float = 1e-6,
    smoothing: float = 0.01,
    init: Literal["mv"] | Floats = "mv",
) -> Aggregate:
    """One-coin Dawid–Skene by EM: worker w answers the true label with probability a_w and
    each other label with (1 − a_w)/(K − 1); `worker_confusion` is that implied matrix.

    Degenerate fits are ruled out, not repaired afterwards: the fit starts from majority vote
    and each accuracy is kept in (1/K, 1) — the M-step maximises over that interval, which for
    this concave one-parameter likelihood is the clipped unconstrained maximum, so EM stays
    monotone. A worker below chance therefore weighs (almost) nothing instead of dragging the
    fit to the label-permuted optimum, where every accuracy collapses below chance (crowd-kit's
    OneCoinDawidSkene can end there). Use `dawid_skene` to exploit a worker who systematically
    answers the opposite label. The accuracy estimate is (expected correct + smoothing) /
    (answers + K·smoothing). Stopping, `tol` and one label as in `dawid_skene`.
    """
    return _fit(answers, _fit_one_coin, max_iter, tol, smoothing, init)


@dataclass
class _Convergence:
    """Stop when the relative change of the observed-data log-likelihood has stayed below `tol`
    for two rounds in a row and no task's posterior moved by `sqrt(tol)` or more in the last.

    One small step is not enough: EM often crawls across a plateau before the posteriors move
    again (stopping there is why crowd-kit's fits end early), and a tiny likelihood change can
    still hide a task whose label flips."""

    tol: float
    previous: float | None = None
    stalled: int = 0

    def reached(self, log_likelihood: float, before: list[Floats], after: list[Floats]) -> bool:
        small = self.previous is not None and abs(log_likelihood - self.previous) < (
            self.tol * abs(self.previous)
        )
        self.stalled = self.stalled + 1 if small else 0
        self.previous = log_likelihood
        if self.stalled < 2:
            return False
        moved = max(
            float(np.abs(b - a).max(initial=0.0)) for a, b in zip(before, after, strict=True)
        )
        return moved < math.sqrt(self.tol)


@dataclass(frozen=True)
class _Block:
    """Some tasks' rows of the incidence matrix: `by_task[t, w·K + l] = 1` when worker w gave
    label l to task t; `by_worker` is its transpose, whose product scatters into the small
    worker table."""

    rows: slice
    by_task: sp.csr_array
    by_worker: sp.csc_array


@dataclass(frozen=True)
class _Incidence:
    blocks: tuple[_Block, ...]
    n_workers: int
    n_labels: int

    @classmethod
    def build(cls, answers: Answers) -> _Incidence:
        _check_answers(answers)
        n_labels, n_workers = answers.n_labels, answers.n_workers
        matrix = sp.csr_array(
            (np.ones(answers.n_answers), (answers.task, answers.worker * n_labels + answers.label)),
            shape=(answers.n_tasks, n_workers * n_labels),
        )
        targets = np.arange(1, -(-answers.n_answers // _BLOCK_ANSWERS)) * _BLOCK_ANSWERS
        inner = np.searchsorted(matrix.indptr, targets)
        cuts = np.unique([0, *inner.tolist(), answers.n_tasks]).tolist()
        blocks = []
        for start, stop in itertools.pairwise(cuts):
            rows = matrix[start:stop]
            blocks.append(_Block(slice(start, stop), rows, rows.T))
        return cls(tuple(blocks), n_workers, n_labels)

    def split(self, per_task: Floats) -> list[Floats]:
        return [per_task[block.rows] for block in self.blocks]


@dataclass(frozen=True)
class _Expectation:
    posteriors: list[Floats]  # per block
    tallies: Floats  # expected counts, workers × true label × given label
    mass: Floats  # expected tasks per label
    log_likelihood: float


Partial = tuple[Floats, Floats, Floats, float]  # posteriors, flat tallies, mass, log-likelihood
Run = Callable[[Callable[[int], Partial], Sequence[int]], Iterable[Partial]]  # map over blocks


@contextmanager
def _parallel(incidence: _Incidence) -> Iterator[Run]:
    """Map over the blocks on a thread per core, or in this thread when one suffices."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    threads = min(len(incidence.blocks), cores or 1)
    if threads <= 1:
        yield map
        return
    with ThreadPoolExecutor(max_workers=threads) as pool:
        yield pool.map


def _fit(
    answers: Answers,
    fit_workers: WorkerFit,
    max_iter: int,
    tol: float,
    smoothing: float,
    init: Literal["mv"] | Floats,
) -> Aggregate:
    _check_smoothing(smoothing)
    if max_iter < 1:
        raise ValueError(f"max_iter must be at least 1, not {max_iter}")
    if not tol >= 0:
        raise ValueError(f"tol must be 0 or more, not {tol}")
    if answers.n_labels == 1:
        return majority_vote(answers, smoothing=smoothing)
    incidence = _Incidence.build(answers)
    if isinstance(init, str):
        if init != "mv":
            raise ValueError(f"init must be 'mv' or a tasks × labels array, not {init!r}")
        start = _vote_shares(answers.counts())
    else:
        start = _check_start(init, answers)
    with _parallel(incidence) as run:
        return _expectation_maximisation(
            incidence, start, fit_workers, run, max_iter=max_iter, tol=tol, smoothing=smoothing
        )


def _expectation_maximisation(
    incidence: _Incidence,
    start: Floats,
    fit_workers: WorkerFit,
    run: Run,
    *,
    max_iter: int,
    tol: float,
    smoothing: float,
) -> Aggregate:
    convergence = _Convergence(tol)
    posteriors = incidence.split(start)
    step = _count(incidence, posteriors, run)
    iteration, converged = 0, False
    while iteration < max_iter and not converged:
        iteration += 1
        priors = _normalise(step.mass + smoothing)
        confusion = fit_workers(step.tallies, smoothing)
        step = _expect(incidence, priors, confusion, run)
        converged = convergence.reached(step.log_likelihood, posteriors, step.posteriors)
        posteriors = step.posteriors
    joined = np.concatenate(posteriors)
    labels = np.argmax(joined, axis=1)
    return Aggregate(
        labels=labels,
        confidence=joined[np.arange(labels.shape[0]), labels],
        posteriors=joined,
        priors=priors,
        worker_confusion=confusion,
        iterations=iteration,
        converged=converged,
        log_likelihood=step.log_likelihood,
    )


def _expect(incidence: _Incidence, priors: Floats, confusion: Floats, run: Run) -> _Expectation:
    """E-step over every block, with the tallies the next M-step needs."""
    n_labels = incidence.n_labels
    # row w·K + l, column k: log P(worker w answers l | true label k)
    table = np.log(np.maximum(confusion, _FLOOR)).transpose(0, 2, 1).reshape(-1, n_labels)
    log_priors = np.log(np.maximum(priors, _FLOOR))
    blocks = incidence.blocks
    parts = list(run(lambda i: _expect_block(blocks[i], table, log_priors), range(len(blocks))))
    return _combine(incidence, parts)


def _expect_block(block: _Block, table: Floats, log_priors: Floats) -> Partial:
    """One block's posteriors, tallies, label mass and share of the observed-data
    log-likelihood Σ_t log Σ_k prior_k Π_answers confusion[w, k, l]."""
    scores: Floats = block.by_task @ table
    scores += log_priors
    top = _row_max(scores)
    scores -= top[:, None]
    np.exp(scores, out=scores)
    total = scores @ np.ones(scores.shape[1])  # a matrix product: an axis=1 sum is slow at K=4
    scores /= total[:, None]
    log_likelihood = float(top.sum() + np.log(total).sum())
    return (scores, *_tally_block(block, scores), log_likelihood)


def _tally_block(block: _Block, posteriors: Floats) -> tuple[Floats, Floats]:
    flat: Floats = block.by_worker @ posteriors
    return flat, np.ones(posteriors.shape[0]) @ posteriors


def _count(incidence: _Incidence, posteriors: list[Floats], run: Run) -> _Expectation:
    """The tallies and label mass of given posteriors (the first M-step's input)."""
    blocks = incidence.blocks
    parts = run(
        lambda i: (posteriors[i], *_tally_block(blocks[i], posteriors[i]), math.nan),
        range(len(blocks)),
    )
    return _combine(incidence, list(parts))


def _combine(incidence: _Incidence, parts: list[Partial]) -> _Expectation:
    n_labels = incidence.n_labels
    flat = np.sum([part[1] for part in parts], axis=0)  # flat[w·K + l, k] = tallies[w, k, l]
    return _Expectation(
        posteriors=[part[0] for part in parts],
        tallies=flat.reshape(incidence.n_workers, n_labels, n_labels).transpose(0, 2, 1),
        mass=np.sum([part[2] for part in parts], axis=0),
        log_likelihood=math.fsum(part[3] for part in parts),
    )


def _normalise(mass: Floats) -> Floats:
    normalised: Floats = mass / mass.sum()
    return normalised


def _fit_confusion(tallies: Floats, smoothing: float) -> Floats:
    """M-step of the full model: each row normalised; a row with no mass is uniform."""
    smoothed = tallies + smoothing
    totals = smoothed.sum(axis=2, keepdims=True)
    uniform = np.full_like(smoothed, 1.0 / smoothed.shape[2])
    confusion: Floats = np.divide(smoothed, totals, out=uniform, where=totals > 0)
    return confusion


def _fit_pooled(tallies: Floats, smoothing: float, strength: float) -> Floats:
    """M-step of the full model with each row shrunk towards the pooled row (`strength`
    pseudo-answers per row, spread as all workers' answers are)."""
    if strength == 0:
        return _fit_confusion(tallies, smoothing)
    # The pooled rows get `strength` correct answers of their own: with little data (a new
    # project, a rare class) the target is "labelers answer right", not an unidentified row.
    pooled = tallies.sum(axis=0) + strength * np.eye(tallies.shape[1])
    shares = pooled / pooled.sum(axis=1, keepdims=True)
    return _fit_confusion(tallies + strength * shares, smoothing)


def _fit_one_coin(tallies: Floats, smoothing: float) -> Floats:
    """M-step of the one-coin model: the accuracy, kept in (1/K, 1), as an implied matrix."""
    n_labels = tallies.shape[1]
    answered = tallies.sum(axis=(1, 2)) + n_labels * smoothing
    correct = np.trace(tallies, axis1=1, axis2=2) + smoothing
    chance = 1.0 / n_labels
    accuracy = np.divide(correct, answered, out=np.full_like(correct, chance), where=answered > 0)
    accuracy = np.clip(accuracy, chance + _MARGIN, 1.0 - _MARGIN)
    error = (1.0 - accuracy) / (n_labels - 1)
    confusion = np.repeat(error[:, None, None], n_labels, axis=1).repeat(n_labels, axis=2)
    diagonal = np.arange(n_labels)
    confusion[:, diagonal, diagonal] = accuracy[:, None]
    return confusion


def _row_max(scores: Floats) -> Floats:
    top = scores[:, 0].copy()
    for column in range(1, scores.shape[1]):
        np.maximum(top, scores[:, column], out=top)
    return top


def _vote_shares(counts: NDArray[np.int64]) -> Floats:
    """Each task's share of votes per label; uniform for a task nobody answered."""
    answered = counts.sum(axis=1, keepdims=True)
    uniform = np.full(counts.shape, 1.0 / counts.shape[1])
    shares: Floats = np.divide(counts, answered, out=uniform, where=answered > 0)
    return shares


def _vote_winners(counts: NDArray[np.int64]) -> NDArray[np.int64]:
    """The most voted label per task; ties to the label most given overall, then the first."""
    n_labels = counts.shape[1]
    overall = counts.sum(axis=0)
    # ascending by overall count, then later labels first: the last place wins a tie
    order = np.lexsort((-np.arange(n_labels), overall))
    rank = np.empty(n_labels, dtype=np.int64)
    rank[order] = np.arange(n_labels)
    winners: NDArray[np.int64] = np.argmax(counts * n_labels + rank, axis=1)
    return winners


def _check_answers(answers: Answers) -> None:
    if answers.n_answers == 0:
        raise ValueError("no answers to aggregate")
    n = answers.n_answers
    if answers.worker.shape != (n,) or answers.label.shape != (n,):
        raise ValueError("task, worker and label must be arrays of the same length")
    for name, codes, size in (
        ("task", answers.task, answers.n_tasks),
        ("worker", answers.worker, answers.n_workers),
        ("label", answers.label, answers.n_labels),
    ):
        if codes.min() < 0 or codes.max() >= size:
            raise ValueError(f"{name} codes must index the {size} {name}s given")


def _check_smoothing(smoothing: float) -> None:
    if not smoothing >= 0:
        raise ValueError(f"smoothing must be 0 or more, not {smoothing}")


def _check_start(init: Floats, answers: Answers) -> Floats:
    start = np.asarray(init, dtype=np.float64)
    if start.shape != (answers.n_tasks, answers.n_labels):
        raise ValueError(f"init must be tasks × labels {(answers.n_tasks, answers.n_labels)}")
    totals = start.sum(axis=1, keepdims=True)
    if not (np.isfinite(start).all() and (start >= 0).all() and (totals > 0).all()):
        raise ValueError("init must hold finite, non-negative rows with a positive sum")
    normalised: Floats = start / totals
    return normalised
