"""The queue's counters: how many more labelers each item wants, changed only by guarded updates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import Connection, bindparam, case, false, insert, literal, true, update
from sqlalchemy.orm import Session

from labelops.db import AnySelect, FastStatement, table
from labelops.distribution.models import QueueEntry

_queue = table(QueueEntry)

# Gold entries never hold open slots: their leases end without giving anything back.
_GIVE_BACK = FastStatement(
    update(_queue)
    .where(_queue.c.item_id == bindparam("item"), _queue.c.is_gold == false())
    .values(open_slots=_queue.c.open_slots + bindparam("count"))
)
_TAKE = FastStatement(
    update(_queue)
    .where(_queue.c.item_id == bindparam("item"), _queue.c.open_slots > 0)
    .values(open_slots=_queue.c.open_slots - 1)
)
_TAKE_AND_COUNT = FastStatement(
    update(_queue)
    .where(_queue.c.item_id == bindparam("item"), _queue.c.open_slots > 0)
    .values(open_slots=_queue.c.open_slots - 1, submitted=_queue.c.submitted + 1)
)
_COUNT = FastStatement(
    update(_queue)
    .where(_queue.c.item_id == bindparam("item"))
    .values(submitted=_queue.c.submitted + 1)
)


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


def give_back_slots(connection: Connection, item_ids: Iterable[int]) -> None:
    """Reopen one slot per item id given (an id given twice reopens two)."""
    for item_id, count in sorted(Counter(item_ids).items()):  # sorted: one lock order for all
        _GIVE_BACK.run(connection, {"item": item_id, "count": count})


def take_slot(connection: Connection, item_id: int, *, submitted: bool = False) -> bool:
    """Take one open slot of an item if it has one (compare-and-set); also count a submission."""
    statement = _TAKE_AND_COUNT if submitted else _TAKE
    return statement.run(connection, {"item": item_id}).rowcount == 1


def count_submission(connection: Connection, item_id: int) -> None:
    _COUNT.run(connection, {"item": item_id})


def mark_gold(session: Session, *, item_ids: Iterable[int]) -> None:
    """Take items out of the overlap queue: as gold, every labeler may be served them once."""
    ids = list(item_ids)
    if ids:
        session.connection().execute(
            update(_queue)
            .where(_queue.c.item_id.in_(ids))
            .values(is_gold=true(), open_slots=0, target=0)
        )
