"""Questions from the floor: a labeler asks about the item in front of them ("the guideline is
unclear here"), the PM answers, and an answer can become a guideline example in one step.

Only someone who has (or had) an assignment on the item may ask about it, so nobody probes
items they were never given. A question records the guideline version in force when it was
asked. Open questions are read oldest first with their age; a labeler reads their own, a vendor
lead their vendor's labelers', the PM all of them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session, aliased

from labelops import audit, distribution, projects
from labelops.auth import Action, Actor, Role
from labelops.db import utcnow
from labelops.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from labelops.guidelines.examples import NewExample, add_example
from labelops.guidelines.models import GuidelineExample, Question
from labelops.guidelines.service import current_version_number
from labelops.workforce import User, Vendor

MAX_QUESTION = 2_000
MAX_ANSWER = 5_000

QuestionState = Literal["open", "answered", "all"]


class NewQuestion(BaseModel):
    item_id: int
    body: str = Field(max_length=MAX_QUESTION)


class NewAnswer(BaseModel):
    answer: str = Field(max_length=MAX_ANSWER)
    example_labels: list[str] | None = Field(
        default=None,
        max_length=50,
        description="also keep the item as a guideline example of these labels, with the "
        "answer as its explanation",
    )


class QuestionOut(BaseModel):
    id: int
    project_id: int
    item_id: int
    external_id: str
    text: str
    asker_id: int
    asker: str
    vendor: str | None
    body: str
    guideline_version: int | None
    created_at: datetime
    answer: str | None
    answered_by: str | None
    answered_at: datetime | None
    example_id: int | None
    example_labels: list[str] | None


class QuestionSummary(BaseModel):
    open: int
    oldest_open_at: datetime | None
    answered: int
    answered_since: int | None = Field(
        description="answers given after the `since` asked for (None when not asked)"
    )


def ask_question(session: Session, *, actor: Actor, project_id: int, data: NewQuestion) -> Question:
    """Ask about an item one has (or had) an assignment on; records the guideline version in
    force. Asking leaves the lease as it is."""
    actor.require(Action.ASK_QUESTION)
    assert actor.user_id is not None
    project = projects.get_project(session, actor=actor, project_id=project_id)
    body = data.body.strip()
    if not body:
        raise InvalidInput("write your question", code="no_question", field="body")
    assigned = session.scalar(
        select(distribution.Assignment.id).where(
            distribution.Assignment.project_id == project.id,
            distribution.Assignment.item_id == data.item_id,
            distribution.Assignment.labeler_id == actor.user_id,
        )
    )
    if assigned is None:  # whether the item exists is none of the asker's business
        raise NotFound(
            f"you were not given item {data.item_id} in this project", code="item_not_found"
        )
    question = Question(
        project_id=project.id,
        item_id=data.item_id,
        asker_id=actor.user_id,
        body=body,
        guideline_version=current_version_number(session, project.id),
        created_at=utcnow(),
    )
    session.add(question)
    session.flush()
    audit.record(
        session,
        actor,
        "question.asked",
        ("question", question.id),
        project_id=project.id,
        item_id=data.item_id,
    )
    return question


def answer_question(
    session: Session, *, actor: Actor, question_id: int, data: NewAnswer
) -> Question:
    """The PM answers an open question; with labels, the item also becomes a guideline example
    of them with the answer as its explanation, in the same transaction."""
    actor.require(Action.MANAGE_PROJECT)
    question = session.get(Question, question_id)
    if question is None:
        raise NotFound(f"no question {question_id}", code="question_not_found")
    try:
        project = projects.require_manageable(session, actor=actor, project_id=question.project_id)
    except NotFound:
        raise NotFound(f"no question {question_id}", code="question_not_found") from None
    answer = data.answer.strip()
    if not answer:
        raise InvalidInput("write the answer", code="no_answer", field="answer")
    if question.answered_at is not None:
        raise Conflict("this question was already answered", code="question_answered")
    example_id = None
    if data.example_labels:
        example = add_example(
            session,
            actor=actor,
            project_id=project.id,
            data=NewExample(
                item_id=question.item_id,
                labels=data.example_labels,
                explanation=answer,
                source="question",
            ),
        )
        example_id = example.id
    # Compare-and-set: of two PMs answering at once, one wins and the other hears so.
    answered = session.execute(
        update(Question)
        .where(Question.id == question.id, Question.answered_at.is_(None))
        .values(
            answer=answer,
            answered_by_id=actor.user_id,
            answered_at=utcnow(),
            example_id=example_id,
        )
        .execution_options(synchronize_session=False)
    )
    if answered.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("this question was already answered", code="question_answered")
    session.refresh(question)
    audit.record(
        session,
        actor,
        "question.answered",
        ("question", question.id),
        project_id=project.id,
        item_id=question.item_id,
        example_id=example_id,
    )
    return question


def list_questions(
    session: Session, *, actor: Actor, project_id: int, state: QuestionState = "all"
) -> list[QuestionOut]:
    """Open questions oldest first, then answered ones, latest answer first: all of them for
    the PM, a vendor lead's labelers' for them, one's own for whoever asks."""
    project = projects.get_project(session, actor=actor, project_id=project_id)
    query = _scoped(_listing().where(Question.project_id == project.id), actor)
    if state == "open":
        query = query.where(Question.answered_at.is_(None))
    elif state == "answered":
        query = query.where(Question.answered_at.is_not(None))
    rows = session.execute(
        query.order_by(
            Question.answered_at.is_not(None),
            Question.answered_at.desc(),
            Question.created_at,
            Question.id,
        )
    ).all()
    return [_out(row) for row in rows]


def get_question(session: Session, *, actor: Actor, question_id: int) -> QuestionOut:
    """One question, for whoever may read it in its project's list."""
    project_id = session.scalar(select(Question.project_id).where(Question.id == question_id))
    if project_id is not None:
        for question in list_questions(session, actor=actor, project_id=project_id):
            if question.id == question_id:
                return question
    raise NotFound(f"no question {question_id}", code="question_not_found")


def question_summary(
    session: Session, *, actor: Actor, project_id: int, since: datetime | None = None
) -> QuestionSummary:
    """How many questions are open and since when, and how many were answered (after `since`):
    counted over what the actor may read; cheap enough for the labeling screen."""
    project = projects.get_project(session, actor=actor, project_id=project_id)
    answered_since = func.count(Question.id).filter(Question.answered_at > since) if since else None
    columns: list[Any] = [
        func.count(Question.id).filter(Question.answered_at.is_(None)),
        func.min(Question.created_at).filter(Question.answered_at.is_(None)),
        func.count(Question.answered_at),
    ]
    if answered_since is not None:
        columns.append(answered_since)
    query = select(*columns).select_from(Question).where(Question.project_id == project.id)
    if not actor.can(Action.MANAGE_PROJECT):
        query = _scoped(query.join(User, User.id == Question.asker_id), actor)
    row = session.execute(query).one()
    return QuestionSummary(
        open=row[0],
        oldest_open_at=row[1],
        answered=row[2],
        answered_since=row[3] if since else None,
    )


def _scoped(query: Select[Any], actor: Actor) -> Select[Any]:
    if actor.can(Action.MANAGE_PROJECT):
        return query
    if actor.role is Role.VENDOR_LEAD:
        return query.where(User.vendor_id == actor.vendor_id)
    if actor.can(Action.ASK_QUESTION):
        return query.where(Question.asker_id == actor.user_id)
    raise PermissionDenied(f"a {actor.role.value} may not read questions from the floor")


def _listing() -> Select[Any]:
    answerer = aliased(User)
    query = (
        select(Question)
        .add_columns(
            projects.Item.external_id,
            projects.Item.text,
            User.username,
            Vendor.name.label("vendor"),
            answerer.username.label("answerer"),
            GuidelineExample.labels.label("example_labels"),
        )
        .join(projects.Item, projects.Item.id == Question.item_id)
        .join(User, User.id == Question.asker_id)
        .outerjoin(Vendor, Vendor.id == User.vendor_id)
        .outerjoin(answerer, answerer.id == Question.answered_by_id)
        .outerjoin(GuidelineExample, GuidelineExample.id == Question.example_id)
    )
    return query


def _out(row: Any) -> QuestionOut:
    q: Question = row.Question
    return QuestionOut(
        id=q.id,
        project_id=q.project_id,
        item_id=q.item_id,
        external_id=row.external_id,
        text=row.text,
        asker_id=q.asker_id,
        asker=row.username,
        vendor=row.vendor,
        body=q.body,
        guideline_version=q.guideline_version,
        created_at=q.created_at,
        answer=q.answer,
        answered_by=row.answerer,
        answered_at=q.answered_at,
        example_id=q.example_id,
        example_labels=row.example_labels,
    )


def age_text(since: datetime, now: datetime | None = None) -> str:
    """An age as people say it: "12 min", "3 h", "2 d"."""
    seconds = max(0, int(((now or utcnow()) - since).total_seconds()))
    if seconds < 3600:
        return f"{max(1, seconds // 60)} min"
    if seconds < 86_400:
        return f"{seconds // 3600} h"
    return f"{seconds // 86_400} d"
