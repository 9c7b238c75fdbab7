"""Importing items from the project page: upload a file, see what went in and what did not."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request, Response, UploadFile

from labelops import projects
from labelops.errors import Conflict, InvalidInput
from labelops.web.deps import Ctx
from labelops.web.pages.common import render

router = APIRouter()


@router.post("/projects/{project_id}/import")
def import_items(
    request: Request,
    project_id: int,
    ctx: Ctx,
    file: UploadFile,
    fmt: Annotated[Literal["auto", "jsonl", "csv"], Form(alias="format")] = "auto",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Every good line is stored; every rejected one is listed with its number and reason."""
    source = file.filename or "upload"
    try:
        with ctx.write(csrf=csrf_token) as (session, actor):
            name = projects.get_project(session, actor=actor, project_id=project_id).name
            result = projects.import_items(
                session,
                actor=actor,
                project_id=project_id,
                stream=file.file,
                fmt=None if fmt == "auto" else fmt,
                source=source,
            )
    except (InvalidInput, Conflict) as error:  # the file as a whole was refused
        with ctx.read_page() as (session, actor, csrf):
            name = projects.get_project(session, actor=actor, project_id=project_id).name
        return render(
            request,
            "import_result.html",
            actor=actor,
            csrf=csrf,
            status_code=error.status,
            project_id=project_id,
            project_name=name,
            source=source,
            result=None,
            error=error.message,
        )
    return render(
        request,
        "import_result.html",
        actor=actor,
        csrf=csrf_token,
        project_id=project_id,
        project_name=name,
        source=source,
        result=result,
        error=None,
    )
