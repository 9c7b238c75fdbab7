import pytest

from labelops.db import utcnow
from tests.evaluation_data import labeled_project, make_demand, staff_vendors

START = "2026-11-30"  # a Monday; the demand's deadline is six weeks later


@pytest.fixture
def staffed(server, db, people):
    staff_vendors(server, db)
    return people


def test_the_pm_estimates_a_demand_from_history_and_overrides(server, db, staffed):
    labeled_project(
        server, name="Past", items=3, durations_ms=[20_000, 30_000, 40_000], status="delivered"
    )
    demand_id = make_demand(db, staffed.dana.user_id)

    response = server.client("pat").post(
        f"/api/v1/demands/{demand_id}/estimates",
        json={"start": START, "aht_seconds": {"es": 45}},
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["created_by"] == "pat"
    assert body["inputs"]["start"] == START
    result = body["result"]
    en, es = result["languages"]
    # en: 1000 items × overlap 3 = 3000 labels × 30 s (median of the delivered project).
    assert {k: en[k] for k in ("labels", "aht_seconds", "aht_source", "aht_basis")} == {
        "labels": 3000,
        "aht_seconds": 30.0,
        "aht_source": "history",
        "aht_basis": 3,
    }
    assert en["labeler_hours"] == 25.0
    assert en["weeks"] == 6.0
    assert en["fte"] == round(25 / (6 * 25.5), 4)
    # Babel (9/h, 20 h a week free) alone covers the 4.17 h a week the deadline needs.
    assert [(v["vendor"], v["cost"]) for v in en["vendors"]] == [("Babel", 225.0)]
    # es: 600 labels × 45 s (the PM's figure) = 7.5 h at Acme's 15/h.
    assert (es["aht_source"], es["labeler_hours"], es["cost"]) == ("pm", 7.5, 112.5)
    assert result["cost"] == 337.5
    assert result["vendor_selection"] == "cheapest"
    assert result["forecast"]["p50_date"] <= result["deadline"] == "2027-01-11"
    assert result["risks"] == []


def test_without_history_the_default_handling_time_is_used_and_said(server, db, staffed):
    demand_id = make_demand(db, staffed.dana.user_id)

    body = (
        server.client("pat")
        .post(f"/api/v1/demands/{demand_id}/estimates", json={"start": START})
        .json()
    )

    assert [(r["aht_seconds"], r["aht_source"]) for r in body["result"]["languages"]] == [
        (30.0, "default"),
        (30.0, "default"),
    ]


def test_risks_name_the_missing_vendor_and_the_budget(server, db, staffed):
    demand_id = make_demand(
        db,
        staffed.dana.user_id,
        volumes=[{"language": "en", "volume": 1000}, {"language": "ar", "volume": 10}],
        budget=50,  # 1000 labels × 30 s = 8.33 h at Babel's 9/h = 75
    )

    body = (
        server.client("pat")
        .post(f"/api/v1/demands/{demand_id}/estimates", json={"start": START, "overlap": 1})
        .json()
    )

    risks = {(r["code"], r["severity"], r["language"]) for r in body["result"]["risks"]}
    assert risks == {
        ("no_vendor", "high", "ar"),
        ("budget_short", "high", None),
    }


def test_the_pms_vendor_mix_is_priced(server, db, staffed):
    demand_id = make_demand(db, staffed.dana.user_id, volumes=[{"language": "en", "volume": 100}])

    body = (
        server.client("pat")
        .post(
            f"/api/v1/demands/{demand_id}/estimates",
            json={
                "start": START,
                "overlap": 1,
                "aht_seconds": {"en": 36},
                "vendors": {"en": ["Acme"]},
            },
        )
        .json()
    )

    assert body["result"]["vendor_selection"] == "pm"
    assert [(v["vendor"], v["cost"]) for v in body["result"]["languages"][0]["vendors"]] == [
        ("Acme", 12.0)
    ]


def test_an_override_for_a_language_the_demand_lacks_is_refused_by_name(server, db, staffed):
    demand_id = make_demand(db, staffed.dana.user_id)

    response = server.client("pat").post(
        f"/api/v1/demands/{demand_id}/estimates", json={"aht_seconds": {"fr": 20}}
    )

    assert response.status_code == 422
    assert response.json() == {
        "error": "unknown_language",
        "message": "the demand has no language 'fr'",
        "field": "aht_seconds.fr",
    }


def test_a_vendor_that_does_not_staff_the_language_is_refused(server, db, staffed):
    demand_id = make_demand(db, staffed.dana.user_id)

    response = server.client("pat").post(
        f"/api/v1/demands/{demand_id}/estimates", json={"vendors": {"es": ["Babel"]}}
    )

    assert response.status_code == 422
    assert response.json() == {
        "error": "vendor_not_staffing",
        "message": "vendor 'Babel' does not staff es",
        "field": "vendors.es",
    }


def test_the_demander_reads_their_demands_estimates_but_not_others(server, db, staffed):
    own = make_demand(db, staffed.dana.user_id)
    other = make_demand(db, staffed.admin.user_id, title="Someone else's")
    server.client("pat").post(f"/api/v1/demands/{own}/estimates", json={"start": START})
    dana = server.client("dana")

    mine = dana.get(f"/api/v1/demands/{own}/estimates")
    theirs = dana.get(f"/api/v1/demands/{other}/estimates")
    run = dana.post(f"/api/v1/demands/{own}/estimates", json={})
    vendor_lead = server.client("vic").get(f"/api/v1/demands/{own}/estimates")

    assert mine.status_code == 200
    assert [e["demand_id"] for e in mine.json()] == [own]
    assert theirs.status_code == 404
    assert run.status_code == 403
    assert vendor_lead.status_code == 403


def test_estimates_are_listed_newest_first(server, db, staffed):
    demand_id = make_demand(db, staffed.dana.user_id)
    pat = server.client("pat")
    first = pat.post(f"/api/v1/demands/{demand_id}/estimates", json={"overlap": 1}).json()
    second = pat.post(f"/api/v1/demands/{demand_id}/estimates", json={"overlap": 2}).json()

    listed = pat.get(f"/api/v1/demands/{demand_id}/estimates").json()

    assert [e["id"] for e in listed] == [second["id"], first["id"]]


def test_the_actual_stands_beside_the_latest_estimate_with_the_error(server, db, staffed):
    project_id = labeled_project(
        server, name="Delivered", items=3, durations_ms=[30_000] * 3, status="delivered"
    )
    demand_id = make_demand(
        db, staffed.dana.user_id, volumes=[{"language": "en", "volume": 3}], project_id=project_id
    )
    pat = server.client("pat")
    before = pat.get(f"/api/v1/demands/{demand_id}/actual")
    pat.post(f"/api/v1/demands/{demand_id}/estimates", json={"overlap": 1, "start": START})

    actual = server.client("dana").get(f"/api/v1/demands/{demand_id}/actual").json()

    assert before.json() is None
    en, total = actual["rows"]
    # 3 labels × 30 s = 0.025 h, as estimated (the default 30 s); alice is Acme's (12/h) where
    # the estimate priced Babel (9/h): the cost is a third over.
    assert (en["language"], en["labels"], en["estimated_labels"], en["labels_error_pct"]) == (
        "en",
        3,
        3,
        0.0,
    )
    assert en["labeler_hours"] == pytest.approx(0.025)
    assert en["hours_error_pct"] == pytest.approx(0.0, abs=0.5)
    assert en["cost"] == pytest.approx(0.3)
    assert en["cost_error_pct"] == pytest.approx(100 / 3, abs=1)
    assert total["language"] == "all"
    assert actual["completed_on"] == utcnow().date().isoformat()
    assert actual["estimated_p50"] is not None
    assert actual["unpriced_labels"] == 0
