"""The queue's promises, checked against the facts (assignments and annotations)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from labelops import annotation, distribution

Assignment = distribution.Assignment
Annotation = annotation.Annotation
QueueEntry = distribution.QueueEntry


def queue_violations(session: Session, project_id: int, *, skip_gold: bool = False) -> list[str]:
    """Every way the project's queue breaks its invariants (empty when it keeps them). Gold
    entries hold no slots: with `skip_gold` only they are left out of the slot arithmetic."""
    problems: list[str] = []
    leased = (
        select(Assignment.item_id, func.count().label("n"))
        .where(Assignment.project_id == project_id, Assignment.status == "leased")
        .group_by(Assignment.item_id)
        .subquery()
    )
    stored = (
        select(Annotation.item_id, func.count().label("n"))
        .where(Annotation.project_id == project_id)
        .group_by(Annotation.item_id)
        .subquery()
    )
    rows = session.execute(
        select(
            QueueEntry.item_id,
            QueueEntry.target,
            QueueEntry.open_slots,
            QueueEntry.submitted,
            func.coalesce(leased.c.n, 0),
            func.coalesce(stored.c.n, 0),
        )
        .outerjoin(leased, leased.c.item_id == QueueEntry.item_id)
        .outerjoin(stored, stored.c.item_id == QueueEntry.item_id)
        .where(QueueEntry.project_id == project_id)
        .where(~QueueEntry.is_gold if skip_gold else QueueEntry.project_id == project_id)
    ).all()
    for item_id, target, open_slots, submitted, n_leased, n_stored in rows:
        if submitted != n_stored:
            problems.append(
                f"item {item_id}: counter says {submitted} submitted, {n_stored} stored"
            )
        if open_slots != target - submitted - n_leased:
            problems.append(
                f"item {item_id}: {open_slots} open slots, facts say "
                f"{target} - {submitted} - {n_leased}"
            )
        if n_stored > target:
            problems.append(f"item {item_id}: {n_stored} annotations for an overlap of {target}")
        if open_slots < 0:
            problems.append(f"item {item_id}: negative open slots")
    twice = session.execute(
        select(Annotation.item_id, Annotation.labeler_id)
        .where(Annotation.project_id == project_id)
        .group_by(Annotation.item_id, Annotation.labeler_id)
        .having(func.count() > 1)
    ).all()
    problems.extend(f"labeler {u} labeled item {i} twice" for i, u in twice)
    return problems
