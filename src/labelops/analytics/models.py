from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from labelops.db import Base, IdType, JsonType, UTCDateTime, utcnow


class Risk(Base):
    """An entry of a project's risk register: raised automatically by a detector (with its
    evidence) or added by hand, then acknowledged, assigned and resolved with a note.

    `subject` names what the risk is about ("project", "labeler:12", "vendor:3:en"), so a
    detector that sees the same problem again updates the open entry instead of adding one.
    """

    __tablename__ = "risks"
    __table_args__ = (
        Index(
            "uq_risks_open",
            "project_id",
            "kind",
            "subject",
            unique=True,
            sqlite_where=text("status != 'resolved'"),
            postgresql_where=text("status != 'resolved'"),
        ),
        Index("ix_risks_project_status", "project_id", "status"),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    # deadline_at_risk | quality_below_target | labeler_too_fast | straight_lining |
    # idle_leases | failing_gold | vendor_under_delivery | exposure_over_budget | manual
    kind: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(8))  # low | medium | high | critical
    title: Mapped[str] = mapped_column(String(300))
    evidence: Mapped[dict[str, Any]] = mapped_column(JsonType)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open|acknowledged|resolved
    labeler_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    vendor_id: Mapped[int | None] = mapped_column(ForeignKey("vendors.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))  # manual risks
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution_note: Mapped[str | None] = mapped_column(Text)


class HourlyRollup(Base):
    """Annotations per project, hour, language, vendor and labeler: counts and handling time,
    kept by analytics from the annotations (see RollupWatermark) so dashboards on millions of
    annotations read thousands of rows. Derived: tests check it against the facts."""

    __tablename__ = "hourly_rollups"
    __table_args__ = (
        Index(
            "uq_hourly_rollups_key",
            "project_id",
            "hour",
            "language",
            "vendor_id",
            "labeler_id",
            unique=True,
        ),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    hour: Mapped[datetime] = mapped_column(UTCDateTime)
    language: Mapped[str] = mapped_column(String(16))
    vendor_id: Mapped[int] = mapped_column(default=0)  # 0: no vendor
    labeler_id: Mapped[int]
    annotations: Mapped[int] = mapped_column(default=0)
    duration_ms: Mapped[int] = mapped_column(default=0)  # sum
    late: Mapped[int] = mapped_column(default=0)


class RollupWatermark(Base):
    """How far a project's rollups have read: every annotation with a larger id is not in them
    yet (readers add that tail from the facts)."""

    __tablename__ = "rollup_watermarks"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    last_annotation_id: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
