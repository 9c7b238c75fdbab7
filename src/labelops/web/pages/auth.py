"""Logging in and out, and where `/` sends each role.

The login form is guarded against login CSRF (another site logging the browser into an account
of its choosing) by a double-submit token: a random value in a SameSite=Strict cookie scoped to
/login, echoed by a hidden field of the form; a POST whose two copies differ is refused.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response

from labelops import workforce
from labelops.config import Settings
from labelops.errors import NotAuthenticated
from labelops.web.deps import SESSION_COOKIE, Ctx
from labelops.web.pages.common import home_for, local_path, redirect, render

router = APIRouter()

LOGIN_CSRF_COOKIE = "labelops_login_csrf"
_BAD_LOGIN = "Wrong username or password."
_STALE_FORM = "This login form had expired. Please enter your password again."


@router.get("/")
def home(ctx: Ctx) -> Response:
    """Labelers go to their labeling home, everyone else to the projects."""
    try:
        with ctx.read() as (_session, actor):
            return redirect(home_for(actor.role))
    except NotAuthenticated:
        return redirect("/login")


@router.get("/login")
def login_form(
    request: Request, ctx: Ctx, next_: Annotated[str, Query(alias="next")] = ""
) -> Response:
    target = local_path(next_, default="")
    if ctx.cookie:
        try:
            with ctx.read() as (_session, actor):
                return redirect(target or home_for(actor.role))
        except NotAuthenticated:
            pass  # an ended session: log in again
    return _login_page(request, ctx.settings, next_=target)


@router.post("/login")
def login(
    request: Request,
    ctx: Ctx,
    username: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=256)] = "",
    next_: Annotated[str, Form(alias="next")] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    target = local_path(next_, default="")
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(expected, csrf_token):
        return _login_page(
            request, ctx.settings, next_=target, username=username, error=_STALE_FORM, status=403
        )
    try:
        with ctx.db.read() as session:  # the slow hash check holds no write lock
            verified = workforce.verify_login(session, username=username, password=password)
        with ctx.anonymous_write() as session:
            if ctx.cookie:  # a previous login in this browser ends here
                workforce.end_web_session(session, cookie_token=ctx.cookie)
            login = workforce.start_web_session(
                session, login=verified, hours=ctx.settings.session_hours
            )
            role = workforce.describe_user(session, user_id=verified.user_id).role
    except NotAuthenticated:
        return _login_page(request, ctx.settings, next_=target, username=username, error=_BAD_LOGIN)
    response = redirect(target or home_for(role))
    response.set_cookie(
        SESSION_COOKIE,
        login.cookie_token,
        max_age=ctx.settings.session_hours * 3600,
        path="/",
        secure=ctx.settings.cookie_secure,
        httponly=True,
        samesite="lax",
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout(ctx: Ctx, csrf_token: Annotated[str, Form()] = "") -> Response:
    try:
        with ctx.write(csrf=csrf_token) as (session, _actor):
            if ctx.cookie:
                workforce.end_web_session(session, cookie_token=ctx.cookie)
    except NotAuthenticated:
        pass  # the session had ended already: only the cookie is left to drop
    response = redirect("/login")
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        secure=ctx.settings.cookie_secure,
        httponly=True,
        samesite="lax",
    )
    return response


def _login_page(
    request: Request,
    settings: Settings,
    *,
    next_: str,
    username: str = "",
    error: str | None = None,
    status: int = 200,
) -> Response:
    # Keep the token across a wrong password, so a second tab's form stays valid too.
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)
    response = render(
        request,
        "login.html",
        actor=None,
        status_code=status,
        next=next_,
        username=username,
        error=error,
        login_csrf=token,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        path="/login",
        secure=settings.cookie_secure,
        httponly=True,
        samesite="strict",
    )
    return response
