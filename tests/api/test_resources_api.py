from datetime import timedelta

import pytest

from labelops import projects
from labelops.db import utcnow
from tests.evaluation_data import set_languages, staff_vendors, vendor_id
from tests.factories import SIMPLE_LABELS, jsonl


@pytest.fixture
def staffed(server, db, people):
    staff_vendors(server, db)
    return people


def running_project(server, db, *, items=20, deadline=None, name="Running"):
    pat = server.client("pat")
    project = pat.post(
        "/api/v1/projects",
        json={"name": name, "languages": ["en", "es"], "label_schema": SIMPLE_LABELS},
    ).json()
    pat.post(
        f"/api/v1/projects/{project['id']}/items",
        content=jsonl(
            [{"external_id": f"en-{n}", "text": "t", "language": "en"} for n in range(items)]
            + [{"external_id": f"es-{n}", "text": "t", "language": "es"} for n in range(4)]
        ),
    )
    if deadline is not None:
        with db.write() as session:
            session.get(projects.Project, project["id"]).deadline = deadline
    return project["id"]


def test_the_pm_sets_a_vendors_languages_and_reads_them_back(server, db, staffed):
    acme = vendor_id(db, "Acme")

    listed = server.client("pat").get(f"/api/v1/vendors/{acme}/languages")

    assert listed.status_code == 200
    assert listed.json() == {
        "vendor_id": acme,
        "vendor": "Acme",
        "languages": [
            {
                "vendor_id": acme,
                "vendor": "Acme",
                "language": "en",
                "hourly_rate": 12.0,
                "weekly_hours": 40.0,
                "label_rate": None,
            },
            {
                "vendor_id": acme,
                "vendor": "Acme",
                "language": "es",
                "hourly_rate": 15.0,
                "weekly_hours": 10.0,
                "label_rate": 0.04,
            },
        ],
    }


def test_the_full_list_replaces_the_languages(server, db, staffed):
    pat = server.client("pat")

    set_languages(pat, db, "Acme", [{"language": "AR", "hourly_rate": 20, "weekly_hours": 5}])

    body = pat.get(f"/api/v1/vendors/{vendor_id(db, 'Acme')}/languages").json()
    assert [(r["language"], r["hourly_rate"]) for r in body["languages"]] == [("ar", 20.0)]


def test_a_language_listed_twice_is_refused_by_position(server, db, staffed):
    response = server.client("pat").put(
        f"/api/v1/vendors/{vendor_id(db, 'Acme')}/languages",
        json=[
            {"language": "en", "hourly_rate": 1, "weekly_hours": 1},
            {"language": "en", "hourly_rate": 2, "weekly_hours": 2},
        ],
    )

    assert response.status_code == 422
    assert response.json()["field"] == "languages[1].language"


def test_a_vendor_lead_reads_their_own_vendor_only_and_edits_nothing(server, db, staffed):
    vic = server.client("vic")

    own = vic.get(f"/api/v1/vendors/{vendor_id(db, 'Acme')}/languages")
    other = vic.get(f"/api/v1/vendors/{vendor_id(db, 'Babel')}/languages")
    edit = vic.put(f"/api/v1/vendors/{vendor_id(db, 'Acme')}/languages", json=[])

    assert own.status_code == 200
    assert other.status_code == 404
    assert edit.status_code == 403


def test_the_pm_allocates_a_projects_items_across_vendors(server, db, staffed):
    project_id = running_project(server, db)
    pat = server.client("pat")

    response = pat.put(
        f"/api/v1/projects/{project_id}/allocations",
        json=[
            {"vendor": "Acme", "language": "en", "items": 15},
            {"vendor": "Babel", "language": "en", "items": 5},
            {"vendor": "Acme", "language": "es", "items": 4},
        ],
    )

    assert response.status_code == 200, response.text
    assert [(a["vendor"], a["language"], a["items"]) for a in response.json()] == [
        ("Acme", "en", 15),
        ("Babel", "en", 5),
        ("Acme", "es", 4),
    ]
    assert pat.get(f"/api/v1/projects/{project_id}/allocations").json() == response.json()


@pytest.mark.parametrize(
    ("allocation", "field", "code"),
    [
        (
            [{"vendor": "Babel", "language": "es", "items": 1}],
            "allocations[0].vendor",
            "vendor_not_staffing",
        ),
        (
            [{"vendor": "Nobody", "language": "en", "items": 1}],
            "allocations[0].vendor",
            "unknown_vendor",
        ),
        (
            [{"vendor": "Acme", "language": "fr", "items": 1}],
            "allocations[0].language",
            "unknown_language",
        ),
        (
            [
                {"vendor": "Acme", "language": "en", "items": 15},
                {"vendor": "Babel", "language": "en", "items": 6},
            ],
            "allocations[1].items",
            "over_allocated_items",
        ),
    ],
)
def test_a_wrong_allocation_is_refused_naming_the_field(
    server, db, staffed, allocation, field, code
):
    project_id = running_project(server, db)

    response = server.client("pat").put(
        f"/api/v1/projects/{project_id}/allocations", json=allocation
    )

    assert response.status_code == 422
    assert (response.json()["error"], response.json()["field"]) == (code, field)


def test_the_board_flags_a_vendor_over_its_capacity_with_the_projects_causing_it(
    server, db, staffed
):
    pat = server.client("pat")
    set_languages(pat, db, "Babel", [{"language": "en", "hourly_rate": 9, "weekly_hours": 0.05}])
    dated = running_project(server, db, deadline=utcnow().date() + timedelta(days=14), name="Dated")
    open_ended = running_project(server, db, name="Open-ended")
    for project_id in (dated, open_ended):
        pat.put(
            f"/api/v1/projects/{project_id}/allocations",
            json=[{"vendor": "Babel", "language": "en", "items": 20}],
        )

    board = pat.get("/api/v1/capacity").json()

    babel = next(r for r in board if r["vendor"] == "Babel")
    # 20 items × overlap 1 × 30 s default = 1/6 h: over 2 weeks, and over the 4 weeks an
    # open-ended project is spread across.
    assert [
        (p["name"], p["weeks_left"], round(p["weekly_hours"], 4)) for p in babel["projects"]
    ] == [
        ("Dated", 2.0, round(20 * 30 / 3600 / 2, 4)),
        ("Open-ended", 4.0, round(20 * 30 / 3600 / 4, 4)),
    ]
    assert babel["weekly_load"] == pytest.approx(20 * 30 / 3600 * 0.75)
    assert babel["over_allocated"] is True
    acme = [r for r in board if r["vendor"] == "Acme"]
    assert [(r["language"], r["weekly_load"], r["over_allocated"]) for r in acme] == [
        ("en", 0.0, False),
        ("es", 0.0, False),
    ]


def test_a_paused_project_does_not_load_its_vendors(server, db, staffed):
    project_id = running_project(server, db)
    pat = server.client("pat")
    pat.put(
        f"/api/v1/projects/{project_id}/allocations",
        json=[{"vendor": "Babel", "language": "en", "items": 20}],
    )
    pat.patch(f"/api/v1/projects/{project_id}", json={"status": "paused"})

    board = pat.get("/api/v1/capacity").json()

    assert next(r for r in board if r["vendor"] == "Babel")["projects"] == []


def test_a_vendor_lead_sees_only_their_vendors_rows(server, db, staffed):
    board = server.client("vic").get("/api/v1/capacity").json()

    assert {r["vendor"] for r in board} == {"Acme"}


def test_allocations_already_taken_leave_less_for_an_estimate(server, db, staffed):
    from tests.evaluation_data import make_demand

    pat = server.client("pat")
    set_languages(pat, db, "Babel", [{"language": "en", "hourly_rate": 9, "weekly_hours": 0.2}])
    busy = running_project(server, db, deadline=utcnow().date() + timedelta(days=7))
    pat.put(
        f"/api/v1/projects/{busy}/allocations",
        json=[{"vendor": "Babel", "language": "en", "items": 20}],
    )  # 1/6 h a week of Babel's 0.2
    demand_id = make_demand(
        db, staffed.dana.user_id, volumes=[{"language": "en", "volume": 10}], deadline=None
    )

    body = pat.post(f"/api/v1/demands/{demand_id}/estimates", json={"overlap": 1}).json()

    (offered_babel, offered_acme) = body["result"]["languages"][0]["vendors"]
    assert offered_babel["vendor"] == "Babel"
    assert offered_babel["weekly_hours"] == pytest.approx(0.2 - 1 / 6, abs=1e-4)
    assert offered_acme["weekly_hours"] == 40.0
