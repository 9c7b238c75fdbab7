"""Aggregation on a project: one label per item with its posterior confidence, and what each
labeler's answers say about them (a confusion matrix, rows true label, columns given label).

Nothing is stored: a fit is derived from the annotations whenever it is asked for. A
multi-choice answer is compared as a whole (its sorted labels joined by |), as in the quality
report. A vendor lead's fit uses only their own vendor's annotations.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Literal, get_args

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from labelops import projects
from labelops.auth import Action, Actor, Role
from labelops.errors import InvalidInput
from labelops.quality.aggregation import (
    Aggregate,
    dawid_skene,
    majority_vote,
    one_coin_dawid_skene,
)
from labelops.quality.answers import Answers
from labelops.quality.report import annotation_rows
from labelops.workforce import User, Vendor

Method = Literal["mv", "ds", "ods"]
METHODS: tuple[Method, ...] = get_args(Method)
MAX_ITEMS = 1_000


@dataclass(frozen=True)
class ProjectFit:
    """A fit over a project's annotations; `expected[w, k, l]` is the posterior-weighted
    number of answers l that labeler w gave to items whose true label is k."""

    method: Method
    answers: Answers  # tasks are item ids, workers labeler ids, labels joined answers
    aggregate: Aggregate
    expected: NDArray[np.float64]

    @cached_property
    def item_ids(self) -> list[int]:
        return [_as_int(task) for task in self.answers.tasks]

    def by_item(self) -> dict[int, tuple[str, float]]:
        """Each answered item's aggregated label and its posterior confidence."""
        labels = [str(label) for label in self.answers.labels]
        return {
            item_id: (labels[k], c)
            for item_id, k, c in zip(
                self.item_ids,
                self.aggregate.labels.tolist(),
                self.aggregate.confidence.tolist(),
                strict=True,
            )
        }


class LabelerConfusion(BaseModel):
    labeler_id: int
    username: str
    vendor: str | None
    answers: int
    accuracy: float  # expected share of their answers that match the true label
    answers_by_true_label: list[float]  # expected answers per row of the matrix
    matrix: list[list[float]]  # rows: true label, columns: given label; rows sum to 1


class ItemLabel(BaseModel):
    item_id: int
    external_id: str
    label: str
    confidence: float
    annotations: int


class ProjectAggregation(BaseModel):
    project_id: int
    method: Method
    labels: list[str]  # the order of every matrix's rows and columns and of `priors`
    answers: int
    items: int
    priors: list[float]
    iterations: int
    converged: bool
    log_likelihood: float
    labelers: list[LabelerConfusion]
    item_labels: list[ItemLabel]  # ordered by confidence, least confident first
    item_offset: int


def check_method(method: str) -> Method:
    if method not in METHODS:
        raise InvalidInput(
            f"method {method!r} is not one of {', '.join(METHODS)}",
            code="bad_method",
            field="method",
        )
    return method


def visible_vendor(actor: Actor) -> int | None:
    """The vendor whose annotations alone the actor may see (None: every vendor's)."""
    return actor.vendor_id if actor.role is Role.VENDOR_LEAD else None


def fit_project(
    session: Session, *, project_id: int, vendor_id: int | None, method: str
) -> ProjectFit | None:
    """Aggregate a project's annotations (one vendor's when `vendor_id` is set) with majority
    vote, Dawid–Skene or one-coin Dawid–Skene; None when there is no annotation yet. The
    caller has authorized the read."""
    chosen = check_method(method)
    rows = annotation_rows(session, project_id, vendor_id=vendor_id)
    if not rows:
        return None
    answers = Answers.from_triples((item, labeler, label) for item, labeler, label, *_ in rows)
    fit = {"mv": majority_vote, "ds": dawid_skene, "ods": one_coin_dawid_skene}[chosen]
    aggregate = fit(answers)
    return ProjectFit(chosen, answers, aggregate, expected_answers(answers, aggregate.posteriors))


def expected_answers(answers: Answers, posteriors: NDArray[np.float64]) -> NDArray[np.float64]:
    """workers × true label × given label: each answer counted with its task's posterior."""
    k = answers.n_labels
    given = answers.worker * k + answers.label
    expected = np.empty((answers.n_workers, k, k))
    for true in range(k):
        weights = posteriors[answers.task, true]
        expected[:, true, :] = np.bincount(
            given, weights=weights, minlength=answers.n_workers * k
        ).reshape(answers.n_workers, k)
    return expected


def project_aggregation(
    session: Session,
    *,
    actor: Actor,
    project_id: int,
    method: str = "ds",
    items: int = 100,
    offset: int = 0,
) -> ProjectAggregation:
    """Every labeler's confusion matrix and the class priors under the chosen model, with a page
    of items' aggregated labels (least confident first); a vendor lead sees their own
    vendor's labelers only, fitted on their own vendor's annotations."""
    actor.require(Action.VIEW_PROGRESS)
    project = projects.get_project(session, actor=actor, project_id=project_id)
    chosen = check_method(method)
    if not 0 <= items <= MAX_ITEMS:
        raise InvalidInput(f"items must be 0 to {MAX_ITEMS}", code="bad_limit", field="items")
    if offset < 0:
        raise InvalidInput("offset must be 0 or more", code="bad_offset", field="offset")
    fit = fit_project(
        session, project_id=project.id, vendor_id=visible_vendor(actor), method=chosen
    )
    return aggregation_view(session, project.id, chosen, fit, items=items, offset=offset)


def aggregation_view(
    session: Session,
    project_id: int,
    chosen: Method,
    fit: ProjectFit | None,
    *,
    items: int,
    offset: int,
) -> ProjectAggregation:
    """What project_aggregation answers, from a fit already made (None: no annotation yet)."""
    if fit is None:
        return ProjectAggregation(
            project_id=project_id,
            method=chosen,
            labels=[],
            answers=0,
            items=0,
            priors=[],
            iterations=0,
            converged=True,
            log_likelihood=0.0,
            labelers=[],
            item_labels=[],
            item_offset=offset,
        )
    aggregate = fit.aggregate
    return ProjectAggregation(
        project_id=project_id,
        method=chosen,
        labels=[str(label) for label in fit.answers.labels],
        answers=fit.answers.n_answers,
        items=fit.answers.n_tasks,
        priors=_rounded(aggregate.priors),
        iterations=aggregate.iterations,
        converged=aggregate.converged,
        log_likelihood=round(aggregate.log_likelihood, 6),
        labelers=_labelers(session, fit),
        item_labels=_item_labels(session, fit, items, offset),
        item_offset=offset,
    )


def _labelers(session: Session, fit: ProjectFit) -> list[LabelerConfusion]:
    ids = [_as_int(w) for w in fit.answers.workers]
    people = {
        user_id: (username, vendor)
        for user_id, username, vendor in session.execute(
            select(User.id, User.username, Vendor.name)
            .outerjoin(Vendor, Vendor.id == User.vendor_id)
            .where(User.id.in_(ids))
        )
    }
    given = np.bincount(fit.answers.worker, minlength=fit.answers.n_workers)
    out = []
    for w, labeler_id in enumerate(ids):
        expected = fit.expected[w]
        username, vendor = people.get(labeler_id, (f"user {labeler_id}", None))
        out.append(
            LabelerConfusion(
                labeler_id=labeler_id,
                username=username,
                vendor=vendor,
                answers=int(given[w]),
                accuracy=round(float(np.trace(expected) / max(expected.sum(), 1e-12)), 6),
                answers_by_true_label=_rounded(expected.sum(axis=1)),
                matrix=[_rounded(row) for row in fit.aggregate.worker_confusion[w]],
            )
        )
    return sorted(out, key=lambda labeler: (labeler.accuracy, labeler.username))


def _item_labels(session: Session, fit: ProjectFit, limit: int, offset: int) -> list[ItemLabel]:
    confidence = fit.aggregate.confidence
    item_ids = fit.item_ids
    order = np.lexsort((np.asarray(item_ids), confidence))[offset : offset + limit]
    page = [item_ids[i] for i in order.tolist()]
    item = projects.Item
    external: dict[int, str] = {
        row.id: row.external_id
        for row in session.execute(select(item.id, item.external_id).where(item.id.in_(page)))
    }
    counts = np.bincount(fit.answers.task, minlength=fit.answers.n_tasks)
    labels = fit.answers.labels
    return [
        ItemLabel(
            item_id=item_id,
            external_id=external.get(item_id, ""),
            label=str(labels[int(fit.aggregate.labels[i])]),
            confidence=round(float(confidence[i]), 6),
            annotations=int(counts[i]),
        )
        for item_id, i in zip(page, order.tolist(), strict=True)
    ]


def _rounded(values: Sequence[float] | NDArray[np.float64]) -> list[float]:
    return [round(float(v), 6) for v in values]


def _as_int(key: Hashable) -> int:
    assert isinstance(key, int), "items and labelers are keyed by their ids"
    return key
