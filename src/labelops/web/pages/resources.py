"""Vendors' languages (rate, weekly hours) and the capacity board of allocations against
capacity. PMs and admins edit; a vendor lead reads their own vendor's rows."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import ValidationError

from labelops import workforce
from labelops.auth import Action, Role
from labelops.errors import InvalidInput, PermissionDenied
from labelops.projects import allocations
from labelops.web.deps import Ctx
from labelops.web.pages.common import redirect, render
from labelops.web.pages.evaluation import form_fields

router = APIRouter()
BLANK_ROWS = 2


@router.get("/vendors")
def vendors_page(
    request: Request, ctx: Ctx, saved: Annotated[int | None, Query()] = None
) -> Response:
    return _vendors(request, ctx, saved=saved)


@router.post("/vendors/{vendor_id}/languages")
def save_languages(
    request: Request,
    vendor_id: int,
    ctx: Ctx,
    form: Annotated[dict[str, str], Depends(form_fields)],
) -> Response:
    try:
        rows = languages_from_form(form)
        with ctx.write(csrf=form.get("csrf_token", "")) as (session, actor):
            workforce.set_vendor_languages(
                session, actor=actor, vendor_id=vendor_id, languages=rows
            )
    except (ValidationError, InvalidInput) as error:
        return _vendors(request, ctx, problem=(vendor_id, _message(error)))
    return redirect(f"/vendors?saved={vendor_id}#vendor-{vendor_id}")


def languages_from_form(form: dict[str, str]) -> list[workforce.VendorLanguageIn]:
    """Rows language_N / hourly_rate_N / weekly_hours_N / label_rate_N (blank: billed by the
    hour); a row with no language is dropped."""
    rows = []
    index = 0
    while f"language_{index}" in form:
        language = form[f"language_{index}"].strip()
        if language:
            try:
                rows.append(
                    workforce.VendorLanguageIn(
                        language=language,
                        hourly_rate=form.get(f"hourly_rate_{index}") or 0,
                        weekly_hours=form.get(f"weekly_hours_{index}") or 0,
                        label_rate=form.get(f"label_rate_{index}") or None,
                    )
                )
            except ValidationError as error:
                problem = error.errors()[0]
                where = str(problem["loc"][0]) if problem["loc"] else "row"
                raise InvalidInput(
                    f"row {index + 1}, {where.replace('_', ' ')}: {problem['msg']}",
                    field=f"languages[{index}].{where}",
                ) from None
        index += 1
    return rows


def _message(error: ValidationError | InvalidInput) -> str:
    if isinstance(error, InvalidInput):
        return error.message
    return str(error.errors()[0]["msg"])


def _vendors(
    request: Request,
    ctx: Ctx,
    *,
    saved: int | None = None,
    problem: tuple[int, str] | None = None,
) -> Response:
    with ctx.read_page() as (session, actor, csrf):
        if not (actor.can(Action.MANAGE_RESOURCES) or actor.role is Role.VENDOR_LEAD):
            raise PermissionDenied(f"a {actor.role.value} may not see vendors")
        vendors = [
            workforce.get_vendor_languages(session, actor=actor, vendor_id=vendor.id)
            for vendor in workforce.list_vendors(session, actor=actor)
        ]
    return render(
        request,
        "vendors.html",
        actor=actor,
        csrf=csrf,
        status_code=422 if problem else 200,
        vendors=vendors,
        can_edit=actor.can(Action.MANAGE_RESOURCES),
        blank_rows=BLANK_ROWS,
        saved=saved,
        problem=problem,
    )


@router.get("/capacity")
def capacity_page(request: Request, ctx: Ctx) -> Response:
    with ctx.read_page() as (session, actor, csrf):
        board = allocations.capacity_board(session, actor=actor)
    return render(
        request,
        "capacity.html",
        actor=actor,
        csrf=csrf,
        board=board,
        over=[row for row in board if row.over_allocated],
        open_ended_weeks=allocations.OPEN_ENDED_WEEKS,
        default_aht=allocations.DEFAULT_AHT_SECONDS,
        can_edit=actor.can(Action.MANAGE_RESOURCES),
    )
