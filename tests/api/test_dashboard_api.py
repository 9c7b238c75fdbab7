from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from labelops import projects
from tests.factories import SIMPLE_LABELS, jsonl
from tests.pages.cookie_browser import CookieBrowsers

NOW = datetime(2026, 3, 20, 15, 30, tzinfo=UTC)


@pytest.fixture
def browser_client(server):
    with CookieBrowsers(server) as browsers:
        yield browsers


def staffed_project(server, db):
    pat = server.client("pat")
    with time_machine.travel(NOW - timedelta(days=1), tick=False):
        project = pat.post(
            "/api/v1/projects",
            json={
                "name": "Dashboard",
                "languages": ["en"],
                "label_schema": SIMPLE_LABELS,
                "vendors": ["Acme", "Babel"],
                "demander": "dana",
            },
        ).json()
        pat.post(
            f"/api/v1/projects/{project['id']}/items",
            content=jsonl([{"external_id": f"i{n}", "text": "t"} for n in range(4)]),
        )
    with db.write() as session:
        session.get(projects.Project, project["id"]).deadline = NOW.date() + timedelta(days=10)
    return project["id"]


def label(client, project_id, labels, duration_ms):
    lease = client.get(f"/api/v1/projects/{project_id}/next")
    assert lease.status_code == 200, lease.text
    submitted = client.post(
        f"/api/v1/assignments/{lease.json()['assignment_id']}/submit",
        json={"labels": labels, "duration_ms": duration_ms},
    )
    assert submitted.status_code == 201, submitted.text


def test_the_pm_gets_every_figure(server, db, people):
    project_id = staffed_project(server, db)
    with time_machine.travel(NOW - timedelta(days=1, hours=-1), tick=False):
        label(server.client("alice"), project_id, ["ok"], 2000)
    with time_machine.travel(NOW - timedelta(minutes=5), tick=False):
        label(server.client("bruno"), project_id, ["abuse.insult"], 4000)

        body = server.client("pat").get(f"/api/v1/projects/{project_id}/dashboard").json()

    hourly = {bucket["start"]: bucket["annotations"] for bucket in body.pop("hourly")}
    daily = {bucket["day"]: bucket["annotations"] for bucket in body.pop("daily")}
    assert {k: v for k, v in hourly.items() if v} == {
        "2026-03-19T16:00:00Z": 1,
        "2026-03-20T15:00:00Z": 1,
    }
    assert {k: v for k, v in daily.items() if v} == {"2026-03-19": 1, "2026-03-20": 1}
    assert body == {
        "project_id": project_id,
        "project_name": "Dashboard",
        "deadline": "2026-03-30",
        "vendor_only": False,
        "burndown": [
            {"day": "2026-03-19", "remaining": 3},
            {"day": "2026-03-20", "remaining": 2},
        ],
        "aht_by_labeler": [
            {"key": "alice", "vendor": "Acme", "annotations": 1, "mean_duration_ms": 2000.0},
            {"key": "bruno", "vendor": "Babel", "annotations": 1, "mean_duration_ms": 4000.0},
        ],
        "aht_by_language": [
            {"key": "en", "vendor": None, "annotations": 2, "mean_duration_ms": 3000.0}
        ],
        "aht_by_label": [
            {"key": "abuse.insult", "vendor": None, "annotations": 1, "mean_duration_ms": 4000.0},
            {"key": "ok", "vendor": None, "annotations": 1, "mean_duration_ms": 2000.0},
        ],
        "label_window": 10000,
        "active_labelers": 1,
        "backlog": {
            "total": 4,
            "queued": 2,
            "leased": 0,
            "done": 2,
            "in_review": 0,
            "escalated": 0,
        },
        "forecast": {
            "remaining_labels": 2,
            "daily_labels": [1],
            "mean_daily_labels": 1.0,
            "p50": "2026-03-22",
            "p85": "2026-03-22",
            "done": False,
            "as_of": "2026-03-20T15:25:00Z",
        },
        "sla": None,
        "as_of": "2026-03-20T15:25:00Z",
    }


def test_a_vendor_lead_gets_their_vendors_figures_only(server, db, people):
    project_id = staffed_project(server, db)
    label(server.client("alice"), project_id, ["ok"], 2000)
    label(server.client("bruno"), project_id, ["ok"], 4000)

    body = server.client("vic").get(f"/api/v1/projects/{project_id}/dashboard").json()

    assert body["vendor_only"] is True
    assert [row["key"] for row in body["aht_by_labeler"]] == ["alice"]
    assert sum(bucket["annotations"] for bucket in body["hourly"]) == 1
    assert (body["burndown"], body["forecast"], body["sla"]) == (None, None, None)


def test_a_labeler_is_refused(server, db, people):
    project_id = staffed_project(server, db)

    response = server.client("alice").get(f"/api/v1/projects/{project_id}/dashboard")

    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


def test_the_dashboard_page_draws_the_charts_with_tables(server, db, people, browser_client):
    project_id = staffed_project(server, db)
    label(server.client("alice"), project_id, ["ok"], 2000)

    page = browser_client("pat").get(f"/projects/{project_id}/dashboard")

    assert page.status_code == 200
    assert page.text.count('<svg class="chart chart-bars"') == 2
    assert "chart-burndown" in page.text
    assert "deadline" in page.text
    assert "Annotations per hour as a table" in page.text
    assert 'data-state="done">1<' in page.text
    project_page = browser_client("pat").get(f"/projects/{project_id}")
    assert f'href="/projects/{project_id}/dashboard"' in project_page.text


def test_the_vendor_leads_page_says_whose_figures_they_are(server, db, people, browser_client):
    project_id = staffed_project(server, db)

    page = browser_client("vic").get(f"/projects/{project_id}/dashboard")

    assert page.status_code == 200
    assert "your vendor&#39;s only" in page.text or "your vendor's only" in page.text
    assert "chart-burndown" not in page.text
