"""Who stands where on a project's qualification quiz, and a PM's reset.

A labeler sees their own tries; a PM or demander sees every labeler's, a vendor lead their own
vendor's. The PM is also told when the gold pool is too small for the quiz in some language.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from labelops import audit, projects
from labelops.auth import Action, Actor, Role
from labelops.db import utcnow
from labelops.errors import NotFound
from labelops.quality.models import GoldAnswer, QualificationAttempt
from labelops.quality.qualification import (
    State,
    as_try,
    attempts_of,
    project_row,
    state_of,
    tries_left,
)
from labelops.workforce import User, Vendor


class AttemptSummary(BaseModel):
    id: int
    started_at: datetime
    finished_at: datetime | None
    correct: int | None
    total: int
    passed: bool | None
    reset_at: datetime | None


class LabelerQualification(BaseModel):
    labeler_id: int
    username: str
    vendor: str | None
    state: State
    tries_used: int
    tries_left: int
    attempts: list[AttemptSummary]


class QualificationOverview(BaseModel):
    """A labeler sees their own standing (`me`); a PM or vendor lead sees every labeler who took
    the quiz (a vendor lead: their own vendor's), the gold pool and any problem with it."""

    project_id: int
    project_name: str
    items: int
    pass_mark: float
    tries: int
    gold_items: int | None
    problem: str | None
    me: LabelerQualification | None
    labelers: list[LabelerQualification]


def qualification_overview(
    session: Session, *, actor: Actor, project_id: int
) -> QualificationOverview:
    """A labeler's own standing on the project's quiz; for a PM or vendor lead, every labeler's
    tries (a vendor lead: their own vendor's) and whether the gold pool can feed the quiz."""
    if actor.role is Role.LABELER:
        view = projects.get_visible_view(session, actor, project_id)
        project = project_row(session, view.id)
        assert actor.user_id is not None
        username, vendor = _people(session, [actor.user_id], actor)[actor.user_id]
        mine = attempts_of(session, project.id, actor.user_id)
        me = _labeler(project, actor.user_id, username, vendor, mine)
        return _overview(project, gold_items=None, problem=None, me=me, labelers=[])
    actor.require(Action.VIEW_PROGRESS)
    project = projects.get_project(session, actor=actor, project_id=project_id)
    by_language = _gold_by_language(session, project.id)
    attempts = session.scalars(
        select(QualificationAttempt)
        .where(QualificationAttempt.project_id == project.id)
        .order_by(QualificationAttempt.id)
    ).all()
    people = _people(session, sorted({a.labeler_id for a in attempts}), actor)
    labelers = [
        _labeler(
            project,
            labeler_id,
            username,
            vendor,
            [a for a in attempts if a.labeler_id == labeler_id],
        )
        for labeler_id, (username, vendor) in sorted(people.items(), key=lambda kv: kv[1][0])
    ]
    return _overview(
        project,
        gold_items=sum(by_language.values()),
        problem=_pool_problem(project, by_language),
        me=None,
        labelers=labelers,
    )


def _overview(
    project: projects.Project,
    *,
    gold_items: int | None,
    problem: str | None,
    me: LabelerQualification | None,
    labelers: list[LabelerQualification],
) -> QualificationOverview:
    return QualificationOverview(
        project_id=project.id,
        project_name=project.name,
        items=project.qualification_items,
        pass_mark=project.qualification_pass_mark,
        tries=project.qualification_tries,
        gold_items=gold_items,
        problem=problem,
        me=me,
        labelers=labelers,
    )


def _pool_problem(project: projects.Project, by_language: Mapping[str, int]) -> str | None:
    """Why some labelers cannot take the quiz: a language with fewer gold items than it draws."""
    wanted = project.qualification_items
    if wanted == 0:
        return None
    short = [lang for lang in sorted(project.languages) if by_language.get(lang, 0) < wanted]
    if not short:
        return None
    counts = ", ".join(f"{by_language.get(lang, 0)} in {lang}" for lang in short)
    return (
        f"the quiz draws {wanted} gold items but the project has only {counts}: labelers who "
        "read no other language cannot take it until you add gold items or lower "
        "qualification_items"
    )


def _gold_by_language(session: Session, project_id: int) -> dict[str, int]:
    rows = session.execute(
        select(projects.Item.language, func.count())
        .join(GoldAnswer, GoldAnswer.item_id == projects.Item.id)
        .where(GoldAnswer.project_id == project_id)
        .group_by(projects.Item.language)
    )
    return {language: int(count) for language, count in rows}


def _labeler(
    project: projects.Project,
    labeler_id: int,
    username: str,
    vendor: str | None,
    attempts: Sequence[QualificationAttempt],
) -> LabelerQualification:
    if project.qualification_items == 0:
        state, used = State.NOT_REQUIRED, 0
    else:
        state, used = state_of(
            project.qualification_tries, [as_try(a) for a in attempts], project.requalify_after
        )
    return LabelerQualification(
        labeler_id=labeler_id,
        username=username,
        vendor=vendor,
        state=state,
        tries_used=used,
        tries_left=tries_left(state, project.qualification_tries, used),
        attempts=[
            AttemptSummary(
                id=a.id,
                started_at=a.started_at,
                finished_at=a.finished_at,
                correct=a.correct,
                total=a.total,
                passed=a.passed,
                reset_at=a.reset_at,
            )
            for a in attempts
        ],
    )


def reset_qualification(
    session: Session, *, actor: Actor, project_id: int, labeler_id: int
) -> LabelerQualification:
    """A PM gives a labeler their tries at the quiz afresh: failed tries stop counting (and stay
    on record). Nothing changes for a labeler without failed tries, or who passed."""
    project = projects.require_manageable(session, actor=actor, project_id=project_id)
    labeler = session.get(User, labeler_id)
    if labeler is None or labeler.role != Role.LABELER:
        raise NotFound(f"no labeler {labeler_id}", code="labeler_not_found")
    attempts = attempts_of(session, project.id, labeler.id)
    failed = [
        a for a in attempts if a.finished_at is not None and not a.passed and a.reset_at is None
    ]
    if failed:
        now = utcnow()
        for attempt in failed:
            attempt.reset_at = now
        session.flush()
        audit.record(
            session,
            actor,
            "qualification.reset",
            ("user", labeler.id),
            project_id=project.id,
            labeler_id=labeler.id,
            attempts=[a.id for a in failed],
        )
    username, vendor = _people(session, [labeler.id], actor)[labeler.id]
    return _labeler(
        project, labeler.id, username, vendor, attempts_of(session, project.id, labeler.id)
    )


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
