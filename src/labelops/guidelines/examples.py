"""Guideline examples: real items kept with their right answer and why, shown with the
guidelines (often an item labelers disagreed on, added from the quality page)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from labelops import audit, projects
from labelops.auth import Actor
from labelops.errors import Conflict, InvalidInput
from labelops.guidelines.models import GuidelineExample
from labelops.workforce import User

MAX_EXPLANATION = 5_000


class NewExample(BaseModel):
    item_id: int
    labels: list[str] = Field(min_length=1, max_length=50)
    explanation: str = Field(default="", max_length=MAX_EXPLANATION)
    source: Literal["manual", "disagreement", "question"] = "manual"


class ExampleOut(BaseModel):
    id: int
    item_id: int
    external_id: str
    text: str
    labels: list[str]
    explanation: str
    source: str
    created_by: str | None
    created_at: datetime


def add_example(session: Session, *, actor: Actor, project_id: int, data: NewExample) -> ExampleOut:
    """Keep one of the project's items as a guideline example of the given (valid) labels;
    an item is an example at most once."""
    project = projects.require_manageable(session, actor=actor, project_id=project_id)
    labels = projects.label_schema(project).check_selection(data.labels)
    item = session.get(projects.Item, data.item_id)
    if item is None or item.project_id != project.id:
        raise InvalidInput(
            f"no item {data.item_id} in this project", code="unknown_item", field="item_id"
        )
    if _find(session, project.id, item.id) is not None:
        raise Conflict(f"item {item.id} is already a guideline example", code="example_exists")
    example = GuidelineExample(
        project_id=project.id,
        item_id=item.id,
        labels=labels,
        explanation=data.explanation.strip(),
        source=data.source,
        created_by_id=actor.user_id,
    )
    try:
        with session.begin_nested():  # a PM adding the same item at the same moment
            session.add(example)
    except IntegrityError:
        raise Conflict(
            f"item {item.id} is already a guideline example", code="example_exists"
        ) from None
    audit.record(
        session,
        actor,
        "guideline_example.added",
        ("guideline_example", example.id),
        project_id=project.id,
        item_id=item.id,
        labels=labels,
        source=data.source,
    )
    return example_rows(session, [example.id])[0]


def list_examples(session: Session, *, actor: Actor, project_id: int) -> list[ExampleOut]:
    """A project's guideline examples, oldest first, for anyone who may see the project."""
    project = projects.get_project(session, actor=actor, project_id=project_id)
    return example_rows(session, [e.id for e in examples_of(session, project.id)])


def examples_of(session: Session, project_id: int) -> Sequence[GuidelineExample]:
    """A project's guideline examples, oldest first; the caller has checked access."""
    return session.scalars(
        select(GuidelineExample)
        .where(GuidelineExample.project_id == project_id)
        .order_by(GuidelineExample.id)
    ).all()


def _find(session: Session, project_id: int, item_id: int) -> GuidelineExample | None:
    return session.scalars(
        select(GuidelineExample).where(
            GuidelineExample.project_id == project_id, GuidelineExample.item_id == item_id
        )
    ).first()


def example_rows(session: Session, example_ids: list[int]) -> list[ExampleOut]:
    """The examples with their items' text, in id order."""
    example, item = GuidelineExample, projects.Item
    query = (
        select(
            example.id,
            example.item_id,
            item.external_id,
            item.text,
            example.labels,
            example.explanation,
            example.source,
            User.username,
            example.created_at,
        )
        .join(item, item.id == example.item_id)
        .outerjoin(User, User.id == example.created_by_id)
        .where(example.id.in_(example_ids))
        .order_by(example.id)
    )
    return [
        ExampleOut(
            id=row.id,
            item_id=row.item_id,
            external_id=row.external_id,
            text=row.text,
            labels=row.labels,
            explanation=row.explanation,
            source=row.source,
            created_by=row.username,
            created_at=row.created_at,
        )
        for row in session.execute(query)
    ]
