"""A project's quality page: gold accuracy with its intervals, pauses, agreement and its
breakdowns, and the PM's gold upload."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Request, Response, UploadFile
from sqlalchemy.orm import Session

from labelops import guidelines, projects, quality
from labelops.auth import Action, Actor
from labelops.errors import InvalidInput
from labelops.web.deps import Ctx
from labelops.web.pages.common import redirect, render

router = APIRouter()

# Gold files are small (answers to a few hundred items): read whole, refused beyond this.
MAX_GOLD_FILE = 20 * 1024 * 1024


@router.get("/projects/{project_id}/quality")
def quality_page(request: Request, project_id: int, ctx: Ctx) -> Response:
    with ctx.read_page() as (session, actor, csrf):
        context = _page_context(session, actor, project_id)
    return render(
        request,
        "quality.html",
        actor=actor,
        csrf=csrf,
        gold_result=None,
        gold_error=None,
        **context,
    )


def _page_context(session: Session, actor: Actor, project_id: int) -> dict[str, Any]:
    """What the page shows: the quality report, the Dawid–Skene fit's labelers and priors, and
    the most confused label pairs and items."""
    project = projects.get_project(session, actor=actor, project_id=project_id)
    report = quality.project_quality(session, actor=actor, project_id=project_id)
    has_answers = report.agreement.answers > 0 or bool(report.gold)
    fit, confusion = (
        quality.fitted_views(session, actor=actor, project_id=project_id)
        if has_answers
        else (None, None)
    )
    return {
        "project": projects.project_out(session, project),
        "report": report,
        "fit": fit,
        "confusion": confusion,
        "can_manage": actor.can(Action.MANAGE_PROJECT),
        "can_review": actor.can(Action.REVIEW),
    }


@router.post("/projects/{project_id}/quality/gold")
def upload_gold(
    request: Request,
    project_id: int,
    ctx: Ctx,
    file: UploadFile,
    fmt: Annotated[Literal["auto", "jsonl", "csv"], Form(alias="format")] = "auto",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Mark items as gold from a file; the page then lists the lines that were refused."""
    data = file.file.read(MAX_GOLD_FILE + 1)
    if len(data) > MAX_GOLD_FILE:
        raise InvalidInput("the gold file is over 20 MB", code="file_too_large", field="file")
    result, error = None, None
    try:
        with ctx.write(csrf=csrf_token) as (session, actor):
            result = quality.import_gold(
                session,
                actor=actor,
                project_id=project_id,
                data=data,
                fmt=None if fmt == "auto" else fmt,
            )
    except InvalidInput as refused:  # the file as a whole: nothing was marked
        error = refused.message
    with ctx.read_page() as (session, actor, csrf):
        context = _page_context(session, actor, project_id)
    return render(
        request,
        "quality.html",
        actor=actor,
        csrf=csrf,
        **context,
        status_code=422 if error else 200,
        gold_result=result,
        gold_error=error,
        gold_source=file.filename or "upload",
    )


@router.post("/projects/{project_id}/quality/pauses/{pause_id}/lift")
def lift_pause(
    project_id: int,
    pause_id: int,
    ctx: Ctx,
    note: Annotated[str, Form(max_length=2_000)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    with ctx.write(csrf=csrf_token) as (session, actor):
        quality.lift_pause(
            session, actor=actor, project_id=project_id, pause_id=pause_id, note=note
        )
    return redirect(f"/projects/{project_id}/quality#pauses")


@router.post("/projects/{project_id}/quality/drift-alerts/{alert_id}/acknowledge")
def acknowledge_drift_alert(
    project_id: int,
    alert_id: int,
    ctx: Ctx,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    with ctx.write(csrf=csrf_token) as (session, actor):
        quality.acknowledge_drift_alert(
            session, actor=actor, project_id=project_id, alert_id=alert_id
        )
    return redirect(f"/projects/{project_id}/quality#drift")


@router.post("/projects/{project_id}/quality/examples")
def add_example(
    project_id: int,
    ctx: Ctx,
    item_id: Annotated[int, Form()],
    labels: Annotated[list[str], Form()],
    explanation: Annotated[str, Form(max_length=5_000)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """One click from a disputed item to a guideline example labelers see."""
    with ctx.write(csrf=csrf_token) as (session, actor):
        guidelines.add_example(
            session,
            actor=actor,
            project_id=project_id,
            data=guidelines.NewExample(
                item_id=item_id, labels=labels, explanation=explanation, source="disagreement"
            ),
        )
    return redirect(f"/projects/{project_id}/quality#confusion")
