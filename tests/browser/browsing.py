"""Debian's Chromium driven by Playwright (sync API) against the live test server.

Every screen a test passes through is saved under test-output/screenshots/<test name>/, and
a test fails on any script error or console error (a CSP violation shows up as one).
(Not a conftest.py: mypy would take a second conftest module for a duplicate of the first.)
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    ViewportSize,
    sync_playwright,
)

from tests.conftest import LiveServer
from tests.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}


@contextmanager
def launch_chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Screens:
    """Numbered screenshots of one test."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.taken = 0

    def shot(self, page: Page, screen: str, *, full_page: bool = False) -> Path:
        self.taken += 1
        path = self.directory / f"{self.taken:02d}-{screen}.png"
        page.screenshot(path=str(path), animations="disabled", full_page=full_page)
        return path


class Browsing:
    """Browser contexts (one per person) on the live server; closed when the test ends."""

    def __init__(self, browser: Browser, server: LiveServer) -> None:
        self.browser = browser
        self.server = server
        self.contexts: list[BrowserContext] = []
        self.problems: list[str] = []

    def page(self, viewport: ViewportSize | None = None) -> Page:
        context = self.browser.new_context(viewport=viewport or VIEWPORT, base_url=self.server.url)
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("console", self._console)
        return page

    def _console(self, message: ConsoleMessage) -> None:
        # A 4xx answer the screen handles (409 lease_expired…) is logged too; anything else
        # (a CSP violation, a script error) is a problem.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"console: {message.text}")

    def log_in(
        self,
        username: str,
        *,
        screens: Screens | None = None,
        viewport: ViewportSize | None = None,
    ) -> Page:
        """A new browser that logs in through the form, with the keyboard."""
        page = self.page(viewport)
        page.goto("/login")
        page.fill("#username", username)
        page.fill("#password", PASSWORD)
        if screens is not None:
            screens.shot(page, "login")
        page.press("#password", "Enter")
        page.wait_for_url(lambda url: "/login" not in url)
        return page

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def screens_for(test_name: str) -> Screens:
    directory = SCREENSHOTS / test_name
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True, exist_ok=True)
    return Screens(directory)
