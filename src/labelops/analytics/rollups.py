"""Hourly rollups of the annotations, and the readers that add the tail past the watermark.

`refresh_rollups` folds annotations with an id above the project's watermark into
`HourlyRollup` rows, a chunk at a time, and moves the watermark by compare-and-set: a second
refresher that read the same watermark finds it moved and adds nothing, so nothing is counted
twice. Readers add the annotations past the watermark straight from the facts, so their
figures are exact whether the rollups were refreshed a second or a day ago.

Annotations younger than `SETTLE` are left for the next refresh: on PostgreSQL ids are handed
out before commit, so a submit still in flight can commit with an id below a newer one that is
already visible; waiting until every transaction that could hold such an id has ended keeps the
watermark from passing over it. (On SQLite writes are serialized, so ids commit in order.)
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, func, literal_column, select, type_coerce, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from labelops import projects
from labelops.analytics.models import HourlyRollup, RollupWatermark
from labelops.annotation import Annotation
from labelops.db import Database, UTCDateTime, utcnow

log = logging.getLogger(__name__)

CHUNK = 50_000
SETTLE = timedelta(seconds=30)
# Readers fold a tail longer than this into the rollups before reading (see catch_up).
LONG_TAIL = 20_000


@dataclass(frozen=True, slots=True)
class Cell:
    """One rollup key's figures: annotations, their handling time, late submits."""

    hour: datetime
    language: str
    vendor_id: int
    labeler_id: int
    annotations: int
    duration_ms: int
    late: int


def hour_of(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def refresh_rollups(
    session: Session, project_id: int, *, chunk_size: int = CHUNK, max_chunks: int | None = None
) -> int:
    """Fold the project's settled annotations past the watermark into the hourly rollups;
    returns how many were added (0 when another refresher got there first)."""
    _ensure_watermark(session, project_id)
    cutoff = utcnow() - SETTLE
    added = chunks = 0
    while max_chunks is None or chunks < max_chunks:
        low = session.scalar(
            select(RollupWatermark.last_annotation_id).where(
                RollupWatermark.project_id == project_id
            )
        )
        assert low is not None
        high = _chunk_end(session, project_id, low, chunk_size, cutoff)
        if high is None:
            break
        moved = session.execute(
            update(RollupWatermark)
            .where(
                RollupWatermark.project_id == project_id,
                RollupWatermark.last_annotation_id == low,
            )
            .values(last_annotation_id=high, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount != 1:  # type: ignore[attr-defined]
            break  # another refresher moved it: its chunk is its own
        cells = list(_fold(session, project_id, low, high))
        _upsert(session, project_id, cells)
        added += sum(cell.annotations for cell in cells)
        chunks += 1
    return added


def _ensure_watermark(session: Session, project_id: int) -> None:
    insert = _insert_for(session)
    session.execute(
        insert(RollupWatermark)
        .values(project_id=project_id, last_annotation_id=0, updated_at=utcnow())
        .on_conflict_do_nothing(index_elements=["project_id"])
    )


def _chunk_end(
    session: Session, project_id: int, low: int, size: int, cutoff: datetime
) -> int | None:
    """The last id of the next chunk, stopped before the first annotation not yet settled."""
    a = Annotation
    ids = (
        select(a.id, a.submitted_at)
        .where(a.project_id + literal_column("0") == project_id, a.id > low)
        .order_by(a.id)
        .limit(size)
        .subquery()
    )
    last, fresh = session.execute(
        select(
            func.max(ids.c.id),
            func.min(ids.c.id).filter(ids.c.submitted_at > cutoff),
        )
    ).one()
    if last is None:
        return None
    high = int(last) if fresh is None else int(fresh) - 1
    return high if high > low else None


def _hour_expression(session: Session) -> ColumnElement[datetime]:
    column = Annotation.submitted_at
    if session.get_bind().dialect.name == "postgresql":
        truncated: Any = func.date_trunc("hour", func.timezone("UTC", column))
    else:  # SQLite stores UTC text
        truncated = func.strftime("%Y-%m-%d %H:00:00", column)
    return type_coerce(truncated, UTCDateTime)


def _fold(session: Session, project_id: int, low: int, high: int | None) -> Iterable[Cell]:
    """Annotations with low < id <= high (no upper bound: None), summed by rollup key."""
    a = Annotation
    hour = _hour_expression(session).label("hour")
    vendor = func.coalesce(a.vendor_id, 0).label("vendor")
    query = (
        select(
            hour,
            projects.Item.language,
            vendor,
            a.labeler_id,
            func.count(),
            func.coalesce(func.sum(a.duration_ms), 0),
            func.sum(case((a.is_late, 1), else_=0)),
        )
        .join(projects.Item, projects.Item.id == a.item_id)
        # `project_id + 0`: walk the primary key from the watermark (the tail is short), not
        # the project's index over all of its annotations.
        .where(a.project_id + literal_column("0") == project_id, a.id > low)
        .group_by(hour, projects.Item.language, vendor, a.labeler_id)
    )
    if high is not None:
        query = query.where(a.id <= high)
    for row in session.execute(query):
        yield Cell(
            hour=row[0],
            language=row[1],
            vendor_id=int(row[2]),
            labeler_id=int(row[3]),
            annotations=int(row[4]),
            duration_ms=int(row[5]),
            late=int(row[6] or 0),
        )


def _insert_for(session: Session) -> Any:
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def _upsert(session: Session, project_id: int, cells: list[Cell]) -> None:
    if not cells:
        return
    insert = _insert_for(session)
    statement = insert(HourlyRollup)
    statement = statement.on_conflict_do_update(
        index_elements=["project_id", "hour", "language", "vendor_id", "labeler_id"],
        set_={
            "annotations": HourlyRollup.annotations + statement.excluded.annotations,
            "duration_ms": HourlyRollup.duration_ms + statement.excluded.duration_ms,
            "late": HourlyRollup.late + statement.excluded.late,
        },
    )
    session.execute(
        statement,
        [
            {
                "project_id": project_id,
                "hour": cell.hour,
                "language": cell.language,
                "vendor_id": cell.vendor_id,
                "labeler_id": cell.labeler_id,
                "annotations": cell.annotations,
                "duration_ms": cell.duration_ms,
                "late": cell.late,
            }
            for cell in cells
        ],
    )


# --- Readers: rollups plus the tail -------------------------------------------------------


def watermark(session: Session, project_id: int) -> int:
    found = session.scalar(
        select(RollupWatermark.last_annotation_id).where(RollupWatermark.project_id == project_id)
    )
    return int(found or 0)


def cells(
    session: Session,
    project_id: int,
    *,
    since: datetime | None = None,
    vendor_id: int | None = None,
) -> list[Cell]:
    """Every rollup cell of the project (from `since`, an hour), exact: the rollups up to the
    watermark plus the annotations past it, read from the facts."""
    mark = watermark(session, project_id)
    r = HourlyRollup
    query = select(
        r.hour, r.language, r.vendor_id, r.labeler_id, r.annotations, r.duration_ms, r.late
    ).where(r.project_id == project_id)
    if since is not None:
        query = query.where(r.hour >= since)
    if vendor_id is not None:
        query = query.where(r.vendor_id == vendor_id)
    found = [Cell(*row) for row in session.execute(query)]
    for cell in _fold(session, project_id, mark, None):
        if (since is None or cell.hour >= since) and (
            vendor_id is None or cell.vendor_id == vendor_id
        ):
            found.append(cell)
    return found


def merge(found: Iterable[Cell]) -> list[Cell]:
    """Cells with the same key summed (rollup rows and tail rows of one hour, say)."""
    sums: dict[tuple[datetime, str, int, int], list[int]] = defaultdict(lambda: [0, 0, 0])
    for cell in found:
        entry = sums[(cell.hour, cell.language, cell.vendor_id, cell.labeler_id)]
        entry[0] += cell.annotations
        entry[1] += cell.duration_ms
        entry[2] += cell.late
    return [Cell(*key, *values) for key, values in sorted(sums.items())]


def tail_length(session: Session, project_id: int) -> int:
    a = Annotation
    tail = (
        select(a.id)
        .where(
            a.project_id + literal_column("0") == project_id,
            a.id > watermark(session, project_id),
        )
        .limit(LONG_TAIL + 1)
        .subquery()
    )
    return int(session.scalar(select(func.count()).select_from(tail)) or 0)


def catch_up(db: Database, project_id: int, *, max_chunks: int = 4) -> int:
    """Before a dashboard read: when the tail past the watermark is long, fold at most
    `max_chunks` chunks of it in a write transaction of its own (bounded work)."""
    with db.read() as session:
        if tail_length(session, project_id) <= LONG_TAIL:
            return 0
    with db.write() as session:
        return refresh_rollups(session, project_id, max_chunks=max_chunks)


def refresh_all(db: Database, *, max_chunks: int = 20) -> int:
    """One pass over every project, a transaction per project."""
    with db.read() as session:
        project_ids = list(session.scalars(select(projects.Project.id)))
    added = 0
    for project_id in project_ids:
        with db.write() as session:
            added += refresh_rollups(session, project_id, max_chunks=max_chunks)
    return added


__all__ = [
    "LONG_TAIL",
    "Cell",
    "catch_up",
    "cells",
    "hour_of",
    "merge",
    "refresh_all",
    "refresh_rollups",
    "tail_length",
    "totals_by",
    "watermark",
]


_KEYS: dict[str, tuple[Any, Callable[[Cell], Any]]] = {
    "hour": (HourlyRollup.hour, lambda cell: cell.hour),
    "language": (HourlyRollup.language, lambda cell: cell.language),
    "labeler": (HourlyRollup.labeler_id, lambda cell: cell.labeler_id),
    "vendor": (HourlyRollup.vendor_id, lambda cell: cell.vendor_id),
}


def totals_by(
    session: Session,
    project_id: int,
    key: str | tuple[str, ...],
    *,
    since: datetime | None = None,
    vendor_id: int | None = None,
) -> dict[Any, tuple[int, int]]:
    """Annotations and their summed handling time by `key` (hour, language, labeler, vendor,
    or a tuple of them: then keyed by tuples), exact: summed in SQL over the rollups, plus the
    tail past the watermark from the facts."""
    names = (key,) if isinstance(key, str) else key
    columns = [_KEYS[name][0] for name in names]
    getters = [_KEYS[name][1] for name in names]

    def key_of(cell: Cell) -> Any:
        found = tuple(get(cell) for get in getters)
        return found[0] if isinstance(key, str) else found

    mark = watermark(session, project_id)
    r = HourlyRollup
    query = (
        select(*columns, func.sum(r.annotations), func.sum(r.duration_ms))
        .where(r.project_id == project_id)
        .group_by(*columns)
    )
    if since is not None:
        query = query.where(r.hour >= since)
    if vendor_id is not None:
        query = query.where(r.vendor_id == vendor_id)
    totals: dict[Any, tuple[int, int]] = {}
    for row in session.execute(query):
        *found, count, duration = row
        totals[found[0] if isinstance(key, str) else tuple(found)] = (int(count), int(duration))
    for cell in _fold(session, project_id, mark, None):
        if (since is not None and cell.hour < since) or (
            vendor_id is not None and cell.vendor_id != vendor_id
        ):
            continue
        count, duration = totals.get(key_of(cell), (0, 0))
        totals[key_of(cell)] = (count + cell.annotations, duration + cell.duration_ms)
    return totals
