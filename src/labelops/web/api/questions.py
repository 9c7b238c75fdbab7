"""Questions from the floor, and the taxonomy templates a project can start from."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from labelops import guidelines, projects
from labelops.errors import NotFound
from labelops.web.deps import AuthCtx, RequestContext
from labelops.web.responses import json_list, json_response

router = APIRouter(tags=["guidelines"])


@router.post(
    "/projects/{project_id}/questions", response_model=guidelines.QuestionOut, status_code=201
)
def ask_question(project_id: int, body: guidelines.NewQuestion, ctx: AuthCtx) -> Response:
    """Ask about an item you were given ("the guideline is unclear here"); your lease stays."""
    with ctx.write() as (session, actor):
        question = guidelines.ask_question(session, actor=actor, project_id=project_id, data=body)
        out = guidelines.get_question(session, actor=actor, question_id=question.id)
    return json_response(out, status_code=201)


@router.get("/projects/{project_id}/questions", response_model=list[guidelines.QuestionOut])
def list_questions(
    project_id: int,
    ctx: AuthCtx,
    state: Annotated[guidelines.QuestionState, Query()] = "all",
) -> Response:
    """Open questions oldest first, then answered ones (a labeler: their own; a vendor lead:
    their labelers')."""
    with ctx.read() as (session, actor):
        found = guidelines.list_questions(session, actor=actor, project_id=project_id, state=state)
    return json_list(found)


@router.get("/projects/{project_id}/questions/summary", response_model=guidelines.QuestionSummary)
def question_summary(
    project_id: int,
    ctx: AuthCtx,
    since: Annotated[datetime | None, Query(description="count answers given after")] = None,
) -> Response:
    """Open questions and the oldest one's time; answers given (after `since`)."""
    with ctx.read() as (session, actor):
        summary = guidelines.question_summary(
            session, actor=actor, project_id=project_id, since=since
        )
    return json_response(summary)


@router.post("/questions/{question_id}/answer", response_model=guidelines.QuestionOut)
def answer_question(question_id: int, body: guidelines.NewAnswer, ctx: AuthCtx) -> Response:
    """Answer a question; with `example_labels`, the item also becomes a guideline example."""
    with ctx.write() as (session, actor):
        guidelines.answer_question(session, actor=actor, question_id=question_id, data=body)
        out = guidelines.get_question(session, actor=actor, question_id=question_id)
    return json_response(out)


@router.get("/taxonomy-templates", response_model=list[projects.TemplateInfo])
def taxonomy_templates(ctx: AuthCtx) -> Response:
    """The taxonomy templates a project can start from."""
    _signed_in(ctx)
    return json_list(projects.list_templates())


@router.get("/taxonomy-templates/{name}")
def taxonomy_template(name: str, ctx: AuthCtx) -> dict[str, Any]:
    """A template's label schema, ready to edit and send as a project's `label_schema`."""
    _signed_in(ctx)
    if name not in projects.template_names():
        raise NotFound(f"no taxonomy template {name!r}", code="template_not_found")
    return projects.taxonomy_template(name)


def _signed_in(ctx: RequestContext) -> None:
    """Templates are no secret, but the API answers only those who sign in."""
    with ctx.read():
        pass
