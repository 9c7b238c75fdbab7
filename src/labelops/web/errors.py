"""Errors to HTTP, in one place: JSON `{"error": code, "message": text}` under /api, pages
otherwise (a page that needs a login sends the browser to the login form)."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException

from labelops.errors import DomainError, InvalidInput, NotAuthenticated

log = logging.getLogger("labelops.web")

_HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": code, "message": message, **{k: v for k, v in extra.items() if v}}


def _page_error(request: Request, status: int, code: str, message: str) -> Response:
    if status == 401:
        target = quote(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
        return RedirectResponse(f"/login?next={target}", status_code=303)
    templates = request.app.state.templates
    response: Response = templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "code": code, "message": message, "actor": None},
        status_code=status,
    )
    return response


async def _domain_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, DomainError)
    if not _is_api(request):
        return _page_error(request, error.status, error.code, error.message)
    field = error.field if isinstance(error, InvalidInput) else None
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(error, NotAuthenticated) else None
    return JSONResponse(
        error_body(error.code, error.message, field=field), error.status, headers=headers
    )


def _location(loc: tuple[Any, ...]) -> str:
    # Only the first part says where the value came from: a field may be named "body" too.
    if loc and loc[0] in ("body", "query", "path"):
        loc = loc[1:]
    return ".".join(str(part) for part in loc)


async def _validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    problems = [{"field": _location(tuple(e["loc"])), "message": e["msg"]} for e in error.errors()]
    first = problems[0] if problems else {"field": "", "message": "invalid request"}
    message = f"{first['field']}: {first['message']}" if first["field"] else first["message"]
    if not _is_api(request):
        return _page_error(request, 422, "invalid_request", message)
    return JSONResponse(
        error_body("invalid_request", message, field=first["field"], errors=problems), 422
    )


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    code = _HTTP_CODES.get(error.status_code, "http_error")
    message = str(error.detail)
    if not _is_api(request):
        return _page_error(request, error.status_code, code, message)
    return JSONResponse(error_body(code, message), error.status_code, headers=error.headers)


async def _unexpected(request: Request, error: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=error)
    message = "something went wrong on our side; nothing was changed"
    if not _is_api(request):
        return _page_error(request, 500, "internal_error", message)
    return JSONResponse(error_body("internal_error", message), 500)


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
