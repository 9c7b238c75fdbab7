"""The gold feedback screen in a real browser: after a check item the labeler sees the expected
answer and its explanation, may dispute it, and carries on with the keyboard alone."""

import io

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from labelops import projects, quality
from labelops.db import Database
from tests.browser.browsing import Browsing, launch_chromium, screens_for
from tests.factories import Personas, jsonl, make_project

pytestmark = pytest.mark.browser

EXPLANATION = "Calling someone a <b>clown</b> to belittle them is name-calling: Abuse › Insult."


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


def _gold_project(db: Database, people: Personas) -> projects.Project:
    rows = [
        {"external_id": "check-1", "text": "What a clown you are, honestly.", "language": "en"},
        {
            "external_id": "check-2",
            "text": "Nobody asked for your clown opinion.",
            "language": "en",
        },
        {
            "external_id": "plain-1",
            "text": "The bus was late again this morning.",
            "language": "en",
        },
    ]
    with db.write() as session:
        project = make_project(session, people.pat, gold_rate=0.5)
        projects.import_items(
            session,
            actor=people.pat,
            project_id=project.id,
            stream=io.BytesIO(jsonl(rows)),
            fmt="jsonl",
        )
        quality.set_gold_answers(
            session,
            actor=people.pat,
            project_id=project.id,
            entries=[
                quality.GoldEntry(
                    external_id=external_id, labels=["abuse.insult"], explanation=EXPLANATION
                )
                for external_id in ("check-1", "check-2")
            ],
        )
        project.gold_rate = 1.0  # every lease tries gold first: the order is known
    return project


def test_a_labeler_sees_the_expected_answer_of_a_check_item_and_disputes_it(
    server, db, people, browsing, screens
):
    project = _gold_project(db, people)
    page = browsing.log_in("alice")
    page.goto(f"/label/{project.id}")
    first = page.locator("#item-external-id")
    expect(first).to_have_text("check-1")
    dialog = page.locator("#gold-dialog")

    page.keyboard.press("1")  # Fine: not the expected answer
    page.keyboard.press("Enter")

    expect(dialog).to_be_visible()
    expect(page.locator("#gold-verdict")).to_have_text("✗ Not the expected answer")
    expect(page.locator("#gold-given")).to_have_text("Fine")
    expect(page.locator("#gold-expected")).to_have_text("Abuse ›Insult")
    expect(page.locator("#gold-explanation")).to_have_text(EXPLANATION)
    assert page.locator("#gold-explanation b").count() == 0
    expect(page.locator("#gold-text")).to_have_text("What a clown you are, honestly.")
    screens.shot(page, "gold-feedback-wrong")

    page.keyboard.press("d")
    expect(page.locator("#dispute-comment")).to_be_focused()
    page.keyboard.type("It is friendly teasing between colleagues.")
    screens.shot(page, "dispute-comment")
    page.keyboard.press("Enter")

    expect(page.locator("#dispute-sent")).to_be_visible()
    screens.shot(page, "dispute-sent")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(first).to_have_text("check-2")  # the prefetched item was waiting behind

    page.keyboard.press("2")
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    expect(page.locator("#gold-verdict")).to_have_text("✓ Your answer matches")
    expect(page.locator("#dispute-button")).to_be_hidden()
    screens.shot(page, "gold-feedback-right")
    page.keyboard.press("Enter")
    expect(first).to_have_text("plain-1")
    page.keyboard.press("1")
    page.keyboard.press("Enter")
    expect(page.locator("#done-count")).to_have_text("3")
    expect(dialog).to_be_hidden()

    with db.read() as session:
        disputes = session.execute(
            select(projects.Item.external_id, quality.Dispute.comment, quality.Dispute.labels)
            .join(projects.Item, projects.Item.id == quality.Dispute.item_id)
            .where(quality.Dispute.project_id == project.id)
        ).all()
    assert [tuple(row) for row in disputes] == [
        ("check-1", "It is friendly teasing between colleagues.", ["ok"])
    ]


def test_a_reviewer_overturns_a_dispute_on_the_disputes_page(server, db, people, browsing, screens):
    project = _gold_project(db, people)
    labeler = server.client("alice")
    lease = labeler.get(f"/api/v1/projects/{project.id}/next").json()
    submitted = labeler.post(
        f"/api/v1/assignments/{lease['assignment_id']}/submit",
        json={"labels": ["ok"], "duration_ms": 900},
    ).json()
    labeler.post(
        f"/api/v1/projects/{project.id}/disputes",
        json={"item_id": submitted["item_id"], "comment": "Friendly teasing."},
    )
    page = browsing.log_in("rita")

    page.goto(f"/projects/{project.id}/disputes")
    row = page.locator("#disputes .dispute").first
    expect(row).to_contain_text("Friendly teasing.")
    expect(row).to_contain_text("What a clown you are, honestly.")
    screens.shot(page, "disputes-page", full_page=True)
    row.locator('textarea[name="note"]').fill("Agreed, teasing.")
    row.locator('button[value="overturn"]').click()

    expect(page.locator(".notice-ok")).to_contain_text("overturned")
    expect(page.locator("#disputes")).to_contain_text("Overturned")
    screens.shot(page, "disputes-page-resolved", full_page=True)
    with db.read() as session:
        answer = session.get(quality.GoldAnswer, submitted["item_id"])
        assert answer is not None
        assert answer.labels == ["ok"]
