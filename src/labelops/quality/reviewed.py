"""Labels a reviewer decided: the last word on an item, above any vote of its labelers.

An escalated item's resolution and an audited item's verdict (its final label when judged
correct, the reviewer's correction when not) both count; when an item has several, the latest
decision wins. Exports give these as the item's final label.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from labelops.quality.models import Audit, AuditItem, Escalation

ReviewedLabel = tuple[list[str], str]  # labels, source: "escalation" | "audit"


def reviewed_labels(session: Session, project_id: int) -> dict[int, ReviewedLabel]:
    """Every reviewed item of the project: item id -> (labels, source). Reviews are few (an
    audit sample, the escalated items), so they are held in memory."""
    decisions: list[tuple[datetime, int, list[str], str]] = []
    escalated = session.execute(
        select(Escalation.resolved_at, Escalation.item_id, Escalation.resolved_labels).where(
            Escalation.project_id == project_id,
            Escalation.resolved_at.is_not(None),
            Escalation.resolved_labels.is_not(None),
        )
    )
    for at, item_id, labels in escalated:
        if at is not None and labels:
            decisions.append((at, item_id, list(labels), "escalation"))
    audited = session.execute(
        select(
            AuditItem.reviewed_at,
            AuditItem.item_id,
            AuditItem.verdict,
            AuditItem.final_labels,
            AuditItem.corrected_labels,
        )
        .join(Audit, Audit.id == AuditItem.audit_id)
        .where(Audit.project_id == project_id, AuditItem.reviewed_at.is_not(None))
    )
    for at, item_id, verdict, final, corrected in audited:
        labels = final if verdict == "correct" else corrected
        if at is not None and labels:
            decisions.append((at, item_id, list(labels), "audit"))
    decisions.sort(key=lambda decision: (decision[0], decision[1]))
    return {item_id: (labels, source) for _, item_id, labels, source in decisions}
