"""The qualification quiz: for the labeler, where they stand, the quiz as one form and their
result; for a PM or vendor lead, every labeler's standing (and, for a PM, resets).

Plain forms, no script: a try is started by a POST, answered by a POST of every question at once,
and its result has an address of its own (post / redirect / get), so a reload re-sends nothing.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response

from labelops import projects, quality
from labelops.auth import Action
from labelops.errors import Conflict, InvalidInput, PermissionDenied
from labelops.web.deps import Ctx
from labelops.web.pages.common import redirect, render

router = APIRouter()

ITEM_FIELD = "item-"


@router.get("/label/{project_id}/qualification")
def quiz_page(request: Request, project_id: int, ctx: Ctx) -> Response:
    return _quiz_page(request, ctx, project_id)


@router.post("/label/{project_id}/qualification")
async def start_quiz(request: Request, project_id: int, ctx: Ctx) -> Response:
    form = await request.form()
    try:
        with ctx.write(csrf=str(form.get("csrf_token", ""))) as (session, actor):
            quality.start_attempt(session, actor=actor, project_id=project_id)
    except Conflict as error:
        return _quiz_page(request, ctx, project_id, problem=error.message, status_code=409)
    return redirect(quality.quiz_path(project_id))


@router.post("/label/{project_id}/qualification/attempts/{attempt_id}")
async def submit_quiz(request: Request, project_id: int, attempt_id: int, ctx: Ctx) -> Response:
    form = await request.form()
    answers = {
        key.removeprefix(ITEM_FIELD): [str(value) for value in form.getlist(key)]
        for key in form
        if key.startswith(ITEM_FIELD)
    }
    try:
        with ctx.write(csrf=str(form.get("csrf_token", ""))) as (session, actor):
            quality.submit_attempt(
                session,
                actor=actor,
                project_id=project_id,
                attempt_id=attempt_id,
                answers=answers,
            )
    except (InvalidInput, Conflict) as error:
        wrong = (
            (error.field or "").removeprefix("answers.") if isinstance(error, InvalidInput) else ""
        )
        return _quiz_page(
            request,
            ctx,
            project_id,
            problem=error.message,
            wrong_item=wrong,
            given=answers,
            status_code=error.status,
        )
    return redirect(f"{quality.quiz_path(project_id)}/attempts/{attempt_id}")


@router.get("/label/{project_id}/qualification/attempts/{attempt_id}")
def result_page(request: Request, project_id: int, attempt_id: int, ctx: Ctx) -> Response:
    with ctx.read_page() as (session, actor, csrf):
        _require_labeler(actor.can(Action.LABEL))
        result = quality.get_quiz_result(
            session, actor=actor, project_id=project_id, attempt_id=attempt_id
        )
        overview = quality.qualification_overview(session, actor=actor, project_id=project_id)
        names = _label_names(
            projects.label_schema_of(session, projects.get_visible_view(session, actor, project_id))
        )
    return render(
        request,
        "qualification_result.html",
        names=names,
        actor=actor,
        csrf=csrf,
        result=result,
        me=overview.me,
        quiz_url=quality.quiz_path(project_id),
        project_id=project_id,
    )


def _quiz_page(
    request: Request,
    ctx: Ctx,
    project_id: int,
    *,
    problem: str = "",
    wrong_item: str = "",
    given: dict[str, list[str]] | None = None,
    status_code: int = 200,
) -> Response:
    with ctx.read_page() as (session, actor, csrf):
        _require_labeler(actor.can(Action.LABEL))
        overview = quality.qualification_overview(session, actor=actor, project_id=project_id)
        quiz = (
            quality.find_open_quiz(session, actor=actor, project_id=project_id)
            if overview.me is not None and overview.me.state == "in_progress"
            else None
        )
    return render(
        request,
        "qualification.html",
        actor=actor,
        csrf=csrf,
        overview=overview,
        me=overview.me,
        quiz=quiz,
        problem=problem,
        wrong_item=wrong_item,
        given=given or {},
        quiz_url=quality.quiz_path(project_id),
        project_id=project_id,
        status_code=status_code,
    )


def _label_names(schema: projects.LabelSchema) -> dict[str, str]:
    """Each selectable label's name as a labeler reads it ("Abuse › Insult")."""
    names = {}
    for label in schema.labels:
        for child in label.children:
            names[child.key] = f"{label.name} › {child.name}"
        if not label.children:
            names[label.key] = label.name
    return names


def _require_labeler(is_labeler: bool) -> None:
    if not is_labeler:
        raise PermissionDenied("the quiz is for labelers; see the project's quality page instead")


@router.get("/projects/{project_id}/qualification")
def standing_page(
    request: Request,
    project_id: int,
    ctx: Ctx,
    reset: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    with ctx.read_page() as (session, actor, csrf):
        if actor.can(Action.LABEL):
            return redirect(quality.quiz_path(project_id))
        overview = quality.qualification_overview(session, actor=actor, project_id=project_id)
    return render(
        request,
        "qualification_standing.html",
        actor=actor,
        csrf=csrf,
        overview=overview,
        can_reset=actor.can(Action.MANAGE_PROJECT),
        reset=reset,
    )


@router.post("/projects/{project_id}/qualification/labelers/{labeler_id}/reset")
def reset_labeler(
    project_id: int,
    labeler_id: int,
    ctx: Ctx,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    with ctx.write(csrf=csrf_token) as (session, actor):
        standing = quality.reset_qualification(
            session, actor=actor, project_id=project_id, labeler_id=labeler_id
        )
    return redirect(f"/projects/{project_id}/qualification?reset={standing.username}")
