"""Escalations: items that reached a dynamic-overlap project's maximum without a confident label,
for reviewers to decide."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from labelops import quality
from labelops.web.deps import AuthCtx
from labelops.web.responses import json_list, json_response

router = APIRouter(tags=["escalations"])


class Resolution(BaseModel):
    labels: list[str] = Field(min_length=1, max_length=50)
    note: str = Field(default="", max_length=2_000)


@router.get("/projects/{project_id}/escalations", response_model=list[quality.EscalationOut])
def list_escalations(project_id: int, ctx: AuthCtx, resolved: bool = False) -> Response:
    """The project's open escalations (`?resolved=true`: the decided ones), oldest first, each
    item with every answer it got."""
    with ctx.read() as (session, actor):
        return json_list(
            quality.list_escalations(session, actor=actor, project_id=project_id, resolved=resolved)
        )


@router.post(
    "/projects/{project_id}/escalations/{escalation_id}/resolve",
    response_model=quality.EscalationOut,
)
def resolve_escalation(
    project_id: int, escalation_id: int, body: Resolution, ctx: AuthCtx
) -> Response:
    """Decide an escalated item's final labels."""
    with ctx.write() as (session, actor):
        return json_response(
            quality.resolve_escalation(
                session,
                actor=actor,
                project_id=project_id,
                escalation_id=escalation_id,
                labels=body.labels,
                note=body.note,
            )
        )
