"""The qualification quiz in a real browser: blocked at the labeling screen, fail once, pass on
the second try, then label."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.browsing import Browsing, launch_chromium, screens_for
from tests.quiz_setup import quiz_project

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


def _answer_every_item(page: Page, label_key: str) -> None:
    items = page.locator(".quiz-item")
    for index in range(items.count()):
        items.nth(index).locator(f'input[value="{label_key}"]').check()


def test_a_labeler_fails_the_quiz_once_then_passes_and_labels(
    server, people, browsing: Browsing, screens
):
    project_id = quiz_project(server, gold=5, qualification_items=3)
    page = browsing.log_in("alice")

    page.goto(f"/label/{project_id}")
    expect(page.locator("#empty-message")).to_contain_text("qualification quiz of 3 items")
    screens.shot(page, "labeling-blocked")
    page.locator("#quiz-link").click()
    expect(page.locator("#quiz-start")).to_have_text("Start the quiz")
    screens.shot(page, "quiz-intro")
    page.locator("#quiz-start").click()
    expect(page.locator(".quiz-item")).to_have_count(3)
    _answer_every_item(page, "ok")
    screens.shot(page, "quiz-answered-wrong", full_page=True)
    page.locator("#quiz-submit").click()
    expect(page.locator("#quiz-result h2")).to_have_text("Not passed: 0 of 3 right (0 %)")
    expect(page.locator(".quiz-item.is-wrong")).to_have_count(3)
    screens.shot(page, "result-failed", full_page=True)

    page.locator("#try-again").click()
    expect(page.locator("#quiz-start")).to_have_text("Start another try")
    page.locator("#quiz-start").click()
    _answer_every_item(page, "abuse.insult")
    page.locator("#quiz-submit").click()
    expect(page.locator("#quiz-result h2")).to_have_text("Passed: 3 of 3 right (100 %)")
    screens.shot(page, "result-passed", full_page=True)
    page.locator("#start-labeling").click()

    expect(page.locator("#item-card")).to_be_visible()
    expect(page.locator("#item-external-id")).to_have_text("e0")
    screens.shot(page, "labeling-after-passing")


def test_the_pm_gives_a_labeler_who_failed_out_another_try(
    server, people, browsing: Browsing, screens
):
    project_id = quiz_project(server, gold=5, qualification_items=3, qualification_tries=1)
    alice = server.client("alice")
    quiz = alice.post(f"/api/v1/projects/{project_id}/qualification/attempts").json()
    alice.post(
        f"/api/v1/projects/{project_id}/qualification/attempts/{quiz['attempt_id']}",
        json={"answers": {str(item["item_id"]): ["ok"] for item in quiz["items"]}},
    )
    page = browsing.log_in("pat")

    page.goto(f"/projects/{project_id}")
    page.locator("#qualification-link").click()
    expect(page.locator("#standing")).to_contain_text("Failed — no tries left")
    screens.shot(page, "standing-failed-out")
    page.get_by_role("button", name="Give tries afresh").click()

    expect(page.locator("#standing")).to_contain_text("Not passed yet")
    expect(page.get_by_role("button", name="Give tries afresh")).to_have_count(0)
    screens.shot(page, "standing-after-reset")
