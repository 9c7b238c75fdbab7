"""Disputes: a labeler contests a gold verdict or a reviewer's correction of their item.

A labeler disputes their own answer to a gold item, or an audit item a reviewer marked wrong on
an item they labeled, with a comment and the labels they say are right (by default, their own
answer); one open dispute per labeler and item. A reviewer or PM upholds the verdict or
overturns it. An overturned gold answer is corrected for everyone: gold accuracy is computed
from the answers at query time, so every score follows, and the pauses of the labelers who
answered that item are examined again (lifted, with a note, when their record no longer fails).
An overturned review correction puts the audit item right.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import Row, Select, and_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from labelops import annotation, audit, projects
from labelops.auth import Action, Actor, Role
from labelops.db import utcnow
from labelops.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from labelops.quality import gold
from labelops.quality.drift import reexamine_drift
from labelops.quality.models import Audit, AuditItem, Dispute, GoldAnswer, LabelerPause
from labelops.workforce import User, Vendor

MAX_COMMENT = 2_000
OPEN = "open"


class NewDispute(BaseModel):
    item_id: int
    kind: Literal["gold", "review"] = "gold"
    audit_item_id: int | None = None
    labels: list[str] | None = Field(default=None, max_length=50)
    comment: str = Field(max_length=MAX_COMMENT)


class Resolution(BaseModel):
    outcome: Literal["uphold", "overturn"]
    note: str = Field(default="", max_length=MAX_COMMENT)
    labels: list[str] | None = Field(default=None, max_length=50)


class DisputeOut(BaseModel):
    id: int
    kind: str
    status: str
    item_id: int
    external_id: str
    text: str
    labeler_id: int
    username: str
    vendor: str | None
    given: list[str] | None  # the labeler's answer
    verdict: list[str] | None  # the gold answer, or the reviewer's correction, now in force
    explanation: str | None
    labels: list[str]  # what the labeler says is right
    comment: str
    audit_item_id: int | None
    created_at: datetime
    resolved_by: str | None
    resolved_at: datetime | None
    resolution_note: str | None
    corrected_labels: list[str] | None


def open_dispute(session: Session, *, actor: Actor, project_id: int, data: NewDispute) -> Dispute:
    """A labeler contests the gold verdict on their answer, or a reviewer's correction of an
    item they labeled, with a comment and the labels they say are right."""
    actor.require(Action.DISPUTE)
    assert actor.user_id is not None
    project = projects.get_project(session, actor=actor, project_id=project_id)
    comment = data.comment.strip()
    if not comment:
        raise InvalidInput("say why the verdict is wrong", code="no_comment", field="comment")
    given = _own_answer(session, project.id, data.item_id, actor.user_id)
    if data.kind == "gold":
        verdict = _gold_verdict(session, project.id, data.item_id)
    else:
        verdict = _review_verdict(session, project.id, data.item_id, data.audit_item_id)
    labels = projects.label_schema(project).check_selection(data.labels or given)
    if labels == verdict:
        raise InvalidInput(
            "these labels are already the answer in force: there is nothing to dispute",
            code="nothing_to_dispute",
            field="labels",
        )
    dispute = Dispute(
        project_id=project.id,
        item_id=data.item_id,
        labeler_id=actor.user_id,
        kind=data.kind,
        audit_item_id=data.audit_item_id if data.kind == "review" else None,
        labels=labels,
        comment=comment,
        status=OPEN,
        created_at=utcnow(),
    )
    try:
        with session.begin_nested():  # the open-dispute index decides a race
            session.add(dispute)
    except IntegrityError:
        raise Conflict(
            "you already have an open dispute on this item", code="dispute_open"
        ) from None
    audit.record(
        session,
        actor,
        "dispute.opened",
        ("dispute", dispute.id),
        project_id=project.id,
        item_id=data.item_id,
        kind=data.kind,
    )
    return dispute


def _own_answer(session: Session, project_id: int, item_id: int, labeler_id: int) -> list[str]:
    answer = annotation.Annotation
    labels = session.scalar(
        select(answer.labels).where(
            answer.project_id == project_id,
            answer.item_id == item_id,
            answer.labeler_id == labeler_id,
        )
    )
    if labels is None:
        raise NotFound(
            f"you have not answered item {item_id} in this project", code="answer_not_found"
        )
    return list(labels)


def _gold_verdict(session: Session, project_id: int, item_id: int) -> list[str]:
    found = session.get(GoldAnswer, item_id)
    if found is None or found.project_id != project_id:
        raise InvalidInput(f"item {item_id} is not a gold item", code="not_gold", field="item_id")
    return list(found.labels)


def _review_verdict(
    session: Session, project_id: int, item_id: int, audit_item_id: int | None
) -> list[str]:
    if audit_item_id is None:
        raise InvalidInput(
            "a review dispute names the audit item", code="no_audit_item", field="audit_item_id"
        )
    row = session.execute(
        select(AuditItem, Audit.project_id)
        .join(Audit, Audit.id == AuditItem.audit_id)
        .where(AuditItem.id == audit_item_id)
    ).one_or_none()
    if row is None or row[1] != project_id or row[0].item_id != item_id:
        raise NotFound(
            f"no audit item {audit_item_id} for item {item_id} in this project",
            code="audit_item_not_found",
        )
    reviewed: AuditItem = row[0]
    if reviewed.verdict != "incorrect" or reviewed.corrected_labels is None:
        raise Conflict("the reviewer did not correct this item", code="not_corrected")
    return list(reviewed.corrected_labels)


def resolve_dispute(
    session: Session, *, actor: Actor, project_id: int, dispute_id: int, resolution: Resolution
) -> Dispute:
    """A reviewer or PM upholds the verdict, or overturns it: the gold answer or the audit item
    takes the resolver's labels (by default the labeler's), and scores follow."""
    actor.require(Action.REVIEW)
    project = projects.get_project(session, actor=actor, project_id=project_id)
    dispute = session.get(Dispute, dispute_id)
    if dispute is None or dispute.project_id != project.id:
        raise NotFound(f"no dispute {dispute_id} on this project", code="dispute_not_found")
    if dispute.status != OPEN:
        raise Conflict(f"this dispute was already {dispute.status}", code="dispute_resolved")
    corrected = None
    if resolution.outcome == "overturn":
        corrected = projects.label_schema(project).check_selection(
            resolution.labels or dispute.labels
        )
    _close(dispute, actor, resolution.note.strip(), corrected)
    if corrected is not None and dispute.kind == "gold":
        _correct_gold(session, actor, project, dispute, corrected)
    elif corrected is not None:
        _correct_review(session, dispute, corrected)
    session.flush()
    audit.record(
        session,
        actor,
        f"dispute.{dispute.status}",
        ("dispute", dispute.id),
        project_id=project.id,
        item_id=dispute.item_id,
        labels=corrected,
    )
    return dispute


def _close(dispute: Dispute, actor: Actor, note: str, corrected: list[str] | None) -> None:
    dispute.status = "upheld" if corrected is None else "overturned"
    dispute.resolved_by_id, dispute.resolved_at = actor.user_id, utcnow()
    dispute.resolution_note, dispute.corrected_labels = note, corrected


def _correct_gold(
    session: Session,
    actor: Actor,
    project: projects.Project,
    dispute: Dispute,
    labels: list[str],
) -> None:
    answer = session.get(GoldAnswer, dispute.item_id)
    assert answer is not None
    previous = list(answer.labels)
    answer.labels, answer.updated_at = labels, utcnow()
    # Other labelers who disputed the same answer asking for the same labels are right too.
    for other in session.scalars(
        select(Dispute).where(
            Dispute.item_id == dispute.item_id,
            Dispute.kind == "gold",
            Dispute.status == OPEN,
            Dispute.id != dispute.id,
        )
    ):
        if other.labels == labels:
            _close(other, actor, f"settled with dispute #{dispute.id}", labels)
    session.flush()
    audit.record(
        session,
        actor,
        "gold.corrected",
        ("item", dispute.item_id),
        project_id=project.id,
        previous=previous,
        labels=labels,
        dispute_id=dispute.id,
    )
    reexamine_pauses(session, actor=actor, project=project, item_id=dispute.item_id)
    reexamine_drift(session, actor=actor, project=project, item_id=dispute.item_id)


def _correct_review(session: Session, dispute: Dispute, labels: list[str]) -> None:
    reviewed = session.get(AuditItem, dispute.audit_item_id)
    assert reviewed is not None
    if labels == sorted(reviewed.final_labels):
        reviewed.verdict, reviewed.corrected_labels = "correct", None
    else:
        reviewed.corrected_labels = labels


def reexamine_pauses(
    session: Session, *, actor: Actor, project: projects.Project, item_id: int
) -> list[LabelerPause]:
    """After a gold answer is corrected, lift the failing-gold pauses of the labelers who
    answered it whose record, scored against the corrected answer, no longer fails."""
    threshold = project.gold_threshold
    if threshold is None:
        return []
    answered = select(annotation.Annotation.labeler_id).where(
        annotation.Annotation.item_id == item_id
    )
    pauses = session.scalars(
        select(LabelerPause).where(
            LabelerPause.project_id == project.id,
            LabelerPause.reason == "failing_gold",
            LabelerPause.lifted_at.is_(None),
            LabelerPause.labeler_id.in_(answered),
        )
    ).all()
    records = gold._results(session, project.id, [p.labeler_id for p in pauses], since_lift=True)
    lifted = []
    for pause in pauses:
        results = records.get(pause.labeler_id, [])
        correct = sum(results)
        low, high = gold.wilson_interval(correct, len(results))
        if len(results) >= project.gold_min_answers and high < threshold:
            continue
        pause.lifted_at, pause.lifted_by_id = utcnow(), actor.user_id
        pause.lift_note = (
            f"lifted automatically: a gold answer was corrected, and gold accuracy is now "
            f"{correct}/{len(results)} (95 % interval {low:.0%}–{high:.0%}), no longer below "
            f"the project's {threshold:.0%}"
        )
        lifted.append(pause)
    session.flush()
    for pause in lifted:
        audit.record(
            session,
            actor,
            "labeler.pause_lifted",
            ("labeler_pause", pause.id),
            project_id=project.id,
            labeler_id=pause.labeler_id,
            automatic=True,
        )
    return lifted


def list_disputes(
    session: Session, *, actor: Actor, project_id: int, status: str | None = None
) -> list[DisputeOut]:
    """The project's disputes, newest first: all of them for reviewers and PMs, a vendor
    lead's labelers' for them, a labeler's own for a labeler."""
    project = projects.get_project(session, actor=actor, project_id=project_id)
    query = _listing().where(Dispute.project_id == project.id).order_by(Dispute.id.desc())
    if status is not None:
        query = query.where(Dispute.status == status)
    if actor.role is Role.LABELER:
        query = query.where(Dispute.labeler_id == actor.user_id)
    elif actor.role is Role.VENDOR_LEAD:
        query = query.where(User.vendor_id == actor.vendor_id)
    elif not actor.can(Action.REVIEW):
        raise PermissionDenied(f"a {actor.role.value} may not see disputes")
    rows = session.execute(query).all()
    resolvers = _usernames(session, [r.Dispute.resolved_by_id for r in rows])
    return [_out(row, resolvers) for row in rows]


def _listing() -> Select[Any]:
    answer = aliased(annotation.Annotation)
    return (
        select(
            Dispute,
            projects.Item.external_id,
            projects.Item.text,
            User.username,
            Vendor.name.label("vendor"),
            answer.labels.label("given"),
            GoldAnswer.labels.label("gold_labels"),
            GoldAnswer.explanation,
        )
        .add_columns(AuditItem.corrected_labels, AuditItem.note)
        .join(projects.Item, projects.Item.id == Dispute.item_id)
        .join(User, User.id == Dispute.labeler_id)
        .outerjoin(Vendor, Vendor.id == User.vendor_id)
        .outerjoin(
            answer, and_(answer.item_id == Dispute.item_id, answer.labeler_id == Dispute.labeler_id)
        )
        .outerjoin(GoldAnswer, GoldAnswer.item_id == Dispute.item_id)
        .outerjoin(AuditItem, AuditItem.id == Dispute.audit_item_id)
    )


def _usernames(session: Session, user_ids: Sequence[int | None]) -> dict[int, str]:
    wanted = {user_id for user_id in user_ids if user_id is not None}
    if not wanted:
        return {}
    return dict(session.execute(select(User.id, User.username).where(User.id.in_(wanted))).all())


def _out(row: Row[Any], resolvers: dict[int, str]) -> DisputeOut:
    d: Dispute = row.Dispute
    is_gold = d.kind == "gold"
    verdict = row.gold_labels if is_gold else row.corrected_labels
    return DisputeOut(
        id=d.id,
        kind=d.kind,
        status=d.status,
        item_id=d.item_id,
        external_id=row.external_id,
        text=row.text,
        labeler_id=d.labeler_id,
        username=row.username,
        vendor=row.vendor,
        given=row.given,
        verdict=verdict,
        explanation=row.explanation if is_gold else row.note,
        labels=d.labels,
        comment=d.comment,
        audit_item_id=d.audit_item_id,
        created_at=d.created_at,
        resolved_by=resolvers.get(d.resolved_by_id) if d.resolved_by_id else None,
        resolved_at=d.resolved_at,
        resolution_note=d.resolution_note,
        corrected_labels=d.corrected_labels,
    )
