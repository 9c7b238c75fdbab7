"""Standard operating procedures: the list for one's role with acknowledgement buttons (a PM
also creates and publishes), and one SOP with its history and what changed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from pydantic import ValidationError

from labelops import guidelines
from labelops.auth import Action, Role
from labelops.errors import Conflict, InvalidInput
from labelops.web.deps import Ctx
from labelops.web.pages.common import ROLE_NAMES, redirect, render

router = APIRouter()


@router.get("/sops")
def sop_list(request: Request, ctx: Ctx) -> Response:
    return _list_page(request, ctx)


@router.post("/sops")
def create(
    request: Request,
    ctx: Ctx,
    slug: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    roles: Annotated[list[str] | None, Form()] = None,
    body: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    try:
        try:
            data = guidelines.NewSop.model_validate(
                {"slug": slug, "title": title, "roles": roles or [], "body": body}
            )
        except ValidationError as error:
            raise _form_error(error) from None
        with ctx.write(csrf=csrf_token) as (session, actor):
            guidelines.create_sop(session, actor=actor, data=data)
    except (InvalidInput, Conflict) as error:
        return _list_page(request, ctx, failed=error.message)
    return redirect(f"/sops/{slug}?published=1")


@router.post("/sops/{slug}/ack")
def acknowledge(
    slug: str,
    ctx: Ctx,
    version: Annotated[int, Form()],
    back: Annotated[str, Form()] = "/sops",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    with ctx.write(csrf=csrf_token) as (session, actor):
        guidelines.acknowledge_sop(session, actor=actor, slug=slug, version=version)
    return redirect(back if back.startswith("/sops") else "/sops")


@router.get("/sops/{slug}")
def sop_page(request: Request, slug: str, ctx: Ctx) -> Response:
    return _sop_page(request, ctx, slug)


@router.post("/sops/{slug}/versions")
def publish(
    request: Request,
    slug: str,
    ctx: Ctx,
    body: Annotated[str, Form()] = "",
    changelog: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    try:
        try:
            data = guidelines.NewSopVersion(body=body, changelog=changelog)
        except ValidationError as error:
            raise _form_error(error) from None
        with ctx.write(csrf=csrf_token) as (session, actor):
            guidelines.publish_sop_version(session, actor=actor, slug=slug, data=data)
    except (InvalidInput, Conflict) as error:
        return _sop_page(request, ctx, slug, failed=error.message)
    return redirect(f"/sops/{slug}?published=1")


def _form_error(error: ValidationError) -> InvalidInput:
    """A form's first invalid field, named."""
    first = error.errors()[0]
    field = ".".join(str(part) for part in first["loc"])
    return InvalidInput(f"{field}: {first['msg']}", field=field)


def _list_page(request: Request, ctx: Ctx, *, failed: str | None = None) -> Response:
    with ctx.read_page() as (session, actor, csrf):
        sops = guidelines.list_sops(session, actor=actor)
    return render(
        request,
        "sops.html",
        actor=actor,
        csrf=csrf,
        sops=sops,
        can_manage=actor.can(Action.MANAGE_SOPS),
        roles=[(role.value, ROLE_NAMES[role]) for role in Role],
        failed=failed,
        status_code=422 if failed else 200,
    )


def _sop_page(request: Request, ctx: Ctx, slug: str, *, failed: str | None = None) -> Response:
    with ctx.read_page() as (session, actor, csrf):
        sop = guidelines.get_sop(session, actor=actor, slug=slug)
        latest = sop.versions[0].version
        to_version = _number(request.query_params.get("to"), latest)
        from_version = _number(request.query_params.get("from"), max(0, to_version - 1))
        diff = (
            guidelines.diff_sop(
                session, actor=actor, slug=slug, from_version=from_version, to_version=to_version
            )
            if latest > 1
            else None
        )
    return render(
        request,
        "sop.html",
        actor=actor,
        csrf=csrf,
        sop=sop,
        diff=diff,
        is_for_me=actor.role.value in sop.roles,
        can_manage=actor.can(Action.MANAGE_SOPS),
        published=request.query_params.get("published"),
        failed=failed,
        status_code=422 if failed else 200,
    )


def _number(raw: str | None, default: int) -> int:
    return int(raw) if raw and raw.isdigit() else default
