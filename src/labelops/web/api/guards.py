"""Router-level checks that run before a request body is even read."""

from __future__ import annotations

from fastapi import Request

from labelops.errors import NotAuthenticated
from labelops.web.deps import SESSION_COOKIE


async def require_credentials(request: Request) -> None:
    """401 at once for a request that carries no credentials at all, so that an anonymous caller
    learns they must log in rather than that their body is malformed. Whether the credentials
    are good is checked inside the request's transaction."""
    authorization = request.headers.get("authorization", "")
    if not authorization.lower().startswith("bearer ") and SESSION_COOKIE not in request.cookies:
        raise NotAuthenticated("log in, or send an API token as 'Authorization: Bearer <token>'")
