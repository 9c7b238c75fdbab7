import html
import json
import re

import pytest

from tests.api.test_questions_api import ask, questions_project
from tests.pages.cookie_browser import CookieBrowsers, form_token


@pytest.fixture
def browser_client(server):
    with CookieBrowsers(server) as browsers:
        yield browsers


def test_the_pm_sees_open_questions_with_their_age_and_answers_one(server, people, browser_client):
    project_id = questions_project(server)
    lease, asked = ask(server.client("alice"), project_id, body="Is sarcasm an insult?")
    pat = browser_client("pat")
    page = pat.get(f"/projects/{project_id}/questions")

    answered = pat.post(
        f"/projects/{project_id}/questions/{asked.json()['id']}/answer",
        data={
            "csrf_token": form_token(page.text),
            "answer": "Yes, at a person.",
            "example_labels": "abuse.insult",
            "add_example": "1",
        },
    )
    after = pat.get(f"/projects/{project_id}/questions").text

    assert page.status_code == 200
    assert "Is sarcasm an insult?" in page.text
    assert html.escape(lease["item"]["text"]) in page.text
    assert re.search(r'class="badge question-age"[^>]*>1 min<', page.text)
    assert "alice (Acme)" in page.text
    assert "Answer and add as guideline example" in page.text
    assert answered.status_code == 303
    assert "No open questions." in after
    assert "Yes, at a person." in after
    assert "Guideline example" in after


def test_answering_without_picking_a_label_for_the_example_says_so(server, people, browser_client):
    project_id = questions_project(server)
    _, asked = ask(server.client("alice"), project_id)
    pat = browser_client("pat")
    page = pat.get(f"/projects/{project_id}/questions").text

    refused = pat.post(
        f"/projects/{project_id}/questions/{asked.json()['id']}/answer",
        data={"csrf_token": form_token(page), "answer": "Yes.", "add_example": "1"},
    )

    assert refused.status_code == 422
    assert "pick the example&#39;s label" in refused.text
    assert (
        server.client("pat")
        .get(f"/api/v1/projects/{project_id}/questions?state=open")
        .json()[0]["answer"]
        is None
    )


def test_a_labeler_sees_only_their_own_questions_and_no_answer_form(server, people, browser_client):
    project_id = questions_project(server)
    ask(server.client("alice"), project_id, body="alice asks")
    ask(server.client("bruno"), project_id, body="bruno asks")

    page = browser_client("alice").get(f"/projects/{project_id}/questions").text

    assert "Your questions" in page
    assert "alice asks" in page
    assert "bruno asks" not in page
    assert 'name="answer"' not in page


def test_the_vendor_lead_reads_their_labelers_questions_without_answering(
    server, people, browser_client
):
    project_id = questions_project(server)
    ask(server.client("alice"), project_id, body="alice asks")
    ask(server.client("bruno"), project_id, body="bruno asks")

    page = browser_client("vic").get(f"/projects/{project_id}/questions").text

    assert "alice asks" in page
    assert "bruno asks" not in page
    assert 'name="answer"' not in page


def test_the_project_page_shows_open_questions_and_the_oldest_age(server, people, browser_client):
    project_id = questions_project(server)
    ask(server.client("alice"), project_id)

    page = browser_client("pat").get(f"/projects/{project_id}").text

    link = re.search(r'<a class="btn" href="[^"]+/questions" id="questions-link">(.*?)</a>', page)
    assert link is not None
    assert "Questions" in link.group(1)
    assert "1 · 1 min" in link.group(1)


def test_the_labeling_screen_offers_q_to_ask(server, people, browser_client):
    project_id = questions_project(server)

    page = browser_client("alice").get(f"/label/{project_id}").text

    assert 'id="ask-button"' in page
    assert "<kbd>Q</kbd>" in page
    assert f"/api/v1/projects/{project_id}/questions" in page


def test_the_new_project_form_starts_from_a_template(server, people, browser_client):
    page = browser_client("pat").get("/projects/new?template=ts-default")

    assert page.status_code == 200
    assert re.search(r'<option value="ts-default" selected', page.text)
    assert re.search(r'name="schema_source" value="custom" checked', page.text)
    editor = re.search(r'<textarea id="custom_schema"[^>]*>(.*?)</textarea>', page.text, re.S)
    assert editor is not None
    schema = json.loads(html.unescape(editor.group(1)))
    assert schema["labels"][0]["dsa_category"] == "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH"
    assert "kind" not in schema


def test_an_edited_template_is_created_as_typed(server, people, browser_client):
    pat = browser_client("pat")
    page = pat.get("/projects/new?template=ts-default").text
    editor = re.search(r'<textarea id="custom_schema"[^>]*>(.*?)</textarea>', page, re.S)
    assert editor is not None
    schema = json.loads(html.unescape(editor.group(1)))
    schema["labels"] = [label for label in schema["labels"] if label["key"] != "spam"]

    created = pat.post(
        "/projects/new",
        data={
            "csrf_token": form_token(page),
            "name": "Edited template",
            "languages": "en",
            "schema_source": "custom",
            "template": "ts-default",
            "custom_schema": json.dumps(schema),
            "kind": "single",
        },
    )
    project = pat.get(created.headers["location"]).text

    assert created.status_code == 303
    assert "hate.dehumanisation" in project
    assert "spam.spam" not in project
    assert "DSA: Illegal or harmful speech" in project
    assert '<span class="tier tier-s3" title="Severity tier">S3</span>' in project
