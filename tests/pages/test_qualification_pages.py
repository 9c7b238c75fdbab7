import re

import pytest

from tests.pages.cookie_browser import CookieBrowsers, form_token
from tests.quiz_setup import GOLD_LABEL, quiz_project

_ITEM = re.compile(r'name="item-(\d+)"')
_ATTEMPT = re.compile(r'action="/label/\d+/qualification/attempts/(\d+)"')


@pytest.fixture
def browser_client(server):
    with CookieBrowsers(server) as browsers:
        yield browsers


def quiz_form(client, project_id):
    """Start a try through the page: the quiz page, its form token, the try's id and its item
    ids in order."""
    intro = client.get(f"/label/{project_id}/qualification")
    started = client.post(
        f"/label/{project_id}/qualification", data={"csrf_token": form_token(intro.text)}
    )
    assert started.status_code == 303
    page = client.get(started.headers["location"])
    attempt = _ATTEMPT.search(page.text)
    assert attempt is not None, "no quiz form on the page"
    items = list(dict.fromkeys(_ITEM.findall(page.text)))
    return page, form_token(page.text), attempt.group(1), items


def test_the_quiz_is_one_form_with_isolated_texts_and_a_radio_per_label(
    server, people, browser_client
):
    project_id = quiz_project(server)
    client = browser_client("alice")

    page, _, _, item_ids = quiz_form(client, project_id)

    assert page.status_code == 200
    assert len(item_ids) == 2
    assert page.text.count('class="item-text quiz-text" dir="auto" lang="en"') == 2
    assert page.text.count(f'type="radio" name="item-{item_ids[0]}"') == 3
    assert 'type="checkbox"' not in page.text
    assert "An insult." not in page.text


def test_a_multi_choice_quiz_has_checkboxes(server, people, browser_client):
    project_id = quiz_project(
        server, label_schema={"kind": "multi", "labels": ["ok", "spam", GOLD_LABEL]}
    )

    page, _, _, item_ids = quiz_form(browser_client("alice"), project_id)

    assert page.text.count(f'type="checkbox" name="item-{item_ids[0]}"') == 3


def test_a_missing_answer_is_named_and_the_other_answers_kept(server, people, browser_client):
    project_id = quiz_project(server)
    client = browser_client("alice")
    _, token, attempt_id, (first, second) = quiz_form(client, project_id)

    response = client.post(
        f"/label/{project_id}/qualification/attempts/{attempt_id}",
        data={"csrf_token": token, f"item-{first}": "ok"},
    )

    assert response.status_code == 422
    assert f"question 2 (item {second}): pick at least one label" in response.text
    assert f'href="#question-{second}"' in response.text
    assert f'name="item-{first}" value="ok" checked' in response.text


def test_submitting_shows_each_answer_with_the_expected_one_and_why(server, people, browser_client):
    project_id = quiz_project(server)
    client = browser_client("alice")
    _, token, attempt_id, (first, second) = quiz_form(client, project_id)

    submitted = client.post(
        f"/label/{project_id}/qualification/attempts/{attempt_id}",
        data={"csrf_token": token, f"item-{first}": GOLD_LABEL, f"item-{second}": "ok"},
    )
    result = client.get(submitted.headers["location"])

    assert submitted.status_code == 303
    assert "Not passed: 1 of 2 right (50 %)" in result.text
    assert result.text.count("<dt>Expected</dt><dd>Abuse › Insult</dd>") == 2
    assert "<dt>Your answer</dt><dd>Fine</dd>" in result.text
    assert result.text.count("<dt>Why</dt><dd>An insult.</dd>") == 2
    assert 'id="try-again"' in result.text


def test_the_labeling_screen_links_to_the_quiz(server, people, browser_client):
    project_id = quiz_project(server)

    page = browser_client("alice").get(f"/label/{project_id}")

    assert f'id="quiz-link" href="/label/{project_id}/qualification" hidden' in page.text


def test_the_quiz_page_is_for_labelers(server, people, browser_client):
    project_id = quiz_project(server)

    response = browser_client("pat").get(f"/label/{project_id}/qualification")

    assert response.status_code == 403


def fail_out(server, project_id, who="alice"):
    """`who` answers every item wrong until no try is left (through the API)."""
    client = server.client(who)
    url = f"/api/v1/projects/{project_id}/qualification/attempts"
    while (quiz := client.post(url)).status_code == 200:
        answers = {str(item["item_id"]): ["ok"] for item in quiz.json()["items"]}
        client.post(f"{url}/{quiz.json()['attempt_id']}", json={"answers": answers})


def test_the_pm_sees_who_failed_out_and_gives_them_tries_afresh(server, people, browser_client):
    project_id = quiz_project(server, qualification_tries=1)
    fail_out(server, project_id)
    client = browser_client("pat")
    page = client.get(f"/projects/{project_id}/qualification")

    reset = client.post(
        f"/projects/{project_id}/qualification/labelers/{people.alice.user_id}/reset",
        data={"csrf_token": form_token(page.text)},
    )
    after = client.get(reset.headers["location"])

    assert "Failed — no tries left" in page.text
    assert "Give tries afresh" in page.text
    assert reset.status_code == 303
    assert "alice has their tries at the quiz afresh." in after.text
    assert "Not passed yet" in after.text
    assert "Give tries afresh" not in after.text


def test_a_vendor_lead_sees_their_labelers_standing_without_resets(server, people, browser_client):
    project_id = quiz_project(server, qualification_tries=1)
    fail_out(server, project_id, "alice")
    fail_out(server, project_id, "bruno")

    page = browser_client("vic").get(f"/projects/{project_id}/qualification")

    assert page.status_code == 200
    assert "<td>alice</td>" in page.text
    assert "<td>bruno</td>" not in page.text
    assert "Give tries afresh" not in page.text


def test_the_standing_page_warns_the_pm_of_a_small_gold_pool(server, people, browser_client):
    project_id = quiz_project(server, gold=1, qualification_items=2)

    page = browser_client("pat").get(f"/projects/{project_id}/qualification")
    project_page = browser_client("pat").get(f"/projects/{project_id}")

    assert "The gold pool is too small" in page.text
    assert "the quiz draws 2 gold items but the project has only 1 in en" in page.text
    assert f'href="/projects/{project_id}/qualification" id="qualification-link"' in (
        project_page.text
    )
