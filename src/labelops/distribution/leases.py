"""Leasing items to labelers, and getting them back when a lease ends.

How "never" is made true, on SQLite and PostgreSQL alike:
- one assignment per (item, labeler) is a unique constraint, so a race ends in an IntegrityError
  that rolls back a savepoint and moves on to the next candidate, never in a duplicate;
- an item's open slots only fall through a compare-and-set update that checks its row count;
- on PostgreSQL, candidates are read `FOR UPDATE SKIP LOCKED`, so concurrent pickers spread
  over different items instead of queueing on one; SQLite runs one writer at a time, so there
  the race cannot happen and the savepoint is skipped.

This is the hottest path of the product: its statements are built once and run as FastStatements
(compiled once per dialect, executed on the driver's cursor), because SQLAlchemy's per-execution
machinery costs several times what the SQL itself does.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Collection, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Connection,
    bindparam,
    case,
    exists,
    insert,
    literal_column,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from labelops import projects
from labelops.auth import Actor
from labelops.db import AnySelect, FastStatement, table, utcnow
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


_DUE = (
    select(_assignments.c.id)
    .where(
        _assignments.c.project_id == bindparam("project_id"),
        IS_LEASED,
        _assignments.c.lease_expires_at < bindparam("now"),
    )
    .order_by(_assignments.c.id)
    .limit(_EXPIRY_BATCH)
    .with_for_update(skip_locked=True)
)
_EXPIRE = (
    update(_assignments)
    .where(_assignments.c.id.in_(bindparam("ids", expanding=True)), IS_LEASED)
    .values(status=AssignmentStatus.EXPIRED.value, ended_at=bindparam("now"))
    .returning(_assignments.c.item_id)
)
# One round trip for both things a lease must know first: the leases this labeler holds in the
# project, and the project's leases that have run out (to be given back now). The labeler's own
# rows sort first, so the batch limit never hides them.
_HELD_OR_DUE = FastStatement(
    select(
        _assignments.c.id,
        _assignments.c.item_id,
        _assignments.c.labeler_id,
        _assignments.c.leased_at,
        _assignments.c.lease_expires_at,
    )
    .where(
        _assignments.c.project_id == bindparam("project_id"),
        IS_LEASED,
        or_(
            _assignments.c.labeler_id == bindparam("labeler_id"),
            _assignments.c.lease_expires_at < bindparam("now"),
        ),
    )
    .order_by(case((_assignments.c.labeler_id == bindparam("labeler_id"), 0), else_=1))
    .order_by(_assignments.c.id)
    .limit(_EXPIRY_BATCH)
    .with_for_update(skip_locked=True)
)
_RENEW = FastStatement(
    update(_assignments)
    .where(_assignments.c.id == bindparam("assignment_id"), IS_LEASED)
    .values(lease_expires_at=bindparam("expires"))
)
_ASSIGN = FastStatement(
    insert(_assignments).returning(_assignments.c.id),
    insert_columns=(
        "project_id",
        "item_id",
        "labeler_id",
        "status",
        "leased_at",
        "lease_expires_at",
    ),
)


@functools.cache
def _item_query() -> FastStatement:
    # Built on first use: `projects` imports this package, so it is not complete at import time.
    item = projects.Item
    return FastStatement(
        select(item.external_id, item.text, item.language, item.meta).where(
            item.id == bindparam("item_id")
        )
    )


def _candidates_query(conditions: tuple[ColumnElement[bool], ...]) -> AnySelect:
    """The labeler's best candidates in one language, with what the lease will show of them."""
    item = projects.Item
    already_had = exists().where(
        Assignment.item_id == QueueEntry.item_id,
        Assignment.labeler_id == bindparam("labeler_id"),
    )
    return (
        select(
            QueueEntry.item_id,
            QueueEntry.priority,
            item.external_id,
            item.text,
            item.language,
            item.meta,
        )
        .join(item, item.id == QueueEntry.item_id)
        .where(
            QueueEntry.project_id == bindparam("project_id"),
            QueueEntry.language == bindparam("language"),
            HAS_OPEN_SLOTS,
            ~already_had,
            *conditions,
        )
        .order_by(QueueEntry.priority.desc(), QueueEntry.item_id)
        .limit(_CANDIDATES_PER_LANGUAGE)
        .with_for_update(of=QueueEntry, skip_locked=True)
    )


_plain_candidates = functools.cache(lambda: FastStatement(_candidates_query(())))

# The partial index's own predicate, written as it is there, so both engines can use the index.
_IS_GOLD = literal_column("queue_entries.is_gold", Boolean)


@functools.cache
def _gold_candidate() -> FastStatement:
    """A gold item in one language that the labeler has not had; every labeler meets the gold
    set in an order of their own."""
    item = projects.Item
    already_had = exists().where(
        Assignment.item_id == QueueEntry.item_id,
        Assignment.labeler_id == bindparam("labeler_id"),
    )
    order = (QueueEntry.item_id * 7919 + bindparam("labeler_id") * 104729) % 1000003
    return FastStatement(
        select(QueueEntry.item_id, item.external_id, item.text, item.language, item.meta)
        .join(item, item.id == QueueEntry.item_id)
        .where(
            QueueEntry.project_id == bindparam("project_id"),
            QueueEntry.language == bindparam("language"),
            _IS_GOLD,
            ~already_had,
        )
        .order_by(order)
        .limit(1)
    )


def lease_next_item(
    session: Session, *, actor: Actor, project_id: int, exclude: Collection[int] = ()
) -> Lease | None:
    """The labeler's next item: the one they already hold (unless excluded), else a new lease on
    the highest-priority eligible item with an open slot they have never had (or, at the
    project's gold rate, a gold item they have never had); None if there is none."""
    project = projects.get_labeling_project(session, actor=actor, project_id=project_id)
    connection = session.connection()
    now = utcnow()
    expires = now + timedelta(seconds=project.lease_seconds)
    rows = _HELD_OR_DUE.run(
        connection, {"labeler_id": actor.user_id, "project_id": project.id, "now": now}
    ).all()
    _expire(connection, [row.id for row in rows if row.lease_expires_at < now], now)
    held = [
        (row.id, row.item_id, row.leased_at)
        for row in rows
        if row.labeler_id == actor.user_id and row.lease_expires_at >= now
    ]
    for assignment_id, item_id, leased_at in held:
        if assignment_id not in exclude:
            _RENEW.run(connection, {"assignment_id": assignment_id, "expires": expires})
            return _resume(connection, assignment_id, project.id, item_id, leased_at, expires)
    if len(held) >= MAX_ACTIVE_LEASES:
        raise Conflict(
            f"you already hold {len(held)} items of this project; submit or skip one first",
            code="too_many_leases",
        )
    eligibility = evaluate(session, LeaseContext(actor=actor, project=project, now=now))
    if eligibility.blocked is not None:
        code, message = eligibility.blocked
        raise Conflict(message, code=code)
    return _lease_new(session, actor, project, eligibility, now, expires)


def _lease_new(
    session: Session,
    actor: Actor,
    project: projects.ProjectView,
    eligibility: Eligibility,
    now: datetime,
    expires: datetime,
) -> Lease | None:
    if project.gold_rate > 0 and random.random() < project.gold_rate:
        gold = _lease_gold(session, actor, project.id, eligibility, now, expires)
        if gold is not None:
            return gold
    for _ in range(_ROUNDS):
        candidates = _candidates(session, actor, project.id, eligibility)
        if not candidates:
            return None
        for item in candidates:
            taken = _take(session, actor, project.id, item.id, now, expires)
            if taken is not None:
                return Lease(taken, project.id, item, leased_at=now, lease_expires_at=expires)
    return None


def expire_leases(session: Session, *, project_id: int, now: datetime | None = None) -> int:
    """End the project's leases that ran out and reopen their slots, in this transaction."""
    now = now or utcnow()
    connection = session.connection()
    due = connection.execute(_DUE, {"project_id": project_id, "now": now}).scalars().all()
    return _expire(connection, due, now)


def _expire(connection: Connection, assignment_ids: Sequence[int], now: datetime) -> int:
    if not assignment_ids:
        return 0
    item_ids = connection.execute(_EXPIRE, {"ids": list(assignment_ids), "now": now})
    returned = item_ids.scalars().all()
    give_back_slots(connection, returned)
    return len(returned)


def _candidates(
    session: Session, actor: Actor, project_id: int, eligibility: Eligibility
) -> list[LeasedItem]:
    conditions = eligibility.conditions
    found: list[tuple[int, LeasedItem]] = []
    connection = session.connection()
    for language in sorted(eligibility.languages):
        params = {"labeler_id": actor.user_id, "project_id": project_id, "language": language}
        # Extra conditions come from eligibility rules, built per request: those go through
        # SQLAlchemy's own execution; the plain query is compiled once.
        rows = (
            connection.execute(_candidates_query(conditions), params).all()
            if conditions
            else _plain_candidates().run(connection, params).all()
        )
        found.extend(
            (
                row.priority,
                LeasedItem(row.item_id, row.external_id, row.text, row.language, row.meta),
            )
            for row in rows
        )
    found.sort(key=lambda pair: (-pair[0], pair[1].id))
    return [item for _, item in found]


def _lease_gold(
    session: Session,
    actor: Actor,
    project_id: int,
    eligibility: Eligibility,
    now: datetime,
    expires: datetime,
) -> Lease | None:
    connection = session.connection()
    for language in sorted(eligibility.languages):
        row = (
            _gold_candidate()
            .run(
                connection,
                {"labeler_id": actor.user_id, "project_id": project_id, "language": language},
            )
            .one_or_none()
        )
        if row is None:
            continue
        item = LeasedItem(row.item_id, row.external_id, row.text, row.language, row.meta)
        taken = _take(session, actor, project_id, item.id, now, expires, gold=True)
        if taken is not None:
            return Lease(taken, project_id, item, leased_at=now, lease_expires_at=expires)
    return None


def _take(
    session: Session,
    actor: Actor,
    project_id: int,
    item_id: int,
    now: datetime,
    expires: datetime,
    *,
    gold: bool = False,
) -> int | None:
    # SQLite serializes writers, so no concurrent transaction can claim the same (item, labeler)
    # between our check and our insert; elsewhere a savepoint absorbs that race.
    connection = session.connection()
    guard = nullcontext() if connection.dialect.name == "sqlite" else session.begin_nested()
    try:
        with guard:
            if not gold and not take_slot(connection, item_id):  # gold has no slots to take
                return None
            return int(
                _ASSIGN.run(
                    connection,
                    {
                        "project_id": project_id,
                        "item_id": item_id,
                        "labeler_id": actor.user_id,
                        "status": _LEASED,
                        "leased_at": now,
                        "lease_expires_at": expires,
                    },
                ).scalar()
            )
    except (IntegrityError, connection.dialect.loaded_dbapi.IntegrityError):
        return None  # they got this item in a concurrent transaction


def _resume(
    connection: Connection,
    assignment_id: int,
    project_id: int,
    item_id: int,
    leased_at: datetime,
    expires: datetime,
) -> Lease:
    item = _item_query().run(connection, {"item_id": item_id}).one()
    return Lease(
        assignment_id=assignment_id,
        project_id=project_id,
        item=LeasedItem(item_id, item.external_id, item.text, item.language, item.meta),
        leased_at=leased_at,
        lease_expires_at=expires,
    )
