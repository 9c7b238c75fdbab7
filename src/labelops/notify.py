"""Notifications: in the app for a user, and out by an optional webhook.

A notification is written in the transaction of the change it reports, and so is its webhook
message (an outbox row): a rolled-back change notifies nobody, and a committed one is delivered
at least once by the sender, which retries with backoff until the receiver answers 2xx.

Glossary: a user's *inbox* holds their notifications, read or not; the *bell* in every page's
header shows the unread count; the *outbox* (`WebhookMessage`) holds the events the webhook
sender (`labelops.webhooks`) is still to deliver.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import ForeignKey, Index, String, Text, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from labelops import audit
from labelops.auth import Actor
from labelops.db import Base, IdType, JsonType, UTCDateTime, utcnow
from labelops.errors import NotFound

INBOX_LIMIT = 200


class Notification(Base):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_inbox", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))  # risk | escalation | question | ...
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WebhookMessage(Base):
    """An event waiting for (or done with) delivery to the configured webhook."""

    __tablename__ = "webhook_messages"
    __table_args__ = (Index("ix_webhook_messages_pending", "delivered_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(IdType, primary_key=True)
    event: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JsonType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)


class NotificationOut(BaseModel):
    id: int
    project_id: int | None
    kind: str
    title: str
    body: str
    link: str | None
    created_at: datetime
    read_at: datetime | None


def notify(
    session: Session,
    *,
    user_ids: Iterable[int],
    kind: str,
    title: str,
    body: str = "",
    link: str | None = None,
    project_id: int | None = None,
) -> list[Notification]:
    """Put a notification in each user's inbox, in the transaction of the change it reports."""
    now = utcnow()
    added = [
        Notification(
            user_id=user_id,
            project_id=project_id,
            kind=kind,
            title=title[:300],
            body=body,
            link=link,
            created_at=now,
        )
        for user_id in sorted(set(user_ids))
    ]
    session.add_all(added)
    return added


def enqueue_webhook(session: Session, *, event: str, payload: dict[str, Any]) -> WebhookMessage:
    """Add an event to the webhook outbox, in the transaction of the change it reports: it is
    sent only if that change commits, and then at least once."""
    now = utcnow()
    message = WebhookMessage(
        event=event, payload=payload, created_at=now, attempts=0, next_attempt_at=now
    )
    session.add(message)
    return message


def unread_count(session: Session, *, user_id: int) -> int:
    """How many unread notifications a user has (the bell): one count on the inbox index."""
    count = session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
    )
    return int(count or 0)


def list_notifications(
    session: Session, *, actor: Actor, unread_only: bool = False, limit: int = INBOX_LIMIT
) -> list[NotificationOut]:
    """The actor's own notifications, newest first."""
    query = (
        select(Notification)
        .where(Notification.user_id == actor.user_id)
        .order_by(Notification.id.desc())
        .limit(limit)
    )
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return [NotificationOut.model_validate(n, from_attributes=True) for n in session.scalars(query)]


def mark_read(session: Session, *, actor: Actor, notification_id: int) -> Notification:
    """The actor has read one of their notifications (someone else's is not found)."""
    found = session.get(Notification, notification_id)
    if found is None or found.user_id != actor.user_id:
        raise NotFound(f"no notification {notification_id}", code="notification_not_found")
    if found.read_at is None:
        found.read_at = utcnow()
        audit.record(session, actor, "notification.read", ("notification", found.id))
    session.flush()
    return found


def mark_all_read(session: Session, *, actor: Actor) -> int:
    """The actor has read every notification in their inbox; answers how many were unread."""
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == actor.user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    count = int(getattr(result, "rowcount", 0) or 0)
    if count:
        audit.record(session, actor, "notification.read_all", ("user", actor.user_id), count=count)
    return count
