"""Quality: gold answers, the quality report, pauses."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from labelops import quality
from labelops.projects import RejectedLine
from labelops.web.deps import AuthCtx
from labelops.web.responses import json_response

router = APIRouter(tags=["quality"])


class GoldImportOut(BaseModel):
    marked: int
    rejected: list[RejectedLine]


class LiftPause(BaseModel):
    note: str = Field(default="", max_length=2_000)


@router.get("/projects/{project_id}/quality", response_model=quality.QualityReport)
def quality_report(project_id: int, ctx: AuthCtx) -> Response:
    """Gold accuracy per labeler (Wilson 95 % intervals), pauses, and agreement overall, per
    label, per language, per vendor and per guideline version."""
    with ctx.read() as (session, actor):
        return json_response(quality.project_quality(session, actor=actor, project_id=project_id))


@router.post(
    "/projects/{project_id}/gold",
    response_model=GoldImportOut,
    openapi_extra={
        "requestBody": {
            "content": {
                "application/x-ndjson": {"schema": {"type": "string"}},
                "text/csv": {"schema": {"type": "string"}},
            },
            "description": 'JSONL ({"external_id", "labels": [...], "explanation"} a line) or '
            "CSV (external_id,labels,explanation; several labels separated by |).",
        }
    },
)
async def import_gold(project_id: int, request: Request, ctx: AuthCtx) -> Response:
    """Mark items as gold with their answer and explanation; bad lines are listed by number."""
    data = await request.body()
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    fmt = "csv" if kind in ("text/csv", "application/csv") else None

    def work() -> GoldImportOut:
        with ctx.write() as (session, actor):
            result = quality.import_gold(
                session, actor=actor, project_id=project_id, data=data, fmt=fmt
            )
        return GoldImportOut(marked=result.marked, rejected=result.rejected)

    return json_response(await run_in_threadpool(work))


@router.post("/projects/{project_id}/pauses/{pause_id}/lift", response_model=quality.PauseOut)
def lift_pause(project_id: int, pause_id: int, body: LiftPause, ctx: AuthCtx) -> Response:
    """Let a paused labeler work on the project again (their gold accuracy starts afresh)."""
    with ctx.write() as (session, actor):
        quality.lift_pause(
            session, actor=actor, project_id=project_id, pause_id=pause_id, note=body.note
        )
        pauses = quality.list_pauses(session, actor=actor, project_id=project_id)
    return json_response(next(p for p in pauses if p.id == pause_id))
