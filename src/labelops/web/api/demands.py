"""Demands: demanders ask for labeled data, PMs negotiate, decide and convert them to projects;
the demander accepts the delivery."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from labelops import projects
from labelops.web.deps import AuthCtx
from labelops.web.responses import json_list, json_response

router = APIRouter(prefix="/demands", tags=["demands"])


class ConversionOut(BaseModel):
    demand: projects.DemandDetail
    project: projects.ProjectOut


@router.post("", status_code=201, response_model=projects.DemandDetail)
def submit_demand(body: projects.NewDemand, ctx: AuthCtx) -> Response:
    """Ask for labeled data: title, purpose, taxonomy, volume per language, deadline, quality
    targets, budget and expected severity mix."""
    with ctx.write() as (session, actor):
        demand = projects.submit_demand(session, actor=actor, data=body)
        detail = projects.demand_detail(session, actor=actor, demand_id=demand.id)
    return json_response(detail, 201)


@router.get("", response_model=list[projects.DemandOut])
def list_demands(
    ctx: AuthCtx, status: Annotated[projects.DemandStatus | None, Query()] = None
) -> Response:
    """Demands the caller may see, newest first (a demander: their own)."""
    with ctx.read() as (session, actor):
        rows = projects.list_demands(session, actor=actor, status=status)
        found = projects.demands_out(session, rows)
    return json_list(found)


@router.get("/{demand_id}", response_model=projects.DemandDetail)
def get_demand(demand_id: int, ctx: AuthCtx) -> Response:
    """The spec, its status, the thread, the history of changes and the project, if any."""
    with ctx.read() as (session, actor):
        detail = projects.demand_detail(session, actor=actor, demand_id=demand_id)
    return json_response(detail)


@router.patch("/{demand_id}", response_model=projects.DemandDetail)
def update_demand(demand_id: int, body: projects.DemandUpdate, ctx: AuthCtx) -> Response:
    """Change the spec; each changed field is recorded with who and when."""
    with ctx.write() as (session, actor):
        projects.update_demand(session, actor=actor, demand_id=demand_id, data=body)
        detail = projects.demand_detail(session, actor=actor, demand_id=demand_id)
    return json_response(detail)


@router.post("/{demand_id}/comments", status_code=201, response_model=projects.CommentOut)
def comment(demand_id: int, body: projects.NewComment, ctx: AuthCtx) -> Response:
    """Add a message to the thread between the demander and the PM."""
    with ctx.write() as (session, actor):
        posted = projects.comment_on_demand(session, actor=actor, demand_id=demand_id, data=body)
        detail = projects.demand_detail(session, actor=actor, demand_id=demand_id)
    return json_response(next(c for c in detail.comments if c.id == posted.id), 201)


@router.post("/{demand_id}/status", response_model=projects.DemandDetail)
def change_status(demand_id: int, body: projects.StatusChange, ctx: AuthCtx) -> Response:
    """Evaluate, accept or reject (PM; rejecting needs a note), or withdraw (the demander)."""
    with ctx.write() as (session, actor):
        projects.change_demand_status(session, actor=actor, demand_id=demand_id, data=body)
        detail = projects.demand_detail(session, actor=actor, demand_id=demand_id)
    return json_response(detail)


@router.post("/{demand_id}/convert", status_code=201, response_model=ConversionOut)
def convert(demand_id: int, body: projects.Conversion, ctx: AuthCtx) -> Response:
    """Turn an accepted demand into its project."""
    with ctx.write() as (session, actor):
        project = projects.convert_demand(session, actor=actor, demand_id=demand_id, data=body)
        found = ConversionOut(
            demand=projects.demand_detail(session, actor=actor, demand_id=demand_id),
            project=projects.project_out(session, project),
        )
    return json_response(found, 201)


@router.get("/{demand_id}/delivery", response_model=projects.DeliveryReport | None)
def delivery(demand_id: int, ctx: AuthCtx) -> Response:
    """The delivery against the agreed spec (null before the demand becomes a project)."""
    with ctx.read() as (session, actor):
        report = projects.delivery_report(session, actor=actor, demand_id=demand_id)
    return json_response(report) if report else Response("null", media_type="application/json")


@router.post("/{demand_id}/delivery", response_model=projects.DeliveryReport)
def decide_delivery(demand_id: int, body: projects.DeliveryDecision, ctx: AuthCtx) -> Response:
    """The demander accepts the delivered project, or rejects it with a reason."""
    with ctx.write() as (session, actor):
        projects.decide_delivery(session, actor=actor, demand_id=demand_id, data=body)
        report = projects.delivery_report(session, actor=actor, demand_id=demand_id)
    assert report is not None
    return json_response(report)
