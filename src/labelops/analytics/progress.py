"""Progress of a project, derived from the queue and the annotations (no counters of its own)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel
from sqlalchemy import case, func, select, union
from sqlalchemy.orm import Session

from labelops import projects
from labelops.annotation import Annotation
from labelops.auth import Action, Actor, Role
from labelops.db import utcnow
from labelops.distribution import Assignment, AssignmentStatus, QueueEntry
from labelops.workforce import User, Vendor

ACTIVE_WINDOW = timedelta(minutes=15)


class ItemStates(BaseModel):
    total: int = 0
    queued: int = 0  # waiting for (more) labelers, nobody on it now
    leased: int = 0  # at least one labeler holds it now
    done: int = 0  # has all the labels it wants


class LanguageProgress(ItemStates):
    language: str


class LabelerProgress(BaseModel):
    username: str
    vendor: str | None
    annotations: int
    mean_duration_ms: float | None
    last_submitted_at: datetime | None


class Progress(BaseModel):
    project_id: int
    items: ItemStates
    by_language: list[LanguageProgress]
    annotations: int
    skips: int
    active_labelers: int
    labelers: list[LabelerProgress]
    as_of: datetime


def project_progress(session: Session, *, actor: Actor, project_id: int) -> Progress:
    """Items by state, annotations and active labelers; a vendor lead sees only their vendor's
    people and work."""
    actor.require(Action.VIEW_PROGRESS)
    project = projects.get_project(session, actor=actor, project_id=project_id)
    now = utcnow()
    vendor_id = actor.vendor_id if actor.role is Role.VENDOR_LEAD else None
    by_language = _item_states(session, project.id)
    totals = ItemStates(
        total=sum(lang.total for lang in by_language),
        queued=sum(lang.queued for lang in by_language),
        leased=sum(lang.leased for lang in by_language),
        done=sum(lang.done for lang in by_language),
    )
    labelers = _labelers(session, project.id, vendor_id)
    return Progress(
        project_id=project.id,
        items=totals,
        by_language=by_language,
        annotations=sum(row.annotations for row in labelers),
        skips=_skips(session, project.id, vendor_id),
        active_labelers=_active_labelers(session, project.id, vendor_id, now),
        labelers=labelers,
        as_of=now,
    )


def item_states_by_project(
    session: Session, *, actor: Actor, project_ids: Sequence[int]
) -> dict[int, ItemStates]:
    """Items by state for many projects at once (a list page), in one query; the caller passes
    projects the actor may see."""
    actor.require(Action.VIEW_PROGRESS)
    states = {project_id: ItemStates() for project_id in project_ids}
    total, done, leased = _state_counts()
    rows = session.execute(
        select(QueueEntry.project_id, total, done, leased)
        .where(QueueEntry.project_id.in_(project_ids))
        .group_by(QueueEntry.project_id)
    )
    for project_id, n_total, n_done, n_leased in rows:
        states[project_id] = _states(n_total, n_done, n_leased)
    return states


def _state_counts() -> tuple[Any, Any, Any]:
    q = QueueEntry
    done = q.submitted >= q.target
    leased = (q.target - q.submitted - q.open_slots) > 0
    return (
        func.count(),
        func.sum(case((done, 1), else_=0)),
        func.sum(case((~done & leased, 1), else_=0)),
    )


def _states(total: int, done: int | None, leased: int | None) -> ItemStates:
    n_done, n_leased = int(done or 0), int(leased or 0)
    return ItemStates(total=total, done=n_done, leased=n_leased, queued=total - n_done - n_leased)


def _item_states(session: Session, project_id: int) -> list[LanguageProgress]:
    q = QueueEntry
    total, done, leased = _state_counts()
    rows = session.execute(
        select(q.language, total, done, leased)
        .where(q.project_id == project_id)
        .group_by(q.language)
        .order_by(q.language)
    ).all()
    return [
        LanguageProgress(language=language, **_states(n, n_done, n_leased).model_dump())
        for language, n, n_done, n_leased in rows
    ]


def _labelers(session: Session, project_id: int, vendor_id: int | None) -> list[LabelerProgress]:
    a = Annotation
    query = (
        select(
            User.username,
            Vendor.name,
            func.count(a.id),
            func.avg(a.duration_ms),
            func.max(a.submitted_at),
        )
        .join(User, User.id == a.labeler_id)
        .outerjoin(Vendor, Vendor.id == a.vendor_id)
        .where(a.project_id == project_id)
        .group_by(User.username, Vendor.name)
        .order_by(func.count(a.id).desc(), User.username)
    )
    if vendor_id is not None:
        query = query.where(a.vendor_id == vendor_id)
    return [
        LabelerProgress(
            username=username,
            vendor=vendor,
            annotations=count,
            mean_duration_ms=None if mean is None else round(float(mean), 1),
            last_submitted_at=last,
        )
        for username, vendor, count, mean, last in session.execute(query)
    ]


def _skips(session: Session, project_id: int, vendor_id: int | None) -> int:
    query = (
        select(func.count())
        .select_from(Assignment)
        .where(
            Assignment.project_id == project_id,
            Assignment.status == AssignmentStatus.SKIPPED.value,
        )
    )
    if vendor_id is not None:
        query = query.join(User, User.id == Assignment.labeler_id).where(
            User.vendor_id == vendor_id
        )
    return int(session.scalar(query) or 0)


def _active_labelers(
    session: Session, project_id: int, vendor_id: int | None, now: datetime
) -> int:
    submitted = select(Annotation.labeler_id.label("labeler_id")).where(
        Annotation.project_id == project_id, Annotation.submitted_at >= now - ACTIVE_WINDOW
    )
    holding = select(Assignment.labeler_id.label("labeler_id")).where(
        Assignment.project_id == project_id,
        Assignment.status == AssignmentStatus.LEASED.value,
        Assignment.lease_expires_at > now,
    )
    if vendor_id is not None:
        submitted = submitted.where(Annotation.vendor_id == vendor_id)
        holding = holding.join(User, User.id == Assignment.labeler_id).where(
            User.vendor_id == vendor_id
        )
    people = union(submitted, holding).subquery()
    return int(session.scalar(select(func.count(func.distinct(people.c.labeler_id)))) or 0)
