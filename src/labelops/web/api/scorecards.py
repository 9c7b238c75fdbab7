"""Vendor and labeler scorecards, the invoice check, bottlenecks and what-if."""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, Query, Response

from labelops import analytics
from labelops.errors import InvalidInput
from labelops.web.deps import AuthCtx
from labelops.web.responses import json_list, json_response

router = APIRouter(tags=["analytics"])


@router.get("/projects/{project_id}/scorecards", response_model=analytics.Scorecards)
def scorecards(project_id: int, ctx: AuthCtx) -> Response:
    """Per vendor and per labeler: gold and audit accuracy, agreement, SLA attainment and rework
    rate with Wilson 95 % intervals; throughput, median handling time with its interval, cost and
    cost per accepted label (a vendor lead: their own vendor and labelers)."""
    with ctx.read() as (session, actor):
        return json_response(
            analytics.project_scorecards(session, actor=actor, project_id=project_id)
        )


@router.get(
    "/projects/{project_id}/invoice-check",
    response_model=list[analytics.InvoiceLine],
    responses={200: {"content": {"application/json": {}, "text/csv": {}}}},
)
def invoice_check(
    project_id: int, ctx: AuthCtx, period: str = "month", format: str = "json"
) -> Response:
    """Billable units by vendor, period (`week` or `month`) and language against the accepted
    work, with amounts at the vendors' rates; `format=csv` to download."""
    if format not in ("json", "csv"):
        raise InvalidInput("format must be json or csv", code="bad_format", field="format")
    with ctx.read() as (session, actor):
        lines = analytics.invoice_check(session, actor=actor, project_id=project_id, period=period)
    if format == "json":
        return json_list(lines)
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(analytics.INVOICE_COLUMNS)
    for line in lines:
        writer.writerow([getattr(line, name) for name in analytics.INVOICE_COLUMNS])
    return Response(
        text.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": (
                f'attachment; filename="project-{project_id}-invoice-check-{period}.csv"'
            )
        },
    )


@router.get("/projects/{project_id}/bottlenecks", response_model=analytics.Bottlenecks)
def bottlenecks(project_id: int, ctx: AuthCtx) -> Response:
    """Where the project's items wait now, and for how long, stage by stage; the stage holding
    the most item-hours of waiting is named the bottleneck."""
    with ctx.read() as (session, actor):
        return json_response(
            analytics.project_bottlenecks(session, actor=actor, project_id=project_id)
        )


@router.get("/projects/{project_id}/what-if", response_model=analytics.WhatIfResult)
def what_if(
    project_id: int,
    ctx: AuthCtx,
    overlap: Annotated[int | None, Query(ge=1, le=50)] = None,
    gold_rate: Annotated[float | None, Query(ge=0.0, le=0.9)] = None,
    added_labelers: Annotated[int, Query(ge=-1000, le=10_000)] = 0,
) -> Response:
    """The project as it goes, against a scenario with another overlap, gold rate or more (or
    fewer) labelers: labels to pay for, cost, and P50 / P85 completion dates."""
    change = analytics.WhatIf(overlap=overlap, gold_rate=gold_rate, added_labelers=added_labelers)
    with ctx.read() as (session, actor):
        return json_response(
            analytics.what_if(session, actor=actor, project_id=project_id, change=change)
        )
