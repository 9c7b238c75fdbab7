"""The PM evaluates a demand in a real browser: the history fills the handling time, the PM
sets Spanish's and runs the estimate, reads risks and the forecast; then the capacity board."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from labelops.db import utcnow
from tests.api.test_resources_api import running_project
from tests.browser.browsing import Browsing, launch_chromium, screens_for
from tests.evaluation_data import labeled_project, make_demand, set_languages, staff_vendors

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


@pytest.fixture
def screens(request):
    return screens_for(request.node.name)


def test_the_pm_runs_an_estimate_on_a_demand(server, db, people, browsing, screens):
    staff_vendors(server, db)
    labeled_project(
        server,
        name="Past hate speech",
        items=4,
        durations_ms=[24_000, 30_000, 36_000, 41_000],
        status="delivered",
    )
    demand_id = make_demand(
        db,
        people.dana.user_id,
        volumes=[
            {"language": "en", "volume": 20_000},
            {"language": "es", "volume": 3_000},
            {"language": "ar", "volume": 500},
        ],
        deadline=(utcnow() + timedelta(days=42)).date(),
        budget=9_000,
    )
    page = browsing.log_in("pat")

    page.goto(f"/demands/{demand_id}/evaluation")
    expect(page.locator("#aht_en")).to_have_attribute("placeholder", "33.0")
    screens.shot(page, "inputs", full_page=True)
    page.fill("#aht_es", "45")
    page.fill("#overlap", "2")
    page.click("#run-estimate")

    expect(page.locator("#total-labels")).to_have_text("47,000")
    expect(page.locator('[data-risk="no_vendor"]')).to_contain_text("ar")
    expect(page.locator('[data-language="es"] [data-aht-source]')).to_have_text("PM's figure")
    expect(page.locator('[data-language="en"] [data-aht-source]')).to_have_text("history, 4 labels")
    expect(page.locator("svg.chart-forecast")).to_be_visible()
    screens.shot(page, "estimate", full_page=True)


def test_the_pm_reads_the_capacity_board(server, db, people, browsing, screens):
    staff_vendors(server, db)
    set_languages(
        server.client("pat"),
        db,
        "Babel",
        [{"language": "en", "hourly_rate": 9, "weekly_hours": 0.1}],
    )
    busy = running_project(
        server, db, name="Election claims", deadline=(utcnow() + timedelta(days=7)).date()
    )
    calm = running_project(server, db, name="Spam sweep")
    pat = server.client("pat")
    pat.put(
        f"/api/v1/projects/{busy}/allocations",
        json=[
            {"vendor": "Babel", "language": "en", "items": 20},
            {"vendor": "Acme", "language": "es", "items": 4},
        ],
    )
    pat.put(
        f"/api/v1/projects/{calm}/allocations",
        json=[{"vendor": "Acme", "language": "en", "items": 10}],
    )
    page = browsing.log_in("pat")

    page.click("nav.mainnav >> text=Capacity")

    expect(page.locator("#over-allocated")).to_contain_text("Babel")
    expect(page.locator('tr[data-vendor="Babel"]')).to_have_class("capacity-over")
    screens.shot(page, "capacity", full_page=True)
    page.click("text=Vendors & rates")
    expect(page.locator("h1")).to_have_text("Vendors")
    screens.shot(page, "vendors", full_page=True)
