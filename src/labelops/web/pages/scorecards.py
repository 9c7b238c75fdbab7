"""A project's vendor and labeler scorecards with the invoice check; its operations view
(bottlenecks and what-if)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError

from labelops import analytics, projects, reporting
from labelops.auth import Action
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


@router.get("/projects/{project_id}/operations")
def operations_page(
    request: Request,
    project_id: int,
    ctx: Ctx,
    overlap: str = "",
    gold_rate: str = "",
    added_labelers: str = "",
) -> Response:
    """Where items wait, and a what-if on overlap, gold rate and labelers (GET form: the
    scenario is in the address, so it can be shared)."""
    errors: dict[str, str] = {}
    change = analytics.WhatIf()
    try:
        change = analytics.WhatIf(
            overlap=int(overlap) if overlap.strip() else None,
            gold_rate=float(gold_rate) / 100 if gold_rate.strip() else None,
            added_labelers=int(added_labelers) if added_labelers.strip() else 0,
        )
    except (ValueError, ValidationError) as error:
        errors["what_if"] = _first_error(error)
    with ctx.read_page() as (session, actor, csrf):
        project = projects.get_project(session, actor=actor, project_id=project_id)
        stages = analytics.project_bottlenecks(session, actor=actor, project_id=project_id)
        scenario = (
            analytics.what_if(session, actor=actor, project_id=project_id, change=change)
            if actor.can(Action.MANAGE_PROJECT)
            else None
        )
        project_out = projects.project_out(session, project)
    return render(
        request,
        "operations.html",
        actor=actor,
        csrf=csrf,
        project=project_out,
        bottlenecks=stages,
        whatif=scenario,
        form={"overlap": overlap, "gold_rate": gold_rate, "added_labelers": added_labelers},
        errors=errors,
    )


def _first_error(error: Exception) -> str:
    if isinstance(error, ValidationError):
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{where}: {first['msg']}"
    return "enter whole numbers for overlap and labelers, a percentage for the gold rate"


@router.get("/projects/{project_id}/status")
def status_page(request: Request, project_id: int, ctx: Ctx) -> Response:
    """The weekly status page for demanders (and anyone following the project): one page that
    prints well."""
    with ctx.read_page() as (session, actor, csrf):
        data = reporting.project_report(session, actor=actor, project_id=project_id)
    return render(request, "status.html", actor=actor, csrf=csrf, report=data)
