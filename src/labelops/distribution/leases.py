"""Leasing items to labelers, and getting them back when a lease ends.

How "never" is made true, on SQLite and PostgreSQL alike:
- one assignment per (item, labeler) is a unique constraint, so a race ends in an IntegrityError
  that rolls back a savepoint and moves on to the next candidate, never in a duplicate;
- an item's open slots only fall through a compare-and-set update that checks its row count;
- on PostgreSQL, candidates are read `FOR UPDATE SKIP LOCKED`, so concurrent pickers spread
  over different items instead of queueing on one; SQLite runs one writer at a time.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from labelops import projects
from labelops.auth import Actor
from labelops.db import table, utcnow
from labelops.distribution.models import (
    HAS_OPEN_SLOTS,
    IS_LEASED,
    Assignment,
    AssignmentStatus,
    QueueEntry,
)
from labelops.distribution.queue import give_back_slots, take_slot
from labelops.distribution.rules import Eligibility, LeaseContext, evaluate
from labelops.errors import Conflict

# The labeling screen holds the item on screen and the prefetched next one.
MAX_ACTIVE_LEASES = 2
_CANDIDATES_PER_LANGUAGE = 2
_ROUNDS = 3
_EXPIRY_BATCH = 500

_assignments = table(Assignment)
_LEASED = AssignmentStatus.LEASED.value


@dataclass(frozen=True, slots=True)
class LeasedItem:
    id: int
    external_id: str
    text: str
    language: str
    meta: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class Lease:
    assignment_id: int
    project_id: int
    item: LeasedItem
    leased_at: datetime
    lease_expires_at: datetime


def lease_next_item(
    session: Session, *, actor: Actor, project_id: int, exclude: Collection[int] = ()
) -> Lease | None:
    """The labeler's next item: the one they already hold (unless excluded), else a new lease on
    the highest-priority eligible item with an open slot they have never had; None if none."""
    project = projects.get_labeling_project(session, actor=actor, project_id=project_id)
    now = utcnow()
    expires = now + timedelta(seconds=project.lease_seconds)
    expire_leases(session, project_id=project.id, now=now)
    held = _held_leases(session, actor, project.id)
    for assignment_id, item_id, leased_at in held:
        if assignment_id not in exclude:
            _renew(session, assignment_id, expires)
            return _lease(session, assignment_id, project.id, item_id, leased_at, expires)
    if len(held) >= MAX_ACTIVE_LEASES:
        raise Conflict(
            f"you already hold {len(held)} items of this project; submit or skip one first",
            code="too_many_leases",
        )
    eligibility = evaluate(session, LeaseContext(actor=actor, project=project, now=now))
    if eligibility.blocked is not None:
        code, message = eligibility.blocked
        raise Conflict(message, code=code)
    for _ in range(_ROUNDS):
        candidates = _candidates(session, actor, project.id, eligibility)
        if not candidates:
            return None
        for item_id in candidates:
            taken = _take(session, actor, project.id, item_id, now, expires)
            if taken is not None:
                return _lease(session, taken, project.id, item_id, now, expires)
    return None


def expire_leases(session: Session, *, project_id: int, now: datetime | None = None) -> int:
    """End the project's leases that ran out and reopen their slots, in this transaction."""
    now = now or utcnow()
    connection = session.connection()
    due = (
        connection.execute(
            select(_assignments.c.id)
            .where(
                _assignments.c.project_id == project_id,
                IS_LEASED,
                _assignments.c.lease_expires_at < now,
            )
            .order_by(_assignments.c.id)
            .limit(_EXPIRY_BATCH)
            .with_for_update(skip_locked=True)
        )
        .scalars()
        .all()
    )
    if not due:
        return 0
    item_ids = (
        connection.execute(
            update(_assignments)
            .where(_assignments.c.id.in_(due), _assignments.c.status == _LEASED)
            .values(status=AssignmentStatus.EXPIRED.value, ended_at=now)
            .returning(_assignments.c.item_id)
        )
        .scalars()
        .all()
    )
    give_back_slots(session, item_ids)
    return len(item_ids)


def _held_leases(
    session: Session, actor: Actor, project_id: int
) -> list[tuple[int, int, datetime]]:
    rows = session.connection().execute(
        select(_assignments.c.id, _assignments.c.item_id, Assignment.leased_at)
        .where(
            _assignments.c.labeler_id == actor.user_id,
            _assignments.c.project_id == project_id,
            IS_LEASED,
        )
        .order_by(_assignments.c.id)
    )
    return [(row.id, row.item_id, row.leased_at) for row in rows]


def _renew(session: Session, assignment_id: int, expires: datetime) -> None:
    session.connection().execute(
        update(_assignments)
        .where(_assignments.c.id == assignment_id, _assignments.c.status == _LEASED)
        .values(lease_expires_at=expires)
    )


def _candidates(
    session: Session, actor: Actor, project_id: int, eligibility: Eligibility
) -> list[int]:
    found: list[tuple[int, int]] = []
    already_had = exists().where(
        Assignment.item_id == QueueEntry.item_id, Assignment.labeler_id == actor.user_id
    )
    for language in sorted(eligibility.languages):
        rows = session.execute(
            select(QueueEntry.item_id, QueueEntry.priority)
            .where(
                QueueEntry.project_id == project_id,
                QueueEntry.language == language,
                HAS_OPEN_SLOTS,
                ~already_had,
                *eligibility.conditions,
            )
            .order_by(QueueEntry.priority.desc(), QueueEntry.item_id)
            .limit(_CANDIDATES_PER_LANGUAGE)
            .with_for_update(skip_locked=True)
        )
        found.extend((row.item_id, row.priority) for row in rows)
    found.sort(key=lambda pair: (-pair[1], pair[0]))
    return [item_id for item_id, _ in found]


def _take(
    session: Session,
    actor: Actor,
    project_id: int,
    item_id: int,
    now: datetime,
    expires: datetime,
) -> int | None:
    assert actor.user_id is not None
    try:
        with session.begin_nested():
            if not take_slot(session, item_id):
                return None
            return int(
                session.connection()
                .execute(
                    insert(_assignments)
                    .values(
                        project_id=project_id,
                        item_id=item_id,
                        labeler_id=actor.user_id,
                        status=_LEASED,
                        leased_at=now,
                        lease_expires_at=expires,
                    )
                    .returning(_assignments.c.id)
                )
                .scalar_one()
            )
    except IntegrityError:  # they got this item in a concurrent transaction
        return None


def _lease(
    session: Session,
    assignment_id: int,
    project_id: int,
    item_id: int,
    leased_at: datetime,
    expires: datetime,
) -> Lease:
    item = (
        session.connection()
        .execute(
            select(
                projects.Item.external_id,
                projects.Item.text,
                projects.Item.language,
                projects.Item.meta,
            ).where(projects.Item.id == item_id)
        )
        .one()
    )
    return Lease(
        assignment_id=assignment_id,
        project_id=project_id,
        item=LeasedItem(item_id, item.external_id, item.text, item.language, item.meta),
        leased_at=leased_at,
        lease_expires_at=expires,
    )
