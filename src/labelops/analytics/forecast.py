"""When a project will be done: a Monte Carlo over its recent daily throughput.

Each run draws days, with replacement, from the last `ACTIVE_DAYS` completed days on which
anything was labeled, and counts the days until their labels cover what is still wanted; the
first simulated day is tomorrow (today is still running). P50 and P85 are quantiles of the runs'
finishing dates. Seeded, so the same facts give the same dates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

import numpy as np
from pydantic import BaseModel
from sqlalchemy import case, func, literal_column, select
from sqlalchemy.orm import Session

from labelops.analytics.rollups import totals_by
from labelops.db import utcnow
from labelops.distribution import Assignment, QueueEntry

RUNS = 5_000
ACTIVE_DAYS = 14
LOOKBACK_DAYS = 90
HORIZON_DAYS = 3 * 365  # beyond this, no date is given
SEED = 20_261_125

Severity = Literal["low", "medium", "high", "critical"]


class Forecast(BaseModel):
    remaining_labels: int
    # Labels per completed active day, over the days sampled (oldest first).
    daily_labels: list[int]
    mean_daily_labels: float | None
    p50: date | None  # None: nothing left, or no throughput to forecast from, or too far
    p85: date | None
    done: bool  # nothing is left to label
    as_of: datetime


class Unfinished(BaseModel):
    queued: int  # not done, nobody on it now
    leased: int  # not done, someone holds it now
    remaining_labels: int  # labels still wanted from them


def unfinished(session: Session, project_id: int) -> Unfinished:
    """The items still short of their target, read through the queue's partial index of entries
    with open slots plus the few with every slot leased (through the live leases): the cost
    follows the backlog, not the project's size."""
    q = QueueEntry
    leased_now = (q.target - q.submitted - q.open_slots) > 0
    n_open, wanted_open, leased_open = session.execute(
        select(
            func.count(),
            func.sum(q.target - q.submitted),
            func.sum(case((leased_now, 1), else_=0)),
        ).where(q.project_id == project_id, q.open_slots > literal_column("0"))
    ).one()
    held = (
        select(Assignment.item_id)
        .where(
            Assignment.project_id == project_id,
            Assignment.status == literal_column("'leased'"),
        )
        .distinct()
        .subquery()
    )
    n_full, wanted_full = session.execute(
        select(func.count(), func.sum(q.target - q.submitted))
        .join(held, held.c.item_id == q.item_id)
        .where(q.open_slots == literal_column("0"), q.submitted < q.target)
    ).one()
    leased = int(leased_open or 0) + int(n_full or 0)
    return Unfinished(
        queued=int(n_open or 0) - int(leased_open or 0),
        leased=leased,
        remaining_labels=int(wanted_open or 0) + int(wanted_full or 0),
    )


def remaining_labels(session: Session, project_id: int) -> int:
    """Labels still wanted: over the project's queue, target minus submitted where short."""
    return unfinished(session, project_id).remaining_labels


def daily_labels(
    session: Session, project_id: int, *, today: date, vendor_id: int | None = None
) -> dict[date, int]:
    """Annotations per UTC day over the look-back window, today included."""
    since = datetime.combine(today - timedelta(days=LOOKBACK_DAYS), time(), UTC)
    days: dict[date, int] = defaultdict(int)
    for hour, (count, _) in totals_by(
        session, project_id, "hour", since=since, vendor_id=vendor_id
    ).items():
        days[hour.date()] += count
    return dict(days)


def completion_forecast(session: Session, project_id: int) -> Forecast:
    """P50 and P85 completion dates of the project from its recent daily throughput (no access
    check: callers check the actor)."""
    now = utcnow()
    today = now.date()
    remaining = remaining_labels(session, project_id)
    by_day = daily_labels(session, project_id, today=today)
    return forecast_from(remaining, by_day, today=today, as_of=now)


def forecast_from(
    remaining: int, by_day: dict[date, int], *, today: date, as_of: datetime
) -> Forecast:
    """The forecast from labels still wanted and labels per day (pure)."""
    sample = [by_day[day] for day in sorted(by_day) if day < today and by_day[day] > 0]
    sample = sample[-ACTIVE_DAYS:]
    mean = float(np.mean(sample)) if sample else None
    p50 = p85 = None
    if remaining > 0 and sample:
        days = simulate_days(remaining, sample)
        if days is not None:
            p50 = today + timedelta(days=int(np.quantile(days, 0.5, method="inverted_cdf")))
            p85 = today + timedelta(days=int(np.quantile(days, 0.85, method="inverted_cdf")))
    return Forecast(
        remaining_labels=remaining,
        daily_labels=sample,
        mean_daily_labels=None if mean is None else round(mean, 1),
        p50=p50,
        p85=p85,
        done=remaining == 0,
        as_of=as_of,
    )


def simulate_days(remaining: int, sample: Sequence[float], runs: int = RUNS) -> np.ndarray | None:
    """Days each run needs to cover `remaining` labels drawing days from `sample`; None when
    the median run would pass the horizon."""
    rng = np.random.default_rng(SEED)
    rates = np.asarray(sample, dtype=np.float64)
    expected = int(np.ceil(remaining / rates.mean()))
    if expected > HORIZON_DAYS:
        return None
    # Enough days that nearly every run finishes in one draw; the rest draw more.
    width = min(max(2 * expected + 8, 16), HORIZON_DAYS)
    cumulative = np.zeros(runs, dtype=np.float64)
    finished = np.full(runs, -1, dtype=np.int64)
    drawn = 0
    while drawn < HORIZON_DAYS and (finished < 0).any():
        draws = rng.choice(rates, size=(runs, width))
        totals = cumulative[:, None] + np.cumsum(draws, axis=1)
        reached = totals >= remaining
        first = np.where(reached.any(axis=1), reached.argmax(axis=1), -1)
        newly = (finished < 0) & (first >= 0)
        finished[newly] = drawn + first[newly] + 1
        cumulative = totals[:, -1]
        drawn += width
    finished[finished < 0] = HORIZON_DAYS + 1
    return finished


def deadline_risk(
    forecast: Forecast, deadline: date | None
) -> tuple[Severity, str, dict[str, object]] | None:
    """The deadline-at-risk alert, if any: critical when even the median (P50) date is after the
    deadline, high when only the P85 date is (pure; for the risk register)."""
    if deadline is None or forecast.done:
        return None
    evidence: dict[str, object] = {
        "deadline": deadline.isoformat(),
        "p50": None if forecast.p50 is None else forecast.p50.isoformat(),
        "p85": None if forecast.p85 is None else forecast.p85.isoformat(),
        "remaining_labels": forecast.remaining_labels,
        "mean_daily_labels": forecast.mean_daily_labels,
        "active_days_sampled": len(forecast.daily_labels),
    }
    if forecast.p50 is None and not forecast.daily_labels:
        return (
            "critical",
            f"No labeling in the last {LOOKBACK_DAYS} days; "
            f"{forecast.remaining_labels} labels due by {deadline.isoformat()}",
            evidence,
        )
    if forecast.p50 is None or forecast.p50 > deadline:
        when = "beyond the forecast horizon" if forecast.p50 is None else forecast.p50.isoformat()
        return (
            "critical",
            f"Median forecast ({when}) is after the deadline {deadline.isoformat()}",
            evidence,
        )
    if forecast.p85 is None or forecast.p85 > deadline:
        when = "beyond the forecast horizon" if forecast.p85 is None else forecast.p85.isoformat()
        return (
            "high",
            f"85 % forecast ({when}) is after the deadline {deadline.isoformat()}",
            evidence,
        )
    return None
