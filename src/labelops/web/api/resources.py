"""Resource coordination: vendors' languages (rate, weekly hours), projects' allocations across
vendors, and the capacity board of allocations against capacity."""

from __future__ import annotations

from fastapi import APIRouter, Response

from labelops import workforce
from labelops.projects import allocations
from labelops.web.deps import AuthCtx
from labelops.web.responses import json_list, json_response

router = APIRouter(tags=["resources"])


@router.get("/vendors/{vendor_id}/languages", response_model=workforce.VendorLanguages)
def vendor_languages(vendor_id: int, ctx: AuthCtx) -> Response:
    """A vendor's languages with hourly rate and weekly labeler-hours."""
    with ctx.read() as (session, actor):
        found = workforce.get_vendor_languages(session, actor=actor, vendor_id=vendor_id)
    return json_response(found)


@router.put("/vendors/{vendor_id}/languages", response_model=workforce.VendorLanguages)
def set_vendor_languages(
    vendor_id: int, body: list[workforce.VendorLanguageIn], ctx: AuthCtx
) -> Response:
    """Replace the vendor's languages with the full list given."""
    with ctx.write() as (session, actor):
        found = workforce.set_vendor_languages(
            session, actor=actor, vendor_id=vendor_id, languages=body
        )
    return json_response(found)


@router.get("/projects/{project_id}/allocations", response_model=list[allocations.AllocationOut])
def list_allocations(project_id: int, ctx: AuthCtx) -> Response:
    """The project's items per language allocated to vendors."""
    with ctx.read() as (session, actor):
        found = allocations.list_allocations(session, actor=actor, project_id=project_id)
    return json_list(found)


@router.put("/projects/{project_id}/allocations", response_model=list[allocations.AllocationOut])
def set_allocations(
    project_id: int, body: list[allocations.AllocationIn], ctx: AuthCtx
) -> Response:
    """Replace the project's allocations: [{vendor, language, items}]."""
    with ctx.write() as (session, actor):
        found = allocations.set_allocations(
            session, actor=actor, project_id=project_id, allocations=body
        )
    return json_list(found)


@router.get("/capacity", response_model=list[allocations.CapacityRow])
def capacity(ctx: AuthCtx) -> Response:
    """Per vendor × language: weekly capacity against running projects' weekly load."""
    with ctx.read() as (session, actor):
        found = allocations.capacity_board(session, actor=actor)
    return json_list(found)
