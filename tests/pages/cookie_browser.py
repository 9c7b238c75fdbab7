"""Browsers without a browser: httpx clients that log in through the login form and post
forms with the page's CSRF token, as a browser would.

(Not a conftest.py: mypy would take a second conftest module for a duplicate of the first.)"""

from __future__ import annotations

import re

import httpx

from tests.conftest import LiveServer
from tests.factories import PASSWORD

_HIDDEN = re.compile(r'<input type="hidden" name="csrf_token" value="([^"]*)">')
_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


def form_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = _HIDDEN.search(html)
    assert found is not None, "no form token on the page"
    return found.group(1)


def page_token(html: str) -> str:
    """The session's CSRF token, from the page's meta tag."""
    found = _META.search(html)
    assert found is not None, "no csrf-token meta tag on the page"
    return found.group(1)


def log_in(client: httpx.Client, username: str, *, next_: str = "") -> httpx.Response:
    form = client.get("/login")
    return client.post(
        "/login",
        data={
            "username": username,
            "password": PASSWORD,
            "next": next_,
            "csrf_token": form_token(form.text),
        },
    )


class CookieBrowsers:
    """Makes cookie-carrying clients, logged in as `username` when one is given; closes
    them all when the `with` block ends."""

    def __init__(self, server: LiveServer) -> None:
        self.server = server
        self.clients: list[httpx.Client] = []

    def __call__(self, username: str | None = None) -> httpx.Client:
        client = httpx.Client(base_url=self.server.url, timeout=30)
        self.clients.append(client)
        if username is not None:
            response = log_in(client, username)
            assert response.status_code == 303, response.text
        return client

    def __enter__(self) -> CookieBrowsers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        for client in self.clients:
            client.close()
