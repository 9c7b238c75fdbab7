"""Projects and their items (their guidelines: web/api/guidelines.py)."""

from __future__ import annotations

import tempfile
from typing import IO, Literal, cast

from fastapi import APIRouter, Request, Response
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from labelops import projects
from labelops.auth import Actor
from labelops.web.deps import AuthCtx
from labelops.web.responses import json_list, json_response

router = APIRouter(tags=["projects"])
_SPOOL_BYTES = 8 * 1024 * 1024


@router.post("/projects", status_code=201, response_model=projects.ProjectOut)
def create_project(body: projects.NewProject, ctx: AuthCtx) -> Response:
    """Create a project: languages, label schema (default: the shipped T&S taxonomy), overlap,
    lease duration, staffing and guidelines."""
    with ctx.write() as (session, actor):
        project = projects.create_project(session, actor=actor, data=body)
        return json_response(projects.project_out(session, project), 201)


@router.get("/projects", response_model=list[projects.ProjectOut])
def list_projects(ctx: AuthCtx) -> Response:
    """Projects the caller may see (for a labeler: the ones they may work on)."""
    with ctx.read() as (session, actor):
        rows = projects.list_projects(session, actor=actor)
        return json_list([_out(session, actor, p) for p in rows])


@router.get("/projects/{project_id}", response_model=projects.ProjectOut)
def get_project(project_id: int, ctx: AuthCtx) -> Response:
    with ctx.read() as (session, actor):
        project = projects.get_project(session, actor=actor, project_id=project_id)
        return json_response(_out(session, actor, project))


@router.patch("/projects/{project_id}", response_model=projects.ProjectOut)
def update_project(project_id: int, body: projects.ProjectUpdate, ctx: AuthCtx) -> Response:
    """Change settings, status (running ⇄ paused, delivered, archived…) or staffing."""
    with ctx.write() as (session, actor):
        project = projects.update_project(session, actor=actor, project_id=project_id, data=body)
        return json_response(projects.project_out(session, project))


@router.post(
    "/projects/{project_id}/items",
    response_model=projects.ImportResult,
    openapi_extra={
        "requestBody": {
            "content": {
                "application/x-ndjson": {"schema": {"type": "string"}},
                "text/csv": {"schema": {"type": "string"}},
            },
            "description": "JSONL (one object a line: external_id, text, language, meta, "
            "severity, priority) or CSV with those columns.",
        }
    },
)
async def import_items(
    project_id: int,
    request: Request,
    ctx: AuthCtx,
    format: Literal["jsonl", "csv"] | None = None,
) -> Response:
    """Bulk import. Bad lines are listed by number and reason, good ones are stored; a file
    that cannot be read at all stores nothing."""
    fmt = format or _format_from_content_type(request.headers.get("content-type", ""))
    # Spool the upload first: the import (one transaction) never waits on a slow client, and
    # a broken upload never reaches the database.
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as spool:
        async for chunk in request.stream():
            spool.write(chunk)
        spool.seek(0)
        stream = cast(IO[bytes], spool)

        def work() -> projects.ImportResult:
            with ctx.write() as (session, actor):
                return projects.import_items(
                    session,
                    actor=actor,
                    project_id=project_id,
                    stream=stream,
                    fmt=fmt,
                    source="api",
                )

        return json_response(await run_in_threadpool(work))


def _format_from_content_type(content_type: str) -> Literal["jsonl", "csv"] | None:
    kind = content_type.split(";")[0].strip().lower()
    if kind in ("text/csv", "application/csv"):
        return "csv"
    if kind in ("application/x-ndjson", "application/jsonl", "application/x-jsonlines"):
        return "jsonl"
    return None


def _out(session: Session, actor: Actor, project: projects.Project) -> projects.ProjectOut:
    out = projects.project_out(session, project)
    if not actor.is_staff:  # staffing is the PM's business
        out = out.model_copy(update={"vendors": [], "labelers": []})
    return out
