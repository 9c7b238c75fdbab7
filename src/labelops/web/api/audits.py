"""Audits: plan and start one (PM), review sampled items (reviewer), accept or reject (PM)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from labelops import quality
from labelops.web.deps import AuthCtx
from labelops.web.responses import json_list, json_response

router = APIRouter(tags=["audits"])


@router.get("/projects/{project_id}/audit-plan", response_model=quality.AuditPlan)
def plan_audit(
    project_id: int,
    ctx: AuthCtx,
    margin: Annotated[float, Query(ge=0.005, le=0.25)] = 0.02,
    expected_accuracy: Annotated[float, Query(gt=0.0, lt=1.0)] = 0.95,
    batch_id: int | None = None,
) -> Response:
    """The sample an audit of the lot would review (size and strata), without drawing it."""
    data = quality.NewAudit(margin=margin, expected_accuracy=expected_accuracy, batch_id=batch_id)
    with ctx.read() as (session, actor):
        return json_response(
            quality.plan_audit(session, actor=actor, project_id=project_id, data=data)
        )


@router.post("/projects/{project_id}/audits", status_code=201, response_model=quality.AuditDetail)
def create_audit(project_id: int, body: quality.NewAudit, ctx: AuthCtx) -> Response:
    """Draw a stratified random sample of the lot's finished items, sized for the margin at
    95 % confidence, and open it for review."""
    with ctx.write() as (session, actor):
        created = quality.create_audit(session, actor=actor, project_id=project_id, data=body)
        detail = quality.get_audit(session, actor=actor, audit_id=created.id)
    return json_response(detail, 201)


@router.get("/projects/{project_id}/audits", response_model=list[quality.AuditOut])
def list_audits(project_id: int, ctx: AuthCtx) -> Response:
    """The project's audits, newest first, with progress and the running estimate."""
    with ctx.read() as (session, actor):
        return json_list(quality.list_audits(session, actor=actor, project_id=project_id))


@router.get("/audits", response_model=list[quality.AuditOut])
def open_audits(ctx: AuthCtx) -> Response:
    """Audits still open, across the projects the caller may see (a reviewer's work list)."""
    with ctx.read() as (session, actor):
        return json_list(quality.list_open_audits(session, actor=actor))


@router.get("/audits/{audit_id}", response_model=quality.AuditDetail)
def get_audit(audit_id: int, ctx: AuthCtx) -> Response:
    """An audit with its strata and every sampled item (text, final label, verdict)."""
    with ctx.read() as (session, actor):
        return json_response(quality.get_audit(session, actor=actor, audit_id=audit_id))


@router.post(
    "/audits/{audit_id}/items/{audit_item_id}/verdict", response_model=quality.AuditItemOut
)
def record_verdict(
    audit_id: int, audit_item_id: int, body: quality.Verdict, ctx: AuthCtx
) -> Response:
    """Correct, or incorrect with the right labels; may change until the audit is decided."""
    with ctx.write() as (session, actor):
        quality.record_verdict(
            session, actor=actor, audit_id=audit_id, audit_item_id=audit_item_id, verdict=body
        )
        detail = quality.get_audit(session, actor=actor, audit_id=audit_id)
    return json_response(next(item for item in detail.items if item.id == audit_item_id))


@router.post("/audits/{audit_id}/decision", response_model=quality.AuditOut)
def decide_audit(audit_id: int, body: quality.Decision, ctx: AuthCtx) -> Response:
    """Accept (every item reviewed; the estimate meets the quality target) or reject."""
    with ctx.write() as (session, actor):
        quality.decide_audit(session, actor=actor, audit_id=audit_id, decision=body)
        detail = quality.get_audit(session, actor=actor, audit_id=audit_id)
    return json_response(quality.AuditOut(**detail.model_dump(exclude={"strata", "items"})))
