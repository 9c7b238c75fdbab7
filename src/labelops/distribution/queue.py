"""The queue's counters: how many more labelers each item wants, changed only by guarded updates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from sqlalchemy import case, insert, literal, update
from sqlalchemy.orm import Session

from labelops.db import AnySelect, table
from labelops.distribution.models import QueueEntry

_queue = table(QueueEntry)


def enqueue_items(session: Session, source: AnySelect, *, target: int) -> int:
    """Queue items for `target` labelers each; `source` selects (item id, project, language,
    priority)."""
    rows = source.add_columns(literal(target), literal(target), literal(0))
    result = session.connection().execute(
        insert(_queue).from_select(
            ["item_id", "project_id", "language", "priority", "target", "open_slots", "submitted"],
            rows,
        )
    )
    return max(result.rowcount, 0)


def retarget(session: Session, *, project_id: int, overlap: int) -> None:
    """Change how many labelers every item of a project wants; leases in flight are kept."""
    # In an UPDATE every right-hand side sees the old row, so `target` here is the old target
    # and leased = target - submitted - open_slots.
    wanted = overlap - QueueEntry.target + QueueEntry.open_slots
    session.connection().execute(
        update(_queue)
        .where(_queue.c.project_id == project_id)
        .values(target=overlap, open_slots=case((wanted > 0, wanted), else_=0))
    )


def give_back_slots(session: Session, item_ids: Iterable[int]) -> None:
    """Reopen one slot per item id given (an id given twice reopens two)."""
    connection = session.connection()
    for item_id, count in sorted(Counter(item_ids).items()):  # sorted: one lock order for all
        connection.execute(
            update(_queue)
            .where(_queue.c.item_id == item_id)
            .values(open_slots=_queue.c.open_slots + count)
        )


def take_slot(session: Session, item_id: int, *, submitted: bool = False) -> bool:
    """Take one open slot of an item if it has one (compare-and-set); also count a submission."""
    values: dict[str, Any] = {"open_slots": _queue.c.open_slots - 1}
    if submitted:
        values["submitted"] = _queue.c.submitted + 1
    result = session.connection().execute(
        update(_queue).where(_queue.c.item_id == item_id, _queue.c.open_slots > 0).values(values)
    )
    return result.rowcount == 1


def count_submission(session: Session, item_id: int) -> None:
    session.connection().execute(
        update(_queue).where(_queue.c.item_id == item_id).values(submitted=_queue.c.submitted + 1)
    )
