"""The acknowledgement gate in a real browser: the PM publishes a new version from the
guidelines page, the labeler's next item waits behind the "I have read it" screen with what
changed, and labeling resumes once they confirm."""

import pytest
from playwright.sync_api import expect

from tests.browser.browsing import Browsing, launch_chromium, screens_for
from tests.factories import make_items, make_project

pytestmark = pytest.mark.browser

V1 = "# How to label\n\nRead the **whole** text before choosing."


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


def test_a_new_version_holds_the_labeler_until_they_have_read_it(server, db, people, browsing):
    screens = screens_for("guideline_acknowledgement")
    with db.write() as session:
        project = make_project(session, people.pat, guidelines=V1)
        make_items(session, people.pat, project, 3)

    pm = browsing.log_in("pat")
    pm.goto(f"/projects/{project.id}/guidelines")
    pm.fill("#gl-body", V1 + "\n\nQuoting an insult to condemn it is **not** an insult.")
    pm.locator("summary", has_text="Insult").click()
    pm.fill("#def-abuse\\.insult", "Demeaning a person for who they are or what they did.")
    pm.fill("#use-abuse\\.insult", "A person is the target.")
    pm.fill("#not-abuse\\.insult", "The insult is quoted to condemn it.")
    pm.locator("input[name=glossary_locale]").first.fill("en")
    pm.locator("input[name=glossary_term]").first.fill("unalive")
    pm.locator("input[name=glossary_definition]").first.fill("Kill; said to dodge filters.")
    pm.fill("#gl-changelog", "Insults: quoting to condemn is not an insult.")
    screens.shot(pm, "pm-editor", full_page=True)
    pm.get_by_role("button", name="Publish version 2").click()
    expect(pm.get_by_role("status")).to_contain_text("Version 2 published")
    expect(pm.locator("#acks-waiting")).to_contain_text("alice")
    screens.shot(pm, "pm-published", full_page=True)

    labeler = browsing.log_in("alice")
    labeler.goto(f"/label/{project.id}")
    panel = labeler.locator("#ack-panel")
    expect(panel).to_be_visible()
    expect(panel.locator("h2")).to_have_text("The guidelines changed: version 2")
    expect(panel).to_contain_text("Insults: quoting to condemn is not an insult.")
    expect(panel.locator(".gl-diff ins").first).to_be_visible()
    expect(panel.locator(".gl-diff-summary")).to_contain_text("abuse.insult")
    expect(labeler.locator("#item-card")).to_have_count(0)
    screens.shot(labeler, "labeler-held", full_page=True)

    labeler.get_by_role("button", name="I have read it").click()

    expect(labeler.locator("#item-card")).to_be_visible()
    expect(labeler.locator("#ack-panel")).to_have_count(0)
    expect(labeler.locator(".guide")).to_contain_text("Don't use when")
    screens.shot(labeler, "labeler-resumed")

    pm.reload()
    expect(pm.locator("#acks-done")).to_contain_text("alice")


def test_a_labeler_reads_and_acknowledges_an_sop(server, db, people, browsing):
    screens = screens_for("sop_acknowledgement")
    pm = browsing.log_in("pat")
    pm.goto("/sops")
    pm.locator("summary", has_text="New procedure").click()
    pm.fill("#sop-title", "Breaks and exposure")
    pm.fill("#sop-slug", "breaks")
    pm.get_by_label("Labeler").check()
    pm.fill("#sop-body", "Take a **10-minute break** every two hours.")
    pm.get_by_role("button", name="Publish").click()
    expect(pm.locator("h1")).to_contain_text("Breaks and exposure")
    pm.locator("summary", has_text="Publish version 2").click()
    pm.fill(
        "#sop-body", "Take a **10-minute break** every two hours.\n\nMicro-breaks between batches."
    )
    pm.fill("#sop-changelog", "Micro-breaks.")
    pm.get_by_role("button", name="Publish version 2").click()
    expect(pm.locator(".gl-diff ins").last).to_contain_text("Micro-breaks between batches.")
    screens.shot(pm, "pm-sop", full_page=True)

    labeler = browsing.log_in("alice")
    labeler.goto("/sops")
    row = labeler.locator("#sop-breaks")
    screens.shot(labeler, "labeler-list")
    row.get_by_role("button", name="I have read it").click()

    expect(labeler.locator("#sop-breaks")).to_contain_text("Read")
    screens.shot(labeler, "labeler-list-read")
