"""Re-review after a guideline change: items labeled under an older guideline version with a
label whose definition changed go to reviewers as escalations (reason "guideline_change")."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from labelops import annotation, audit
from labelops.auth import Actor
from labelops.quality.models import Escalation

REASON = "guideline_change"


def escalate_for_guideline_change(
    session: Session,
    *,
    actor: Actor,
    project_id: int,
    labels: Collection[str],
    before_version: int,
) -> int:
    """Send to reviewers every item with an annotation made under a version older than
    `before_version` that picked one of `labels`; items already waiting for a reviewer are left
    as they are, and a decided escalation is reopened. Returns how many items were sent."""
    if not labels:
        return 0
    wanted = set(labels)
    ann = annotation.Annotation
    rows = session.execute(
        select(ann.item_id, ann.labels, ann.guideline_version)
        .where(ann.project_id == project_id)
        .order_by(ann.item_id, ann.id)
    ).all()
    answers: dict[int, list[tuple[str, ...]]] = {}
    affected: set[int] = set()
    for item_id, item_labels, version in rows:
        answers.setdefault(item_id, []).append(tuple(item_labels))
        if (version is None or version < before_version) and wanted & set(item_labels):
            affected.add(item_id)
    if not affected:
        return 0
    existing = {
        e.item_id: e
        for e in session.scalars(
            select(Escalation).where(
                Escalation.project_id == project_id, Escalation.item_id.in_(affected)
            )
        )
    }
    sent = 0
    for item_id in sorted(affected):
        best, count = Counter(answers[item_id]).most_common(1)[0]
        confidence = count / len(answers[item_id])
        escalation = existing.get(item_id)
        if escalation is not None and escalation.resolved_at is None:
            continue
        if escalation is None:
            # One escalation row per item (a unique item_id): a decided one is reopened below.
            escalation = Escalation(
                project_id=project_id,
                item_id=item_id,
                reason=REASON,
                labels=list(best),
                confidence=confidence,
            )
            session.add(escalation)
            session.flush()
            previous = None
        else:
            previous = {
                "reason": escalation.reason,
                "resolved_labels": escalation.resolved_labels,
                "resolved_by_id": escalation.resolved_by_id,
                "resolved_at": escalation.resolved_at.isoformat()
                if escalation.resolved_at
                else None,
            }
            escalation.reason, escalation.labels = REASON, list(best)
            escalation.confidence = confidence
            escalation.resolved_at = escalation.resolved_by_id = None
            escalation.resolved_labels = escalation.note = None
            session.flush()
        sent += 1
        audit.record(
            session,
            actor,
            "item.escalated",
            ("escalation", escalation.id),
            project_id=project_id,
            item_id=item_id,
            reason=REASON,
            guideline_version=before_version,
            reopened=previous,
        )
    return sent
