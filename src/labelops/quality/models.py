from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from labelops.db import Base, IdType, JsonType, UTCDateTime, utcnow


class GoldAnswer(Base):
    """The known answer of a gold item, with the explanation labelers see after answering."""

    __tablename__ = "gold_answers"

    item_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    )
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    labels: Mapped[list[str]] = mapped_column(JsonType)
    explanation: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LabelerPause(Base):
    """A labeler held off a project (failing gold, or by a PM), with the evidence; lifted by a
    PM. While a pause is open the queue gives the labeler nothing from that project."""

    __tablename__ = "labeler_pauses"
    __table_args__ = (
        Index(
            "ix_labeler_pauses_open",
            "project_id",
            "labeler_id",
            sqlite_where=text("lifted_at IS NULL"),
            postgresql_where=text("lifted_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    labeler_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(String(32))  # failing_gold | manual
    message: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    lift_note: Mapped[str | None] = mapped_column(Text)
