"""Qualification: a quiz of gold items a labeler must pass before getting a project's real items.

A project with `qualification_items` > 0 draws that many of its gold items (in languages the
labeler reads) for each try; the labeler answers them all at once and passes when their share
right reaches the project's pass mark. They have `qualification_tries` tries; a PM can reset a
labeler who failed out, and their failed tries stop counting. When a PM asks for recalibration
(e.g. with a new guideline version, setting the project's `requalify_after`), only tries finished
after that moment count: everyone passes the quiz again, with fresh tries.

Quiz answers live in the attempt only: they are neither gold answers (gold accuracy, pauses) nor
annotations (agreement, aggregation, export). The quiz's gold items stay in the project's gold
pool, so a labeler may meet one of them again later as an unannounced gold item, with its answer
already known from the quiz's feedback: accepted (it flatters their gold accuracy a little), as
a gold pool much larger than the quiz keeps it rare.
"""

from __future__ import annotations

import enum
import random
from collections.abc import Mapping, Sequence
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from labelops import audit, distribution, projects
from labelops.auth import Action, Actor
from labelops.db import FastStatement, utcnow
from labelops.errors import Conflict, InvalidInput, NotFound
from labelops.quality.models import GoldAnswer, QualificationAttempt

# A share right is compared with the pass mark with this much slack, so that 7/10 passes a
# mark of 0.7 although 0.7 is not exactly representable.
_SLACK = 1e-9


class State(enum.StrEnum):
    NOT_REQUIRED = "not_required"  # the project has no quiz
    REQUIRED = "required"  # not taken yet, or failed with tries left
    IN_PROGRESS = "in_progress"  # a try was started and not submitted
    QUALIFIED = "qualified"
    FAILED = "failed"  # no tries left: a PM may reset


class QuizLabel(BaseModel):
    key: str
    name: str
    description: str
    children: list[QuizLabel] = []


class QuizItem(BaseModel):
    item_id: int
    position: int
    text: str
    language: str


class Quiz(BaseModel):
    """A try at the quiz as the labeler sees it: the items and the label schema, no answers."""

    attempt_id: int
    project_id: int
    kind: str
    labels: list[QuizLabel]
    items: list[QuizItem]
    pass_mark: float
    started_at: datetime


class ItemFeedback(BaseModel):
    item_id: int
    position: int
    text: str
    language: str
    given: list[str]
    expected: list[str]
    explanation: str
    correct: bool


class QuizResult(BaseModel):
    attempt_id: int
    project_id: int
    correct: int
    total: int
    score: float
    pass_mark: float
    passed: bool
    tries_left: int
    finished_at: datetime
    items: list[ItemFeedback]


# The labeling loop's question, one indexed query: this labeler's tries at this project's quiz
# (a handful of rows at most), beside the project's number of tries.
_STANDING = FastStatement(
    select(
        projects.Project.qualification_tries,
        projects.Project.requalify_after,
        QualificationAttempt.id,
        QualificationAttempt.passed,
        QualificationAttempt.finished_at,
        QualificationAttempt.reset_at,
    )
    .select_from(projects.Project)
    .outerjoin(
        QualificationAttempt,
        (QualificationAttempt.project_id == projects.Project.id)
        & (QualificationAttempt.labeler_id == bindparam("labeler_id")),
    )
    .where(projects.Project.id == bindparam("project_id"))
)

# (passed, finished_at, reset_at) of one try
Try = tuple[bool | None, datetime | None, datetime | None]


def state_of(tries: int, taken: Sequence[Try], since: datetime | None = None) -> tuple[State, int]:
    """The labeler's state, and how many failed tries count against them; with `since` (the
    project's recalibration), tries finished before it count for nothing."""
    if since is not None:
        taken = [t for t in taken if t[1] is None or t[1] > since]
    if any(passed for passed, _, _ in taken):
        return State.QUALIFIED, 0
    used = sum(1 for _, finished, reset in taken if finished is not None and reset is None)
    if any(finished is None for _, finished, _ in taken):
        return State.IN_PROGRESS, used
    return (State.FAILED if used >= tries else State.REQUIRED), used


def quiz_path(project_id: int) -> str:
    """Where a labeler takes the project's quiz (named in the queue's block messages)."""
    return f"/label/{project_id}/qualification"


def qualified(
    session: Session, ctx: distribution.LeaseContext, eligibility: distribution.Eligibility
) -> distribution.Eligibility:
    """On a project with a quiz, a labeler gets real items only once they have passed it."""
    if ctx.project.qualification_items == 0:
        return eligibility
    rows = _STANDING.run(
        session.connection(), {"project_id": ctx.project.id, "labeler_id": ctx.actor.user_id}
    ).all()
    taken = [(r.passed, r.finished_at, r.reset_at) for r in rows if r.id is not None]
    state, _ = state_of(
        rows[0].qualification_tries if rows else 0,
        taken,
        rows[0].requalify_after if rows else None,
    )
    if state is State.QUALIFIED:
        return eligibility
    where = quiz_path(ctx.project.id)
    if state is State.FAILED:
        return eligibility.block(
            "failed_qualification",
            "you did not pass this project's qualification quiz and have no tries left. Your "
            f"vendor lead and the PM can see your results ({where}); a PM can give you another "
            "try.",
        )
    return eligibility.block(
        "qualification_required",
        f"this project asks you to pass a qualification quiz of "
        f"{ctx.project.qualification_items} items before you get real items: take it at {where}",
    )


def start_attempt(session: Session, *, actor: Actor, project_id: int) -> Quiz:
    """Start a try at the project's quiz, drawing its gold items at random among those in the
    labeler's languages; an unfinished try is resumed, never redrawn."""
    view = projects.get_labeling_project(session, actor=actor, project_id=project_id)
    project = project_row(session, view.id)
    assert actor.user_id is not None
    attempts = attempts_of(session, project.id, actor.user_id)
    unfinished = next((a for a in attempts if a.finished_at is None), None)
    if unfinished is not None:
        return _quiz(session, view, unfinished)
    state, _ = state_of(
        project.qualification_tries, [as_try(a) for a in attempts], project.requalify_after
    )
    if state is State.QUALIFIED:
        raise Conflict("you already passed this project's quiz", code="already_qualified")
    if state is State.FAILED:
        raise Conflict(
            f"you have used all {project.qualification_tries} tries at this quiz; a PM can "
            "give you another",
            code="failed_qualification",
        )
    attempt = QualificationAttempt(
        project_id=project.id,
        labeler_id=actor.user_id,
        item_ids=_draw(session, view, actor),
        total=project.qualification_items,
        started_at=utcnow(),
    )
    try:
        with session.begin_nested():
            session.add(attempt)
            session.flush()
    except IntegrityError:
        # The same labeler started a try concurrently (two tabs): theirs is the one to resume.
        winner = session.scalars(
            select(QualificationAttempt).where(
                QualificationAttempt.project_id == project.id,
                QualificationAttempt.labeler_id == actor.user_id,
                QualificationAttempt.finished_at.is_(None),
            )
        ).one()
        return _quiz(session, view, winner)
    audit.record(
        session,
        actor,
        "qualification.started",
        ("qualification_attempt", attempt.id),
        project_id=project.id,
        items=attempt.total,
    )
    return _quiz(session, view, attempt)


def find_open_quiz(session: Session, *, actor: Actor, project_id: int) -> Quiz | None:
    """The labeler's unfinished try at the project's quiz, if they have one."""
    view = projects.get_labeling_project(session, actor=actor, project_id=project_id)
    assert actor.user_id is not None
    for attempt in attempts_of(session, view.id, actor.user_id):
        if attempt.finished_at is None:
            return _quiz(session, view, attempt)
    return None


def _draw(session: Session, view: projects.ProjectView, actor: Actor) -> list[int]:
    wanted = view.qualification_items
    languages = sorted(view.languages & actor.languages)
    pool = session.scalars(
        select(GoldAnswer.item_id)
        .join(projects.Item, projects.Item.id == GoldAnswer.item_id)
        .where(GoldAnswer.project_id == view.id, projects.Item.language.in_(languages))
        .order_by(GoldAnswer.item_id)
    ).all()
    if len(pool) < wanted:
        raise Conflict(
            f"this quiz needs {wanted} gold items in your languages ({', '.join(languages)}) but "
            f"the project has {len(pool)}; the PM sees this on the project's qualification "
            "overview and must add gold items first",
            code="not_enough_gold",
        )
    return random.sample(list(pool), wanted)


def _quiz(session: Session, view: projects.ProjectView, attempt: QualificationAttempt) -> Quiz:
    schema = projects.label_schema_of(session, view)
    items = _items(session, attempt.item_ids)
    return Quiz(
        attempt_id=attempt.id,
        project_id=view.id,
        kind=schema.kind,
        labels=[_label(label) for label in schema.labels],
        items=[
            QuizItem(
                item_id=item_id,
                position=position,
                text=items[item_id][0],
                language=items[item_id][1],
            )
            for position, item_id in enumerate(attempt.item_ids, start=1)
        ],
        pass_mark=project_row(session, view.id).qualification_pass_mark,
        started_at=attempt.started_at,
    )


def _label(label: projects.Label) -> QuizLabel:
    return QuizLabel(
        key=label.key,
        name=label.name,
        description=label.description,
        children=[_label(child) for child in label.children],
    )


def submit_attempt(
    session: Session,
    *,
    actor: Actor,
    project_id: int,
    attempt_id: int,
    answers: Mapping[str, Sequence[str]],
) -> QuizResult:
    """Grade a try against the gold answers, all items at once: passed when the share right
    reaches the pass mark. Sending the same answers again is harmless."""
    actor.require(Action.LABEL)
    view = projects.get_visible_view(session, actor, project_id)
    attempt = _own_attempt(session, actor, view.id, attempt_id)
    given = _checked_answers(projects.label_schema_of(session, view), attempt.item_ids, answers)
    if attempt.finished_at is not None:
        if attempt.answers == given:
            return _result(session, view.id, attempt)
        raise Conflict("this try was already submitted", code="attempt_finished")
    project = project_row(session, view.id)
    expected = _gold(session, attempt.item_ids)
    correct = sum(given[str(i)] == expected[i][0] for i in attempt.item_ids)
    attempt.answers = given
    attempt.correct = correct
    attempt.passed = correct / attempt.total + _SLACK >= project.qualification_pass_mark
    attempt.finished_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        "qualification.submitted",
        ("qualification_attempt", attempt.id),
        project_id=view.id,
        correct=correct,
        total=attempt.total,
        passed=attempt.passed,
    )
    return _result(session, view.id, attempt)


def _checked_answers(
    schema: projects.LabelSchema, item_ids: Sequence[int], answers: Mapping[str, Sequence[str]]
) -> dict[str, list[str]]:
    keys = [str(item_id) for item_id in item_ids]
    unknown = sorted(set(answers) - set(keys))
    if unknown:
        raise InvalidInput(
            f"item {unknown[0]} is not part of this quiz",
            code="unknown_quiz_item",
            field=f"answers.{unknown[0]}",
        )
    checked: dict[str, list[str]] = {}
    for position, key in enumerate(keys, start=1):
        try:
            checked[key] = schema.check_selection(answers.get(key) or [])
        except InvalidInput as error:
            raise InvalidInput(
                f"question {position} (item {key}): {error.message}",
                code=error.code,
                field=f"answers.{key}",
            ) from None
    return checked


def get_quiz_result(
    session: Session, *, actor: Actor, project_id: int, attempt_id: int
) -> QuizResult:
    """The labeler's submitted try: for each item their answer, the expected one and why."""
    actor.require(Action.LABEL)
    view = projects.get_visible_view(session, actor, project_id)
    attempt = _own_attempt(session, actor, view.id, attempt_id)
    if attempt.finished_at is None:
        raise Conflict("this try is not submitted yet", code="attempt_open")
    return _result(session, view.id, attempt)


def _result(session: Session, project_id: int, attempt: QualificationAttempt) -> QuizResult:
    assert attempt.finished_at is not None
    assert attempt.answers is not None
    project = project_row(session, project_id)
    items = _items(session, attempt.item_ids)
    expected = _gold(session, attempt.item_ids)
    attempts = attempts_of(session, project_id, attempt.labeler_id)
    state, used = state_of(
        project.qualification_tries, [as_try(a) for a in attempts], project.requalify_after
    )
    feedback = []
    for position, item_id in enumerate(attempt.item_ids, start=1):
        given = attempt.answers[str(item_id)]
        labels, explanation = expected[item_id]
        feedback.append(
            ItemFeedback(
                item_id=item_id,
                position=position,
                text=items[item_id][0],
                language=items[item_id][1],
                given=given,
                expected=labels,
                explanation=explanation,
                correct=given == labels,
            )
        )
    correct = attempt.correct or 0
    return QuizResult(
        attempt_id=attempt.id,
        project_id=project_id,
        correct=correct,
        total=attempt.total,
        score=correct / attempt.total,
        pass_mark=project.qualification_pass_mark,
        passed=bool(attempt.passed),
        tries_left=tries_left(state, project.qualification_tries, used),
        finished_at=attempt.finished_at,
        items=feedback,
    )


def tries_left(state: State, tries: int, used: int) -> int:
    return 0 if state is State.QUALIFIED else max(0, tries - used)


def project_row(session: Session, project_id: int) -> projects.Project:
    project = session.get(projects.Project, project_id)
    if project is None:
        raise NotFound(f"no project {project_id}", code="project_not_found")
    return project


def attempts_of(session: Session, project_id: int, labeler_id: int) -> list[QualificationAttempt]:
    return list(
        session.scalars(
            select(QualificationAttempt)
            .where(
                QualificationAttempt.project_id == project_id,
                QualificationAttempt.labeler_id == labeler_id,
            )
            .order_by(QualificationAttempt.id)
        )
    )


def as_try(attempt: QualificationAttempt) -> Try:
    return attempt.passed, attempt.finished_at, attempt.reset_at


def _own_attempt(
    session: Session, actor: Actor, project_id: int, attempt_id: int
) -> QualificationAttempt:
    attempt = session.get(QualificationAttempt, attempt_id)
    if attempt is None or attempt.project_id != project_id or attempt.labeler_id != actor.user_id:
        raise NotFound(f"no quiz try {attempt_id} of yours", code="attempt_not_found")
    return attempt


def _items(session: Session, item_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    rows = session.execute(
        select(projects.Item.id, projects.Item.text, projects.Item.language).where(
            projects.Item.id.in_(item_ids)
        )
    )
    return {item_id: (text, language) for item_id, text, language in rows}


def _gold(session: Session, item_ids: Sequence[int]) -> dict[int, tuple[list[str], str]]:
    rows = session.execute(
        select(GoldAnswer.item_id, GoldAnswer.labels, GoldAnswer.explanation).where(
            GoldAnswer.item_id.in_(item_ids)
        )
    )
    return {item_id: (labels, explanation) for item_id, labels, explanation in rows}
