"""The progress dashboard: throughput, burn-down, handling time, backlog, forecast and SLA.

Throughput and handling time by labeler and language come from the hourly rollups plus the
tail past their watermark (exact); handling time by label, which the rollups do not carry, from
the project's latest `LABEL_WINDOW` annotations. A vendor lead sees their own vendor's
throughput, handling time and labelers, the project's backlog, and no project-wide figure that
would reveal other vendors' work (burn-down, forecast, SLA).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import false, func, literal_column, select, union
from sqlalchemy.orm import Session

from labelops import projects, quality
from labelops.analytics.forecast import (
    LOOKBACK_DAYS,
    Forecast,
    Unfinished,
    forecast_from,
    unfinished,
)
from labelops.analytics.progress import _active_labelers
from labelops.analytics.rollups import hour_of, totals_by
from labelops.annotation import Annotation
from labelops.auth import Action, Actor, Role
from labelops.db import utcnow
from labelops.distribution import QueueEntry
from labelops.workforce import User, Vendor

HOURS = 48
DAYS = 30
LABEL_WINDOW = 10_000
SLA_WINDOW = 5_000


class HourBucket(BaseModel):
    start: datetime
    annotations: int


class DayBucket(BaseModel):
    day: date
    annotations: int


class BurnPoint(BaseModel):
    day: date
    remaining: int


class HandlingTime(BaseModel):
    key: str
    vendor: str | None = None
    annotations: int
    mean_duration_ms: float | None


class Backlog(BaseModel):
    total: int
    queued: int
    leased: int
    done: int
    in_review: int  # in an open audit and not yet judged, or under an open dispute
    escalated: int  # open escalations


class Sla(BaseModel):
    hours: float
    items_considered: int  # the latest SLA_WINDOW items (gold excluded)
    met: int  # done, last label within `hours` of the import
    missed: int  # done, later than that
    overdue: int  # not done, imported more than `hours` ago
    open_within: int  # not done, still within it
    attainment: float | None  # met / (met + missed)


class Dashboard(BaseModel):
    project_id: int
    project_name: str
    deadline: date | None
    vendor_only: bool  # the figures are one vendor's (a vendor lead's view)
    hourly: list[HourBucket]
    daily: list[DayBucket]
    burndown: list[BurnPoint] | None
    aht_by_labeler: list[HandlingTime]
    aht_by_language: list[HandlingTime]
    aht_by_label: list[HandlingTime]
    label_window: int  # how many of the latest annotations aht_by_label reads
    active_labelers: int
    backlog: Backlog
    forecast: Forecast | None
    sla: Sla | None
    as_of: datetime


def project_dashboard(session: Session, *, actor: Actor, project_id: int) -> Dashboard:
    """The figures a PM runs the project from; a vendor lead's are their own vendor's."""
    actor.require(Action.VIEW_PROGRESS)
    project = projects.get_project(session, actor=actor, project_id=project_id)
    now = utcnow()
    today = now.date()
    vendor_id = actor.vendor_id if actor.role is Role.VENDOR_LEAD else None
    hours = _hours(session, project.id, now, vendor_id)
    daily = _days(hours, today)
    burndown = forecast = sla = None
    short = unfinished(session, project.id)
    # One read of the rollups (and of the tail) for both handling-time tables.
    per_pair = totals_by(session, project.id, ("labeler", "language"), vendor_id=vendor_id)
    if vendor_id is None:
        remaining = short.remaining_labels
        forecast = forecast_from(
            remaining, {d.day: d.annotations for d in daily}, today=today, as_of=now
        )
        burndown = _burndown(session, project, remaining, daily, today)
        if project.sla_hours is not None:
            sla = _sla(session, project.id, project.sla_hours, now)
    return Dashboard(
        project_id=project.id,
        project_name=project.name,
        deadline=project.deadline,
        vendor_only=vendor_id is not None,
        hourly=[
            HourBucket(start=start, annotations=hours.get(start, 0))
            for start in _last_hours(now, HOURS)
        ],
        daily=daily[-DAYS:],
        burndown=burndown,
        aht_by_labeler=_aht_by_labeler(session, per_pair),
        aht_by_language=_aht_by_language(per_pair),
        aht_by_label=_aht_by_label(session, project.id, vendor_id),
        label_window=LABEL_WINDOW,
        active_labelers=_active_labelers(session, project.id, vendor_id, now),
        backlog=_backlog(session, project.id, short),
        forecast=forecast,
        sla=sla,
        as_of=now,
    )


def _last_hours(now: datetime, count: int) -> list[datetime]:
    current = hour_of(now)
    return [current - timedelta(hours=back) for back in range(count - 1, -1, -1)]


def _hours(
    session: Session, project_id: int, now: datetime, vendor_id: int | None
) -> dict[datetime, int]:
    """Annotations per hour over the forecast's look-back (which covers the charts')."""
    since = datetime.combine(now.date() - timedelta(days=LOOKBACK_DAYS), time(), UTC)
    totals = totals_by(session, project_id, "hour", since=since, vendor_id=vendor_id)
    return {hour: count for hour, (count, _) in totals.items()}


def _days(hours: dict[datetime, int], today: date) -> list[DayBucket]:
    """Annotations per UTC day, every day from the first active one (or DAYS ago) to today."""
    by_day: dict[date, int] = defaultdict(int)
    for hour, count in hours.items():
        by_day[hour.date()] += count
    first = min([*by_day, today - timedelta(days=DAYS - 1)])
    span = (today - first).days
    return [
        DayBucket(
            day=first + timedelta(days=n), annotations=by_day.get(first + timedelta(days=n), 0)
        )
        for n in range(span + 1)
    ]


def _burndown(
    session: Session,
    project: projects.Project,
    remaining: int,
    daily: list[DayBucket],
    today: date,
) -> list[BurnPoint]:
    """Labels still wanted at the end of each of the last DAYS days: today's, plus the labels
    given since, minus the labels of items imported since (their count times the overlap)."""
    imported: dict[date, int] = defaultdict(int)
    for created_at, count in session.execute(
        select(projects.ImportBatch.created_at, projects.ImportBatch.imported).where(
            projects.ImportBatch.project_id == project.id
        )
    ):
        imported[created_at.date()] += int(count) * project.overlap
    start = max(project.created_at.date(), today - timedelta(days=DAYS - 1))
    given = {bucket.day: bucket.annotations for bucket in daily}
    points: list[BurnPoint] = []
    level = remaining
    day = today
    while day >= start:
        points.append(BurnPoint(day=day, remaining=max(level, 0)))
        # Going back one day: undo that day's labels and imports.
        level += given.get(day, 0) - imported.get(day, 0)
        day -= timedelta(days=1)
    return points[::-1]


def _summed(pairs: dict[Any, tuple[int, int]], index: int) -> dict[Any, tuple[int, int]]:
    """Totals by one part of a (labeler, language) key."""
    totals: dict[Any, tuple[int, int]] = {}
    for key, (count, duration) in pairs.items():
        before = totals.get(key[index], (0, 0))
        totals[key[index]] = (before[0] + count, before[1] + duration)
    return totals


def _aht_by_labeler(session: Session, pairs: dict[Any, tuple[int, int]]) -> list[HandlingTime]:
    totals = _summed(pairs, 0)
    if not totals:
        return []
    people = {
        user_id: (username, vendor)
        for user_id, username, vendor in session.execute(
            select(User.id, User.username, Vendor.name)
            .outerjoin(Vendor, Vendor.id == User.vendor_id)
            .where(User.id.in_(list(totals)))
        )
    }
    rows = [
        HandlingTime(
            key=people[user_id][0],
            vendor=people[user_id][1],
            annotations=count,
            mean_duration_ms=_mean(duration, count),
        )
        for user_id, (count, duration) in totals.items()
    ]
    return sorted(rows, key=lambda row: (-row.annotations, row.key))


def _aht_by_language(pairs: dict[Any, tuple[int, int]]) -> list[HandlingTime]:
    totals = _summed(pairs, 1)
    return [
        HandlingTime(key=language, annotations=count, mean_duration_ms=_mean(duration, count))
        for language, (count, duration) in sorted(totals.items())
    ]


def _aht_by_label(session: Session, project_id: int, vendor_id: int | None) -> list[HandlingTime]:
    """Mean handling time of the latest LABEL_WINDOW annotations, by each label they gave
    (a multi-label answer counts towards each of its labels); untimed answers are left out."""
    a = Annotation
    query = (
        select(a.labels, a.duration_ms)
        .where(a.project_id == project_id)
        .order_by(a.submitted_at.desc())
        .limit(LABEL_WINDOW)
    )
    if vendor_id is not None:
        query = query.where(a.vendor_id == vendor_id)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for labels, duration in session.execute(query):
        for label in labels:
            entry = counts[label]
            entry[0] += 1
            if duration is not None:
                entry[1] += 1
                entry[2] += duration
    return [
        HandlingTime(key=label, annotations=n, mean_duration_ms=_mean(total, timed))
        for label, (n, timed, total) in sorted(counts.items(), key=lambda kv: (-kv[1][0], kv[0]))
    ]


def _mean(total: int, count: int) -> float | None:
    return None if count == 0 else round(total / count, 1)


def _backlog(session: Session, project_id: int, states: Unfinished) -> Backlog:
    total = int(
        session.scalar(select(func.count()).where(QueueEntry.project_id == project_id)) or 0
    )
    audit_items = (
        select(quality.AuditItem.item_id.label("item_id"))
        .join(quality.Audit, quality.Audit.id == quality.AuditItem.audit_id)
        .where(
            quality.Audit.project_id == project_id,
            quality.Audit.status == "open",
            quality.AuditItem.verdict.is_(None),
        )
    )
    disputed = select(quality.Dispute.item_id.label("item_id")).where(
        quality.Dispute.project_id == project_id, quality.Dispute.status == "open"
    )
    reviewing = union(audit_items, disputed).subquery()
    in_review = session.scalar(select(func.count()).select_from(reviewing))
    escalated = session.scalar(
        select(func.count()).where(
            quality.Escalation.project_id == project_id, quality.Escalation.resolved_at.is_(None)
        )
    )
    return Backlog(
        total=total,
        queued=states.queued,
        leased=states.leased,
        done=total - states.queued - states.leased,
        in_review=int(in_review or 0),
        escalated=int(escalated or 0),
    )


def _sla(session: Session, project_id: int, sla_hours: float, now: datetime) -> Sla:
    """Turnaround of the latest SLA_WINDOW items: from their import to their last label."""
    limit = timedelta(hours=sla_hours)
    q, item = QueueEntry, projects.Item
    window = session.execute(
        select(item.id, projects.ImportBatch.created_at, q.submitted >= q.target)
        .join(q, q.item_id == item.id)
        .join(projects.ImportBatch, projects.ImportBatch.id == item.batch_id)
        .where(_unindexed(item.project_id) == project_id, q.is_gold == false())
        .order_by(item.id.desc())
        .limit(SLA_WINDOW)
    ).all()
    last_label: dict[int, datetime] = {}
    if window:
        a = Annotation
        last_label = dict(
            session.execute(
                select(a.item_id, func.max(a.submitted_at))
                .where(a.project_id == project_id, a.item_id >= min(row[0] for row in window))
                .group_by(a.item_id)
            ).all()
        )
    met = missed = overdue = open_within = 0
    for item_id, imported_at, is_done in window:
        if is_done and item_id in last_label:
            if last_label[item_id] - imported_at <= limit:
                met += 1
            else:
                missed += 1
        elif now - imported_at > limit:
            overdue += 1
        else:
            open_within += 1
    return Sla(
        hours=sla_hours,
        items_considered=len(window),
        met=met,
        missed=missed,
        overdue=overdue,
        open_within=open_within,
        attainment=None if met + missed == 0 else round(met / (met + missed), 4),
    )


def _unindexed(column: Any) -> Any:
    """`column + 0`: keeps the planner off the column's indexes, so a newest-first walk of the
    primary key (stopping after a window) is not replaced by a scan of the whole project."""
    return column + literal_column("0")
