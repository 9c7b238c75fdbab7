"""The guidelines page (the PM's editor, versions, diff and who acknowledged; a reader's view of
the current version), the diff between two versions, and the labeler's acknowledgement."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from labelops import guidelines, projects
from labelops.auth import Action, Actor, Role
from labelops.errors import InvalidInput, NotFound
from labelops.web.deps import Ctx
from labelops.web.pages.common import redirect, render

router = APIRouter()

_BLANK_GLOSSARY_ROWS = 3
_TEXT = 20_000


@router.get("/projects/{project_id}/guidelines")
def guidelines_page(request: Request, project_id: int, ctx: Ctx) -> Response:
    return _page(request, ctx, project_id)


@router.post("/projects/{project_id}/guidelines")
def publish(
    request: Request,
    project_id: int,
    ctx: Ctx,
    body: Annotated[str, Form(max_length=500_000)] = "",
    changelog: Annotated[str, Form(max_length=_TEXT)] = "",
    section_key: Annotated[list[str] | None, Form()] = None,
    section_definition: Annotated[list[str] | None, Form()] = None,
    section_use_when: Annotated[list[str] | None, Form()] = None,
    section_not_when: Annotated[list[str] | None, Form()] = None,
    glossary_locale: Annotated[list[str] | None, Form()] = None,
    glossary_term: Annotated[list[str] | None, Form()] = None,
    glossary_definition: Annotated[list[str] | None, Form()] = None,
    recalibrate: Annotated[bool, Form()] = False,
    rereview: Annotated[bool, Form()] = False,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    keys = section_key or []
    sections = {
        key: {
            "definition": _at(section_definition, i),
            "use_when": _at(section_use_when, i),
            "not_when": _at(section_not_when, i),
        }
        for i, key in enumerate(keys)
    }
    rows = [
        {
            "locale": _at(glossary_locale, i).strip(),
            "term": _at(glossary_term, i).strip(),
            "definition": _at(glossary_definition, i).strip(),
        }
        for i in range(len(glossary_term or []))
    ]
    try:
        data = guidelines.NewGuidelines.model_validate(
            {
                "body": body,
                "sections": sections,
                "glossary": [row for row in rows if any(row.values())],
                "changelog": changelog,
                "recalibrate": recalibrate,
                "rereview": rereview,
            }
        )
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        return _page(
            request, ctx, project_id, failed=f"{field}: {first['msg']}", draft=(body, changelog)
        )
    try:
        with ctx.write(csrf=csrf_token) as (session, actor):
            row, published = guidelines.publish(
                session, actor=actor, project_id=project_id, data=data
            )
    except InvalidInput as error:
        return _page(request, ctx, project_id, failed=error.message, draft=(body, changelog))
    notes = [f"published={row.version}"]
    if published.rereview_escalations is not None:
        notes.append(f"rereview={published.rereview_escalations}")
    if published.requalify_after is not None:
        notes.append("recalibrate=1")
    return redirect(f"/projects/{project_id}/guidelines?{'&'.join(notes)}")


def _at(values: list[str] | None, index: int) -> str:
    return values[index] if values and index < len(values) else ""


def _page(
    request: Request,
    ctx: Ctx,
    project_id: int,
    *,
    failed: str | None = None,
    draft: tuple[str, str] | None = None,
) -> Response:
    with ctx.read_page() as (session, actor, csrf):
        project = projects.get_project(session, actor=actor, project_id=project_id)
        schema = projects.label_schema(project)
        current = guidelines.current_guidelines(session, project.id)
        can_manage = actor.can(Action.MANAGE_PROJECT)
        document = guidelines.render_document(
            session,
            project=project,
            version=current,
            locales=None if actor.role is not Role.LABELER else actor.languages,
        )
        versions = guidelines.list_versions(session, actor=actor, project_id=project.id)
        status = (
            guidelines.acknowledgement_status(session, actor=actor, project_id=project.id)
            if actor.can(Action.VIEW_PROGRESS)
            else None
        )
        name = project.name
    sections = current.sections if current else {}
    glossary = list(current.glossary) if current else []
    labels = [
        (
            key,
            _label_name(schema, key),
            key in {c.key for label in schema.labels for c in label.children},
        )
        for key in guidelines.all_label_keys(schema)
    ]
    return render(
        request,
        "guidelines.html",
        actor=actor,
        csrf=csrf,
        project_id=project_id,
        project_name=name,
        document=document,
        versions=versions,
        status=status,
        can_manage=can_manage,
        labels=labels,
        sections=sections,
        glossary=glossary + [{}] * _BLANK_GLOSSARY_ROWS,
        body=draft[0] if draft else (current.body if current else ""),
        changelog=draft[1] if draft else "",
        next_version=(current.version if current else 0) + 1,
        failed=failed,
        notice=dict(request.query_params),
        status_code=422 if failed else 200,
    )


def _label_name(schema: projects.LabelSchema, key: str) -> str:
    for label in schema.labels:
        if label.key == key:
            return label.name
        for child in label.children:
            if child.key == key:
                return f"{label.name} › {child.name}"
    return key


@router.get("/projects/{project_id}/guidelines/diff")
def diff_page(request: Request, project_id: int, ctx: Ctx) -> Response:
    with ctx.read_page() as (session, actor, csrf):
        project = projects.get_project(session, actor=actor, project_id=project_id)
        versions = guidelines.list_versions(session, actor=actor, project_id=project.id)
        if not versions:
            raise NotFound("this project has no guidelines yet", code="guideline_version_not_found")
        to_version = _int(request.query_params.get("to"), "to", versions[0].version)
        from_version = _int(request.query_params.get("from"), "from", max(0, to_version - 1))
        diff = guidelines.diff_versions(
            session,
            actor=actor,
            project_id=project.id,
            from_version=from_version,
            to_version=to_version,
        )
        name = project.name
    return render(
        request,
        "guidelines_diff.html",
        actor=actor,
        csrf=csrf,
        project_id=project_id,
        project_name=name,
        versions=versions,
        diff=diff,
    )


def _int(raw: str | None, field: str, default: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise InvalidInput(
            f"{field} must be a version number", code="invalid_version", field=field
        ) from None


@router.post("/label/{project_id}/acknowledge")
def acknowledge(
    project_id: int,
    ctx: Ctx,
    version: Annotated[int | None, Form()] = None,
    sop: Annotated[list[str] | None, Form()] = None,
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """ "I have read it": the guideline version and the SOPs shown on the held screen."""
    with ctx.write(csrf=csrf_token) as (session, actor):
        if version is not None:
            guidelines.acknowledge(session, actor=actor, project_id=project_id, version=version)
        for entry in sop or []:
            slug, _, number = entry.partition(":")
            guidelines.acknowledge_sop(session, actor=actor, slug=slug, version=int(number or 0))
    return redirect(f"/label/{project_id}")


def pending_screen(session: Session, actor: Actor, project_id: int) -> guidelines.Pending | None:
    """What holds the labeler on this project, or None when nothing does."""
    if actor.role is not Role.LABELER:
        return None
    pending = guidelines.pending_for(session, actor=actor, project_id=project_id)
    return pending if pending.is_held else None
