from datetime import UTC, datetime, timedelta
from typing import Any

from labelops import projects
from labelops.auth import Role
from tests.factories import SIMPLE_LABELS, jsonl, make_user

NEXT_YEAR = (datetime.now(UTC).date() + timedelta(days=365)).isoformat()
NEW_DEMAND: dict[str, Any] = {
    "title": "Arabic hate speech eval set",
    "purpose": "evaluation_set",
    "description": "A held-out set for the Q3 classifier.",
    "taxonomy_template": "ts-default",
    "volumes": [{"language": "AR", "volume": 2000}, {"language": "en", "volume": 500}],
    "deadline": NEXT_YEAR,
    "target_accuracy": 0.9,
    "target_alpha": 0.7,
    "budget": 12000,
    "severity_mix": {"S0": 0.5, "S1": 0.3, "S2": 0.2},
}


def submit(client, **overrides):
    response = client.post("/api/v1/demands", json={**NEW_DEMAND, **overrides})
    assert response.status_code == 201, response.text
    return response.json()


def move(client, demand_id, status, note=""):
    return client.post(f"/api/v1/demands/{demand_id}/status", json={"status": status, "note": note})


def test_a_demander_submits_a_demand(server, people):
    body = submit(server.client("dana"))

    assert body == {
        "id": body["id"],
        "title": "Arabic hate speech eval set",
        "purpose": "evaluation_set",
        "description": "A held-out set for the Q3 classifier.",
        "taxonomy_template": "ts-default",
        "taxonomy_notes": "",
        "volumes": [{"language": "ar", "volume": 2000}, {"language": "en", "volume": 500}],
        "total_volume": 2500,
        "deadline": NEXT_YEAR,
        "target_accuracy": 0.9,
        "target_alpha": 0.7,
        "budget": 12000.0,
        "severity_mix": {"S0": 0.5, "S1": 0.3, "S2": 0.2},
        "status": "submitted",
        "demander": "dana",
        "pm": None,
        "project_id": None,
        "decision_note": None,
        "delivery": None,
        "delivery_note": None,
        "delivery_decided_at": None,
        "created_at": body["created_at"],
        "updated_at": body["updated_at"],
        "comments": [],
        "changes": [],
    }


def test_bad_input_names_the_field(server, people):
    dana = server.client("dana")
    cases: dict[str, dict[str, Any]] = {
        "purpose": {"purpose": "fun"},
        "volumes": {"volumes": []},
        "volumes.0.volume": {"volumes": [{"language": "en", "volume": 0}]},
        "volumes.0.language": {"volumes": [{"language": "english!", "volume": 5}]},
        "deadline": {"deadline": "2001-01-01"},
        "target_accuracy": {"target_accuracy": 0},
        "target_alpha": {"target_alpha": 1.5},
        "budget": {"budget": -1},
        "severity_mix": {"severity_mix": {"S0": 0.5, "S1": 0.2}},
        "taxonomy_template": {"taxonomy_template": "no-such-thing"},
    }

    found = {
        field: dana.post("/api/v1/demands", json={**NEW_DEMAND, **change})
        for field, change in cases.items()
    }

    assert {field: (r.status_code, r.json()["field"]) for field, r in found.items()} == {
        field: (422, field) for field in cases
    }


def test_a_language_asked_twice_is_refused(server, people):
    volumes = [{"language": "en", "volume": 5}, {"language": "EN", "volume": 7}]

    response = server.client("dana").post(
        "/api/v1/demands", json={**NEW_DEMAND, "volumes": volumes}
    )

    assert response.status_code == 422
    assert response.json()["field"] == "volumes"
    assert "'en' is listed twice" in response.json()["message"]


def test_without_a_template_the_taxonomy_must_be_described(server, people):
    dana = server.client("dana")

    bare = dana.post("/api/v1/demands", json={**NEW_DEMAND, "taxonomy_template": None})
    described = dana.post(
        "/api/v1/demands",
        json={**NEW_DEMAND, "taxonomy_template": None, "taxonomy_notes": "Spam vs not spam"},
    )

    assert bare.status_code == 422
    assert bare.json() == {
        "error": "taxonomy_required",
        "message": "pick a taxonomy template or describe the taxonomy you need",
        "field": "taxonomy_notes",
    }
    assert described.status_code == 201


def test_a_demander_sees_only_their_own_demands(server, people, db):
    with db.write() as session:
        make_user(session, "dora", Role.DEMANDER)
    dana, dora = server.client("dana"), server.client("dora")
    mine = submit(dana)
    theirs = submit(dora, title="Dora's demand")

    listed = dana.get("/api/v1/demands").json()
    peeked = dana.get(f"/api/v1/demands/{theirs['id']}")
    commented = dana.post(f"/api/v1/demands/{theirs['id']}/comments", json={"body": "hi"})
    staff = server.client("pat").get("/api/v1/demands").json()

    assert [d["id"] for d in listed] == [mine["id"]]
    assert peeked.status_code == 404
    assert commented.status_code == 404
    assert [d["id"] for d in staff] == [theirs["id"], mine["id"]]


def test_vendor_leads_reviewers_and_labelers_may_not_see_demands(server, people):
    demand = submit(server.client("dana"))

    codes = {
        who: (
            server.client(who).get("/api/v1/demands").status_code,
            server.client(who).get(f"/api/v1/demands/{demand['id']}").status_code,
        )
        for who in ("vic", "rita", "alice")
    }

    assert codes == {"vic": (403, 403), "rita": (403, 403), "alice": (403, 403)}


def test_the_list_filters_by_status(server, people):
    dana, pat = server.client("dana"), server.client("pat")
    first = submit(dana)
    second = submit(dana, title="Second")
    move(pat, second["id"], "evaluating")

    evaluating = pat.get("/api/v1/demands?status=evaluating").json()
    submitted = pat.get("/api/v1/demands?status=submitted").json()

    assert [d["id"] for d in evaluating] == [second["id"]]
    assert [d["id"] for d in submitted] == [first["id"]]


def test_each_spec_change_is_recorded_with_who_and_old_and_new(server, people):
    dana, pat = server.client("dana"), server.client("pat")
    demand = submit(dana)

    first = dana.patch(
        f"/api/v1/demands/{demand['id']}",
        json={"budget": 15000, "volumes": [{"language": "ar", "volume": 3000}]},
    )
    second = pat.patch(f"/api/v1/demands/{demand['id']}", json={"target_alpha": None})

    assert first.status_code == 200
    changes = [
        {k: c[k] for k in ("actor", "field", "old", "new")} for c in second.json()["changes"]
    ]
    assert changes == [
        {
            "actor": "dana",
            "field": "volumes",
            "old": [{"language": "ar", "volume": 2000}, {"language": "en", "volume": 500}],
            "new": [{"language": "ar", "volume": 3000}],
        },
        {"actor": "dana", "field": "budget", "old": 12000.0, "new": 15000.0},
        {"actor": "pat", "field": "target_alpha", "old": 0.7, "new": None},
    ]
    assert second.json()["target_alpha"] is None
    assert second.json()["total_volume"] == 3000


def test_a_patch_that_changes_nothing_records_nothing(server, people):
    dana = server.client("dana")
    demand = submit(dana)

    response = dana.patch(f"/api/v1/demands/{demand['id']}", json={"budget": 12000})

    assert response.json()["changes"] == []


def test_editing_an_accepted_demand_sends_it_back_to_evaluating(server, people):
    dana, pat = server.client("dana"), server.client("pat")
    demand = submit(dana)
    move(pat, demand["id"], "evaluating")
    move(pat, demand["id"], "accepted", "Agreed at 12k.")

    by_demander = dana.patch(f"/api/v1/demands/{demand['id']}", json={"budget": 9000})
    by_pm = pat.patch(f"/api/v1/demands/{demand['id']}", json={"budget": 11000})

    assert by_demander.status_code == 409
    assert by_demander.json()["error"] == "demand_closed"
    assert by_pm.status_code == 200
    assert by_pm.json()["status"] == "evaluating"
    assert [(c["field"], c["old"], c["new"]) for c in by_pm.json()["changes"]][-2:] == [
        ("budget", 12000.0, 11000.0),
        ("status", "accepted", "evaluating"),
    ]


def test_the_thread_carries_both_sides(server, people):
    dana, pat = server.client("dana"), server.client("pat")
    demand = submit(dana)

    asked = dana.post(f"/api/v1/demands/{demand['id']}/comments", json={"body": "  Can we? "})
    answered = pat.post(f"/api/v1/demands/{demand['id']}/comments", json={"body": "Yes."})
    empty = pat.post(f"/api/v1/demands/{demand['id']}/comments", json={"body": "   "})
    too_long = pat.post(f"/api/v1/demands/{demand['id']}/comments", json={"body": "x" * 5001})
    thread = dana.get(f"/api/v1/demands/{demand['id']}").json()["comments"]

    assert asked.status_code == answered.status_code == 201
    assert asked.json() == {
        "id": asked.json()["id"],
        "author": "dana",
        "author_role": "demander",
        "body": "Can we?",
        "created_at": asked.json()["created_at"],
    }
    assert (empty.status_code, empty.json()["field"]) == (422, "body")
    assert (too_long.status_code, too_long.json()["field"]) == (422, "body")
    assert [(c["author"], c["body"]) for c in thread] == [("dana", "Can we?"), ("pat", "Yes.")]


def test_a_pm_takes_a_demand_and_accepts_it(server, people):
    dana, pat = server.client("dana"), server.client("pat")
    demand = submit(dana)

    evaluating = move(pat, demand["id"], "evaluating")
    accepted = move(pat, demand["id"], "accepted", "Fine at 12k.")

    assert evaluating.json()["status"] == "evaluating"
    assert evaluating.json()["pm"] == "pat"
    body = accepted.json()
    assert (body["status"], body["decision_note"]) == ("accepted", "Fine at 12k.")
    assert [(c["actor"], c["field"], c["old"], c["new"]) for c in body["changes"]] == [
        ("pat", "status", "submitted", "evaluating"),
        ("pat", "status", "evaluating", "accepted"),
    ]


def test_the_lifecycle_refuses_moves_outside_its_graph(server, people):
    dana, pat = server.client("dana"), server.client("pat")
    demand = submit(dana)

    skipped = move(pat, demand["id"], "accepted")
    converted = move(pat, demand["id"], "converted")
    demander_accepts = move(dana, demand["id"], "evaluating")
    pm_withdraws = move(pat, demand["id"], "withdrawn")
    withdrawn = move(dana, demand["id"], "withdrawn", "No longer needed.")
    revived = move(pat, demand["id"], "evaluating")

    assert (skipped.status_code, skipped.json()["error"]) == (409, "invalid_transition")
    assert (converted.status_code, converted.json()["field"]) == (422, "status")
    assert demander_accepts.status_code == 403
    assert pm_withdraws.status_code == 403
    assert withdrawn.json()["status"] == "withdrawn"
    assert (revived.status_code, revived.json()["error"]) == (409, "invalid_transition")


def test_rejecting_needs_a_note(server, people):
    dana, pat = server.client("dana"), server.client("pat")
    demand = submit(dana)

    bare = move(pat, demand["id"], "rejected")
    explained = move(pat, demand["id"], "rejected", "No Arabic capacity before Q4.")

    assert (bare.status_code, bare.json()["field"]) == (422, "note")
    assert explained.json()["status"] == "rejected"
    assert explained.json()["decision_note"] == "No Arabic capacity before Q4."


def accepted_demand(server, **overrides):
    dana, pat = server.client("dana"), server.client("pat")
    demand = submit(dana, **overrides)
    move(pat, demand["id"], "evaluating")
    move(pat, demand["id"], "accepted", "ok")
    return demand["id"]


def test_converting_an_accepted_demand_creates_its_project(server, people):
    demand_id = accepted_demand(server)
    pat, dana = server.client("pat"), server.client("dana")

    response = pat.post(f"/api/v1/demands/{demand_id}/convert", json={"overlap": 3})

    assert response.status_code == 201, response.text
    project, demand = response.json()["project"], response.json()["demand"]
    assert {k: project[k] for k in ("name", "languages", "deadline", "quality_target")} == {
        "name": "Arabic hate speech eval set",
        "languages": ["ar", "en"],
        "deadline": NEXT_YEAR,
        "quality_target": 0.9,
    }
    assert (project["demander"], project["status"], project["overlap"]) == ("dana", "approved", 3)
    assert project["label_schema"]["labels"][0]["key"] == "hate"
    assert (demand["status"], demand["project_id"]) == ("converted", project["id"])
    assert dana.get(f"/api/v1/projects/{project['id']}").status_code == 200


def test_only_an_accepted_demand_is_converted_and_only_once(server, people, db):
    dana, pat = server.client("dana"), server.client("pat")
    waiting = submit(dana)
    demand_id = accepted_demand(server)

    early = pat.post(f"/api/v1/demands/{waiting['id']}/convert", json={})
    first = pat.post(f"/api/v1/demands/{demand_id}/convert", json={})
    again = pat.post(f"/api/v1/demands/{demand_id}/convert", json={})
    by_demander = dana.post(f"/api/v1/demands/{demand_id}/convert", json={})

    assert early.status_code == 409
    assert first.status_code == 201
    assert again.status_code == 409
    assert by_demander.status_code == 403
    with db.read() as session:
        assert session.query(projects.Project).count() == 1


def test_a_failed_conversion_leaves_neither_project_nor_status_change(server, people, db):
    demand_id = accepted_demand(server, taxonomy_template=None, taxonomy_notes="Spam or not")
    pat = server.client("pat")

    without_schema = pat.post(f"/api/v1/demands/{demand_id}/convert", json={})
    unknown_vendor = pat.post(
        f"/api/v1/demands/{demand_id}/convert",
        json={"label_schema": SIMPLE_LABELS, "vendors": ["Nobody Inc"]},
    )
    state = pat.get(f"/api/v1/demands/{demand_id}").json()

    assert (without_schema.status_code, without_schema.json()["field"]) == (422, "label_schema")
    assert (unknown_vendor.status_code, unknown_vendor.json()["field"]) == (422, "vendors")
    assert (state["status"], state["project_id"]) == ("accepted", None)
    with db.read() as session:
        assert session.query(projects.Project).count() == 0


def delivered_project(server, db):
    """A converted demand whose project (en: 2 items done of 500 asked, ar: none) is delivered."""
    demand_id = accepted_demand(server)
    pat = server.client("pat")
    project_id = pat.post(
        f"/api/v1/demands/{demand_id}/convert",
        json={"label_schema": SIMPLE_LABELS, "status": "running"},
    ).json()["project"]["id"]
    pat.post(
        f"/api/v1/projects/{project_id}/items",
        content=jsonl([{"external_id": f"e{n}", "text": "t", "language": "en"} for n in range(3)]),
    )
    alice = server.client("alice")
    for _ in range(2):
        lease = alice.get(f"/api/v1/projects/{project_id}/next").json()
        alice.post(
            f"/api/v1/assignments/{lease['assignment_id']}/submit",
            json={"labels": ["ok"], "duration_ms": 500},
        )
    return demand_id, project_id


def test_the_delivery_is_shown_against_the_spec(server, people, db):
    demand_id, project_id = delivered_project(server, db)
    pat, dana = server.client("pat"), server.client("dana")
    before = dana.get(f"/api/v1/demands/{demand_id}/delivery").json()
    pat.patch(f"/api/v1/projects/{project_id}", json={"status": "delivered"})

    report = dana.get(f"/api/v1/demands/{demand_id}/delivery").json()

    assert before["can_decide"] is False
    assert before["delivered_at"] is None
    assert report == {
        "demand_id": demand_id,
        "project_id": project_id,
        "project_status": "delivered",
        "languages": [
            {"language": "ar", "asked": 2000, "imported": 0, "done": 0},
            {"language": "en", "asked": 500, "imported": 3, "done": 2},
        ],
        "deadline": NEXT_YEAR,
        "delivered_at": report["delivered_at"],
        "on_time": True,
        "target_accuracy": 0.9,
        "measured_accuracy": None,
        "accuracy_interval": None,
        "accepted_audits": 0,
        "meets_accuracy": None,
        "target_alpha": 0.7,
        "measured_alpha": None,
        "meets_alpha": None,
        "can_decide": True,
        "delivery": None,
        "delivery_note": None,
        "delivery_decided_at": None,
    }
    assert report["delivered_at"] is not None


def test_a_demand_not_yet_converted_has_no_delivery(server, people):
    demand = submit(server.client("dana"))

    response = server.client("dana").get(f"/api/v1/demands/{demand['id']}/delivery")

    assert (response.status_code, response.json()) == (200, None)


def test_the_demander_rejects_then_accepts_the_delivery(server, people, db):
    demand_id, project_id = delivered_project(server, db)
    pat, dana = server.client("pat"), server.client("dana")
    too_early = dana.post(f"/api/v1/demands/{demand_id}/delivery", json={"decision": "accept"})
    pat.patch(f"/api/v1/projects/{project_id}", json={"status": "delivered"})

    by_pm = pat.post(f"/api/v1/demands/{demand_id}/delivery", json={"decision": "accept"})
    unexplained = dana.post(f"/api/v1/demands/{demand_id}/delivery", json={"decision": "reject"})
    rejected = dana.post(
        f"/api/v1/demands/{demand_id}/delivery",
        json={"decision": "reject", "note": "Arabic is missing."},
    )
    accepted = dana.post(f"/api/v1/demands/{demand_id}/delivery", json={"decision": "accept"})
    twice = dana.post(
        f"/api/v1/demands/{demand_id}/delivery", json={"decision": "reject", "note": "x"}
    )

    assert (too_early.status_code, too_early.json()["error"]) == (409, "project_not_delivered")
    assert by_pm.status_code == 403
    assert (unexplained.status_code, unexplained.json()["field"]) == (422, "note")
    assert (rejected.json()["delivery"], rejected.json()["delivery_note"]) == (
        "rejected",
        "Arabic is missing.",
    )
    assert accepted.json()["delivery"] == "accepted"
    assert accepted.json()["can_decide"] is False
    assert twice.status_code == 409
    history = dana.get(f"/api/v1/demands/{demand_id}").json()["changes"]
    assert [(c["field"], c["old"], c["new"]) for c in history if c["field"] == "delivery"] == [
        ("delivery", None, "rejected"),
        ("delivery", "rejected", "accepted"),
    ]


def test_every_state_change_leaves_an_audit_row(server, people, db):
    from labelops.audit import AuditEvent

    demand_id = accepted_demand(server)
    pat = server.client("pat")
    pat.post(f"/api/v1/demands/{demand_id}/comments", json={"body": "Starting."})
    pat.post(f"/api/v1/demands/{demand_id}/convert", json={})

    with db.read() as session:
        actions = [
            (e.actor_name, e.action)
            for e in session.query(AuditEvent)
            .filter(AuditEvent.object_type == "demand")
            .order_by(AuditEvent.id)
        ]

    assert actions == [
        ("dana", "demand.submitted"),
        ("pat", "demand.evaluating"),
        ("pat", "demand.accepted"),
        ("pat", "demand.commented"),
        ("pat", "demand.converted"),
    ]
