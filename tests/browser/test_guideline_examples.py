"""Guideline examples in a real browser: a PM keeps a disputed item as an example through the
API, and the labeler reads it under the guidelines."""

import io

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from labelops import projects
from tests.browser.browsing import Browsing, launch_chromium, screens_for
from tests.factories import jsonl, make_project

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


def test_the_labeler_reads_the_examples_under_the_guidelines(server, db, people, browsing):
    screens = screens_for("guideline_examples")
    rows = [
        {"external_id": "e0", "text": "What a lovely day at the lake."},
        {"external_id": "e1", "text": "You clearly have no idea what you are doing, genius."},
    ]
    with db.write() as session:
        project = make_project(
            session, people.pat, guidelines="# How to label\n\nRead the **whole** text."
        )
        projects.import_items(
            session,
            actor=people.pat,
            project_id=project.id,
            stream=io.BytesIO(jsonl(rows)),
            fmt="jsonl",
        )
        sarcastic = session.scalars(
            select(projects.Item.id).where(projects.Item.external_id == "e1")
        ).one()
    added = server.client("pat").post(
        f"/api/v1/projects/{project.id}/guideline-examples",
        json={
            "item_id": sarcastic,
            "labels": ["abuse.insult"],
            "explanation": "Mocking the reader's competence is an insult, even when polite.",
            "source": "disagreement",
        },
    )
    assert added.status_code == 201

    page = browsing.log_in("alice")
    page.goto(f"/label/{project.id}")
    expect(page.locator("#item-card")).to_be_visible()
    examples = page.locator(".guide-examples")
    screens.shot(page, "labeling-with-examples")

    expect(examples.locator("h3")).to_have_text("Examples")
    expect(examples.locator("blockquote")).to_have_text(rows[1]["text"])
    expect(examples.locator("figcaption")).to_contain_text("abuse.insult")
    expect(examples.locator("figcaption")).to_contain_text("even when polite")
