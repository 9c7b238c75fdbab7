"""The audit log: one row per state change made by a use case.

The labeling facts themselves (assignments with their lease, submit, skip and expiry times;
annotations with labeler, labels and timings) are append-only records of who did what and when,
so a lease or a submission is audited by its own row rather than by a copy in this table.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, Session, mapped_column

from labelops.auth import Actor
from labelops.db import Base, IdType, JsonType, UTCDateTime, utcnow


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int | None]
    project_id: Mapped[int | None] = mapped_column(index=True)
    data: Mapped[dict[str, Any] | None] = mapped_column(JsonType)


def record(
    session: Session,
    actor: Actor,
    action: str,
    obj: tuple[str, int | None],
    *,
    project_id: int | None = None,
    **data: Any,
) -> None:
    """Append an audit row for `action` on `obj` (type, id) in the current transaction."""
    session.add(
        AuditEvent(
            actor_id=actor.user_id,
            actor_name=actor.username,
            action=action,
            object_type=obj[0],
            object_id=obj[1],
            project_id=project_id,
            data=data or None,
        )
    )
