from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from labelops.db import Base, IdType, JsonType, UTCDateTime, utcnow


class GuidelineVersion(Base):
    """One published version of a project's guidelines (Markdown). Versions only grow."""

    __tablename__ = "guideline_versions"
    __table_args__ = (UniqueConstraint("project_id", "version"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    version: Mapped[int]
    body: Mapped[str] = mapped_column(Text)
    # Per label key: {"definition", "use_when", "not_when"} (Markdown); {} for free text only.
    sections: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict, server_default="{}")
    # [{"locale", "term", "definition"}]: slang and coded terms labelers meet, per locale.
    glossary: Mapped[list[dict[str, Any]]] = mapped_column(
        JsonType, default=list, server_default="[]"
    )
    changelog: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Label keys whose definition changed against the previous version (re-review candidates).
    changed_labels: Mapped[list[str]] = mapped_column(JsonType, default=list, server_default="[]")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class GuidelineAck(Base):
    """A labeler's acknowledgement of one guideline version; the queue holds them until the
    current version has one."""

    __tablename__ = "guideline_acks"
    __table_args__ = (UniqueConstraint("project_id", "user_id", "version"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Sop(Base):
    """A standard operating procedure (escalating urgent content, breaks, the QA process),
    shown to the roles it names; its text is versioned in SopVersion."""

    __tablename__ = "sops"

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    roles: Mapped[list[str]] = mapped_column(JsonType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SopVersion(Base):
    __tablename__ = "sop_versions"
    __table_args__ = (UniqueConstraint("sop_id", "version"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    sop_id: Mapped[int] = mapped_column(ForeignKey("sops.id", ondelete="CASCADE"))
    version: Mapped[int]
    body: Mapped[str] = mapped_column(Text)
    changelog: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SopAck(Base):
    __tablename__ = "sop_acks"
    __table_args__ = (UniqueConstraint("sop_id", "user_id", "version"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    sop_id: Mapped[int] = mapped_column(ForeignKey("sops.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    acknowledged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Question(Base):
    """A labeler's question on an item ("the guideline is unclear here") and the PM's answer,
    which can become a guideline example in one step."""

    __tablename__ = "questions"
    __table_args__ = (Index("ix_questions_open", "project_id", "answered_at"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    asker_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    guideline_version: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    example_id: Mapped[int | None] = mapped_column(
        ForeignKey("guideline_examples.id", ondelete="SET NULL")
    )


class GuidelineExample(Base):
    """A real item kept as an example of a label: its right answer and why (e.g. one labelers
    disagreed on, added from the quality page). Shown with the guidelines."""

    __tablename__ = "guideline_examples"
    __table_args__ = (UniqueConstraint("project_id", "item_id"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"))
    labels: Mapped[list[str]] = mapped_column(JsonType)
    explanation: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(32), default="manual")  # manual | disagreement
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
