"""An audit in a real browser: the PM sizes and starts it, a reviewer goes through the sample
with the keyboard (one item wrong, with the right label), and the PM accepts the batch against
the project's quality target."""

import io

import pytest
from playwright.sync_api import Page, expect

from labelops import projects, quality
from labelops.db import Database
from tests.audit_data import label_all
from tests.browser.browsing import Browsing, launch_chromium, screens_for
from tests.factories import Personas, jsonl, make_project

pytestmark = pytest.mark.browser

ARABIC = "هذا تعليق تجريبي عن الطقس اللطيف اليوم."
ENGLISH = [
    "The bus was late again this morning.",
    "Great match last night, well played everyone!",
    "Does anyone know when the library opens?",
    "I think the new park design looks lovely.",
    "Please stop posting the same link over and over.",
    "My cat knocked the plant off the shelf again.",
    "Who else is going to the concert on Friday?",
    "The soup at that cafe is always too salty.",
    "Thanks for the help with my homework yesterday.",
    "Traffic on the bridge is terrible right now.",
]


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


def _labeled_project(db: Database, people: Personas) -> projects.Project:
    """Ten English items labeled "Fine" by alice and one Arabic item labeled by amir."""
    rows = [{"external_id": f"en-{i}", "text": t, "language": "en"} for i, t in enumerate(ENGLISH)]
    rows.append({"external_id": "ar-0", "text": ARABIC, "language": "ar"})
    with db.write() as session:
        project = make_project(
            session, people.pat, name="Community comments", languages=["en", "ar"]
        )
        project.quality_target = 0.85
        projects.import_items(
            session,
            actor=people.pat,
            project_id=project.id,
            stream=io.BytesIO(jsonl(rows)),
            fmt="jsonl",
        )
        label_all(session, people.alice, project, lambda item: ["ok"])
        label_all(session, people.amir, project, lambda item: ["ok"])
    return project


def _heading(page: Page) -> str:
    return page.locator("h1").inner_text()


def test_pm_audits_a_batch_that_a_reviewer_checks_by_keyboard(
    server, db, people, browsing, screens
):
    project = _labeled_project(db, people)
    pm = browsing.log_in("pat")
    pm.goto(f"/projects/{project.id}")
    pm.click("#audits a")
    pm.fill("#field-margin", "10")
    pm.fill("#field-expected_accuracy", "90")
    pm.click("text=Compute the sample")
    size = int(pm.locator("#plan-size").inner_text())
    screens.shot(pm, "pm-audit-plan", full_page=True)
    pm.click("#start-audit")
    expect(pm.locator("#review-link")).to_be_visible()
    audit_url = pm.url
    screens.shot(pm, "pm-audit-started", full_page=True)

    reviewer = browsing.log_in("rita")
    reviewer.click("nav >> text=Audits")
    reviewer.get_by_role("link", name="Review", exact=True).click()
    expect(reviewer.locator("h1")).to_have_text(f"Item 1 of {size}")
    text = reviewer.locator("#item-text")
    assert text.get_attribute("lang") == "ar"
    assert text.evaluate("element => getComputedStyle(element).direction") == "rtl"
    screens.shot(reviewer, "review-arabic-item")
    reviewer.keyboard.press("c")
    expect(reviewer.locator("h1")).to_have_text(f"Item 2 of {size}")
    reviewer.keyboard.press("3")
    reviewer.fill("#verdict-note", "Says they will come after someone")
    reviewer.locator("#verdict-note").press("Enter")  # must not submit "Correct"
    reviewer.keyboard.press("Escape")
    reviewer.keyboard.press("x")
    expect(reviewer.locator("h1")).to_have_text(f"Item 3 of {size}")
    screens.shot(reviewer, "review-after-an-incorrect")
    for n in range(3, size + 1):
        expect(reviewer.locator("h1")).to_have_text(f"Item {n} of {size}")
        reviewer.keyboard.press("c")
    expect(reviewer.locator("#estimate")).to_be_visible()
    screens.shot(reviewer, "reviewer-sees-the-audit", full_page=True)

    pm.goto(audit_url)
    expect(pm.locator("#target-verdict")).to_contain_text("Meets the 85.0 % target")
    screens.shot(pm, "pm-sees-the-estimate", full_page=True)
    pm.fill("#decision-note", "Fine for delivery.")
    pm.click("#accept-button")
    expect(pm.locator("#decision")).to_contain_text("Accepted by pat")
    screens.shot(pm, "pm-accepted", full_page=True)

    with db.read() as session:
        audit_id = int(audit_url.rsplit("/", 1)[1])
        detail = quality.get_audit(session, actor=people.pat, audit_id=audit_id)
    wrong = [
        (e.external_id, e.corrected_labels, e.note)
        for e in detail.items
        if e.verdict == "incorrect"
    ]
    assert detail.status == "accepted"
    assert detail.estimate.reviewed == size
    assert len(wrong) == 1
    assert wrong[0][1:] == (["abuse.threat"], "Says they will come after someone")
    assert detail.estimate.accuracy is not None
    assert pm.locator("#estimate").inner_text() == f"{100 * detail.estimate.accuracy:.1f} %"
