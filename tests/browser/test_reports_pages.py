"""The PM's vendor, operations and report pages in a real browser, and the demander's weekly
status page printed to PDF."""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.api.test_labeling_api import label_all, project_with_items
from tests.browser.browsing import Browsing, launch_chromium, screens_for

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
def project_id(server, people):
    project_id = project_with_items(server, count=6, overlap=2, demander="dana")
    label_all(server, project_id, "alice", ["ok"])
    label_all(server, project_id, "bruno", ["abuse.insult"])
    return project_id


def test_the_pm_compares_vendors_and_runs_a_what_if(server, project_id, browsing):
    screens = screens_for("vendors_and_operations")
    page = browsing.log_in("pat")
    page.goto(f"/projects/{project_id}")
    page.get_by_role("link", name="Vendors").click()

    expect(page.locator('[data-scorecards="vendor"] tbody tr')).to_have_count(2)
    screens.shot(page, "vendors", full_page=True)
    page.goto(f"/projects/{project_id}/operations")
    page.fill('input[name="overlap"]', "3")
    page.fill('input[name="added_labelers"]', "2")
    page.get_by_role("button", name="Compare").click()

    scenario = page.locator('[data-scenario="2"] td')
    expect(scenario.nth(0)).to_have_text("3")
    expect(scenario.nth(2)).to_have_text("4")
    expect(scenario.nth(3)).to_have_text("6")  # one more label on each of the six items
    screens.shot(page, "what-if")


def test_the_demanders_weekly_status_prints_on_one_page(server, project_id, browsing):
    screens = screens_for("weekly_status")
    page = browsing.log_in("dana")
    page.goto(f"/projects/{project_id}/status")

    expect(page.locator('[data-field="done"]')).to_have_text("100.0 %")
    screens.shot(page, "status", full_page=True)
    page.emulate_media(media="print")
    expect(page.locator("header.topbar")).to_be_hidden()
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    assert len(pdf.pages) == 1
    assert "weekly status" in pdf.pages[0].extract_text()
