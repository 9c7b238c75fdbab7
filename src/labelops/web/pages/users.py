"""People: the users an admin, PM or vendor lead may see, and creating new ones."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response
from pydantic import BaseModel, ValidationError

from labelops import workforce
from labelops.auth import GRANTABLE_ROLES, Action, Role
from labelops.errors import Conflict, InvalidInput, PermissionDenied
from labelops.web.deps import Ctx
from labelops.web.pages.common import (
    ROLE_NAMES,
    FieldError,
    errors_by_field,
    field_errors,
    redirect,
    render,
)

router = APIRouter()

FIELD_LABELS = {
    "username": "Username",
    "password": "Password",
    "role": "Role",
    "vendor": "Vendor",
    "languages": "Languages",
}


class UserForm(BaseModel):
    username: str = ""
    password: str = ""
    role: str = Role.LABELER.value
    vendor: str = ""
    languages: str = ""
    csrf_token: str = ""


@router.get("/users")
def user_list(
    request: Request, ctx: Ctx, created: Annotated[str, Query(max_length=64)] = ""
) -> Response:
    return _users_page(request, ctx, UserForm(), created=created)


@router.post("/users")
def create_user(request: Request, ctx: Ctx, form: Annotated[UserForm, Form()]) -> Response:
    try:
        with ctx.write(csrf=form.csrf_token) as (session, actor):
            actor.require(Action.CREATE_USER)
            user = workforce.create_user(session, actor=actor, data=new_user(form))
            username = user.username
    except (ValidationError, InvalidInput, Conflict) as error:
        problems = (
            [FieldError("username", f"Username: {error.message}", error.message)]
            if isinstance(error, Conflict)
            else field_errors(error, FIELD_LABELS)
        )
        return _users_page(request, ctx, form, problems, status_code=422)
    return redirect(f"/users?created={username}")


def new_user(form: UserForm) -> workforce.NewUser:
    return workforce.NewUser.model_validate(
        {
            "username": form.username,
            "password": form.password,
            "role": form.role,
            "vendor": form.vendor.strip() or None,
            "languages": [part.strip() for part in form.languages.split(",") if part.strip()],
        }
    )


def _users_page(
    request: Request,
    ctx: Ctx,
    form: UserForm,
    errors: list[FieldError] | None = None,
    *,
    created: str = "",
    status_code: int = 200,
) -> Response:
    with ctx.read_page() as (session, actor, csrf):
        if not actor.can(Action.LIST_USERS):
            raise PermissionDenied(f"a {actor.role.value} may not list users")
        users = workforce.list_users(session, actor=actor)
        vendors = workforce.list_vendors(session, actor=actor)
    grantable = [role for role in Role if role in GRANTABLE_ROLES.get(actor.role, frozenset())]
    errors = errors or []
    return render(
        request,
        "users.html",
        actor=actor,
        csrf=csrf,
        status_code=status_code,
        users=users,
        vendors=vendors,
        roles=[(role.value, ROLE_NAMES[role]) for role in grantable],
        role_names={role.value: name for role, name in ROLE_NAMES.items()},
        can_create=actor.can(Action.CREATE_USER) and bool(grantable),
        own_vendor=vendors[0].name if actor.role is Role.VENDOR_LEAD and vendors else None,
        form=form,
        errors=errors,
        error_for=errors_by_field(errors),
        created=created,
    )
