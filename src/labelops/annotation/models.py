from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from labelops.db import Base, IdType, JsonType, UTCDateTime


class Annotation(Base):
    """One labeler's judgement of one item: the fact every figure is derived from."""

    __tablename__ = "annotations"
    __table_args__ = (
        Index("ix_annotations_project_item", "project_id", "item_id"),
        Index("ix_annotations_project_submitted", "project_id", "submitted_at"),
        Index("ix_annotations_labeler_submitted", "labeler_id", "submitted_at"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), unique=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    labeler_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The labeler's vendor when they submitted (people move between vendors).
    vendor_id: Mapped[int | None] = mapped_column(ForeignKey("vendors.id"))
    labels: Mapped[list[str]] = mapped_column(JsonType)
    duration_ms: Mapped[int | None]
    guideline_version: Mapped[int | None]
    leased_at: Mapped[datetime] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    is_late: Mapped[bool] = mapped_column(default=False)
