from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    false,
    literal_column,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from labelops.db import Base, IdType, UTCDateTime


class QueueEntry(Base):
    """An item's place in the queue.

    Invariant (checked by tests against the assignments): open_slots = target - submitted -
    (assignments of the item still leased), and it never goes below zero. The partial index
    holds only entries with open slots, so finding work is a short range scan, whatever the
    size of the project.
    """

    __tablename__ = "queue_entries"
    __table_args__ = (
        CheckConstraint("open_slots >= 0", name="open_slots_not_negative"),
        Index(
            "ix_queue_entries_open",
            "project_id",
            "language",
            text("priority DESC"),
            "item_id",
            sqlite_where=text("open_slots > 0"),
            postgresql_where=text("open_slots > 0"),
        ),
        Index("ix_queue_entries_project", "project_id"),
        Index(
            "ix_queue_entries_gold",
            "project_id",
            "language",
            sqlite_where=text("is_gold"),
            postgresql_where=text("is_gold"),
        ),
    )

    item_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    )
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    language: Mapped[str] = mapped_column(String(16))
    priority: Mapped[int] = mapped_column(default=0)
    target: Mapped[int]
    open_slots: Mapped[int]
    submitted: Mapped[int] = mapped_column(default=0)
    # Gold items are outside the overlap: no open slots, served to every labeler at the
    # project's gold rate by their own path in the lease.
    is_gold: Mapped[bool] = mapped_column(default=False, server_default=false())


class AssignmentStatus(enum.StrEnum):
    LEASED = "leased"
    SUBMITTED = "submitted"
    SKIPPED = "skipped"
    EXPIRED = "expired"
    RELEASED = "released"


class Assignment(Base):
    """One labeler's turn at one item: leased, then submitted, skipped, released or expired.

    A labeler has at most one assignment per item (a unique constraint), so nobody labels an
    item twice, whatever happens concurrently.
    """

    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("item_id", "labeler_id"),
        Index(
            "ix_assignments_active",
            "labeler_id",
            "project_id",
            sqlite_where=text("status = 'leased'"),
            postgresql_where=text("status = 'leased'"),
        ),
        Index(
            "ix_assignments_expiry",
            "project_id",
            "lease_expires_at",
            sqlite_where=text("status = 'leased'"),
            postgresql_where=text("status = 'leased'"),
        ),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    labeler_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(16))
    leased_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lease_expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    skip_reason: Mapped[str | None] = mapped_column(String(32))
    skip_note: Mapped[str | None] = mapped_column(String(1000))


# The predicates of the partial indexes, with their constants written into the SQL: a bound
# parameter cannot prove `open_slots > 0` to a generic (prepared) plan on PostgreSQL, which would
# then scan the whole project instead of the index.
HAS_OPEN_SLOTS: ColumnElement[bool] = QueueEntry.open_slots > literal_column("0")
IS_LEASED: ColumnElement[bool] = Assignment.status == literal_column("'leased'")
