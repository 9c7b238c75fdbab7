"""Tokens, users and vendors."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from labelops import workforce
from labelops.auth import Role
from labelops.web.deps import AuthCtx, Ctx
from labelops.web.responses import json_list, json_response

router = APIRouter(tags=["people"])


class Credentials(BaseModel):
    username: str = Field(max_length=64)
    password: str = Field(max_length=256)


class TokenOut(BaseModel):
    token: str
    user: workforce.UserOut


@router.post("/tokens", status_code=201, response_model=TokenOut)
def create_token(body: Credentials, ctx: Ctx) -> Response:
    """Exchange a username and password for an API token (send it as a Bearer token)."""
    with ctx.db.read() as session:  # the slow hash check holds no write lock
        login = workforce.verify_login(session, username=body.username, password=body.password)
    with ctx.anonymous_write() as session:
        token, user = workforce.issue_token(session, login=login)
        out = workforce.describe_user(session, user_id=user.id)
    return json_response(TokenOut(token=token, user=out), 201)


@router.delete("/tokens/current", status_code=204)
def revoke_current_token(ctx: AuthCtx) -> Response:
    """Revoke the token this request carries."""
    with ctx.write() as (session, _actor):
        if ctx.bearer:
            workforce.revoke_token(session, token=ctx.bearer)
    return Response(status_code=204)


@router.get("/me", response_model=workforce.UserOut)
def me(ctx: AuthCtx) -> Response:
    """The user behind the credentials of this request."""
    with ctx.read() as (session, actor):
        assert actor.user_id is not None
        return json_response(workforce.get_user(session, actor=actor, user_id=actor.user_id))


@router.post("/users", status_code=201, response_model=workforce.UserOut)
def create_user(body: workforce.NewUser, ctx: AuthCtx) -> Response:
    """Create a user. Admins grant any role; PMs all but admin and pm; vendor leads create
    labelers of their own vendor."""
    with ctx.write() as (session, actor):
        user = workforce.create_user(session, actor=actor, data=body)
        out = workforce.get_user(session, actor=actor, user_id=user.id)
    return json_response(out, 201)


@router.get("/users", response_model=list[workforce.UserOut])
def list_users(ctx: AuthCtx, role: Role | None = None) -> Response:
    """Users the caller may see (a vendor lead: their own vendor's)."""
    with ctx.read() as (session, actor):
        return json_list(workforce.list_users(session, actor=actor, role=role))


@router.get("/users/{user_id}", response_model=workforce.UserOut)
def get_user(user_id: int, ctx: AuthCtx) -> Response:
    with ctx.read() as (session, actor):
        return json_response(workforce.get_user(session, actor=actor, user_id=user_id))


@router.get("/vendors", response_model=list[workforce.VendorOut])
def list_vendors(ctx: AuthCtx) -> Response:
    with ctx.read() as (session, actor):
        return json_list(workforce.list_vendors(session, actor=actor))


@router.post("/vendors", status_code=201, response_model=workforce.VendorOut)
def create_vendor(body: workforce.NewVendor, ctx: AuthCtx) -> Response:
    with ctx.write() as (session, actor):
        vendor = workforce.create_vendor(session, actor=actor, name=body.name)
        return json_response(workforce.VendorOut(id=vendor.id, name=vendor.name), 201)
