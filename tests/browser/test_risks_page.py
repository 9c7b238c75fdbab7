"""A PM works the risk register in a real browser: sees the alert from the bell, acknowledges
it, assigns it to the vendor's lead, and resolves it with a note."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from labelops import analytics
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


@pytest.fixture
def screens(request):
    return screens_for(request.node.name)


def risky_project(db, people) -> tuple[int, int]:
    with db.write() as session:
        project = make_project(
            session, people.pat, name="Forum abuse", vendors=["Acme", "Babel"], quality_target=0.9
        )
        make_items(session, people.pat, project, 3)
        analytics.record_risk(
            session,
            project_id=project.id,
            kind="quality_below_target",
            subject="gold",
            severity="critical",
            title="Gold accuracy 61% is below the target 90%",
            evidence={
                "source": "gold answers",
                "answered": 120,
                "correct": 73,
                "accuracy": 0.6083,
                "interval_95": [0.519, 0.691],
                "target": 0.9,
            },
        )
        fast = analytics.record_risk(
            session,
            project_id=project.id,
            kind="labeler_too_fast",
            subject=f"labeler:{people.alice.user_id}",
            severity="high",
            title="alice labels 6.2× faster than peers on the same items",
            evidence={
                "shared_items": 48,
                "median_ms": 910,
                "peers_median_ms": 5640,
                "ratio": 0.161,
                "threshold_ratio": 0.35,
                "window_days": 7,
            },
            labeler_id=people.alice.user_id,
            vendor_id=people.alice.vendor_id,
        )
        return project.id, fast.id


def test_a_pm_acknowledges_assigns_and_resolves_a_risk(server, db, people, browsing, screens):
    project_id, risk_id = risky_project(db, people)
    page = browsing.log_in("pat")
    page.goto(f"/projects/{project_id}")
    expect(page.locator("#bell .bell-count")).to_have_text("2")
    screens.shot(page, "project")

    page.locator("#risks-link").click()
    card = page.locator(f"#risk-{risk_id}")
    expect(page.locator(".risk")).to_have_count(2)
    expect(card).to_contain_text("Peers' median on the same items")
    expect(card).to_contain_text("5.6 s")
    expect(card).to_contain_text("16.1%")
    screens.shot(page, "register", full_page=True)

    card.get_by_role("button", name="Acknowledge").click()
    card = page.locator(f"#risk-{risk_id}")
    expect(card.locator(".badge")).to_have_text("Acknowledged")
    card.get_by_label(f"Assign risk #{risk_id} to").select_option("vic")
    card.get_by_role("button", name="Assign").click()
    card = page.locator(f"#risk-{risk_id}")
    expect(card).to_contain_text("assigned to vic")
    card.get_by_role("button", name="Resolve").click()  # without a note: refused
    expect(page.get_by_role("alert")).to_contain_text("say what was done")
    screens.shot(page, "note-required")
    card = page.locator(f"#risk-{risk_id}")
    card.get_by_label(f"What was done about risk #{risk_id}").fill(
        "Spoke to Acme; alice re-took the calibration quiz."
    )
    card.get_by_role("button", name="Resolve").click()

    card = page.locator(f"#risk-{risk_id}")
    expect(card.locator(".badge")).to_have_text("Resolved")
    expect(card).to_contain_text("alice re-took the calibration quiz")
    screens.shot(page, "resolved", full_page=True)
    with db.read() as session:
        risk = session.scalars(select(analytics.Risk).where(analytics.Risk.id == risk_id)).one()
    assert (risk.status, risk.assignee_id, risk.resolved_by_id) == (
        "resolved",
        people.vic.user_id,
        people.pat.user_id,
    )


def test_the_vendor_lead_finds_the_assignment_in_their_notifications(
    server, db, people, browsing, screens
):
    project_id, risk_id = risky_project(db, people)
    with db.write() as session:
        analytics.assign_risk(session, actor=people.pat, risk_id=risk_id, assignee="vic")
    page = browsing.log_in("vic")
    expect(page.locator("#bell .bell-count")).to_have_text("2")

    page.locator("#bell").click()
    expect(page.locator(".inbox-unread")).to_have_count(2)
    screens.shot(page, "inbox")
    page.locator(".inbox-item").first.get_by_role("button", name="Open").click()

    page.wait_for_url(f"**/projects/{project_id}/risks#risk-{risk_id}")
    expect(page.locator(".risk")).to_have_count(1)  # only the risk about Acme's labeler
    expect(page.locator("#bell .bell-count")).to_have_text("1")
    screens.shot(page, "register-as-vendor-lead", full_page=True)
