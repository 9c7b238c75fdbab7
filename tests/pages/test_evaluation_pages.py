import re

import pytest

from tests.api.test_resources_api import running_project
from tests.evaluation_data import labeled_project, make_demand, staff_vendors, vendor_id
from tests.pages.cookie_browser import CookieBrowsers, form_token


@pytest.fixture
def browser_client(server):
    with CookieBrowsers(server) as browsers:
        yield browsers


@pytest.fixture
def staffed(server, db, people):
    staff_vendors(server, db)
    return people


def test_the_pm_runs_an_estimate_from_the_form(server, db, staffed, browser_client):
    demand_id = make_demand(db, staffed.dana.user_id, budget=10)
    pat = browser_client("pat")
    page = pat.get(f"/demands/{demand_id}/evaluation").text

    posted = pat.post(
        f"/demands/{demand_id}/evaluation",
        data={
            "csrf_token": form_token(page),
            "aht_en": "36",
            "overlap": "1",
            "shrinkage": "20",
            "start": "2026-11-30",
        },
    )

    assert posted.status_code == 303
    shown = pat.get(posted.headers["location"])
    assert shown.status_code == 200
    assert 'id="total-labels">1,200<' in shown.text  # 1000 en + 200 es, overlap 1
    row = re.search(r'<tr data-language="en">(.*?)</tr>', shown.text, re.S)
    assert row is not None
    assert "36.0 s" in row.group(1)
    assert "PM&#39;s figure" in row.group(1)
    assert 'data-risk="budget_short"' in shown.text
    assert '<svg class="chart chart-forecast"' in shown.text
    assert "How it is computed" in shown.text


def test_a_bad_percentage_is_shown_beside_the_form(server, db, staffed, browser_client):
    demand_id = make_demand(db, staffed.dana.user_id)
    pat = browser_client("pat")
    page = pat.get(f"/demands/{demand_id}/evaluation").text

    posted = pat.post(
        f"/demands/{demand_id}/evaluation",
        data={"csrf_token": form_token(page), "occupancy": "0"},
    )

    assert posted.status_code == 422
    assert "Occupancy" in posted.text
    assert 'id="form-errors"' in posted.text


def test_the_demander_reads_the_evaluation_without_the_form(server, db, staffed, browser_client):
    demand_id = make_demand(db, staffed.dana.user_id)
    server.client("pat").post(f"/api/v1/demands/{demand_id}/estimates", json={})

    page = browser_client("dana").get(f"/demands/{demand_id}/evaluation")

    assert page.status_code == 200
    assert 'id="result"' in page.text
    assert 'id="estimate-form"' not in page.text


def test_the_page_sets_the_actual_beside_the_estimate(server, db, staffed, browser_client):
    project_id = labeled_project(
        server, name="Done", items=2, durations_ms=[30_000, 30_000], status="delivered"
    )
    demand_id = make_demand(
        db, staffed.dana.user_id, volumes=[{"language": "en", "volume": 2}], project_id=project_id
    )
    server.client("pat").post(f"/api/v1/demands/{demand_id}/estimates", json={"overlap": 1})

    page = browser_client("pat").get(f"/demands/{demand_id}/evaluation").text

    row = re.search(r'<tr data-language="all" class="eval-total">(.*?)</tr>', page, re.S)
    assert row is not None
    assert "+0.0 %" in row.group(1)
    assert 'id="actual-completion"' in page


def test_the_pm_edits_a_vendors_languages_on_the_vendors_page(server, db, staffed, browser_client):
    pat = browser_client("pat")
    page = pat.get("/vendors").text
    babel = vendor_id(db, "Babel")

    saved = pat.post(
        f"/vendors/{babel}/languages",
        data={
            "csrf_token": form_token(page),
            "language_0": "en",
            "hourly_rate_0": "9.5",
            "weekly_hours_0": "30",
            "language_1": "hi",
            "hourly_rate_1": "7",
            "weekly_hours_1": "12",
            "language_2": "",
        },
    )

    assert saved.status_code == 303
    listed = server.client("pat").get(f"/api/v1/vendors/{babel}/languages").json()["languages"]
    assert [(r["language"], r["hourly_rate"], r["weekly_hours"]) for r in listed] == [
        ("en", 9.5, 30.0),
        ("hi", 7.0, 12.0),
    ]


def test_a_vendor_lead_reads_their_vendor_without_a_form(server, db, staffed, browser_client):
    page = browser_client("vic").get("/vendors")

    assert page.status_code == 200
    assert "Acme" in page.text
    assert "Babel" not in page.text
    assert '<form method="post" action="/vendors/' not in page.text


def test_the_capacity_board_flags_the_over_allocated_vendor_in_red(
    server, db, staffed, browser_client
):
    pat = server.client("pat")
    pat.put(
        f"/api/v1/vendors/{vendor_id(db, 'Babel')}/languages",
        json=[{"language": "en", "hourly_rate": 9, "weekly_hours": 0.02}],
    )  # 20 items × 30 s over the 4 weeks of a project without a deadline: 0.042 h a week
    project_id = running_project(server, db, name="Busy")
    pat.put(
        f"/api/v1/projects/{project_id}/allocations",
        json=[{"vendor": "Babel", "language": "en", "items": 20}],
    )

    page = browser_client("pat").get("/capacity").text

    assert 'id="over-allocated"' in page
    row = re.search(
        r'<tr data-vendor="Babel" data-language="en" class="capacity-over">(.*?)</tr>', page, re.S
    )
    assert row is not None
    assert "Busy" in row.group(1)
    assert "(no deadline)" in row.group(1)
    assert '<a href="/capacity"' in page  # the nav link


def test_a_labeler_has_no_capacity_page(server, db, staffed, browser_client):
    page = browser_client("alice").get("/capacity")

    assert page.status_code == 403
