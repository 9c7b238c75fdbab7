"""Answers as arrays: the shared input of agreement and aggregation.

Every judgement is one row (task, worker, label), each coded as a dense integer index into the
`tasks`, `workers` and `labels` lists, so the statistics run as vectorised NumPy over millions of
answers. A worker answers a task at most once (a later answer replaces an earlier one when built
from pairs).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class Answers:
    task: NDArray[np.int64]  # index into `tasks`, one per answer
    worker: NDArray[np.int64]  # index into `workers`
    label: NDArray[np.int64]  # index into `labels`
    tasks: tuple[Hashable, ...]
    workers: tuple[Hashable, ...]
    labels: tuple[Hashable, ...]

    @property
    def n_answers(self) -> int:
        return int(self.task.shape[0])

    @property
    def n_tasks(self) -> int:
        return len(self.tasks)

    @property
    def n_workers(self) -> int:
        return len(self.workers)

    @property
    def n_labels(self) -> int:
        return len(self.labels)

    @classmethod
    def from_triples(
        cls,
        triples: Iterable[tuple[Hashable, Hashable, Hashable]],
        *,
        labels: Sequence[Hashable] | None = None,
    ) -> Answers:
        """Code (task, worker, label) triples; `labels` fixes the label order (and may name
        labels nobody used); otherwise labels are sorted by their string form."""
        last: dict[tuple[Hashable, Hashable], Hashable] = {}
        for task, worker, label in triples:
            last[(task, worker)] = label
        task_ids = _first_seen(task for task, _ in last)
        worker_ids = _first_seen(worker for _, worker in last)
        if labels is None:
            labels = sorted(set(last.values()), key=str)
        label_index = {label: i for i, label in enumerate(labels)}
        unknown = [label for label in last.values() if label not in label_index]
        if unknown:
            raise ValueError(f"label {unknown[0]!r} is not among the labels given")
        return cls(
            task=np.fromiter((task_ids[t] for t, _ in last), dtype=np.int64, count=len(last)),
            worker=np.fromiter((worker_ids[w] for _, w in last), dtype=np.int64, count=len(last)),
            label=np.fromiter(
                (label_index[x] for x in last.values()), dtype=np.int64, count=len(last)
            ),
            tasks=tuple(task_ids),
            workers=tuple(worker_ids),
            labels=tuple(labels),
        )

    def counts(self) -> NDArray[np.int64]:
        """tasks × labels matrix: how many workers gave each label to each task."""
        flat = np.bincount(
            self.task * self.n_labels + self.label, minlength=self.n_tasks * self.n_labels
        )
        return flat.reshape(self.n_tasks, self.n_labels).astype(np.int64)

    def select(self, mask: NDArray[np.bool_]) -> Answers:
        """The answers where `mask` is true, still coded against the same tasks, workers and
        labels (so a breakdown by language or vendor keeps every index meaningful)."""
        mask = np.asarray(mask)
        if mask.dtype != np.bool_ or mask.shape != self.task.shape:
            raise ValueError(
                f"mask must be a boolean array of shape {self.task.shape}, "
                f"got {mask.dtype} of shape {mask.shape}"
            )
        return replace(self, task=self.task[mask], worker=self.worker[mask], label=self.label[mask])


def _first_seen(values: Iterable[Hashable]) -> dict[Hashable, int]:
    index: dict[Hashable, int] = {}
    for value in values:
        if value not in index:
            index[value] = len(index)
    return index
