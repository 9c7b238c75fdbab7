"""What-if: the effect of another overlap, gold rate or more labelers on cost and completion.

The model, kept simple enough to check by hand:

- labels still needed: for every non-gold item, max(overlap - answers so far, 0) (a lower
  overlap never takes answers back); with gold rate g every labeler's stream is a share g of gold
  items, so the labels to pay for are needed / (1 - g);
- throughput: the labels one active labeler gave a day on the project's recent active days
  (the last 14 days with any answer), times the labelers working it (those who answered in the
  last 7 days, plus the ones added);
- completion: the dashboard's Monte Carlo (forecast.simulate_days: seeded, 5,000 runs), each
  future day a recent day's per-labeler rate drawn at random, giving P50 and P85 dates; no
  recent day: no date;
- cost: the project's observed cost per label at the vendors' rates (see scorecards) times the
  labels to pay for; no rates: no cost.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
from pydantic import BaseModel, Field
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from labelops import projects
from labelops.analytics.forecast import HORIZON_DAYS, completion_forecast, simulate_days
from labelops.analytics.scorecards import project_scorecards
from labelops.annotation import Annotation
from labelops.auth import Action, Actor
from labelops.db import utcnow
from labelops.distribution import QueueEntry

RECENT_DAYS = 14
ACTIVE_DAYS = 7


class WhatIf(BaseModel):
    overlap: int | None = Field(default=None, ge=1, le=50)
    gold_rate: float | None = Field(default=None, ge=0.0, le=0.9)
    added_labelers: int = Field(default=0, ge=-1000, le=10_000)


class Scenario(BaseModel):
    overlap: int
    gold_rate: float
    labelers: int
    labels_needed: int
    labels_to_pay: int
    cost: float | None
    p50: date | None
    p85: date | None


class WhatIfResult(BaseModel):
    project_id: int
    deadline: date | None
    per_labeler_day: list[float]  # the recent days' labels per active labeler
    cost_per_label: float | None
    baseline: Scenario
    scenario: Scenario


def what_if(session: Session, *, actor: Actor, project_id: int, change: WhatIf) -> WhatIfResult:
    actor.require(Action.MANAGE_PROJECT)
    project = projects.get_project(session, actor=actor, project_id=project_id)
    now = utcnow()
    rates = _per_labeler_day(session, project.id, now)
    labelers = _active_labelers(session, project.id, now)
    cost_per_label = _cost_per_label(session, actor, project.id)

    def scenario(overlap: int, gold_rate: float, people: int) -> Scenario:
        needed = _labels_needed(session, project.id, overlap)
        to_pay = _with_gold(needed, gold_rate)
        p50, p85 = (
            _forecast(to_pay, rates, people, now.date())
            if gold_rate < 1 or not needed
            else (None, None)
        )
        return Scenario(
            overlap=overlap,
            gold_rate=gold_rate,
            labelers=people,
            labels_needed=needed,
            labels_to_pay=to_pay,
            cost=None if cost_per_label is None else round(to_pay * cost_per_label, 2),
            p50=p50,
            p85=p85,
        )

    return WhatIfResult(
        project_id=project.id,
        deadline=project.deadline,
        per_labeler_day=[round(rate, 2) for rate in rates],
        cost_per_label=None if cost_per_label is None else round(cost_per_label, 4),
        baseline=scenario(project.overlap, project.gold_rate, labelers),
        scenario=scenario(
            change.overlap or project.overlap,
            project.gold_rate if change.gold_rate is None else change.gold_rate,
            max(labelers + change.added_labelers, 0),
        ),
    )


class Outlook(BaseModel):
    """The project as it goes: labels still needed and the P50 / P85 completion dates."""

    labels_needed: int
    labelers: int
    p50: date | None
    p85: date | None


def project_outlook(session: Session, project: projects.Project) -> Outlook:
    """The project as it goes, as the dashboard forecasts it (for reports; the caller has
    authorized the read)."""
    forecast = completion_forecast(session, project.id)
    return Outlook(
        labels_needed=forecast.remaining_labels,
        labelers=_active_labelers(session, project.id, utcnow()),
        p50=forecast.p50,
        p85=forecast.p85,
    )


def _with_gold(needed: int, gold_rate: float) -> int:
    """Labels served (and paid) to get `needed` real ones when a share gold_rate is gold."""
    return needed if gold_rate >= 1 else round(needed / (1 - gold_rate))


def _labels_needed(session: Session, project_id: int, overlap: int) -> int:
    short = case((QueueEntry.submitted < overlap, overlap - QueueEntry.submitted), else_=0)
    total = session.execute(
        select(func.coalesce(func.sum(short), 0)).where(
            QueueEntry.project_id == project_id, QueueEntry.is_gold.is_(False)
        )
    ).scalar_one()
    return int(total)


def _per_labeler_day(session: Session, project_id: int, now: datetime) -> list[float]:
    day = func.date(Annotation.submitted_at)
    rows = session.execute(
        select(day, func.count(), func.count(func.distinct(Annotation.labeler_id)))
        .where(
            Annotation.project_id == project_id,
            Annotation.submitted_at >= now - timedelta(days=RECENT_DAYS),
        )
        .group_by(day)
    ).all()
    return [count / people for _, count, people in rows if people]


def _active_labelers(session: Session, project_id: int, now: datetime) -> int:
    return int(
        session.execute(
            select(func.count(func.distinct(Annotation.labeler_id))).where(
                Annotation.project_id == project_id,
                Annotation.submitted_at >= now - timedelta(days=ACTIVE_DAYS),
            )
        ).scalar_one()
    )


def _cost_per_label(session: Session, actor: Actor, project_id: int) -> float | None:
    cards = project_scorecards(session, actor=actor, project_id=project_id).vendors
    priced = [card for card in cards if card.cost is not None and card.answers]
    answers = sum(card.answers for card in priced)
    if not answers:
        return None
    return sum(card.cost or 0.0 for card in priced) / answers


def _forecast(
    labels: int, rates: list[float], people: int, today: date
) -> tuple[date | None, date | None]:
    """P50 and P85 completion dates: each simulated day's labels are a recent day's per-labeler
    rate drawn at random, times the labelers (the dashboard's simulation); None when nothing
    can be forecast."""
    if labels <= 0:
        return today, today
    if not rates or people <= 0:
        return None, None
    days = simulate_days(labels, [rate * people for rate in rates])
    if days is None:
        return None, None
    p50, p85 = (int(np.quantile(days, q, method="inverted_cdf")) for q in (0.5, 0.85))
    return (
        None if p50 > HORIZON_DAYS else today + timedelta(days=p50),
        None if p85 > HORIZON_DAYS else today + timedelta(days=p85),
    )
