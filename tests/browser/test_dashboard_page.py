"""A PM opens the progress dashboard from the project page in a real browser."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from tests.analytics.test_rollups import label_at
from tests.browser.browsing import Browsing, launch_chromium, screens_for
from tests.factories import make_items, make_project

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def chromium():
    with launch_chromium() as browser:
        yield browser


@pytest.fixture
def browsing(chromium, server):
    session = Browsing(chromium, server)
    yield session
    session.close()
    assert session.problems == []


def labeled_project(db, people):
    """Ten days of labeling at a varying pace, with a deadline and an SLA."""
    now = datetime.now(UTC)
    with db.write() as session, time_machine.travel(now - timedelta(days=11), tick=False):
        project = make_project(
            session,
            people.pat,
            name="Forum posts",
            overlap=2,
            vendors=["Acme", "Babel"],
            languages=("en", "es"),
        )
        project.deadline = (now + timedelta(days=4)).date()
        project.sla_hours = 72
        make_items(session, people.pat, project, 60)
        make_items(session, people.pat, project, 20, language="es", prefix="es")
    with db.write() as session:
        people_en = (people.alice, people.bruno, people.amir)
        for day in range(10, 0, -1):
            for n in range(2 + day % 4):
                labeler = people_en[(day + n) % 3]
                moment = now - timedelta(days=day, hours=n * 2)
                label_at(session, labeler, project, moment, duration_ms=1500 + 700 * n)
        for hours in (1, 2, 5):
            label_at(session, people.sofia, project, now - timedelta(hours=hours), duration_ms=4200)
        return project.id


def test_the_pm_reads_the_dashboard(server, db, people, browsing):
    screens = screens_for("test_the_pm_reads_the_dashboard")
    project_id = labeled_project(db, people)
    page = browsing.log_in("pat")
    page.goto(f"/projects/{project_id}")

    page.get_by_role("link", name="Dashboard").click()

    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.locator("svg.chart-bars")).to_have_count(2)
    expect(page.locator("svg.chart-burndown")).to_be_visible()
    expect(page.locator("#backlog")).to_contain_text("80 items")
    expect(page.locator("#aht-labeler tbody tr")).to_have_count(4)
    expect(page.locator("#sla")).to_contain_text("72 h")
    screens.shot(page, "dashboard", full_page=True)
