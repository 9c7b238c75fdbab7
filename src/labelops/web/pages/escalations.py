"""Escalated items of a dynamic-overlap project, for a reviewer to decide one by one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from labelops import projects, quality
from labelops.errors import Conflict, InvalidInput
from labelops.web.deps import Ctx
from labelops.web.pages.common import redirect, render

router = APIRouter()


@router.get("/projects/{project_id}/escalations")
def escalation_list(request: Request, project_id: int, ctx: Ctx) -> Response:
    return _page(request, ctx, project_id)


@router.post("/projects/{project_id}/escalations/{escalation_id}/resolve")
def resolve(
    request: Request,
    project_id: int,
    escalation_id: int,
    ctx: Ctx,
    labels: Annotated[list[str] | None, Form()] = None,
    note: Annotated[str, Form(max_length=2_000)] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    try:
        with ctx.write(csrf=csrf_token) as (session, actor):
            if not labels:
                raise InvalidInput("choose the item's label", code="missing_labels", field="labels")
            quality.resolve_escalation(
                session,
                actor=actor,
                project_id=project_id,
                escalation_id=escalation_id,
                labels=labels,
                note=note,
            )
    except (InvalidInput, Conflict) as error:
        return _page(request, ctx, project_id, failed=(escalation_id, error.message))
    return redirect(f"/projects/{project_id}/escalations?resolved={escalation_id}")


def _page(
    request: Request, ctx: Ctx, project_id: int, *, failed: tuple[int, str] | None = None
) -> Response:
    with ctx.read_page() as (session, actor, csrf):
        escalations = quality.list_escalations(session, actor=actor, project_id=project_id)
        project = projects.get_project(session, actor=actor, project_id=project_id)
        schema = projects.label_schema(project)
        name = project.name
    return render(
        request,
        "escalations.html",
        actor=actor,
        csrf=csrf,
        project_id=project_id,
        project_name=name,
        schema=schema,
        escalations=escalations,
        resolved=request.query_params.get("resolved"),
        failed=failed,
        status_code=422 if failed else 200,
    )
