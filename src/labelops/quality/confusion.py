"""Confusion mining: which label pairs and which items labelers disagree on, as candidate
guideline clarifications.

A pair is ranked by its *expected confusions*: answers of one label given to items whose true
label is the other, summed over labelers and both directions, each answer weighted by its
item's Dawid–Skene posterior (the off-diagonal mass of the labelers' confusion matrices, weighted
by how many answers each gave). Raw *disagreements* count, over items, the pairs of labelers who
gave the two labels to the same item. An item's disagreement is the entropy of its answers,
normalised so that a unanimous item scores 0 and answers spread as evenly as they can be 1.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from labelops import guidelines, projects
from labelops.auth import Action, Actor
from labelops.errors import InvalidInput
from labelops.quality.answers import Answers
from labelops.quality.project_aggregation import (
    Method,
    ProjectAggregation,
    ProjectFit,
    aggregation_view,
    check_method,
    fit_project,
    visible_vendor,
)

MAX_ROWS = 200
EXCERPT_CHARS = 280


class ConfusedPair(BaseModel):
    labels: tuple[str, str]
    expected_confusions: float  # both directions
    first_as_second: float  # answers `labels[1]` given to items whose true label is `labels[0]`
    second_as_first: float
    disagreements: int  # pairs of labelers who gave these two labels to the same item


class DisputedItem(BaseModel):
    item_id: int
    external_id: str
    excerpt: str
    language: str
    answers: dict[str, int]  # label → how many labelers gave it
    disagreement: float  # normalised entropy of the answers, 0–1
    label: str  # the aggregated label
    confidence: float
    has_example: bool  # already a guideline example


class ExampleSummary(BaseModel):
    item_id: int
    labels: list[str]
    explanation: str
    created_at: datetime


class ConfusionReport(BaseModel):
    project_id: int
    method: str
    answers: int
    pairs: list[ConfusedPair]
    items: list[DisputedItem]
    examples: list[ExampleSummary]


def confusion_report(
    session: Session,
    *,
    actor: Actor,
    project_id: int,
    method: str = "ds",
    pairs: int = 10,
    items: int = 20,
) -> ConfusionReport:
    """The label pairs most confused and the items with the most disagreement (at least two
    answers, not all alike), with the project's guideline examples: what the quality page shows
    to turn disagreement into guideline clarifications. A vendor lead's is from their vendor's
    annotations."""
    actor.require(Action.VIEW_PROGRESS)
    project = projects.get_project(session, actor=actor, project_id=project_id)
    chosen = check_method(method)
    for name, value in (("pairs", pairs), ("items", items)):
        if not 0 <= value <= MAX_ROWS:
            raise InvalidInput(f"{name} must be 0 to {MAX_ROWS}", code="bad_limit", field=name)
    fit = fit_project(
        session, project_id=project.id, vendor_id=visible_vendor(actor), method=chosen
    )
    return confusion_view(session, project.id, chosen, fit, pairs=pairs, items=items)


def confusion_view(
    session: Session,
    project_id: int,
    chosen: Method,
    fit: ProjectFit | None,
    *,
    pairs: int,
    items: int,
) -> ConfusionReport:
    """What confusion_report answers, from a fit already made (None: no annotation yet)."""
    examples = _examples(session, project_id)
    if fit is None:
        return ConfusionReport(
            project_id=project_id, method=chosen, answers=0, pairs=[], items=[], examples=examples
        )
    return ConfusionReport(
        project_id=project_id,
        method=chosen,
        answers=fit.answers.n_answers,
        pairs=confused_pairs(fit)[:pairs],
        items=_disputed_items(session, fit, items, {e.item_id for e in examples}),
        examples=examples,
    )


def confused_pairs(fit: ProjectFit) -> list[ConfusedPair]:
    """Every pair of labels someone confused, most expected confusions first."""
    labels = fit.answers.labels
    expected = fit.expected.sum(axis=0)  # true × given, over labelers
    together = _disagreement_pairs(fit.answers)
    found = []
    for a in range(len(labels)):
        for b in range(a + 1, len(labels)):
            total = expected[a, b] + expected[b, a]
            if total < 1e-9 and together[a, b] == 0:
                continue
            found.append(
                ConfusedPair(
                    labels=(str(labels[a]), str(labels[b])),
                    expected_confusions=round(float(total), 4),
                    first_as_second=round(float(expected[a, b]), 4),
                    second_as_first=round(float(expected[b, a]), 4),
                    disagreements=int(together[a, b]),
                )
            )
    return sorted(found, key=lambda p: (-p.expected_confusions, -p.disagreements, p.labels))


def _disagreement_pairs(answers: Answers) -> NDArray[np.int64]:
    """labels × labels: Σ over items of (labelers giving a) × (labelers giving b)."""
    counts = answers.counts()
    together: NDArray[np.int64] = counts.T @ counts
    return together


def disagreement(counts: NDArray[np.int64]) -> NDArray[np.float64]:
    """Per row of a tasks × labels count matrix: entropy over the largest entropy its number
    of answers allows (0 with fewer than two answers)."""
    totals = counts.sum(axis=1)
    shares = np.divide(counts, np.maximum(totals, 1)[:, None])
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(shares > 0, -shares * np.log(np.where(shares > 0, shares, 1.0)), 0.0)
    entropy = terms.sum(axis=1)
    ceiling = np.log(np.minimum(totals, counts.shape[1]).clip(min=1))
    normalised: NDArray[np.float64] = np.divide(
        entropy, ceiling, out=np.zeros_like(entropy), where=ceiling > 0
    )
    return normalised.clip(0.0, 1.0)


def _disputed_items(
    session: Session, fit: ProjectFit, limit: int, with_example: set[int]
) -> list[DisputedItem]:
    counts = fit.answers.counts()
    scores = disagreement(counts)
    totals = counts.sum(axis=1)
    # most disagreement first, then most answers, then the lowest posterior confidence
    order = np.lexsort((np.asarray(fit.item_ids), fit.aggregate.confidence, -totals, -scores))
    chosen = [int(i) for i in order.tolist() if scores[i] > 0][:limit]
    every_item = fit.item_ids
    item_ids = [every_item[i] for i in chosen]
    item = projects.Item
    facts = {
        row.id: row
        for row in session.execute(
            select(item.id, item.external_id, item.text, item.language).where(item.id.in_(item_ids))
        )
    }
    labels = [str(label) for label in fit.answers.labels]
    out = []
    for i, item_id in zip(chosen, item_ids, strict=True):
        row = facts[item_id]
        out.append(
            DisputedItem(
                item_id=item_id,
                external_id=row.external_id,
                excerpt=_excerpt(row.text),
                language=row.language,
                answers={labels[k]: int(n) for k, n in enumerate(counts[i].tolist()) if n},
                disagreement=round(float(scores[i]), 4),
                label=labels[int(fit.aggregate.labels[i])],
                confidence=round(float(fit.aggregate.confidence[i]), 4),
                has_example=item_id in with_example,
            )
        )
    return out


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"


def _examples(session: Session, project_id: int) -> list[ExampleSummary]:
    return [
        ExampleSummary(
            item_id=e.item_id, labels=e.labels, explanation=e.explanation, created_at=e.created_at
        )
        for e in guidelines.examples_of(session, project_id)
    ]


def fitted_views(
    session: Session, *, actor: Actor, project_id: int, pairs: int = 6, items: int = 8
) -> tuple[ProjectAggregation, ConfusionReport]:
    """The labelers' Dawid–Skene matrices and the confusion report from ONE fit of the project
    (what the quality page shows; each public function alone would fit it again)."""
    actor.require(Action.VIEW_PROGRESS)
    project = projects.get_project(session, actor=actor, project_id=project_id)
    fit = fit_project(session, project_id=project.id, vendor_id=visible_vendor(actor), method="ds")
    return (
        aggregation_view(session, project.id, "ds", fit, items=0, offset=0),
        confusion_view(session, project.id, "ds", fit, pairs=pairs, items=items),
    )
