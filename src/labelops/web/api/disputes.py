"""Disputes and drift alerts: labelers contest verdicts, reviewers settle them; PMs see and
acknowledge drops in a labeler's gold accuracy."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from labelops import quality
from labelops.web.deps import AuthCtx
from labelops.web.responses import json_list, json_response

router = APIRouter(tags=["quality"])


def _one(disputes: list[quality.DisputeOut], dispute_id: int) -> quality.DisputeOut:
    return next(d for d in disputes if d.id == dispute_id)


@router.post("/projects/{project_id}/disputes", response_model=quality.DisputeOut, status_code=201)
def open_dispute(project_id: int, body: quality.NewDispute, ctx: AuthCtx) -> Response:
    """Contest the gold verdict on your answer, or a reviewer's correction of your item."""
    with ctx.write() as (session, actor):
        dispute = quality.open_dispute(session, actor=actor, project_id=project_id, data=body)
        listed = quality.list_disputes(session, actor=actor, project_id=project_id)
    return json_response(_one(listed, dispute.id), status_code=201)


@router.get("/projects/{project_id}/disputes", response_model=list[quality.DisputeOut])
def list_disputes(
    project_id: int,
    ctx: AuthCtx,
    status: Annotated[Literal["open", "upheld", "overturned"] | None, Query()] = None,
) -> Response:
    """The project's disputes, newest first (a labeler: their own; a vendor lead: their
    labelers')."""
    with ctx.read() as (session, actor):
        disputes = quality.list_disputes(session, actor=actor, project_id=project_id, status=status)
    return json_list(disputes)


@router.post(
    "/projects/{project_id}/disputes/{dispute_id}/resolve", response_model=quality.DisputeOut
)
def resolve_dispute(
    project_id: int, dispute_id: int, body: quality.Resolution, ctx: AuthCtx
) -> Response:
    """Uphold the verdict, or overturn it (a gold answer is corrected and scores follow)."""
    with ctx.write() as (session, actor):
        quality.resolve_dispute(
            session, actor=actor, project_id=project_id, dispute_id=dispute_id, resolution=body
        )
        listed = quality.list_disputes(session, actor=actor, project_id=project_id)
    return json_response(_one(listed, dispute_id))


@router.get("/projects/{project_id}/drift-alerts", response_model=list[quality.DriftAlertOut])
def drift_alerts(
    project_id: int, ctx: AuthCtx, open_only: Annotated[bool, Query(alias="open")] = False
) -> Response:
    """Drops in labelers' gold accuracy found by the CUSUM chart, with their evidence."""
    with ctx.read() as (session, actor):
        alerts = quality.list_drift_alerts(
            session, actor=actor, project_id=project_id, open_only=open_only
        )
    return json_list(alerts)


@router.post(
    "/projects/{project_id}/drift-alerts/{alert_id}/acknowledge",
    response_model=quality.DriftAlertOut,
)
def acknowledge_drift_alert(project_id: int, alert_id: int, ctx: AuthCtx) -> Response:
    """A PM has seen the alert and acted on it."""
    with ctx.write() as (session, actor):
        quality.acknowledge_drift_alert(
            session, actor=actor, project_id=project_id, alert_id=alert_id
        )
        alerts = quality.list_drift_alerts(session, actor=actor, project_id=project_id)
    return json_response(next(a for a in alerts if a.id == alert_id))
