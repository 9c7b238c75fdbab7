"""Scorecards and the invoice check over real HTTP, and their page."""

import csv
import io

import pytest

from tests.api.test_labeling_api import label_all, project_with_items
from tests.pages.cookie_browser import CookieBrowsers


@pytest.fixture
def browser_client(server):
    with CookieBrowsers(server) as browsers:
        yield browsers


def labeled_project(server):
    project_id = project_with_items(server, count=3, overlap=2)
    label_all(server, project_id, "alice", ["ok"])
    label_all(server, project_id, "bruno", ["abuse.insult"])
    return project_id


def test_scorecards_put_vendors_side_by_side(server, people):
    project_id = labeled_project(server)

    response = server.client("pat").get(f"/api/v1/projects/{project_id}/scorecards")

    assert response.status_code == 200
    body = response.json()
    assert [(v["name"], v["answers"], v["undecided"]) for v in body["vendors"]] == [
        ("Acme", 3, 3),
        ("Babel", 3, 3),
    ]
    assert {card["name"] for card in body["labelers"]} == {"alice", "bruno"}
    assert body["labelers"][0]["agreement"]["value"] == 0.0


def test_the_invoice_check_downloads_as_csv(server, people):
    project_id = labeled_project(server)

    response = server.client("pat").get(
        f"/api/v1/projects/{project_id}/invoice-check", params={"format": "csv", "period": "week"}
    )

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["vendor"], r["billable"], r["undecided"], r["rate"]) for r in rows] == [
        ("Acme", "3", "3", "no rate"),
        ("Babel", "3", "3", "no rate"),
    ]
    assert rows[0]["period"].count("-W") == 1


def test_a_bad_invoice_format_names_the_field(server, people):
    project_id = labeled_project(server)

    response = server.client("pat").get(
        f"/api/v1/projects/{project_id}/invoice-check", params={"format": "pdf"}
    )

    assert response.status_code == 422
    assert response.json()["error"] == "bad_format"


def test_the_vendors_page_shows_both_tables_and_the_invoice(server, people, browser_client):
    project_id = labeled_project(server)

    page = browser_client("pat").get(f"/projects/{project_id}/vendors")
    lead = browser_client("vic").get(f"/projects/{project_id}/vendors")

    assert page.status_code == 200
    assert 'data-scorecards="vendor"' in page.text
    assert 'data-scorecards="labeler"' in page.text
    assert "Babel" in page.text
    assert "data-invoice" in page.text
    assert lead.status_code == 200
    assert "Babel" not in lead.text
