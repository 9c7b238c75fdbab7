"""Evaluation of demands: the PM runs estimates; PMs, admins and the demand's demander read
them, and the actual beside the latest once the demand's project has run."""

from __future__ import annotations

from fastapi import APIRouter, Response

from labelops.projects import evaluation
from labelops.web.deps import AuthCtx
from labelops.web.responses import json_list, json_response

router = APIRouter(tags=["evaluation"])


@router.post(
    "/demands/{demand_id}/estimates", response_model=evaluation.EstimateOut, status_code=201
)
def run_estimate(demand_id: int, body: evaluation.EstimateRequest, ctx: AuthCtx) -> Response:
    """Estimate labels, labeler-hours, FTE, cost, P50/P85 completion and risks per language,
    and store the estimate with the demand."""
    with ctx.write() as (session, actor):
        stored = evaluation.estimate_demand(session, actor=actor, demand_id=demand_id, request=body)
    return json_response(stored, status_code=201)


@router.get("/demands/{demand_id}/estimates", response_model=list[evaluation.EstimateOut])
def list_estimates(demand_id: int, ctx: AuthCtx) -> Response:
    """The demand's estimates, newest first."""
    with ctx.read() as (session, actor):
        found = evaluation.list_estimates(session, actor=actor, demand_id=demand_id)
    return json_list(found)


@router.get("/demands/{demand_id}/actual", response_model=evaluation.ActualOut | None)
def actual(demand_id: int, ctx: AuthCtx) -> Response:
    """The project's actual labels, hours, cost and completion beside the latest estimate
    (null before the demand has a project and an estimate)."""
    with ctx.read() as (session, actor):
        found = evaluation.actual_vs_estimate(session, actor=actor, demand_id=demand_id)
    return (
        json_response(found)
        if found is not None
        else Response("null", media_type="application/json")
    )
