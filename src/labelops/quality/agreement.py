"""Inter-annotator agreement: how far labelers agree beyond what chance alone would give.

Glossary:
- *pairable task*: a task with at least 2 answers; only these carry information on agreement.
- *percent agreement*: the share of agreeing pairs among all pairs of answers on a task, pooled
  over tasks; it ignores chance agreement, so it flatters skewed label distributions.
- *Krippendorff's alpha*: 1 − observed / expected disagreement; copes with any number of
  labelers per task and missing answers (nominal metric here).
- *Fleiss' kappa*: chance-corrected agreement of many labelers on a fixed set of labels.
- *Cohen's kappa*: chance-corrected agreement of one pair of labelers on the tasks they share.

Conventions: 1 is perfect agreement, 0 is chance level, negative values are systematic
disagreement. A statistic is None (never NaN) when it is undefined: fewer than 2 pairable tasks,
or no expected disagreement (a single label used throughout).

References:
- Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for
  Communication, University of Pennsylvania.
- Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. Psychological
  Bulletin 76(5), 378–382.
- Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and
  Psychological Measurement 20(1), 37–46.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse

from labelops.quality.answers import Answers

MIN_PAIRABLE_TASKS = 2

__all__ = [
    "AgreementReport",
    "PairKappa",
    "agreement_report",
    "alpha_by_label",
    "cohen_kappa_pairs",
    "fleiss_kappa",
    "krippendorff_alpha",
    "percent_agreement",
    "worker_agreement",
]


@dataclass(frozen=True, slots=True)
class PairKappa:
    """Cohen's kappa of two workers (indices, `worker_a` < `worker_b`) on their shared tasks."""

    worker_a: int
    worker_b: int
    shared: int
    kappa: float | None


@dataclass(frozen=True, slots=True)
class AgreementReport:
    """Agreement of a set of answers; `answers` and `tasks` count the pairable sample the
    statistics rest on (answers on tasks with ≥ 2 answers, and those tasks)."""

    answers: int
    tasks: int
    percent: float | None
    alpha: float | None
    fleiss: float | None


@dataclass(frozen=True, slots=True)
class _Cells:
    """The nonzero cells of the tasks × labels count matrix, over pairable tasks only."""

    label: NDArray[np.int64]
    count: NDArray[np.int64]  # answers giving `label` on the cell's task
    size: NDArray[np.int64]  # answers on the cell's task
    label_totals: NDArray[np.int64]  # answers per label, over pairable tasks
    tasks: int  # pairable tasks

    @property
    def answers(self) -> int:
        return int(self.label_totals.sum())

    @property
    def is_defined(self) -> bool:
        """Enough tasks, and more than one label in use (else no disagreement is expected)."""
        return self.tasks >= MIN_PAIRABLE_TASKS and int(np.count_nonzero(self.label_totals)) >= 2

    def disagreement(self) -> NDArray[np.float64]:
        """Per cell, the ordered pairs joining its values to a different label on the same task,
        count × (m_u − count), weighted 1 / (m_u − 1) as in Krippendorff's coincidence matrix."""
        return self.count * (self.size - self.count) / (self.size - 1)


def _cells(answers: Answers) -> _Cells:
    size = np.bincount(answers.task, minlength=answers.n_tasks)
    pairable = size[answers.task] >= 2
    code = answers.task[pairable] * answers.n_labels + answers.label[pairable]
    cells, count = np.unique(code, return_counts=True)
    task, label = np.divmod(cells, answers.n_labels)
    return _Cells(
        label=label,
        count=count.astype(np.int64),
        size=size[task],
        label_totals=np.bincount(answers.label[pairable], minlength=answers.n_labels),
        tasks=int(np.count_nonzero(size >= 2)),
    )


def percent_agreement(answers: Answers) -> float | None:
    """Share of agreeing pairs among all pairs of answers on the same task, pooled over tasks."""
    return _percent(_cells(answers))


def krippendorff_alpha(answers: Answers) -> float | None:
    """Krippendorff's alpha (nominal): 1 − observed / expected disagreement over pairable tasks."""
    return _alpha(_cells(answers))


def fleiss_kappa(answers: Answers) -> float | None:
    """Fleiss' kappa over pairable tasks, extended to a varying number of answers per task."""
    return _fleiss(_cells(answers))


def agreement_report(answers: Answers) -> AgreementReport:
    """Percent agreement, Krippendorff's alpha and Fleiss' kappa of a set of answers."""
    cells = _cells(answers)
    return AgreementReport(
        answers=cells.answers,
        tasks=cells.tasks,
        percent=_percent(cells),
        alpha=_alpha(cells),
        fleiss=_fleiss(cells),
    )


def _percent(cells: _Cells) -> float | None:
    if cells.tasks < MIN_PAIRABLE_TASKS:
        return None
    agreeing = int((cells.count * (cells.count - 1)).sum())
    pairs = int((cells.count * (cells.size - 1)).sum())  # Σ_u m_u (m_u − 1), as Σ count = m_u
    return agreeing / pairs


def _alpha(cells: _Cells) -> float | None:
    if not cells.is_defined:
        return None
    n = cells.answers
    observed = float(cells.disagreement().sum())
    expected = n * n - int((cells.label_totals**2).sum())
    return 1.0 - (n - 1) * observed / expected


def _fleiss(cells: _Cells) -> float | None:
    if not cells.is_defined:
        return None
    # P̄ = mean_i Σ_j n_ij (n_ij − 1) / (n_i (n_i − 1)): every cell adds its share to its task.
    observed = float((cells.count * (cells.count - 1) / (cells.size * (cells.size - 1))).sum())
    observed /= cells.tasks
    shares = cells.label_totals / cells.answers
    chance = float((shares**2).sum())
    return (observed - chance) / (1.0 - chance)


def alpha_by_label(answers: Answers) -> dict[int, float | None]:
    """Krippendorff's alpha of each label coded against all the others (label index → alpha)."""
    cells = _cells(answers)
    n = cells.answers
    # For a binary coding a cell's disagreement is the same whichever side it sits on, and the
    # expected disagreement reduces to 2 n_c (n − n_c); the factors of 2 cancel.
    observed = np.bincount(cells.label, weights=cells.disagreement(), minlength=answers.n_labels)
    expected = cells.label_totals * (n - cells.label_totals)
    enough = cells.tasks >= MIN_PAIRABLE_TASKS
    return {
        label: 1.0 - (n - 1) * float(observed[label]) / int(expected[label])
        if enough and expected[label] > 0
        else None
        for label in range(answers.n_labels)
    }


def worker_agreement(answers: Answers) -> NDArray[np.float64]:
    """Per worker, the share of agreeing pairs with the other answers on the worker's tasks
    (NaN for a worker with no task shared with anyone)."""
    code = answers.task * answers.n_labels + answers.label
    _, cell, count = np.unique(code, return_inverse=True, return_counts=True)
    size = np.bincount(answers.task, minlength=answers.n_tasks)
    agreeing = np.bincount(answers.worker, weights=count[cell] - 1, minlength=answers.n_workers)
    pairs = np.bincount(answers.worker, weights=size[answers.task] - 1, minlength=answers.n_workers)
    rate = np.full(answers.n_workers, np.nan)
    np.divide(agreeing, pairs, out=rate, where=pairs > 0)
    return rate


def cohen_kappa_pairs(answers: Answers, *, min_shared: int = 20) -> list[PairKappa]:
    """Cohen's kappa of every pair of workers who answered at least `min_shared` tasks in common."""
    if min_shared < 1:
        raise ValueError(f"min_shared must be at least 1, got {min_shared}")
    everyone = _incidence(answers, np.ones(answers.n_answers, dtype=np.bool_))
    a, b, shared = _pairs_sharing(everyone, min_shared)
    agreeing = np.zeros(a.shape[0], dtype=np.int64)
    chance = np.zeros(a.shape[0], dtype=np.int64)  # n² p_e = Σ_k rows_k cols_k
    for label in np.unique(answers.label):
        gave = _incidence(answers, answers.label == label)
        agreeing += _at(gave @ gave.T, a, b)
        # [w, v]: tasks shared with v on which w gave `label`, i.e. one confusion-matrix margin
        margin = gave @ everyone.T
        chance += _at(margin, a, b) * _at(margin, b, a)
    # kappa = (p_o − p_e) / (1 − p_e), multiplied through by n² to stay in exact integers
    numerator = shared * agreeing - chance
    denominator = shared * shared - chance
    return [
        PairKappa(worker_a, worker_b, n, num / den if den else None)
        for worker_a, worker_b, n, num, den in zip(
            a.tolist(),
            b.tolist(),
            shared.tolist(),
            numerator.tolist(),
            denominator.tolist(),
            strict=True,
        )
    ]


def _incidence(answers: Answers, mask: NDArray[np.bool_]) -> Any:
    """workers × tasks sparse matrix with a 1 where the worker gave one of the masked answers."""
    ones = np.ones(int(np.count_nonzero(mask)), dtype=np.int64)
    coords = (answers.worker[mask], answers.task[mask])
    return sparse.csr_array((ones, coords), shape=(answers.n_workers, answers.n_tasks))


def _pairs_sharing(
    incidence: Any, min_shared: int
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Worker pairs (a < b), sorted, who share at least `min_shared` tasks, and how many."""
    coincidence = (incidence @ incidence.T).tocoo()
    keep = (coincidence.row < coincidence.col) & (coincidence.data >= min_shared)
    a = np.asarray(coincidence.row[keep], dtype=np.int64)
    b = np.asarray(coincidence.col[keep], dtype=np.int64)
    shared = np.asarray(coincidence.data[keep], dtype=np.int64)
    order = np.lexsort((b, a))
    return a[order], b[order], shared[order]


def _at(matrix: Any, rows: NDArray[np.int64], cols: NDArray[np.int64]) -> NDArray[np.int64]:
    """The entries of a sparse matrix at (rows, cols)."""
    if rows.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    matrix.sort_indices()  # canonical rows let scipy binary-search instead of scanning
    return np.asarray(matrix[rows, cols], dtype=np.int64).ravel()
