"""The labeler's pages: their projects, and the keyboard-first labeling screen.

The screen itself is a small script (static/labeling.js) on top of the JSON API: it leases,
prefetches, submits and skips through /api/v1, so the page only hands it the project's label
schema, the skip reasons and the current guidelines.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response

from labelops import annotation, guidelines, projects
from labelops.auth import Action
from labelops.errors import PermissionDenied
from labelops.projects import Label, ProjectStatus
from labelops.web.deps import Ctx
from labelops.web.pages.common import render
from labelops.web.pages.guidelines import pending_screen
from labelops.web.pages.projects import ProjectRow

router = APIRouter()

SKIP_REASONS: dict[annotation.SkipReason, str] = {
    annotation.SkipReason.CANNOT_READ_LANGUAGE: "I can't read this language",
    annotation.SkipReason.UNCLEAR_GUIDELINES: "The guidelines don't cover it",
    annotation.SkipReason.DISTRESSING: "Too distressing for me right now",
    annotation.SkipReason.BROKEN_ITEM: "The item is broken or empty",
    annotation.SkipReason.OTHER: "Something else",
}


@router.get("/label")
def labeler_home(request: Request, ctx: Ctx) -> Response:
    with ctx.read_page() as (session, actor, csrf):
        if not actor.can(Action.LABEL):
            raise PermissionDenied("this page is for labelers; see the projects page instead")
        rows = [
            ProjectRow.of(project, None) for project in projects.list_projects(session, actor=actor)
        ]
    rows.sort(key=lambda row: (row.status != ProjectStatus.RUNNING, row.name.lower()))
    return render(
        request,
        "label_home.html",
        actor=actor,
        csrf=csrf,
        rows=rows,
        running=ProjectStatus.RUNNING,
    )


@router.get("/label/{project_id}")
def labeling_screen(request: Request, project_id: int, ctx: Ctx) -> Response:
    with ctx.read_page() as (session, actor, csrf):
        project = projects.get_labeling_project(session, actor=actor, project_id=project_id)
        schema = projects.label_schema_of(session, project)
        current = guidelines.current_guidelines(session, project.id)
        examples = guidelines.list_examples(session, actor=actor, project_id=project.id)
        held = pending_screen(session, actor, project.id)
        document = guidelines.render_document(
            session,
            project=projects.get_project(session, actor=actor, project_id=project.id),
            version=current,
            locales=actor.languages,
            with_examples=False,
        )
        name = project.name
    config = {
        "projectId": project_id,
        "kind": schema.kind,
        "labels": [_label(label) for label in schema.labels],
        "skipReasons": [
            {"value": reason.value, "text": text, "key": str(number)}
            for number, (reason, text) in enumerate(SKIP_REASONS.items(), start=1)
        ],
        "urls": {
            "next": f"/api/v1/projects/{project_id}/next",
            "assignment": "/api/v1/assignments/",
            "disputes": f"/api/v1/projects/{project_id}/disputes",
            "questions": f"/api/v1/projects/{project_id}/questions",
            "questionsPage": f"/projects/{project_id}/questions",
            "home": "/label",
        },
    }
    return render(
        request,
        "labeling.html",
        actor=actor,
        csrf=csrf,
        project_name=name,
        schema=schema,
        config=config,
        skip_reasons=config["skipReasons"],
        guidelines_version=current.version if current else None,
        document=document,
        examples=examples,
        held=held,
    )


def _label(label: Label) -> dict[str, Any]:
    return {
        "key": label.key,
        "name": label.name,
        "description": label.description,
        "hotkey": label.hotkey,
        "children": [_label(child) for child in label.children],
    }
