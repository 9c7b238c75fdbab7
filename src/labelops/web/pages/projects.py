"""The projects a user may see, one project's dashboard, its lifecycle and its guidelines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from labelops import analytics, guidelines, projects
from labelops.auth import Action, Role
from labelops.projects import ProjectStatus
from labelops.web.deps import Ctx
from labelops.web.pages.common import redirect, render

router = APIRouter()

_S = ProjectStatus
# The moves the dashboard offers (the service enforces the whole lifecycle).
STATUS_ACTIONS: dict[ProjectStatus, tuple[tuple[ProjectStatus, str], ...]] = {
    _S.APPROVED: ((_S.RUNNING, "Start"),),
    _S.RUNNING: ((_S.PAUSED, "Pause"), (_S.DELIVERED, "Mark delivered")),
    _S.PAUSED: ((_S.RUNNING, "Resume"), (_S.DELIVERED, "Mark delivered")),
    _S.DELIVERED: ((_S.RUNNING, "Reopen"),),
}


@dataclass(frozen=True, slots=True)
class ProjectRow:
    id: int
    name: str
    description: str
    status: str
    languages: list[str]
    overlap: int
    items: analytics.ItemStates | None

    @classmethod
    def of(cls, project: projects.Project, items: analytics.ItemStates | None) -> ProjectRow:
        return cls(
            id=project.id,
            name=project.name,
            description=project.description,
            status=project.status,
            languages=list(project.languages),
            overlap=project.overlap,
            items=items,
        )


@router.get("/projects")
def project_list(request: Request, ctx: Ctx) -> Response:
    with ctx.read_page() as (session, actor, csrf):
        visible = projects.list_projects(session, actor=actor)
        states = (
            analytics.item_states_by_project(
                session, actor=actor, project_ids=[p.id for p in visible]
            )
            if actor.can(Action.VIEW_PROGRESS)
            else {}
        )
        rows = [ProjectRow.of(project, states.get(project.id)) for project in visible]
    return render(
        request,
        "projects.html",
        actor=actor,
        csrf=csrf,
        rows=rows,
        can_create=actor.can(Action.CREATE_PROJECT),
        can_label=actor.can(Action.LABEL),
    )


@router.get("/projects/{project_id}")
def project_page(request: Request, project_id: int, ctx: Ctx) -> Response:
    with ctx.read_page() as (session, actor, csrf):
        project = projects.get_project(session, actor=actor, project_id=project_id)
        out = projects.project_out(session, project)
        current = guidelines.current_guidelines(session, project.id)
        progress = (
            analytics.project_progress(session, actor=actor, project_id=project.id)
            if actor.can(Action.VIEW_PROGRESS)
            else None
        )
        questions = (
            None
            if actor.role is Role.DEMANDER
            else guidelines.question_summary(session, actor=actor, project_id=project.id)
        )
    if not actor.is_staff:  # staffing is the PM's business
        out = out.model_copy(update={"vendors": [], "labelers": []})
    body = current.body if current else ""
    can_manage = actor.can(Action.MANAGE_PROJECT)
    return render(
        request,
        "project.html",
        actor=actor,
        csrf=csrf,
        project=out,
        progress=progress,
        questions=questions,
        questions_own=actor.can(Action.ASK_QUESTION),
        dsa_names=projects.DSA_CATEGORIES,
        questions_oldest=guidelines.age_text(questions.oldest_open_at)
        if questions and questions.oldest_open_at
        else None,
        guidelines_version=current.version if current else None,
        guidelines_body=body,
        guidelines_html=guidelines.render_markdown(body),
        status_actions=STATUS_ACTIONS.get(out.status, ()) if can_manage else (),
        can_manage=can_manage,
        can_export=actor.can(Action.EXPORT),
        can_export_raw=actor.can(Action.EXPORT_RAW),
        can_review=actor.can(Action.REVIEW),
        is_labeler=actor.can(Action.LABEL),
        can_label=actor.can(Action.LABEL) and out.status == ProjectStatus.RUNNING,
    )


@router.post("/projects/{project_id}/status")
def change_status(
    project_id: int,
    ctx: Ctx,
    status: Annotated[ProjectStatus, Form()],
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    with ctx.write(csrf=csrf_token) as (session, actor):
        projects.update_project(
            session,
            actor=actor,
            project_id=project_id,
            data=projects.ProjectUpdate(status=status),
        )
    return redirect(f"/projects/{project_id}")
