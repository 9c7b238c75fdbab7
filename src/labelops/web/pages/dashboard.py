"""A project's progress dashboard: charts and tables of the analytics figures."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from labelops import analytics
from labelops.web.deps import Ctx
from labelops.web.pages.common import render

router = APIRouter()


@router.get("/projects/{project_id}/dashboard")
def dashboard_page(request: Request, project_id: int, ctx: Ctx) -> Response:
    with ctx.read_page() as (session, actor, csrf):
        figures = analytics.project_dashboard(session, actor=actor, project_id=project_id)
    analytics.catch_up(ctx.db, project_id)
    return render(
        request,
        "dashboard.html",
        actor=actor,
        csrf=csrf,
        d=figures,
        hourly=[(bucket.start.strftime("%H:00"), bucket.annotations) for bucket in figures.hourly],
        daily=[(bucket.day.strftime("%b %d"), bucket.annotations) for bucket in figures.daily],
    )
