"""What every page shares: rendering inside the layout, redirects, navigation, form errors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request, Response
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError

from labelops import notify
from labelops.auth import Action, Actor, Role
from labelops.errors import InvalidInput

# Pages show text written by strangers (items, guidelines): nothing but our own scripts and
# styles may run, and no other site may frame the labeling screen.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}

ROLE_NAMES = {
    Role.ADMIN: "Admin",
    Role.PM: "Project manager",
    Role.DEMANDER: "Demander",
    Role.VENDOR_LEAD: "Vendor lead",
    Role.REVIEWER: "Reviewer",
    Role.LABELER: "Labeler",
}


@dataclass(frozen=True, slots=True)
class NavLink:
    href: str
    label: str


def nav_for(actor: Actor | None) -> list[NavLink]:
    if actor is None:
        return []
    links = []
    if actor.can(Action.LABEL):
        links.append(NavLink("/label", "Label"))
    else:
        links.append(NavLink("/projects", "Projects"))
    if actor.can(Action.SUBMIT_DEMAND):
        links.append(NavLink("/demands", "Demands"))
    if actor.can(Action.REVIEW):
        links.append(NavLink("/audits", "Audits"))
    if actor.can(Action.VIEW_CAPACITY):
        links.append(NavLink("/capacity", "Capacity"))
    if actor.can(Action.LIST_USERS):
        links.append(NavLink("/users", "Users"))
    links.append(NavLink("/sops", "SOPs"))
    return links


def home_for(role: Role) -> str:
    return "/label" if role is Role.LABELER else "/projects"


def render(
    request: Request,
    template: str,
    *,
    actor: Actor | None,
    csrf: str = "",
    status_code: int = 200,
    **context: Any,
) -> Response:
    """A page inside the layout (navigation by role, user menu, CSRF meta tag)."""
    templates: Jinja2Templates = request.app.state.templates
    unread = 0
    if actor is not None and actor.user_id is not None:
        with request.app.state.db.read() as session:  # the bell: one count on an index
            unread = notify.unread_count(session, user_id=actor.user_id)
    response: Response = templates.TemplateResponse(
        request,
        template,
        {
            "actor": actor,
            "csrf": csrf,
            "nav": nav_for(actor),
            "role_name": ROLE_NAMES.get(actor.role, "") if actor else "",
            "unread": unread,
            **context,
        },
        status_code=status_code,
    )
    response.headers.update(PAGE_HEADERS)
    return response


def redirect(url: str) -> Response:
    """See other: the browser GETs `url` (after a form POST, or to send a user home)."""
    return RedirectResponse(url, status_code=303)


def local_path(target: str | None, default: str = "/") -> str:
    """`target` if it is a path on this site; `default` otherwise (no open redirects)."""
    if not target:
        return default
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith(("//", "/\\"))
        or any(ord(char) < 32 for char in target)
    ):
        return default
    return target


@dataclass(frozen=True, slots=True)
class FieldError:
    field: str
    message: str  # names the field: it is read in the summary above the form
    detail: str = ""  # the same without the field's name, shown beside the field

    @property
    def beside_field(self) -> str:
        return self.detail or self.message


def field_errors(error: ValidationError | InvalidInput, labels: dict[str, str]) -> list[FieldError]:
    """Errors a form shows next to its fields, each message naming the field in words."""
    if isinstance(error, InvalidInput):
        field = (error.field or "").split(".")[0]
        return [FieldError(field, _named(labels, field, error.message), error.message)]
    found = []
    for problem in error.errors():
        loc = [str(part) for part in problem["loc"]]
        field = loc[0] if loc else ""
        where = " › ".join(f"#{int(p) + 1}" if p.isdigit() else p for p in loc[1:])
        message = str(problem["msg"]).removeprefix("Value error, ")
        detail = f"{where}: {message}" if where else message
        found.append(FieldError(field, _named(labels, field, detail), detail))
    return found


def _named(labels: dict[str, str], field: str, message: str) -> str:
    name = labels.get(field)
    return f"{name}: {message}" if name else message


def errors_by_field(errors: list[FieldError]) -> dict[str, str]:
    by_field: dict[str, str] = {}
    for error in errors:
        by_field.setdefault(error.field, error.beside_field)
    return by_field
