"""Questions from the floor in a real browser: a labeler asks with Shift+Q, the PM answers and
keeps the item as a guideline example, and the labeler reads the answer and the example."""

import io

import pytest
from playwright.sync_api import expect

from labelops import projects
from tests.browser.browsing import Browsing, launch_chromium, screens_for
from tests.factories import jsonl, make_project

pytestmark = pytest.mark.browser

TEXT = "Oh sure, *brilliant* plan, genius. Nobody could have seen that coming."


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


def test_a_question_asked_with_q_is_answered_and_becomes_an_example(server, db, people, browsing):
    screens = screens_for("questions_flow")
    with db.write() as session:
        project = make_project(
            session, people.pat, guidelines="# How to label\n\nInsults are abuse."
        )
        projects.import_items(
            session,
            actor=people.pat,
            project_id=project.id,
            stream=io.BytesIO(jsonl([{"external_id": "s1", "text": TEXT}])),
            fmt="jsonl",
        )

    alice = browsing.log_in("alice")
    alice.goto(f"/label/{project.id}")
    expect(alice.locator("#item-text")).to_have_text(TEXT)
    alice.keyboard.press("Shift+Q")
    expect(alice.locator("#ask-dialog")).to_be_visible()
    alice.locator("#ask-body").fill("Is sarcasm about a plan an insult?")
    screens.shot(alice, "1-labeler-asks")
    alice.keyboard.press("Enter")
    expect(alice.locator("#ask-dialog")).to_be_hidden()
    expect(alice.locator("#status")).to_contain_text("Question sent")
    expect(alice.locator("#item-text")).to_have_text(TEXT)  # the item stays on screen

    pat = browsing.log_in("pat")
    pat.goto(f"/projects/{project.id}")
    expect(pat.locator("#questions-link")).to_contain_text("1 ·")
    pat.locator("#questions-link").click()
    question = pat.locator("article.question").first
    expect(question.locator("blockquote")).to_have_text(TEXT)
    expect(question).to_contain_text("Is sarcasm about a plan an insult?")
    expect(question).to_contain_text("alice (Acme)")
    question.locator("textarea[name=answer]").fill("Yes: mocking the person's competence.")
    question.locator("select[name=example_labels]").select_option("abuse.insult")
    screens.shot(pat, "2-pm-answers", full_page=True)
    question.get_by_role("button", name="Answer and add as guideline example").click()
    expect(pat.locator(".notice-ok")).to_contain_text("answered")
    expect(pat.locator("#answered article.question")).to_contain_text("Guideline example")
    screens.shot(pat, "3-pm-answered", full_page=True)

    alice.goto(f"/label/{project.id}")
    expect(alice.locator("#answers-link")).to_have_text("1 answered question")
    expect(alice.locator(".guide-examples blockquote")).to_have_text(TEXT)
    expect(alice.locator(".guide-examples figcaption")).to_contain_text("mocking")
    screens.shot(alice, "4-labeler-sees-answer-link")
    alice.locator("#answers-link").click()
    expect(alice.locator("#answered .answer-text")).to_have_text(
        "Yes: mocking the person's competence."
    )
    screens.shot(alice, "5-labeler-reads-answer", full_page=True)
    alice.goto(f"/label/{project.id}")
    expect(alice.locator("#item-text")).to_have_text(TEXT)
    expect(alice.locator("#answers-link")).to_be_hidden()  # seen now
