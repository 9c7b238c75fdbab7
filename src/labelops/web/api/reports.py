"""Progress and exports."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import APIRouter, Response
from fastapi.responses import StreamingResponse

from labelops import analytics, reporting
from labelops.db import Database
from labelops.web.deps import AuthCtx
from labelops.web.responses import json_response

router = APIRouter(tags=["reports"])


@router.get("/projects/{project_id}/progress", response_model=analytics.Progress)
def progress(project_id: int, ctx: AuthCtx) -> Response:
    """Items by state (overall and per language), annotations, skips, active labelers, and
    per-labeler counts (a vendor lead sees their own vendor's only)."""
    with ctx.read() as (session, actor):
        return json_response(
            analytics.project_progress(session, actor=actor, project_id=project_id)
        )


@router.get(
    "/projects/{project_id}/export",
    response_class=StreamingResponse,
    responses={200: {"content": {media_type: {} for media_type in reporting.MEDIA_TYPES.values()}}},
)
def export(
    project_id: int, ctx: AuthCtx, format: str = "jsonl", raw: bool = False, method: str = "mv"
) -> Response:
    """Stream every item with its majority label and agreement share (with `method=ds` or
    `ods` also its Dawid–Skene or one-coin label and posterior confidence), or with `raw=true`
    every individual annotation (labeler, labels, handling time, timestamps)."""
    with ctx.read() as (session, actor):
        plan = reporting.plan_export(
            session, actor=actor, project_id=project_id, fmt=format, raw=raw, method=method
        )
    return StreamingResponse(
        _stream(ctx.db, plan),
        media_type=reporting.MEDIA_TYPES[plan.fmt],
        headers={"Content-Disposition": f'attachment; filename="{plan.filename}"'},
    )


def _stream(db: Database, plan: reporting.ExportPlan) -> Iterator[bytes]:
    with db.read() as session:
        yield from reporting.stream_export(session, plan)


@router.get(
    "/projects/{project_id}/report.xlsx",
    responses={200: {"content": {reporting.XLSX_MEDIA_TYPE: {}}}},
)
def report_workbook(project_id: int, ctx: AuthCtx) -> Response:
    """The project's status as an Excel workbook with native charts: Summary, Progress,
    Quality, Vendors, Labelers, Risks (a demander's names no labeler)."""
    with ctx.read() as (session, actor):
        data = reporting.project_report(session, actor=actor, project_id=project_id)
    return Response(
        reporting.write_workbook(data),
        media_type=reporting.XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="project-{project_id}-report.xlsx"'},
    )


@router.get("/projects/{project_id}/report", response_model=reporting.ReportData)
def report_data(project_id: int, ctx: AuthCtx) -> Response:
    """The figures behind the workbook and the weekly status page, as JSON."""
    with ctx.read() as (session, actor):
        return json_response(reporting.project_report(session, actor=actor, project_id=project_id))
