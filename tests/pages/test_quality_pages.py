import re

import pytest

from tests.api.test_quality_api import force_gold_rate, label, project_with_gold
from tests.factories import jsonl
from tests.pages.cookie_browser import CookieBrowsers, form_token


@pytest.fixture
def browser_client(server):
    with CookieBrowsers(server) as browsers:
        yield browsers


def _paused_alice(server, db):
    project_id = project_with_gold(
        server, gold_threshold=0.9, gold_min_answers=3, gold_ids=("g0", "g1", "g2", "g3")
    )
    force_gold_rate(db, project_id)
    alice = server.client("alice")
    for _ in range(3):
        label(alice, project_id, ["ok"])
    return project_id


def test_the_pm_sees_gold_accuracy_with_its_interval_and_the_pause(
    server, db, people, browser_client
):
    project_id = _paused_alice(server, db)

    page = browser_client("pat").get(f"/projects/{project_id}/quality")

    assert page.status_code == 200
    row = re.search(r'<tr data-labeler="alice">(.*?)</tr>', page.text, re.S)
    assert row is not None
    assert "0 / 3" in row.group(1)
    assert "0–56 %" in row.group(1)  # Wilson 95 % interval of 0/3
    assert "Paused" in row.group(1)
    assert "gold accuracy 0/3" in page.text
    assert 'id="stat-gold-items">4<' in page.text


def test_the_pm_lifts_a_pause_from_the_page(server, db, people, browser_client):
    project_id = _paused_alice(server, db)
    pat = browser_client("pat")
    page = pat.get(f"/projects/{project_id}/quality").text
    found = re.search(r'data-pause="(\d+)"', page)
    assert found is not None
    pause_id = found.group(1)

    lifted = pat.post(
        f"/projects/{project_id}/quality/pauses/{pause_id}/lift",
        data={"csrf_token": form_token(page), "note": "coached on insults"},
    )

    assert lifted.status_code == 303
    assert server.client("alice").get(f"/api/v1/projects/{project_id}/next").status_code == 200
    assert "Lifted" in pat.get(f"/projects/{project_id}/quality").text


def test_a_gold_upload_lists_refused_lines_and_marks_the_rest(server, people, browser_client):
    project_id = project_with_gold(server, gold_ids=())
    pat = browser_client("pat")
    page = pat.get(f"/projects/{project_id}/quality").text
    upload = jsonl(
        [
            {"external_id": "e0", "labels": ["ok"], "explanation": "Fine."},
            {"external_id": "zz", "labels": ["ok"]},
        ]
    )

    response = pat.post(
        f"/projects/{project_id}/quality/gold",
        data={"csrf_token": form_token(page), "format": "auto"},
        files={"file": ("gold.jsonl", upload, "application/x-ndjson")},
    )

    assert response.status_code == 200
    assert "<strong data-marked>1</strong>" in response.text
    assert "<strong data-rejected>1</strong>" in response.text
    assert "no item &#39;zz&#39;" in response.text
    assert 'id="stat-gold-items">1<' in response.text


def test_an_unreadable_gold_file_marks_nothing_and_says_why(server, people, browser_client):
    project_id = project_with_gold(server, gold_ids=())
    pat = browser_client("pat")
    page = pat.get(f"/projects/{project_id}/quality").text

    response = pat.post(
        f"/projects/{project_id}/quality/gold",
        data={"csrf_token": form_token(page), "format": "auto"},
        files={"file": ("gold.jsonl", b"\xff\xfe\x00\x01binary", "application/octet-stream")},
    )

    assert response.status_code == 422
    assert "No gold was marked" in response.text
    assert 'id="stat-gold-items">0<' in response.text


def test_labelers_cannot_open_the_quality_page(server, people, browser_client):
    project_id = project_with_gold(server)

    response = browser_client("alice").get(f"/projects/{project_id}/quality")

    assert response.status_code == 403


def test_a_vendor_lead_sees_only_their_vendor_and_cannot_lift(server, db, people, browser_client):
    project_id = _paused_alice(server, db)

    page = browser_client("vic").get(f"/projects/{project_id}/quality").text

    assert 'data-labeler="alice"' in page
    assert "/lift" not in page
    assert "Mark gold items" not in page


def test_a_drift_alert_shows_its_evidence_and_the_pm_acknowledges_it(
    server, db, people, browser_client
):
    project_id = project_with_gold(server, gold_ids=tuple(f"g{i}" for i in range(8)))
    force_gold_rate(db, project_id)
    alice = server.client("alice")
    for _ in range(6):
        label(alice, project_id, ["ok"])  # every gold answer is abuse.insult
    pat = browser_client("pat")

    page = pat.get(f"/projects/{project_id}/quality").text
    found = re.search(r'data-alert="(\d+)"', page)

    assert found is not None
    assert 'id="stat-drift">1<' in page
    assert "since gold answer 1: 0/" in page
    acknowledged = pat.post(
        f"/projects/{project_id}/quality/drift-alerts/{found.group(1)}/acknowledge",
        data={"csrf_token": form_token(page)},
    )
    assert acknowledged.status_code == 303
    assert 'id="stat-drift">0<' in pat.get(f"/projects/{project_id}/quality").text


def test_a_disputed_item_becomes_a_guideline_example_in_one_click(
    server, db, people, browser_client
):
    project_id = project_with_gold(server, items=2, gold_ids=(), overlap=2)
    label(server.client("alice"), project_id, ["ok"])
    label(server.client("bruno"), project_id, ["abuse.insult"])
    pat = browser_client("pat")
    page = pat.get(f"/projects/{project_id}/quality").text
    found = re.search(r'<tr data-item="(\d+)">', page)
    assert found is not None
    assert 'id="labeler-matrices"' in page

    added = pat.post(
        f"/projects/{project_id}/quality/examples",
        data={
            "csrf_token": form_token(page),
            "item_id": found.group(1),
            "labels": ["abuse.insult"],
            "explanation": "Calling someone a clown is an insult.",
        },
    )

    assert added.status_code == 303
    examples = server.client("pat").get(f"/api/v1/projects/{project_id}/guideline-examples")
    assert [e["explanation"] for e in examples.json()] == ["Calling someone a clown is an insult."]
    assert "Add as example" not in pat.get(f"/projects/{project_id}/quality").text
