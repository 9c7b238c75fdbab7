"""The risk register and the inbox: a project's risks and what a PM does with them; each
user's notifications."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from labelops import analytics, notify, projects
from labelops.web.deps import AuthCtx
from labelops.web.responses import json_list, json_response

router = APIRouter(tags=["risks"])


class ScanOut(BaseModel):
    project_id: int
    findings: int
    risks: list[analytics.RiskOut]


@router.get("/projects/{project_id}/risks", response_model=list[analytics.RiskOut])
def list_risks(
    project_id: int,
    ctx: AuthCtx,
    status: Annotated[Literal["open", "acknowledged", "resolved"] | None, Query()] = None,
    kind: Annotated[str | None, Query(max_length=32)] = None,
    severity: Annotated[Literal["low", "medium", "high", "critical"] | None, Query()] = None,
) -> Response:
    """The project's risk register: unresolved first, most severe first (a vendor lead: risks
    about their vendor; a demander: project-level risks)."""
    with ctx.read() as (session, actor):
        risks = analytics.list_risks(
            session, actor=actor, project_id=project_id, status=status, kind=kind, severity=severity
        )
    return json_list(risks)


@router.post("/projects/{project_id}/risks", response_model=analytics.RiskOut, status_code=201)
def add_risk(project_id: int, body: analytics.NewRisk, ctx: AuthCtx) -> Response:
    """Add a manual risk (PM)."""
    with ctx.write() as (session, actor):
        risk = analytics.add_manual_risk(session, actor=actor, project_id=project_id, data=body)
        out = analytics.get_risk(session, actor=actor, risk_id=risk.id)
    return json_response(out, status_code=201)


@router.post("/projects/{project_id}/risks/scan", response_model=ScanOut)
def scan(project_id: int, ctx: AuthCtx) -> Response:
    """Run the detectors on the project now and record what they find (PM)."""
    with ctx.write() as (session, actor):
        project = projects.require_manageable(session, actor=actor, project_id=project_id)
        result = analytics.scan_risks(session, project.id)
        risks = analytics.list_risks(session, actor=actor, project_id=project.id)
    found = set(result.risk_ids)
    return json_response(
        ScanOut(
            project_id=project.id,
            findings=result.findings,
            risks=[r for r in risks if r.id in found],
        )
    )


@router.post("/risks/{risk_id}/acknowledge", response_model=analytics.RiskOut)
def acknowledge(risk_id: int, ctx: AuthCtx) -> Response:
    """Someone is on it (a PM, or the assignee)."""
    with ctx.write() as (session, actor):
        analytics.acknowledge_risk(session, actor=actor, risk_id=risk_id)
        out = analytics.get_risk(session, actor=actor, risk_id=risk_id)
    return json_response(out)


@router.post("/risks/{risk_id}/assign", response_model=analytics.RiskOut)
def assign(risk_id: int, body: analytics.RiskAssignment, ctx: AuthCtx) -> Response:
    """Hand the risk to a PM, an admin or a lead of the vendor it is about (PM)."""
    with ctx.write() as (session, actor):
        analytics.assign_risk(session, actor=actor, risk_id=risk_id, assignee=body.assignee)
        out = analytics.get_risk(session, actor=actor, risk_id=risk_id)
    return json_response(out)


@router.post("/risks/{risk_id}/resolve", response_model=analytics.RiskOut)
def resolve(risk_id: int, body: analytics.Note, ctx: AuthCtx) -> Response:
    """Close the risk with a note saying what was done (a PM, or the assignee)."""
    with ctx.write() as (session, actor):
        analytics.resolve_risk(session, actor=actor, risk_id=risk_id, note=body.note)
        out = analytics.get_risk(session, actor=actor, risk_id=risk_id)
    return json_response(out)


@router.post("/risks/{risk_id}/reopen", response_model=analytics.RiskOut)
def reopen(risk_id: int, ctx: AuthCtx, body: analytics.Note | None = None) -> Response:
    """Reopen a resolved risk (PM)."""
    with ctx.write() as (session, actor):
        analytics.reopen_risk(session, actor=actor, risk_id=risk_id, note=body.note if body else "")
        out = analytics.get_risk(session, actor=actor, risk_id=risk_id)
    return json_response(out)


class InboxOut(BaseModel):
    unread: int
    notifications: list[notify.NotificationOut]


@router.get("/notifications", response_model=InboxOut, tags=["notifications"])
def inbox(
    ctx: AuthCtx, unread: Annotated[bool, Query(description="unread only")] = False
) -> Response:
    """Your notifications, newest first, with the unread count."""
    with ctx.read() as (session, actor):
        assert actor.user_id is not None
        listed = notify.list_notifications(session, actor=actor, unread_only=unread)
        count = notify.unread_count(session, user_id=actor.user_id)
    return json_response(InboxOut(unread=count, notifications=listed))


@router.post(
    "/notifications/{notification_id}/read",
    response_model=notify.NotificationOut,
    tags=["notifications"],
)
def read(notification_id: int, ctx: AuthCtx) -> Response:
    """Mark one of your notifications read."""
    with ctx.write() as (session, actor):
        found = notify.mark_read(session, actor=actor, notification_id=notification_id)
        out = notify.NotificationOut.model_validate(found, from_attributes=True)
    return json_response(out)


@router.post("/notifications/read-all", tags=["notifications"])
def read_all(ctx: AuthCtx) -> Response:
    """Mark every notification of yours read → {"marked": n}."""
    with ctx.write() as (session, actor):
        count = notify.mark_all_read(session, actor=actor)
    return json_response({"marked": count})
