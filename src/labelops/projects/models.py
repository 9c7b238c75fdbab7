from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from labelops.db import Base, IdType, JsonType, UTCDateTime, utcnow


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="running")
    languages: Mapped[list[str]] = mapped_column(JsonType)
    label_schema: Mapped[dict[str, Any]] = mapped_column(JsonType)
    # Digest of the label schema, so parsed schemas can be cached safely across databases.
    schema_digest: Mapped[str] = mapped_column(String(64))
    overlap: Mapped[int]
    lease_seconds: Mapped[int]
    max_text_chars: Mapped[int]
    open_to_all_labelers: Mapped[bool] = mapped_column(default=True)
    # Share of a labeler's items that are gold, and the gold accuracy below which (with 95 %
    # confidence) a labeler is paused; None: never paused automatically.
    gold_rate: Mapped[float] = mapped_column(default=0.0, server_default="0")
    gold_threshold: Mapped[float | None]
    # Nobody is paused on fewer gold answers than this, however they went.
    gold_min_answers: Mapped[int] = mapped_column(default=5, server_default="5")
    # Dynamic overlap: with max_overlap set, an item starts with `overlap` labelers and gets one
    # more while its posterior stays below target_confidence, up to max_overlap, after which it
    # is escalated to a reviewer. None: every item gets exactly `overlap` labelers.
    max_overlap: Mapped[int | None]
    target_confidence: Mapped[float] = mapped_column(default=0.95, server_default="0.95")
    # The accuracy a delivery must reach: audits accept or reject a batch against it.
    quality_target: Mapped[float | None]
    # Qualification: a quiz of this many gold items (0: none) to pass before real items, with a
    # pass mark (share right) and a number of tries.
    qualification_items: Mapped[int] = mapped_column(default=0, server_default="0")
    qualification_pass_mark: Mapped[float] = mapped_column(default=0.8, server_default="0.8")
    qualification_tries: Mapped[int] = mapped_column(default=2, server_default="2")
    # The guideline version in force, kept by guidelines when it publishes one: every
    # annotation records it, so the labeling loop reads it with the project.
    guideline_version: Mapped[int | None]
    # Recalibration: qualification tries finished before this moment no longer count, so every
    # labeler passes the quiz again (set when the PM asks for it, e.g. with a new guideline).
    requalify_after: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The date the delivery is due (forecasts, allocations against capacity); None: open-ended.
    deadline: Mapped[date | None] = mapped_column(Date)
    # Turnaround an item may take from import to done (SLA); None: no SLA.
    sla_hours: Mapped[float | None]
    demander_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProjectVendor(Base):
    """A vendor staffed on a project: its labelers may work there."""

    __tablename__ = "project_vendors"
    __table_args__ = (UniqueConstraint("project_id", "vendor_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"), index=True)


class ProjectMember(Base):
    """A user named on a project (a labeler outside any staffed vendor, say)."""

    __tablename__ = "project_members"
    __table_args__ = (UniqueConstraint("project_id", "user_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)


class ImportBatch(Base):
    """One import of items: who, when, from what, with what result."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    source: Mapped[str] = mapped_column(String(255), default="")
    format: Mapped[str] = mapped_column(String(8))
    imported: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Item(Base):
    """A piece of content to label. Its place in the queue is distribution's QueueEntry."""

    __tablename__ = "items"
    __table_args__ = (UniqueConstraint("project_id", "external_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"), index=True)
    external_id: Mapped[str] = mapped_column(String(256))
    text: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(16))
    meta: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    severity: Mapped[str | None] = mapped_column(String(2))
    priority: Mapped[int] = mapped_column(default=0)


class VendorAllocation(Base):
    """How many of a project's items in one language a vendor is to label: the PM's plan,
    weighed against the vendor's weekly capacity across every running project."""

    __tablename__ = "vendor_allocations"
    __table_args__ = (UniqueConstraint("project_id", "vendor_id", "language"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    vendor_id: Mapped[int] = mapped_column(ForeignKey("vendors.id"), index=True)
    language: Mapped[str] = mapped_column(String(16))
    items: Mapped[int]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Demand(Base):
    """A request for labeled data from a demander (policy or ML team), negotiated with a PM,
    evaluated, decided, and turned into a project.

    status: submitted -> evaluating -> accepted | rejected | withdrawn; accepted -> converted
    (project_id set). delivery: None until the demander accepts or rejects the delivery.
    """

    __tablename__ = "demands"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text, default="")
    # A shipped taxonomy template's name, or None with the taxonomy described in taxonomy_notes.
    taxonomy_template: Mapped[str | None] = mapped_column(String(64))
    taxonomy_notes: Mapped[str] = mapped_column(Text, default="")
    # [{"language": "en", "volume": 1000}, ...]: items wanted per language.
    volumes: Mapped[list[dict[str, Any]]] = mapped_column(JsonType)
    deadline: Mapped[date | None] = mapped_column(Date)
    target_accuracy: Mapped[float | None]
    target_alpha: Mapped[float | None]
    budget: Mapped[float | None]
    # Expected share of items per severity tier: {"S0": 0.6, "S1": 0.2, ...}.
    severity_mix: Mapped[dict[str, float] | None] = mapped_column(JsonType)
    status: Mapped[str] = mapped_column(String(16), default="submitted")
    demander_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    pm_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    decision_note: Mapped[str | None] = mapped_column(Text)
    delivery: Mapped[str | None] = mapped_column(String(16))  # accepted | rejected
    delivery_note: Mapped[str | None] = mapped_column(Text)
    delivery_decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DemandComment(Base):
    """One message in the negotiation between a demander and the PM."""

    __tablename__ = "demand_comments"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    demand_id: Mapped[int] = mapped_column(ForeignKey("demands.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DemandChange(Base):
    """One change to a demand's spec: which field, from what, to what, by whom, when."""

    __tablename__ = "demand_changes"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    demand_id: Mapped[int] = mapped_column(ForeignKey("demands.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    field: Mapped[str] = mapped_column(String(32))
    old: Mapped[Any] = mapped_column(JsonType, nullable=True)
    new: Mapped[Any] = mapped_column(JsonType, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DemandEstimate(Base):
    """A stored evaluation of a demand: its inputs and its result (per-language labels, hours,
    FTE, cost, forecast dates, risks), kept to compare with the actual at delivery."""

    __tablename__ = "demand_estimates"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    demand_id: Mapped[int] = mapped_column(ForeignKey("demands.id", ondelete="CASCADE"), index=True)
    inputs: Mapped[dict[str, Any]] = mapped_column(JsonType)
    result: Mapped[dict[str, Any]] = mapped_column(JsonType)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
