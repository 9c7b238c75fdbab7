"""Importing items: stream a file in, store the good lines, report the bad ones by number.

The whole import is one transaction, so a crash, a broken upload or a file-level error leaves
nothing of it behind. Lines go in chunks: memory stays flat however large the file is.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import IO

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from labelops import audit, distribution
from labelops.auth import Actor
from labelops.db import table
from labelops.errors import Conflict
from labelops.projects.models import ImportBatch, Item
from labelops.projects.parsing import (
    Format,
    ImportRules,
    LineError,
    ParsedItem,
    detect_format,
    parse_items,
)
from labelops.projects.schemas import ImportResult, ProjectStatus, RejectedLine
from labelops.projects.service import require_manageable

CHUNK_SIZE = 5_000
MAX_REPORTED = 1_000
_CLOSED = (ProjectStatus.DELIVERED, ProjectStatus.ARCHIVED)


class _Tally:
    def __init__(self) -> None:
        self.imported = 0
        self.rejected_count = 0
        self.rejected: list[RejectedLine] = []

    def reject(self, line: int, error: str, message: str) -> None:
        self.rejected_count += 1
        if len(self.rejected) < MAX_REPORTED:
            self.rejected.append(RejectedLine(line=line, error=error, message=message))


def import_items(
    session: Session,
    *,
    actor: Actor,
    project_id: int,
    stream: IO[bytes],
    fmt: Format | None = None,
    source: str = "",
    on_progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Add a file's items to a project; a repeated external_id is reported, never stored twice."""
    project = require_manageable(session, actor=actor, project_id=project_id)
    if project.status in _CLOSED:
        raise Conflict(
            f"project is {project.status}; reopen it to add items", code="project_closed"
        )
    if fmt is None:
        fmt = detect_format(_head(stream), filename=source)
    batch = ImportBatch(
        project_id=project.id, source=source[:255], format=fmt, created_by_id=actor.user_id
    )
    session.add(batch)
    session.flush()

    tally = _Tally()
    rules = ImportRules(frozenset(project.languages), project.max_text_chars)
    chunk: list[ParsedItem] = []
    for result in parse_items(stream, fmt, rules):
        if isinstance(result, LineError):
            tally.reject(result.line, result.error, result.message)
            continue
        chunk.append(result)
        if len(chunk) >= CHUNK_SIZE:
            _store_chunk(session, batch, chunk, tally)
            chunk.clear()
            _report(stream, on_progress)
    _store_chunk(session, batch, chunk, tally)
    _report(stream, on_progress)

    distribution.enqueue_items(
        session,
        select(Item.id, Item.project_id, Item.language, Item.priority).where(
            Item.batch_id == batch.id
        ),
        target=project.overlap,
    )
    batch.imported, batch.rejected = tally.imported, tally.rejected_count
    audit.record(
        session,
        actor,
        "items.imported",
        ("import_batch", batch.id),
        project_id=project.id,
        imported=tally.imported,
        rejected=tally.rejected_count,
        source=source[:255],
    )
    return ImportResult(
        batch_id=batch.id,
        imported=tally.imported,
        rejected_count=tally.rejected_count,
        rejected=tally.rejected,
    )


def _store_chunk(
    session: Session, batch: ImportBatch, chunk: list[ParsedItem], tally: _Tally
) -> None:
    if not chunk:
        return
    connection = session.connection()
    found = connection.execute(
        select(Item.external_id, Item.batch_id).where(
            Item.project_id == batch.project_id,
            Item.external_id.in_({item.external_id for item in chunk}),
        )
    )
    existing: dict[str, int | None] = dict(found.all())
    first_line: dict[str, int] = {}
    rows = []
    for item in chunk:
        if item.external_id in existing:
            where = (
                "earlier in this file"
                if existing[item.external_id] == batch.id
                else ("in this project already")
            )
            tally.reject(
                item.line, "duplicate_external_id", f"external_id {item.external_id!r} is {where}"
            )
        elif item.external_id in first_line:
            tally.reject(
                item.line,
                "duplicate_external_id",
                f"external_id {item.external_id!r} repeats line {first_line[item.external_id]}",
            )
        else:
            first_line[item.external_id] = item.line
            rows.append(
                {
                    "project_id": batch.project_id,
                    "batch_id": batch.id,
                    "external_id": item.external_id,
                    "text": item.text,
                    "language": item.language,
                    "meta": item.meta,
                    "severity": item.severity,
                    "priority": item.priority,
                }
            )
    if rows:
        connection.execute(insert(table(Item)), rows)
    tally.imported += len(rows)


def _head(stream: IO[bytes]) -> bytes:
    position = stream.tell()
    head = stream.read(4096)
    stream.seek(position)
    return head


def _report(stream: IO[bytes], on_progress: Callable[[int], None] | None) -> None:
    if on_progress is not None:
        with contextlib.suppress(OSError):
            on_progress(stream.tell())
