import pytest

from labelops import guidelines
from tests.factories import make_items, make_project
from tests.pages.cookie_browser import CookieBrowsers, page_token


@pytest.fixture
def browser_client(server):
    with CookieBrowsers(server) as browsers:
        yield browsers


def published_twice(db, people):
    with db.write() as session:
        project = make_project(session, people.pat, guidelines="Be kind.")
        make_items(session, people.pat, project, 2)
        guidelines.publish(
            session,
            actor=people.pat,
            project_id=project.id,
            data=guidelines.NewGuidelines(body="Be very kind.", changelog="Kinder."),
        )
    return project.id


def test_the_pm_publishes_label_sections_from_the_editor(server, db, people, browser_client):
    project_id = published_twice(db, people)
    client = browser_client("pat")
    csrf = page_token(client.get(f"/projects/{project_id}/guidelines").text)

    response = client.post(
        f"/projects/{project_id}/guidelines",
        data={
            "csrf_token": csrf,
            "body": "Be very kind.",
            "section_key": ["ok", "abuse.insult"],
            "section_definition": ["", "Demeaning a person."],
            "section_use_when": ["", ""],
            "section_not_when": ["", "Quoted to condemn."],
            "glossary_locale": ["en", ""],
            "glossary_term": ["unalive", ""],
            "glossary_definition": ["Kill.", ""],
            "changelog": "Insults.",
            "rereview": "true",
        },
    )

    assert response.status_code == 303
    assert response.headers["location"] == (
        f"/projects/{project_id}/guidelines?published=3&rereview=0"
    )
    page = client.get(response.headers["location"]).text
    assert "Version 3 published." in page
    assert "0 items sent to reviewers" in page
    assert "<h4>Don't use when</h4>" in page
    assert "unalive" in page


def test_a_bad_glossary_locale_is_shown_on_the_page(server, db, people, browser_client):
    project_id = published_twice(db, people)
    client = browser_client("pat")
    csrf = page_token(client.get(f"/projects/{project_id}/guidelines").text)

    response = client.post(
        f"/projects/{project_id}/guidelines",
        data={
            "csrf_token": csrf,
            "body": "x",
            "glossary_locale": ["!!"],
            "glossary_term": ["t"],
            "glossary_definition": ["d"],
        },
    )

    assert response.status_code == 422
    assert "glossary row 1" in response.text


def test_a_labeler_reads_the_guidelines_without_the_editor(server, db, people, browser_client):
    project_id = published_twice(db, people)

    page = browser_client("alice").get(f"/projects/{project_id}/guidelines")

    assert page.status_code == 200
    assert "<p>Be very kind.</p>" in page.text
    assert 'id="editor"' not in page.text
    assert 'id="acks"' not in page.text


def test_the_held_labeling_screen_shows_the_changes_and_releases_on_confirm(
    server, db, people, browser_client
):
    project_id = published_twice(db, people)
    client = browser_client("alice")

    held = client.get(f"/label/{project_id}").text
    confirmed = client.post(
        f"/label/{project_id}/acknowledge",
        data={"csrf_token": page_token(held), "version": "2"},
    )
    after = client.get(f"/label/{project_id}").text

    assert 'id="ack-panel"' in held
    assert "Changes since version 1, the one you last read" in held
    assert "<del>- Be kind.</del>" in held
    assert "labeling.js" not in held
    assert confirmed.status_code == 303
    assert 'id="ack-panel"' not in after
    assert "labeling.js" in after


def test_the_diff_page_highlights_insertions_and_deletions(server, db, people, browser_client):
    project_id = published_twice(db, people)

    page = browser_client("alice").get(f"/projects/{project_id}/guidelines/diff?from=1&to=2").text

    assert "<del>- Be kind.</del>" in page
    assert "<ins>+ Be very kind.</ins>" in page


def test_the_sop_list_is_in_the_navigation(server, db, people, browser_client):
    page = browser_client("rita").get("/sops")

    assert page.status_code == 200
    assert '<a href="/sops" aria-current="page">SOPs</a>' in page.text
