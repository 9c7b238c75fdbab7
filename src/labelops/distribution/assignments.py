"""Ending an assignment: submitted, skipped or released, and what that does to the queue.

A late submit (the lease ran out) is accepted only while the overlap still allows it: if the
lease was not yet taken back, its slot is still the labeler's; if it was, the submit must win a
free slot by the same compare-and-set as a lease, and is refused with `LeaseExpired` otherwise.
Gold items have no overlap to respect: a late answer to one is always taken.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.orm import Session

from labelops import projects
from labelops.auth import Actor
from labelops.db import FastStatement, table
from labelops.distribution.models import Assignment, AssignmentStatus, QueueEntry
from labelops.distribution.queue import count_submission, give_back_slots, take_slot
from labelops.errors import Conflict, LeaseExpired, NotFound

_assignments = table(Assignment)
_LEASED = AssignmentStatus.LEASED.value
_LAPSED = (AssignmentStatus.EXPIRED.value, AssignmentStatus.RELEASED.value)


@dataclass(frozen=True, slots=True)
class AssignmentRef:
    id: int
    project_id: int
    item_id: int
    labeler_id: int
    status: str
    leased_at: datetime
    lease_expires_at: datetime
    is_gold: bool


class AlreadySubmitted(Conflict):
    code = "already_submitted"


_REF_COLUMNS = (
    _assignments.c.id,
    _assignments.c.project_id,
    _assignments.c.item_id,
    _assignments.c.labeler_id,
    _assignments.c.status,
    _assignments.c.leased_at,
    _assignments.c.lease_expires_at,
    QueueEntry.is_gold,
)
_REF = (
    select(*_REF_COLUMNS)
    .join(QueueEntry, QueueEntry.item_id == _assignments.c.item_id)
    .where(_assignments.c.id == bindparam("assignment_id"))
)
_STATUS = FastStatement(
    select(_assignments.c.status).where(_assignments.c.id == bindparam("assignment_id"))
)
_MOVE_STATEMENT = (
    update(_assignments)
    .where(
        _assignments.c.id == bindparam("assignment_id"),
        _assignments.c.status == bindparam("source"),
    )
    .values(status=bindparam("target"), ended_at=bindparam("now"))
)
_MOVE = FastStatement(_MOVE_STATEMENT)
_MOVE_WITH_REASON = FastStatement(
    _MOVE_STATEMENT.values(skip_reason=bindparam("reason"), skip_note=bindparam("note"))
)


@functools.cache
def _ref_with_project() -> FastStatement:
    # Built on first use: `projects` imports this package, so it is not complete at import time.
    return FastStatement(
        select(*_REF_COLUMNS, *projects.VIEW_COLUMNS)
        .join(QueueEntry, QueueEntry.item_id == _assignments.c.item_id)
        .join(projects.Project, projects.Project.id == _assignments.c.project_id)
        .where(_assignments.c.id == bindparam("assignment_id"))
    )


def get_own_assignment_and_project(
    session: Session, *, actor: Actor, assignment_id: int
) -> tuple[AssignmentRef, projects.ProjectView]:
    """One of the actor's own assignments with its project, in one round trip; NotFound for
    anyone else's assignment, or if the project is no longer visible to them."""
    found = _ref_with_project().run(session.connection(), {"assignment_id": assignment_id})
    row = found.one_or_none()
    if row is None or row.labeler_id != actor.user_id:
        raise NotFound(f"no assignment {assignment_id}", code="assignment_not_found")
    ref = AssignmentRef(*row[: len(_REF_COLUMNS)])
    view = projects.require_visible(session, actor, projects.view_from_row(row), ref.project_id)
    return ref, view


def get_own_assignment(session: Session, *, actor: Actor, assignment_id: int) -> AssignmentRef:
    """One of the actor's own assignments; NotFound for anyone else's."""
    row = session.connection().execute(_REF, {"assignment_id": assignment_id}).one_or_none()
    if row is None or row.labeler_id != actor.user_id:
        raise NotFound(f"no assignment {assignment_id}", code="assignment_not_found")
    return AssignmentRef(*row)


def claim_submission(session: Session, *, ref: AssignmentRef, now: datetime) -> bool:
    """Mark the assignment submitted and count it on the item; True when it came late."""
    connection = session.connection()
    if _move(connection, ref.id, _LEASED, AssignmentStatus.SUBMITTED, now):
        count_submission(connection, ref.item_id)
        return ref.lease_expires_at < now
    status = _STATUS.run(connection, {"assignment_id": ref.id}).scalar()
    if status == AssignmentStatus.SUBMITTED:
        raise AlreadySubmitted("this assignment was already submitted")
    if status not in _LAPSED:
        raise Conflict(f"this assignment was {status}", code=f"assignment_{status}")
    if ref.is_gold:
        count_submission(connection, ref.item_id)
    elif not take_slot(connection, ref.item_id, submitted=True):
        raise LeaseExpired(
            f"your lease on this item ended at {ref.lease_expires_at:%Y-%m-%d %H:%M:%S} UTC and "
            "other labelers have since taken every place on it; your answer was not stored"
        )
    if not _move(connection, ref.id, status, AssignmentStatus.SUBMITTED, now):
        raise Conflict("this assignment changed while you submitted; try again", code="retry")
    return True


def end_assignment(
    session: Session,
    *,
    ref: AssignmentRef,
    status: AssignmentStatus,
    now: datetime,
    reason: str | None = None,
    note: str | None = None,
) -> None:
    """Skip or release an assignment; a held slot goes back to the queue. Repeats are harmless."""
    if ref.status == status:
        return
    connection = session.connection()
    if _move(connection, ref.id, _LEASED, status, now, reason=reason, note=note):
        give_back_slots(connection, [ref.item_id])
        return
    if status is AssignmentStatus.SKIPPED and _move(
        connection, ref.id, AssignmentStatus.EXPIRED.value, status, now, reason=reason, note=note
    ):
        return  # its slot went back when it expired
    current = _STATUS.run(connection, {"assignment_id": ref.id}).scalar()
    if current != status:
        raise Conflict(f"this assignment was {current}", code=f"assignment_{current}")


def _move(
    connection: Connection,
    assignment_id: int,
    source: str,
    target: AssignmentStatus,
    now: datetime,
    *,
    reason: str | None = None,
    note: str | None = None,
) -> bool:
    """Compare-and-set the assignment's status from `source` to `target`."""
    params = {"assignment_id": assignment_id, "source": source, "target": target.value, "now": now}
    if reason is None:
        result = _MOVE.run(connection, params)
    else:
        result = _MOVE_WITH_REASON.run(connection, {**params, "reason": reason, "note": note})
    return result.rowcount == 1
