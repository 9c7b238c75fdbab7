"""Vendor and labeler scorecards, and the invoice check."""

from __future__ import annotations

import csv
import io

from fastapi import APIRouter, Response

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
