"""What a handler gets from the request: the database, and who is asking.

`RequestContext.write()` / `.read()` open the request's single transaction and authenticate the
caller inside it: a bearer token (scripts), or the session cookie (pages), whose writes must
echo the session's CSRF token in an `X-CSRF-Token` header or a `csrf_token` form field.
The commit happens when the `with` block ends, before the response is sent, so a 2xx always
means the change is stored.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from labelops import workforce
from labelops.auth import Actor
from labelops.config import Settings
from labelops.db import Database
from labelops.errors import NotAuthenticated, PermissionDenied

SESSION_COOKIE = "labelops_session"
CSRF_HEADER = "x-csrf-token"


class RequestContext:
    def __init__(self, request: Request) -> None:
        self.db: Database = request.app.state.db
        self.settings: Settings = request.app.state.settings
        authorization = request.headers.get("authorization", "")
        scheme, _, credentials = authorization.partition(" ")
        self.bearer = credentials.strip() if scheme.lower() == "bearer" else None
        self.cookie = request.cookies.get(SESSION_COOKIE)
        self.csrf_header = request.headers.get(CSRF_HEADER)

    @property
    def has_credentials(self) -> bool:
        return bool(self.bearer or self.cookie)

    @contextmanager
    def read(self) -> Iterator[tuple[Session, Actor]]:
        """A read-only transaction and the authenticated actor."""
        with self.db.read() as session:
            actor, _ = self._authenticate(session)
            yield session, actor

    @contextmanager
    def write(self, *, csrf: str | None = None) -> Iterator[tuple[Session, Actor]]:
        """A write transaction and the authenticated actor; committed when the block ends."""
        with self.db.write() as session:
            actor, expected_csrf = self._authenticate(session)
            if expected_csrf is not None:
                given = csrf or self.csrf_header or ""
                if not secrets.compare_digest(given, expected_csrf):
                    raise PermissionDenied(
                        "missing or wrong CSRF token; reload the page", code="csrf_failed"
                    )
            yield session, actor

    @contextmanager
    def read_page(self) -> Iterator[tuple[Session, Actor, str]]:
        """A read-only transaction, the actor, and the CSRF token a page embeds in its forms
        (empty for a bearer token, which needs none)."""
        with self.db.read() as session:
            actor, csrf = self._authenticate(session)
            yield session, actor, csrf or ""

    @contextmanager
    def anonymous_write(self) -> Iterator[Session]:
        """A write transaction for the few things done before logging in."""
        with self.db.write() as session:
            yield session

    def _authenticate(self, session: Session) -> tuple[Actor, str | None]:
        if self.bearer:
            return workforce.actor_from_token(session, self.bearer), None
        if self.cookie:
            return workforce.actor_from_web_session(session, self.cookie)
        raise NotAuthenticated("log in, or send an API token as 'Authorization: Bearer <token>'")


async def request_context(request: Request) -> RequestContext:
    # async on purpose: it does no I/O, and a sync dependency would cost a hop to a thread.
    return RequestContext(request)


async def signed_in_context(request: Request) -> RequestContext:
    """The context of a route that needs a caller: a request carrying no credentials at all is
    refused here, before its body is read, so it learns to log in rather than that its body is
    malformed (whether the credentials are good is checked in the request's transaction)."""
    context = RequestContext(request)
    if not context.has_credentials:
        raise NotAuthenticated("log in, or send an API token as 'Authorization: Bearer <token>'")
    return context


# Pages and the token exchange take anyone; every API route that needs a caller takes AuthCtx.
Ctx = Annotated[RequestContext, Depends(request_context)]
AuthCtx = Annotated[RequestContext, Depends(signed_in_context)]
