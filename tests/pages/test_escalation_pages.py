import re

import pytest

from tests.factories import label_next, make_items, make_project
from tests.pages.cookie_browser import CookieBrowsers, form_token


@pytest.fixture
def browser_client(server):
    with CookieBrowsers(server) as browsers:
        yield browsers


def escalated(db, people):
    with db.write() as session:
        project = make_project(
            session,
            people.pat,
            overlap=2,
            max_overlap=3,
            target_confidence=0.9,
            vendors=["Acme", "Babel"],
        )
        make_items(session, people.pat, project, 1)
        for labeler, labels in (
            (people.alice, ["ok"]),
            (people.bruno, ["abuse.insult"]),
            (people.amir, ["ok"]),
        ):
            label_next(session, labeler, project, labels)
        return project.id


def test_resolving_without_a_label_says_so_beside_the_item(server, db, people, browser_client):
    project_id = escalated(db, people)
    rita = browser_client("rita")
    page = rita.get(f"/projects/{project_id}/escalations")
    found = re.search(r'action="(/projects/\d+/escalations/\d+/resolve)"', page.text)
    assert found is not None

    response = rita.post(
        found.group(1),
        data={"csrf_token": form_token(page.text), "note": "unsure"},
    )

    assert response.status_code == 422
    assert "choose the item&#39;s label" in response.text
    assert "text number 0" in response.text


def test_labelers_do_not_get_the_escalations_page(server, db, people, browser_client):
    project_id = escalated(db, people)

    response = browser_client("alice").get(f"/projects/{project_id}/escalations")

    assert response.status_code == 403
