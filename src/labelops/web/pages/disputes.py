"""Disputes: reviewers and PMs read what labelers contest and uphold or overturn it."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request, Response
from pydantic import BaseModel

from labelops import projects, quality
from labelops.auth import Action
from labelops.errors import Conflict, InvalidInput
from labelops.web.deps import Ctx
from labelops.web.pages.common import redirect, render

router = APIRouter()

STATUS_NAMES = {"open": "Open", "upheld": "Upheld", "overturned": "Overturned"}


class ResolveForm(BaseModel):
    outcome: Literal["uphold", "overturn"]
    note: str = ""
    labels: str = ""
    csrf_token: str = ""


@router.get("/projects/{project_id}/disputes")
def dispute_list(
    request: Request,
    project_id: int,
    ctx: Ctx,
    show: Annotated[Literal["open", "all"], Query()] = "open",
    resolved: Annotated[int | None, Query()] = None,
) -> Response:
    return _page(request, ctx, project_id, show=show, resolved=resolved)


@router.post("/projects/{project_id}/disputes/{dispute_id}/resolve")
def resolve(
    request: Request,
    project_id: int,
    dispute_id: int,
    ctx: Ctx,
    form: Annotated[ResolveForm, Form()],
) -> Response:
    try:
        with ctx.write(csrf=form.csrf_token) as (session, actor):
            quality.resolve_dispute(
                session,
                actor=actor,
                project_id=project_id,
                dispute_id=dispute_id,
                resolution=quality.Resolution(
                    outcome=form.outcome,
                    note=form.note,
                    labels=[form.labels] if form.labels else None,
                ),
            )
    except (InvalidInput, Conflict) as error:
        return _page(request, ctx, project_id, show="open", problem=error.message)
    return redirect(f"/projects/{project_id}/disputes?show=all&resolved={dispute_id}")


def _page(
    request: Request,
    ctx: Ctx,
    project_id: int,
    *,
    show: str,
    resolved: int | None = None,
    problem: str = "",
) -> Response:
    with ctx.read_page() as (session, actor, csrf):
        project = projects.get_project(session, actor=actor, project_id=project_id)
        schema = projects.label_schema(project)
        disputes = quality.list_disputes(session, actor=actor, project_id=project.id)
        name = project.name
    names = {}
    for label in schema.labels:
        for leaf in label.children or (label,):
            names[leaf.key] = f"{label.name} › {leaf.name}" if leaf is not label else label.name
    just_resolved = next((d for d in disputes if d.id == resolved), None)
    open_count = sum(d.status == "open" for d in disputes)
    shown = disputes if show == "all" else [d for d in disputes if d.status == "open"]
    return render(
        request,
        "disputes.html",
        actor=actor,
        csrf=csrf,
        status_code=422 if problem else 200,
        project_id=project_id,
        project_name=name,
        disputes=shown,
        show=show,
        open_count=open_count,
        total=len(disputes),
        names=names,
        status_names=STATUS_NAMES,
        can_resolve=actor.can(Action.REVIEW),
        just_resolved=just_resolved,
        problem=problem,
    )
