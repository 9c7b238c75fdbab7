"""A demand in a real browser: the demander submits it, the PM asks a question in the thread and
takes it, accepts it and turns it into a project; the demander sees the project and the thread."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from labelops import projects
from tests.browser.browsing import Browsing, launch_chromium, screens_for

pytestmark = pytest.mark.browser

DEADLINE = (datetime.now(UTC).date() + timedelta(days=90)).isoformat()


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


def test_a_demand_goes_from_the_demander_through_evaluation_to_a_project(
    server, db, people, browsing, screens
):
    demander = browsing.log_in("dana")
    demander.click("nav >> text=Demands")
    screens.shot(demander, "demander-no-demands-yet")
    demander.click("text=New demand")
    demander.fill("#title", "Arabic and English hate speech evaluation set")
    demander.check("input[name=purpose][value=evaluation_set]")
    demander.fill("#description", "Held-out set to measure the Q3 classifier.")
    languages, volumes = (
        demander.locator("input[name=language]"),
        demander.locator("input[name=volume]"),
    )
    languages.nth(0).fill("ar")
    volumes.nth(0).fill("2000")
    languages.nth(1).fill("en")
    volumes.nth(1).fill("500")
    demander.fill("#deadline", DEADLINE)
    demander.fill("#budget", "12000")
    demander.fill("#target_accuracy", "90")
    demander.fill("#target_alpha", "0.7")
    for tier, share in (("S0", "50"), ("S1", "30"), ("S2", "20")):
        demander.fill(f"input[name={tier}]", share)
    screens.shot(demander, "demander-fills-the-form", full_page=True)
    demander.click("text=Submit demand")
    expect(demander.locator("#demand-status")).to_have_text("Submitted")
    demand_url = demander.url
    screens.shot(demander, "demander-sees-the-submitted-demand", full_page=True)

    pm = browsing.log_in("pat")
    pm.click("nav >> text=Demands")
    expect(pm.locator(".table-demands")).to_contain_text("Arabic and English hate speech")
    screens.shot(pm, "pm-demand-list")
    pm.click("text=Arabic and English hate speech evaluation set")
    pm.fill("#comment-body", "Is 2,000 Arabic items firm? Capacity is tight before the deadline.")
    pm.click("#thread >> text=Post")
    pm.click("button[value=evaluating]")
    expect(pm.locator("#demand-status")).to_have_text("Evaluating")
    expect(pm.locator("#evaluation-link")).to_be_visible()
    pm.click("#evaluation-link")
    pm.fill("#overlap", "3")
    pm.click("#run-estimate")
    expect(pm.locator("#total-labels")).to_be_visible()
    # No vendor staffs these languages yet: the estimate names it as a feasibility risk.
    expect(pm.locator('[data-risk="no_vendor"]')).to_have_count(2)  # ar and en
    screens.shot(pm, "pm-evaluated-the-demand", full_page=True)
    pm.goto(demand_url)

    demander.goto(demand_url)
    expect(demander.locator("#thread")).to_contain_text("Capacity is tight")
    demander.fill("#comment-body", "Yes, 2,000 is firm; the deadline can move a week.")
    demander.click("#thread >> text=Post")

    pm.reload()
    pm.fill("#status-note", "Agreed: 2,000 Arabic, 500 English, within budget.")
    pm.click("button[value=accepted]")
    expect(pm.locator("#demand-status")).to_have_text("Accepted")
    screens.shot(pm, "pm-accepted-the-demand", full_page=True)
    pm.fill("#convert-overlap", "3")
    pm.click("text=Create the project")
    expect(pm.locator("#demand-status")).to_have_text("Converted")
    screens.shot(pm, "pm-converted-the-demand", full_page=True)

    demander.goto("/demands")
    expect(demander.locator(".table-demands")).to_contain_text("Converted")
    screens.shot(demander, "demander-demand-list")
    demander.goto(demand_url)
    expect(demander.locator("#thread .message")).to_have_count(2)
    expect(demander.locator("#history")).to_contain_text("Converted")
    expect(demander.locator("#delivery")).to_contain_text("The project is approved")
    screens.shot(demander, "demander-sees-the-converted-demand", full_page=True)
    demander.click("#project-link")
    expect(demander.locator("h1")).to_contain_text("Arabic and English hate speech evaluation set")
    screens.shot(demander, "demander-sees-the-project", full_page=True)

    with db.read() as session:
        project = session.query(projects.Project).one()
        assert (project.languages, project.overlap, project.deadline.isoformat()) == (
            ["ar", "en"],
            3,
            DEADLINE,
        )
        assert project.demander_id == people.dana.user_id
