"""Debian's Chromium driven by Playwright (sync API) against the live test server.

Every screen a test passes through is saved under test-output/screenshots/<test name>/, and
a test fails on any script error or console error (a CSP violation shows up as one).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import LiveServer
from tests.factories import PASSWORD

sync_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
VIEWPORT = {"width": 1280, "height": 800}


@pytest.fixture(scope="session")
def chromium() -> Iterator[sync_api.Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install -y chromium)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Screens:
    """Numbered screenshots of one test."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.taken = 0

    def shot(self, page: sync_api.Page, screen: str, *, full_page: bool = False) -> Path:
        self.taken += 1
        path = self.directory / f"{self.taken:02d}-{screen}.png"
        page.screenshot(path=str(path), animations="disabled", full_page=full_page)
        return path


class Browsing:
    """Browser contexts (one per person) on the live server; closed when the test ends."""

    def __init__(self, browser: sync_api.Browser, server: LiveServer) -> None:
        self.browser = browser
        self.server = server
        self.contexts: list[sync_api.BrowserContext] = []
        self.problems: list[str] = []

    def page(self, viewport: dict[str, int] | None = None) -> sync_api.Page:
        context = self.browser.new_context(viewport=viewport or VIEWPORT, base_url=self.server.url)
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("console", self._console)
        return page

    def _console(self, message: sync_api.ConsoleMessage) -> None:
        # A 4xx answer the screen handles (409 lease_expired…) is logged too; anything else
        # (a CSP violation, a script error) is a problem.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.problems.append(f"console: {message.text}")

    def log_in(
        self,
        username: str,
        *,
        screens: Screens | None = None,
        viewport: dict[str, int] | None = None,
    ) -> sync_api.Page:
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


@pytest.fixture
def browsing(chromium: sync_api.Browser, server: LiveServer) -> Iterator[Browsing]:
    session = Browsing(chromium, server)
    yield session
    session.close()
    assert session.problems == []


@pytest.fixture
def screens(request: pytest.FixtureRequest) -> Screens:
    directory = SCREENSHOTS / request.node.name
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    return Screens(directory)
