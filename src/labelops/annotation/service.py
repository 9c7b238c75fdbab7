"""Use cases of annotation: submitting a judgement, skipping an item, handing one back."""

from __future__ import annotations

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session

from labelops import distribution, projects, quality
from labelops.annotation.models import Annotation
from labelops.annotation.schemas import AnnotationOut, NewSkip, NewSubmission
from labelops.auth import Action, Actor
from labelops.db import FastStatement, table, utcnow
from labelops.distribution import AssignmentRef, AssignmentStatus
from labelops.errors import Conflict

_annotations = table(Annotation)
_STORE = FastStatement(
    insert(_annotations).returning(_annotations.c.id),
    insert_columns=(
        "assignment_id",
        "project_id",
        "item_id",
        "labeler_id",
        "vendor_id",
        "labels",
        "duration_ms",
        "guideline_version",
        "leased_at",
        "submitted_at",
        "is_late",
    ),
)
_STORED = select(
    _annotations.c.id,
    _annotations.c.labels,
    _annotations.c.duration_ms,
    _annotations.c.guideline_version,
    _annotations.c.submitted_at,
    _annotations.c.is_late,
).where(_annotations.c.assignment_id == bindparam("assignment_id"))


def submit_annotation(
    session: Session, *, actor: Actor, assignment_id: int, submission: NewSubmission
) -> tuple[AnnotationOut, bool]:
    """Store the labeler's judgement of their assigned item. Repeating the same submit stores
    nothing new and answers the stored annotation; the bool says whether this call stored it."""
    actor.require(Action.LABEL)
    ref, project = distribution.get_own_assignment_and_project(
        session, actor=actor, assignment_id=assignment_id
    )
    labels = projects.label_schema_of(session, project).check_selection(submission.labels)
    if ref.status == AssignmentStatus.SUBMITTED:
        return _replay(session, ref, labels), False
    now = utcnow()
    try:
        is_late = distribution.claim_submission(session, ref=ref, now=now)
    except distribution.AlreadySubmitted:  # a concurrent copy of this submit won
        return _replay(session, ref, labels), False
    facts = {
        "assignment_id": ref.id,
        "project_id": ref.project_id,
        "item_id": ref.item_id,
        "labeler_id": ref.labeler_id,
        "vendor_id": actor.vendor_id,
        "labels": labels,
        "duration_ms": submission.duration_ms,
        "guideline_version": project.guideline_version,
        "leased_at": ref.leased_at,
        "submitted_at": now,
        "is_late": is_late,
    }
    annotation_id = _STORE.run(session.connection(), facts).scalar()
    if project.max_overlap is not None and not ref.is_gold:  # dynamic overlap
        quality.after_submission(
            session, project=project, item_id=ref.item_id, annotation_id=annotation_id
        )
    gold = (
        quality.record_gold_answer(
            session,
            project=project,
            labeler_id=ref.labeler_id,
            item_id=ref.item_id,
            labels=labels,
        )
        if ref.is_gold
        else None
    )
    out = AnnotationOut(
        id=annotation_id,
        assignment_id=ref.id,
        item_id=ref.item_id,
        labels=labels,
        duration_ms=submission.duration_ms,
        guideline_version=facts["guideline_version"],
        submitted_at=now,
        is_late=is_late,
        gold=gold,
    )
    return out, True


def _replay(session: Session, ref: AssignmentRef, labels: list[str]) -> AnnotationOut:
    row = session.connection().execute(_STORED, {"assignment_id": ref.id}).one()
    if row.labels != labels:
        raise Conflict(
            f"this item was already submitted with {', '.join(row.labels)}; "
            "a submitted answer cannot be changed",
            code="already_submitted",
        )
    return AnnotationOut(
        id=row.id,
        assignment_id=ref.id,
        item_id=ref.item_id,
        labels=row.labels,
        duration_ms=row.duration_ms,
        guideline_version=row.guideline_version,
        submitted_at=row.submitted_at,
        is_late=row.is_late,
        gold=quality.gold_feedback(session, item_id=ref.item_id, labels=labels)
        if ref.is_gold
        else None,
    )


def skip_item(session: Session, *, actor: Actor, assignment_id: int, skip: NewSkip) -> None:
    """Skip an assigned item with a reason; it goes back to the queue for others, never to
    this labeler again."""
    actor.require(Action.LABEL)
    ref = distribution.get_own_assignment(session, actor=actor, assignment_id=assignment_id)
    distribution.end_assignment(
        session,
        ref=ref,
        status=AssignmentStatus.SKIPPED,
        now=utcnow(),
        reason=skip.reason.value,
        note=skip.note,
    )


def release_item(session: Session, *, actor: Actor, assignment_id: int) -> None:
    """Hand back an item not yet worked on (a prefetched one when the labeler leaves)."""
    actor.require(Action.LABEL)
    ref = distribution.get_own_assignment(session, actor=actor, assignment_id=assignment_id)
    distribution.end_assignment(session, ref=ref, status=AssignmentStatus.RELEASED, now=utcnow())
