"""The labeling loop: lease the next item, submit, skip, hand back."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from labelops import annotation, distribution
from labelops.web.deps import AuthCtx
from labelops.web.executor import short_write
from labelops.web.responses import json_response

router = APIRouter(tags=["labeling"])


class ItemOut(BaseModel):
    id: int
    external_id: str
    text: str
    language: str
    meta: dict[str, Any] | None


class LeaseOut(BaseModel):
    assignment_id: int
    project_id: int
    item: ItemOut
    leased_at: datetime
    lease_expires_at: datetime


class Ended(BaseModel):
    assignment_id: int
    status: str


@router.get(
    "/projects/{project_id}/next",
    response_model=LeaseOut,
    responses={204: {"description": "nothing is available to this labeler now"}},
)
@short_write
def lease_next(
    project_id: int,
    ctx: AuthCtx,
    exclude: list[int] = Query(default=[], description="assignment ids not to resume"),  # noqa: B008
) -> Response:
    """Lease the next item for the calling labeler. An item they already hold comes back
    first (a reloaded page does not strand it); pass its assignment id in `exclude` to get a
    second one (the labeling screen prefetches the next item this way)."""
    with ctx.write() as (session, actor):
        lease = distribution.lease_next_item(
            session, actor=actor, project_id=project_id, exclude=set(exclude)
        )
    if lease is None:
        return Response(status_code=204)
    item = lease.item
    return json_response(
        LeaseOut(
            assignment_id=lease.assignment_id,
            project_id=lease.project_id,
            item=ItemOut(
                id=item.id,
                external_id=item.external_id,
                text=item.text,
                language=item.language,
                meta=item.meta,
            ),
            leased_at=lease.leased_at,
            lease_expires_at=lease.lease_expires_at,
        )
    )


@router.post(
    "/assignments/{assignment_id}/submit",
    status_code=201,
    response_model=annotation.AnnotationOut,
    responses={200: {"description": "the same submit again: nothing new was stored"}},
)
@short_write
def submit(assignment_id: int, body: annotation.NewSubmission, ctx: AuthCtx) -> Response:
    """Submit labels for a leased item. Repeating the same submit is harmless (200, the stored
    annotation). A late submit is stored while the item's overlap still allows it, else 409
    `lease_expired`."""
    with ctx.write() as (session, actor):
        stored, created = annotation.submit_annotation(
            session, actor=actor, assignment_id=assignment_id, submission=body
        )
    return json_response(stored, 201 if created else 200)


@router.post("/assignments/{assignment_id}/skip", response_model=Ended)
@short_write
def skip(assignment_id: int, body: annotation.NewSkip, ctx: AuthCtx) -> Response:
    """Skip an item with a reason; others will get it, this labeler never again."""
    with ctx.write() as (session, actor):
        annotation.skip_item(session, actor=actor, assignment_id=assignment_id, skip=body)
    return json_response(Ended(assignment_id=assignment_id, status="skipped"))


@router.post("/assignments/{assignment_id}/release", response_model=Ended)
@short_write
def release(assignment_id: int, ctx: AuthCtx) -> Response:
    """Hand back an item not worked on (the prefetched one, when the labeler stops)."""
    with ctx.write() as (session, actor):
        annotation.release_item(session, actor=actor, assignment_id=assignment_id)
    return json_response(Ended(assignment_id=assignment_id, status="released"))
