from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
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


class QualityFit(Base):
    """The project's latest Dawid–Skene fit: class priors and each labeler's confusion matrix
    (rows: true label, columns: given label, in `labels` order). Dynamic overlap reads it after
    every submission; refitted as annotations accumulate."""

    __tablename__ = "quality_fits"

    project_id: Mapped[int] = mapped_column(
        IdType, ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    method: Mapped[str] = mapped_column(String(8))  # mv | ds | ods
    labels: Mapped[list[str]] = mapped_column(JsonType)
    priors: Mapped[list[float]] = mapped_column(JsonType)
    # {"<labeler id>": [[...], ...]}
    confusion: Mapped[dict[str, list[list[float]]]] = mapped_column(JsonType)
    annotations: Mapped[int] = mapped_column(default=0)
    fitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Escalation(Base):
    """An item that reached the project's maximum overlap without a confident label, waiting
    for a reviewer's decision."""

    __tablename__ = "escalations"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), unique=True)
    reason: Mapped[str] = mapped_column(String(32))  # low_confidence
    labels: Mapped[list[str]] = mapped_column(JsonType)  # the best label so far
    confidence: Mapped[float]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_labels: Mapped[list[str] | None] = mapped_column(JsonType)
    note: Mapped[str | None] = mapped_column(Text)


class QualificationAttempt(Base):
    """One try of a labeler at a project's qualification quiz (gold items). A failed try stops
    counting against the labeler's tries once a PM resets their qualification."""

    __tablename__ = "qualification_attempts"
    __table_args__ = (
        Index("ix_qualification_attempts_labeler", "project_id", "labeler_id"),
        # At most one unfinished try per labeler and project, whatever the concurrency.
        Index(
            "uq_qualification_attempts_open",
            "project_id",
            "labeler_id",
            unique=True,
            sqlite_where=text("finished_at IS NULL"),
            postgresql_where=text("finished_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    labeler_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    item_ids: Mapped[list[int]] = mapped_column(JsonType)
    # {"<item id>": ["label", ...]} once submitted
    answers: Mapped[dict[str, list[str]] | None] = mapped_column(JsonType)
    correct: Mapped[int | None]
    total: Mapped[int]
    passed: Mapped[bool | None]
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reset_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Audit(Base):
    """A PM's audit of a batch: a stratified random sample sized for a margin at a confidence,
    reviewed item by item, then accepted or rejected against the project's quality target."""

    __tablename__ = "audits"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # The import batch audited; None: the project's finished items.
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    status: Mapped[str] = mapped_column(String(16))  # open | accepted | rejected
    method: Mapped[str] = mapped_column(String(8))  # how final labels were chosen: mv | ds
    margin: Mapped[float]
    confidence_level: Mapped[float]
    expected_accuracy: Mapped[float]
    population: Mapped[int]
    sample_size: Mapped[int]
    strata: Mapped[dict[str, Any]] = mapped_column(JsonType)  # stratum → population, sample
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)
    accuracy: Mapped[float | None]
    interval_low: Mapped[float | None]
    interval_high: Mapped[float | None]


class AuditItem(Base):
    """One sampled item of an audit, with the final label under audit and the reviewer's
    verdict (and the right label when it was wrong)."""

    __tablename__ = "audit_items"
    __table_args__ = (UniqueConstraint("audit_id", "item_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audits.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    stratum: Mapped[str] = mapped_column(String(200))
    final_labels: Mapped[list[str]] = mapped_column(JsonType)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    verdict: Mapped[str | None] = mapped_column(String(16))  # correct | incorrect
    corrected_labels: Mapped[list[str] | None] = mapped_column(JsonType)
    note: Mapped[str | None] = mapped_column(Text)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Dispute(Base):
    """A labeler contests a gold verdict or a review correction; a reviewer or PM upholds the
    verdict or overturns it (an overturned gold answer is corrected, and scores follow)."""

    __tablename__ = "disputes"
    # One open dispute per labeler and item, held by the database under any concurrency.
    __table_args__ = (
        Index(
            "ux_disputes_open",
            "item_id",
            "labeler_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    labeler_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # gold | review
    audit_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("audit_items.id", ondelete="CASCADE")
    )
    labels: Mapped[list[str]] = mapped_column(JsonType)  # what the labeler says is right
    comment: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))  # open | upheld | overturned
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolution_note: Mapped[str | None] = mapped_column(Text)
    corrected_labels: Mapped[list[str] | None] = mapped_column(JsonType)


class DriftAlert(Base):
    """A sequential test on a labeler's gold results crossed its boundary: their accuracy has
    dropped. Kept with the evidence until a PM acknowledges it."""

    __tablename__ = "drift_alerts"
    __table_args__ = (Index("ix_drift_alerts_labeler", "project_id", "labeler_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    labeler_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    method: Mapped[str] = mapped_column(String(16))  # cusum | sprt
    statistic: Mapped[float]
    threshold: Mapped[float]
    message: Mapped[str] = mapped_column(Text)
    evidence: Mapped[dict[str, Any]] = mapped_column(JsonType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
