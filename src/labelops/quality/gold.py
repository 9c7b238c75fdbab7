"""Gold: items with a known answer, mixed into labelers' queues to measure them.

A labeler cannot tell a gold item from any other before answering; afterwards they see the
expected answer and its explanation. Each labeler's gold accuracy carries a Wilson 95 % interval,
and a labeler whose whole interval lies below the project's threshold is paused from the project
(with the evidence, for the PM and their vendor lead) until a PM lifts the pause — but never on
fewer gold answers than the project's minimum (5 by default: one early mistake proves little).
Accuracy after a lift counts only the answers given since.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from labelops import annotation, audit, distribution, projects
from labelops.auth import Action, Actor, Role
from labelops.db import FastStatement, utcnow
from labelops.errors import Conflict, InvalidInput, NotFound
from labelops.quality import drift
from labelops.quality.models import GoldAnswer, LabelerPause
from labelops.workforce import User, Vendor

Z_95 = 1.959963984540054
MAX_EXPLANATION = 5_000


def wilson_interval(successes: int, n: int, *, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval of a proportion (0–1 when there is no trial at all)."""
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


class GoldEntry(BaseModel):
    external_id: str = Field(min_length=1, max_length=256)
    labels: list[str] = Field(min_length=1, max_length=50)
    explanation: str = Field(default="", max_length=MAX_EXPLANATION)


class LabelerGold(BaseModel):
    labeler_id: int
    username: str
    vendor: str | None
    answered: int
    correct: int
    accuracy: float | None
    interval: tuple[float, float]
    paused: bool


class PauseOut(BaseModel):
    id: int
    labeler_id: int
    username: str
    vendor: str | None
    reason: str
    message: str
    evidence: dict[str, object] | None
    created_at: datetime
    lifted_at: datetime | None
    lift_note: str | None


def set_gold_answers(
    session: Session, *, actor: Actor, project_id: int, entries: Sequence[GoldEntry]
) -> int:
    """Mark items of a project as gold with their answer and explanation (correcting those that
    already are); the items leave the overlap queue. Unknown items or labels are refused."""
    project = projects.require_manageable(session, actor=actor, project_id=project_id)
    schema = projects.label_schema(project)
    by_external = dict(
        session.execute(
            select(projects.Item.external_id, projects.Item.id).where(
                projects.Item.project_id == project.id,
                projects.Item.external_id.in_({e.external_id for e in entries}),
            )
        ).all()
    )
    now = utcnow()
    for entry in entries:
        item_id = by_external.get(entry.external_id)
        if item_id is None:
            raise InvalidInput(
                f"no item {entry.external_id!r} in this project",
                code="unknown_item",
                field="external_id",
            )
        labels = schema.check_selection(entry.labels)
        gold = session.get(GoldAnswer, item_id)
        if gold is None:
            session.add(
                GoldAnswer(
                    item_id=item_id,
                    project_id=project.id,
                    labels=labels,
                    explanation=entry.explanation,
                    created_by_id=actor.user_id,
                    created_at=now,
                    updated_at=now,
                )
            )
        else:
            gold.labels, gold.explanation, gold.updated_at = labels, entry.explanation, now
    session.flush()
    distribution.mark_gold(session, item_ids=[by_external[e.external_id] for e in entries])
    audit.record(
        session,
        actor,
        "gold.set",
        ("project", project.id),
        project_id=project.id,
        items=len(entries),
    )
    return len(entries)


_GOLD = FastStatement(
    select(GoldAnswer.labels, GoldAnswer.explanation).where(
        GoldAnswer.item_id == bindparam("item_id")
    )
)


def gold_feedback(
    session: Session, *, item_id: int, labels: Sequence[str]
) -> annotation.GoldFeedback:
    """The expected answer of a gold item, its explanation, and whether `labels` match it."""
    row = _GOLD.run(session.connection(), {"item_id": item_id}).one_or_none()
    if row is None:
        raise NotFound(f"item {item_id} is not gold", code="not_gold")
    return annotation.GoldFeedback(
        expected=row.labels, explanation=row.explanation, correct=sorted(labels) == row.labels
    )


def record_gold_answer(
    session: Session,
    *,
    project: projects.ProjectView,
    labeler_id: int,
    item_id: int,
    labels: Sequence[str],
) -> annotation.GoldFeedback:
    """Score a labeler's answer to a gold item, pause them from the project when their gold
    accuracy is now below its threshold with 95 % confidence, and watch it for drift."""
    feedback = gold_feedback(session, item_id=item_id, labels=labels)
    if project.gold_threshold is not None and not _open_pause(session, project.id, labeler_id):
        results = _results(session, project.id, [labeler_id], since_lift=True)[labeler_id]
        correct = sum(results)
        low, high = wilson_interval(correct, len(results))
        if len(results) >= project.gold_min_answers and high < project.gold_threshold:
            _pause(session, project, labeler_id, correct, len(results), (low, high))
    drift.watch_labeler(session, project=project, labeler_id=labeler_id)
    return feedback


def _pause(
    session: Session,
    project: projects.ProjectView,
    labeler_id: int,
    correct: int,
    answered: int,
    interval: tuple[float, float],
) -> None:
    threshold = project.gold_threshold or 0.0
    message = (
        f"gold accuracy {correct}/{answered} ({correct / answered:.0%}): its 95 % interval "
        f"{interval[0]:.0%}–{interval[1]:.0%} lies below the project's {threshold:.0%}"
    )
    pause = LabelerPause(
        project_id=project.id,
        labeler_id=labeler_id,
        reason="failing_gold",
        message=message,
        evidence={
            "answered": answered,
            "correct": correct,
            "interval": list(interval),
            "threshold": threshold,
        },
    )
    session.add(pause)
    session.flush()
    system = Actor(user_id=None, username="system", role=Role.ADMIN)
    audit.record(
        session,
        system,
        "labeler.paused",
        ("labeler_pause", pause.id),
        project_id=project.id,
        labeler_id=labeler_id,
        reason="failing_gold",
    )


def _results(
    session: Session, project_id: int, labeler_ids: Sequence[int] | None, *, since_lift: bool
) -> dict[int, list[bool]]:
    """Each labeler's gold answers in the project, as correct / not, oldest first."""
    answer = annotation.Annotation
    query = (
        select(answer.labeler_id, answer.labels, GoldAnswer.labels, answer.submitted_at)
        .join(GoldAnswer, GoldAnswer.item_id == answer.item_id)
        .where(answer.project_id == project_id)
        .order_by(answer.submitted_at)
    )
    if labeler_ids is not None:
        query = query.where(answer.labeler_id.in_(labeler_ids))
    lifted = _last_lifts(session, project_id) if since_lift else {}
    results: dict[int, list[bool]] = defaultdict(list)
    for labeler_id, given, expected, submitted_at in session.execute(query):
        if labeler_id in lifted and submitted_at <= lifted[labeler_id]:
            continue
        results[labeler_id].append(sorted(given) == expected)
    return results


def _last_lifts(session: Session, project_id: int) -> dict[int, datetime]:
    rows = session.execute(
        select(LabelerPause.labeler_id, LabelerPause.lifted_at).where(
            LabelerPause.project_id == project_id, LabelerPause.lifted_at.is_not(None)
        )
    )
    lifts: dict[int, datetime] = {}
    for labeler_id, lifted_at in rows:
        if lifted_at is not None and (labeler_id not in lifts or lifted_at > lifts[labeler_id]):
            lifts[labeler_id] = lifted_at
    return lifts


_OPEN_PAUSE = FastStatement(
    select(LabelerPause.message)
    .where(
        LabelerPause.project_id == bindparam("project_id"),
        LabelerPause.labeler_id == bindparam("labeler_id"),
        LabelerPause.lifted_at.is_(None),
    )
    .limit(1)
)


def _open_pause(session: Session, project_id: int, labeler_id: int) -> str | None:
    message: str | None = _OPEN_PAUSE.run(
        session.connection(), {"project_id": project_id, "labeler_id": labeler_id}
    ).scalar()
    return message


def not_paused(
    session: Session, ctx: distribution.LeaseContext, eligibility: distribution.Eligibility
) -> distribution.Eligibility:
    """A paused labeler gets nothing from the project until a PM lifts the pause."""
    assert ctx.actor.user_id is not None
    message = _open_pause(session, ctx.project.id, ctx.actor.user_id)
    if message is None:
        return eligibility
    return eligibility.block(
        "labeler_paused",
        f"you are paused on this project: {message}. Your vendor lead has been told; a PM "
        "can lift the pause.",
    )


def gold_accuracy(session: Session, *, actor: Actor, project_id: int) -> list[LabelerGold]:
    """Every labeler's gold accuracy on the project with its Wilson 95 % interval (a vendor
    lead sees their own vendor's labelers only)."""
    actor.require(Action.VIEW_PROGRESS)
    project = projects.get_project(session, actor=actor, project_id=project_id)
    results = _results(session, project.id, None, since_lift=False)
    paused = {
        labeler_id
        for (labeler_id,) in session.execute(
            select(LabelerPause.labeler_id).where(
                LabelerPause.project_id == project.id, LabelerPause.lifted_at.is_(None)
            )
        )
    }
    people = _people(session, list(results), actor)
    rows = []
    for labeler_id, (username, vendor) in sorted(people.items(), key=lambda kv: kv[1][0]):
        answers = results[labeler_id]
        correct = sum(answers)
        rows.append(
            LabelerGold(
                labeler_id=labeler_id,
                username=username,
                vendor=vendor,
                answered=len(answers),
                correct=correct,
                accuracy=correct / len(answers) if answers else None,
                interval=wilson_interval(correct, len(answers)),
                paused=labeler_id in paused,
            )
        )
    return rows


def _people(
    session: Session, user_ids: Sequence[int], actor: Actor
) -> dict[int, tuple[str, str | None]]:
    query = (
        select(User.id, User.username, Vendor.name)
        .outerjoin(Vendor, Vendor.id == User.vendor_id)
        .where(User.id.in_(user_ids))
    )
    if actor.role is Role.VENDOR_LEAD:
        query = query.where(User.vendor_id == actor.vendor_id)
    return {user_id: (username, vendor) for user_id, username, vendor in session.execute(query)}


def list_pauses(session: Session, *, actor: Actor, project_id: int) -> list[PauseOut]:
    """The project's pauses, newest first, with their evidence (a vendor lead: their own)."""
    actor.require(Action.VIEW_PROGRESS)
    project = projects.get_project(session, actor=actor, project_id=project_id)
    pauses = session.scalars(
        select(LabelerPause)
        .where(LabelerPause.project_id == project.id)
        .order_by(LabelerPause.id.desc())
    ).all()
    people = _people(session, [p.labeler_id for p in pauses], actor)
    return [
        PauseOut(
            id=p.id,
            labeler_id=p.labeler_id,
            username=people[p.labeler_id][0],
            vendor=people[p.labeler_id][1],
            reason=p.reason,
            message=p.message,
            evidence=p.evidence,
            created_at=p.created_at,
            lifted_at=p.lifted_at,
            lift_note=p.lift_note,
        )
        for p in pauses
        if p.labeler_id in people
    ]


def lift_pause(
    session: Session, *, actor: Actor, project_id: int, pause_id: int, note: str
) -> LabelerPause:
    """A PM lets a paused labeler work on the project again; later gold starts afresh."""
    project = projects.require_manageable(session, actor=actor, project_id=project_id)
    pause = session.get(LabelerPause, pause_id)
    if pause is None or pause.project_id != project.id:
        raise NotFound(f"no pause {pause_id} on this project", code="pause_not_found")
    if pause.lifted_at is not None:
        raise Conflict("this pause was already lifted", code="pause_lifted")
    pause.lifted_at, pause.lifted_by_id, pause.lift_note = utcnow(), actor.user_id, note
    session.flush()
    audit.record(
        session,
        actor,
        "labeler.pause_lifted",
        ("labeler_pause", pause.id),
        project_id=project.id,
        labeler_id=pause.labeler_id,
    )
    return pause
