"""Where a project's items wait, and for how long: the bottleneck view.

An item not yet done is in exactly one of these stages now:

- waiting for a first labeler: no answer and nobody holds it (age: since its import);
- waiting for another labeler: some answers, fewer than its target, nobody holds it (age: since
  its latest answer);
- being labeled: a labeler holds a live lease on it (age: since the lease);
- escalated: waiting for a reviewer's decision (age: since the escalation);

and a done item may still wait for a reviewer in an open audit (age: since the audit began).
Each stage gives its count and the median, 90th percentile and oldest age; the *bottleneck* is
the stage holding the most item-hours of waiting (count x median age). Ages of the two waiting
stages are read from a bounded sample of their items (the oldest first, so the oldest age is
exact), counts always from all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from labelops import projects, quality
from labelops.annotation import Annotation
from labelops.auth import Action, Actor
from labelops.db import utcnow
from labelops.distribution import Assignment, AssignmentStatus, QueueEntry

SAMPLE = 5_000


class Stage(BaseModel):
    key: str
    name: str
    items: int
    median_hours: float | None
    p90_hours: float | None
    oldest_hours: float | None
    waiting_item_hours: float  # items x median age: what the bottleneck is judged on


class Bottlenecks(BaseModel):
    project_id: int
    as_of: datetime
    stages: list[Stage]
    bottleneck: str | None  # the key of the stage holding the most waiting


def project_bottlenecks(session: Session, *, actor: Actor, project_id: int) -> Bottlenecks:
    actor.require(Action.VIEW_PROGRESS)
    project = projects.get_project(session, actor=actor, project_id=project_id)
    now = utcnow()
    stages = [
        _stage(
            "first_labeler", "Waiting for a first labeler", _unstarted(session, project.id), now
        ),
        _stage("next_labeler", "Waiting for another labeler", _partial(session, project.id), now),
        _stage("labeling", "Being labeled", _leased(session, project.id), now),
        _stage("escalated", "Escalated to a reviewer", _escalated(session, project.id), now),
        _stage("audit", "Waiting for an audit verdict", _audit(session, project.id), now),
    ]
    busiest = max(stages, key=lambda stage: stage.waiting_item_hours)
    return Bottlenecks(
        project_id=project.id,
        as_of=now,
        stages=stages,
        bottleneck=busiest.key if busiest.waiting_item_hours > 0 else None,
    )


def _stage(key: str, name: str, found: tuple[int, Sequence[datetime]], now: datetime) -> Stage:
    count, since = found
    if not since:
        return Stage(
            key=key,
            name=name,
            items=count,
            median_hours=None,
            p90_hours=None,
            oldest_hours=None,
            waiting_item_hours=0.0,
        )
    hours = np.array([(now - moment).total_seconds() / 3600 for moment in since])
    median = round(float(np.median(hours)), 2)
    return Stage(
        key=key,
        name=name,
        items=count,
        median_hours=median,
        p90_hours=round(float(np.percentile(hours, 90)), 2),
        oldest_hours=round(float(hours.max()), 2),
        waiting_item_hours=round(count * median, 2),
    )


def _unstarted(session: Session, project_id: int) -> tuple[int, list[datetime]]:
    item, batch = projects.Item, projects.ImportBatch
    waiting = (
        QueueEntry.project_id == project_id,
        QueueEntry.is_gold.is_(False),
        QueueEntry.submitted == 0,
        QueueEntry.open_slots == QueueEntry.target,
    )
    count = session.execute(select(func.count()).where(*waiting)).scalar_one()
    since = session.scalars(
        select(batch.created_at)
        .select_from(QueueEntry)
        .join(item, item.id == QueueEntry.item_id)
        .join(batch, batch.id == item.batch_id)
        .where(*waiting)
        .order_by(QueueEntry.item_id)
        .limit(SAMPLE)
    ).all()
    return count, list(since)


def _partial(session: Session, project_id: int) -> tuple[int, list[datetime]]:
    waiting = (
        QueueEntry.project_id == project_id,
        QueueEntry.is_gold.is_(False),
        QueueEntry.submitted > 0,
        QueueEntry.submitted < QueueEntry.target,
        QueueEntry.open_slots == QueueEntry.target - QueueEntry.submitted,
    )
    count = session.execute(select(func.count()).where(*waiting)).scalar_one()
    sampled = select(QueueEntry.item_id).where(*waiting).order_by(QueueEntry.item_id).limit(SAMPLE)
    since = session.scalars(
        select(func.max(Annotation.submitted_at))
        .where(Annotation.item_id.in_(sampled))
        .group_by(Annotation.item_id)
    ).all()
    return count, [moment for moment in since if moment is not None]


def _leased(session: Session, project_id: int) -> tuple[int, list[datetime]]:
    since = session.scalars(
        select(Assignment.leased_at).where(
            Assignment.project_id == project_id,
            Assignment.status == AssignmentStatus.LEASED,
            Assignment.lease_expires_at > utcnow(),
        )
    ).all()
    return len(since), list(since)


def _escalated(session: Session, project_id: int) -> tuple[int, list[datetime]]:
    since = session.scalars(
        select(quality.Escalation.created_at).where(
            quality.Escalation.project_id == project_id,
            quality.Escalation.resolved_at.is_(None),
        )
    ).all()
    return len(since), list(since)


def _audit(session: Session, project_id: int) -> tuple[int, list[datetime]]:
    since = session.scalars(
        select(quality.Audit.created_at)
        .join(quality.AuditItem, quality.AuditItem.audit_id == quality.Audit.id)
        .where(
            quality.Audit.project_id == project_id,
            quality.Audit.status == "open",
            quality.AuditItem.reviewed_at.is_(None),
        )
    ).all()
    return len(since), list(since)
