"""An item's posterior from its answers, and what dynamic overlap does next.

The posterior is the Dawid–Skene one for a single item with the project's fitted parameters held
fixed: P(true = k | answers) ∝ prior_k · Π_answers confusion[labeler][k, given]. A labeler the fit
has not met yet (or every labeler, before the first fit) is taken as a one-coin labeler of
`DEFAULT_ACCURACY`: right with that probability, wrong evenly over the other labels. A label no
fit has seen (a new multi-choice combination) gets the prior mass of one pseudo-answer.

Pure functions, shared by the service and `bench/dynamic_overlap.py`, so the benchmark measures
the rule production runs.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from labelops.quality.aggregation import dawid_skene, one_coin_dawid_skene
from labelops.quality.answers import Answers

Floats = NDArray[np.float64]

# Before any fit, a labeler is assumed right 4 times in 5: two agreeing answers on a two-label
# project then give 0.94 — just short of the default target of 0.95, so an item is not closed on
# the word of people nobody has measured yet.
DEFAULT_ACCURACY = 0.8


# The fit is refitted from all the project's answers when they reach FIRST_FIT, then each time
# they have grown by REFIT_GROWTH (at least REFIT_MIN_NEW answers): a few dozen fits over a
# project's life, each paid by one submitting request, instead of one per submission.
FIRST_FIT = 30
REFIT_GROWTH = 0.10
REFIT_MIN_NEW = 50


def should_refit(answers: int, fitted_on: int | None) -> bool:
    """Whether `answers` answers call for a new fit, the last one having used `fitted_on`."""
    if fitted_on is None:
        return answers >= FIRST_FIT
    return answers >= fitted_on + max(REFIT_MIN_NEW, math.ceil(fitted_on * REFIT_GROWTH))


class Decision(enum.StrEnum):
    WAIT = "wait"  # below the minimum, or answers already on their way
    DONE = "done"  # confident: close the item's open slots
    MORE = "more"  # not confident: one more labeler
    ESCALATE = "escalate"  # not confident at the maximum: a reviewer decides


def answer_key(labels: Sequence[str]) -> str:
    """One answer as one category: a multi-choice answer is its sorted labels joined by "|"."""
    return "|".join(sorted(labels))


@dataclass(frozen=True)
class LabelModel:
    """Class priors and per-labeler confusion matrices (rows: true label, columns: given), in
    `labels` order; labelers are keyed by their id as a string (as stored in a QualityFit)."""

    labels: tuple[str, ...]
    priors: Floats
    confusion: Mapping[str, Floats] = field(default_factory=dict)
    default_accuracy: float = DEFAULT_ACCURACY

    @classmethod
    def untrained(cls, labels: Sequence[str]) -> LabelModel:
        """No fit yet: uniform priors, every labeler at the default accuracy."""
        return cls(tuple(labels), np.full(len(labels), 1.0 / max(len(labels), 1)))

    @classmethod
    def from_fit(
        cls,
        labels: Sequence[str],
        priors: Sequence[float],
        confusion: Mapping[str, Sequence[Sequence[float]]],
    ) -> LabelModel:
        return cls(
            tuple(labels),
            np.asarray(priors, dtype=np.float64),
            {key: np.asarray(matrix, dtype=np.float64) for key, matrix in confusion.items()},
        )

    def posterior(self, answers: Sequence[tuple[str, str]]) -> tuple[str, float, dict[str, float]]:
        """The most probable label of an item answered (labeler, answer key) by each, its
        probability, and the whole posterior."""
        labels = list(self.labels)
        labels += sorted({key for _, key in answers} - set(labels))
        known = len(self.labels)
        size = len(labels)
        index = {label: i for i, label in enumerate(labels)}
        priors = np.full(size, 1.0 / (len(answers) + size))  # one pseudo-answer for new labels
        priors[:known] = self.priors
        log = np.log(np.maximum(priors / priors.sum(), 1e-300))
        for labeler, key in answers:
            log += np.log(np.maximum(self._column(labeler, index[key], size), 1e-300))
        log -= log.max()
        weights = np.exp(log)
        weights /= weights.sum()
        best = int(np.argmax(weights))
        return labels[best], float(weights[best]), dict(zip(labels, weights.tolist(), strict=True))

    def _column(self, labeler: str, given: int, size: int) -> Floats:
        """P(labeler answers `given` | true label k) for every k."""
        known = len(self.labels)
        matrix = self.confusion.get(labeler)
        if matrix is not None and given < known and size == known:
            column: Floats = matrix[:, given]
            return column
        accuracy = self.default_accuracy if matrix is None else self._accuracy(matrix)
        column = np.full(size, (1.0 - accuracy) / max(size - 1, 1))
        column[given] = accuracy
        return column

    def _accuracy(self, matrix: Floats) -> float:
        return float(np.clip(self.priors @ np.diag(matrix), 1e-6, 1 - 1e-6))


# A labeler's fitted confusion matrix counts as many answers as they gave; the default one-coin
# matrix is added with the weight of SHRINK_ANSWERS answers, so a labeler seen twice is not
# trusted like one seen two hundred times (a Dirichlet prior centred on the default).
SHRINK_ANSWERS = 10.0


def fit_label_model(
    triples: Iterable[tuple[Hashable, Hashable, str]],
    labels: Sequence[str],
    *,
    method: str = "ods",
) -> LabelModel:
    """Fit (task, labeler, answer key) triples by Dawid–Skene (`ds`) or its one-coin variant
    (`ods`), each labeler's matrix shrunk towards the default by their number of answers."""
    answers = Answers.from_triples(triples, labels=labels)
    fitter = one_coin_dawid_skene if method == "ods" else dawid_skene
    aggregate = fitter(answers)
    given = np.bincount(answers.worker, minlength=answers.n_workers).astype(np.float64)
    default = _one_coin(len(labels), DEFAULT_ACCURACY)
    confusion = {
        str(worker): (given[w] * aggregate.worker_confusion[w] + SHRINK_ANSWERS * default)
        / (given[w] + SHRINK_ANSWERS)
        for w, worker in enumerate(answers.workers)
    }
    return LabelModel(tuple(labels), aggregate.priors, confusion)


def _one_coin(size: int, accuracy: float) -> Floats:
    matrix = np.full((size, size), (1.0 - accuracy) / max(size - 1, 1))
    np.fill_diagonal(matrix, accuracy)
    return matrix


def decide(
    *,
    confidence: float,
    target_confidence: float,
    submitted: int,
    pending: int,
    target: int,
    min_overlap: int,
    max_overlap: int,
) -> Decision:
    """What an item needs after a submission: `submitted` answers in, `pending` more on their
    way (leased or still open) out of its current `target` labelers."""
    if submitted < min_overlap:
        return Decision.WAIT
    if confidence >= target_confidence:
        return Decision.DONE
    if pending > 0:
        return Decision.WAIT
    if target < max_overlap:
        return Decision.MORE
    return Decision.ESCALATE
