"""Guidelines and SOPs: publishing versions, reading and comparing them, acknowledging them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from labelops import guidelines, projects
from labelops.auth import Actor
from labelops.web.deps import AuthCtx
from labelops.web.responses import json_list, json_response

router = APIRouter(tags=["guidelines"])


class GuidelinesOut(BaseModel):
    version: int | None
    body: str
    html: str
    sections: dict[str, dict[str, str]] = {}
    glossary: list[dict[str, str]] = []
    changelog: str = ""
    changed_labels: list[str] = []
    created_at: datetime | None = None


class PublishedOut(GuidelinesOut):
    requalify_after: datetime | None
    rereview_escalations: int | None


class Ack(BaseModel):
    version: int = Field(ge=1, description="the version you read")


def _out(row: guidelines.GuidelineVersion | None) -> GuidelinesOut:
    if row is None:
        return GuidelinesOut(version=None, body="", html="")
    return GuidelinesOut(
        version=row.version,
        body=row.body,
        html=guidelines.render_markdown(row.body),
        sections=row.sections,
        glossary=row.glossary,
        changelog=row.changelog,
        changed_labels=row.changed_labels,
        created_at=row.created_at,
    )


def _visible(session: Session, actor: Actor, project_id: int) -> projects.Project:
    return projects.get_project(session, actor=actor, project_id=project_id)


@router.get("/projects/{project_id}/guidelines", response_model=GuidelinesOut)
def get_guidelines(project_id: int, ctx: AuthCtx) -> Response:
    """The current guidelines: Markdown intro (and as HTML), label sections, glossary."""
    with ctx.read() as (session, actor):
        project = _visible(session, actor, project_id)
        out = _out(guidelines.current_guidelines(session, project.id))
    return json_response(out)


@router.put("/projects/{project_id}/guidelines", response_model=PublishedOut)
def publish_guidelines(project_id: int, body: guidelines.NewGuidelines, ctx: AuthCtx) -> Response:
    """Publish a new version: `body` alone, or with label `sections`, a `glossary` and a
    `changelog`; `recalibrate` has every labeler pass the quiz again, `rereview` sends items
    labeled under a changed definition to reviewers. Labelers acknowledge it before their next
    item."""
    with ctx.write() as (session, actor):
        row, published = guidelines.publish(session, actor=actor, project_id=project_id, data=body)
        out = PublishedOut(
            **_out(row).model_dump(),
            requalify_after=published.requalify_after,
            rereview_escalations=published.rereview_escalations,
        )
    return json_response(out)


@router.get(
    "/projects/{project_id}/guidelines/versions",
    response_model=list[guidelines.VersionSummary],
)
def list_versions(project_id: int, ctx: AuthCtx) -> Response:
    """Every version, newest first, with its changelog and changed labels."""
    with ctx.read() as (session, actor):
        versions = guidelines.list_versions(session, actor=actor, project_id=project_id)
    return json_list(versions)


@router.get("/projects/{project_id}/guidelines/versions/{version}", response_model=GuidelinesOut)
def get_version(project_id: int, version: int, ctx: AuthCtx) -> Response:
    """One version of the guidelines."""
    with ctx.read() as (session, actor):
        project = _visible(session, actor, project_id)
        out = _out(guidelines.get_version(session, project.id, version))
    return json_response(out)


@router.get("/projects/{project_id}/guidelines/diff", response_model=guidelines.GuidelineDiff)
def diff(
    project_id: int,
    ctx: AuthCtx,
    from_version: Annotated[int, Query(alias="from", ge=0)],
    to_version: Annotated[int, Query(alias="to", ge=1)],
) -> Response:
    """What changed between two versions (`from=0`: from nothing): a unified diff of the
    Markdown, labels whose section changed, glossary terms added, removed or reworded."""
    with ctx.read() as (session, actor):
        out = guidelines.diff_versions(
            session,
            actor=actor,
            project_id=project_id,
            from_version=from_version,
            to_version=to_version,
        )
    return json_response(out)


@router.post("/projects/{project_id}/guidelines/ack", response_model=guidelines.Acknowledgement)
def acknowledge(project_id: int, body: Ack, ctx: AuthCtx) -> Response:
    """Confirm you read a version; only the current one releases your queue."""
    with ctx.write() as (session, actor):
        out = guidelines.acknowledge(
            session, actor=actor, project_id=project_id, version=body.version
        )
    return json_response(out)


@router.get("/projects/{project_id}/guidelines/acks", response_model=guidelines.AckStatus)
def acknowledgement_status(project_id: int, ctx: AuthCtx) -> Response:
    """The project's labelers who acknowledged the current version, and who not yet (a vendor
    lead: their own vendor's)."""
    with ctx.read() as (session, actor):
        out = guidelines.acknowledgement_status(session, actor=actor, project_id=project_id)
    return json_response(out)


# --- SOPs --------------------------------------------------------------------------------------


@router.get("/sops", response_model=list[guidelines.SopSummary])
def list_sops(ctx: AuthCtx) -> Response:
    """The SOPs for your role (a PM: all), the ones you have not acknowledged first."""
    with ctx.read() as (session, actor):
        sops = guidelines.list_sops(session, actor=actor)
    return json_list(sops)


@router.post("/sops", response_model=guidelines.SopOut, status_code=201)
def create_sop(body: guidelines.NewSop, ctx: AuthCtx) -> Response:
    """Create an SOP for some roles, with its first version."""
    with ctx.write() as (session, actor):
        out = guidelines.create_sop(session, actor=actor, data=body)
    return json_response(out, status_code=201)


@router.get("/sops/{slug}", response_model=guidelines.SopOut)
def get_sop(slug: str, ctx: AuthCtx) -> Response:
    """An SOP with all its versions, newest first."""
    with ctx.read() as (session, actor):
        out = guidelines.get_sop(session, actor=actor, slug=slug)
    return json_response(out)


@router.post("/sops/{slug}/versions", response_model=guidelines.SopOut, status_code=201)
def publish_sop_version(slug: str, body: guidelines.NewSopVersion, ctx: AuthCtx) -> Response:
    """Publish the next version; everyone it is for acknowledges it again."""
    with ctx.write() as (session, actor):
        out = guidelines.publish_sop_version(session, actor=actor, slug=slug, data=body)
    return json_response(out, status_code=201)


@router.get("/sops/{slug}/diff", response_model=guidelines.SopDiff)
def diff_sop(
    slug: str,
    ctx: AuthCtx,
    from_version: Annotated[int, Query(alias="from", ge=0)],
    to_version: Annotated[int, Query(alias="to", ge=1)],
) -> Response:
    """What changed between two versions of an SOP."""
    with ctx.read() as (session, actor):
        out = guidelines.diff_sop(
            session, actor=actor, slug=slug, from_version=from_version, to_version=to_version
        )
    return json_response(out)


@router.post("/sops/{slug}/ack", response_model=guidelines.SopSummary)
def acknowledge_sop(slug: str, body: Ack, ctx: AuthCtx) -> Response:
    """Confirm you read a version of an SOP; only the current one counts."""
    with ctx.write() as (session, actor):
        out = guidelines.acknowledge_sop(session, actor=actor, slug=slug, version=body.version)
    return json_response(out)
