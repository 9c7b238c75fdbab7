"""A project's vendor and labeler scorecards, side by side, with the invoice check."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from labelops import analytics, projects
from labelops.web.deps import Ctx
from labelops.web.pages.common import render

router = APIRouter()


@router.get("/projects/{project_id}/vendors")
def scorecards_page(request: Request, project_id: int, ctx: Ctx, period: str = "month") -> Response:
    with ctx.read_page() as (session, actor, csrf):
        project = projects.get_project(session, actor=actor, project_id=project_id)
        cards = analytics.project_scorecards(session, actor=actor, project_id=project_id)
        invoice = analytics.invoice_check(
            session, actor=actor, project_id=project_id, period=period
        )
        project_out = projects.project_out(session, project)
    return render(
        request,
        "scorecards.html",
        actor=actor,
        csrf=csrf,
        project=project_out,
        cards=cards,
        invoice=invoice,
        period=period,
    )
