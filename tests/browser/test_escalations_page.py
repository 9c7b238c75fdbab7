"""A reviewer decides an escalated item in a real browser."""

import io

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from labelops import projects, quality
from tests.browser.browsing import Browsing, launch_chromium, screens_for
from tests.factories import jsonl, label_next, make_project

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


def escalated_project(db, people):
    """One item three labelers could not agree on, at a maximum of three."""
    with db.write() as session:
        project = make_project(
            session,
            people.pat,
            name="Dynamic forum",
            overlap=2,
            max_overlap=3,
            target_confidence=0.9,
            vendors=["Acme", "Babel"],
        )
        rows = [{"external_id": "post-7", "text": "Nobody asked for your silly opinion, pal."}]
        projects.import_items(
            session,
            actor=people.pat,
            project_id=project.id,
            stream=io.BytesIO(jsonl(rows)),
            fmt="jsonl",
        )
        for labeler, labels in (
            (people.alice, ["ok"]),
            (people.bruno, ["abuse.insult"]),
            (people.amir, ["ok"]),
        ):
            label_next(session, labeler, project, labels)
        return project.id


def test_a_reviewer_resolves_an_escalation_from_the_project_page(
    server, db, people, browsing, screens
):
    project_id = escalated_project(db, people)
    page = browsing.log_in("rita")
    page.goto(f"/projects/{project_id}")
    screens.shot(page, "project")

    page.get_by_role("link", name="Escalations").click()
    card = page.locator(".escalation")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Nobody asked for your silly opinion")
    expect(card.locator("tbody tr")).to_have_count(3)
    screens.shot(page, "escalations", full_page=True)
    card.get_by_label("Insult").check()
    card.get_by_label("Note").fill("Mild, but an insult.")
    card.get_by_role("button", name="Resolve").click()

    expect(page.get_by_role("status")).to_contain_text("resolved")
    expect(page.get_by_text("Nothing to decide")).to_be_visible()
    screens.shot(page, "resolved")
    with db.read() as session:
        resolved = session.scalars(select(quality.Escalation)).one()
    assert (resolved.resolved_labels, resolved.note) == (["abuse.insult"], "Mild, but an insult.")
