"""The progress dashboard's figures."""

from __future__ import annotations

from fastapi import APIRouter, Response

from labelops import analytics
from labelops.web.deps import AuthCtx
from labelops.web.responses import json_response

router = APIRouter(tags=["dashboard"])


@router.get("/projects/{project_id}/dashboard", response_model=analytics.Dashboard)
def dashboard(project_id: int, ctx: AuthCtx) -> Response:
    """Throughput per hour and day, burn-down, handling time by labeler, language and label,
    active labelers, backlog by state, P50/P85 completion forecast and SLA status (a vendor
    lead: their own vendor's throughput, handling time and labelers, and the backlog)."""
    with ctx.read() as (session, actor):
        figures = analytics.project_dashboard(session, actor=actor, project_id=project_id)
    # The figures above are exact whatever the tail; folding a long one keeps the next cheap.
    analytics.catch_up(ctx.db, project_id)
    return json_response(figures)
