"""Audits over real HTTP: plan, draw, review, decide; who may do what; bad input named."""

from __future__ import annotations

import json

import pytest

from labelops.quality.sampling import sample_size
from tests.factories import SIMPLE_LABELS, jsonl


def make_lot(server, *, items=24, quality_target=0.9):
    """A project whose `items` English items were each labeled once by alice: every third
    one an insult, the rest fine."""
    pat = server.client("pat")
    project = pat.post(
        "/api/v1/projects",
        json={
            "name": "Audited",
            "languages": ["en"],
            "label_schema": SIMPLE_LABELS,
            "vendors": ["Acme"],
            "quality_target": quality_target,
        },
    ).json()
    imported = pat.post(
        f"/api/v1/projects/{project['id']}/items",
        content=jsonl([{"external_id": f"t{i}", "text": f"text {i}"} for i in range(items)]),
    ).json()
    alice = server.client("alice")
    while (lease := alice.get(f"/api/v1/projects/{project['id']}/next")).status_code == 200:
        item = lease.json()["item"]
        labels = ["abuse.insult"] if int(item["external_id"][1:]) % 3 == 0 else ["ok"]
        submitted = alice.post(
            f"/api/v1/assignments/{lease.json()['assignment_id']}/submit",
            json={"labels": labels, "duration_ms": 800},
        )
        assert submitted.status_code == 201, submitted.text
    return project["id"], imported["batch_id"]


def start(server, project_id, **body):
    response = server.client("pat").post(
        f"/api/v1/projects/{project_id}/audits",
        json={"margin": 0.1, "expected_accuracy": 0.9, "seed": 3, **body},
    )
    assert response.status_code == 201, response.text
    return response.json()


def judge(client, audit, *, wrong=0):
    for n, item in enumerate(audit["items"]):
        body = (
            {"verdict": "incorrect", "labels": ["abuse.threat"], "note": "A threat, not an insult"}
            if n < wrong
            else {"verdict": "correct"}
        )
        response = client.post(
            f"/api/v1/audits/{audit['id']}/items/{item['id']}/verdict", json=body
        )
        assert response.status_code == 200, response.text


def test_the_plan_tells_the_sample_size_before_drawing(server, people):
    project_id, batch_id = make_lot(server)

    response = server.client("pat").get(
        f"/api/v1/projects/{project_id}/audit-plan",
        params={"margin": 0.05, "expected_accuracy": 0.95, "batch_id": batch_id},
    )

    n = sample_size(0.05, 0.95, population=24)
    insults = round(n * 8 / 24)
    assert response.status_code == 200
    assert response.json() == {
        "batch_id": batch_id,
        "margin": 0.05,
        "expected_accuracy": 0.95,
        "population": 24,
        "sample_size": n,
        "strata": [
            {
                "key": "en/abuse.insult",
                "language": "en",
                "label": "abuse.insult",
                "population": 8,
                "sample": insults,
                "reviewed": 0,
                "correct": 0,
                "accuracy": None,
            },
            {
                "key": "en/ok",
                "language": "en",
                "label": "ok",
                "population": 16,
                "sample": n - insults,
                "reviewed": 0,
                "correct": 0,
                "accuracy": None,
            },
        ],
    }


def test_a_pm_starts_an_audit_of_a_batch(server, people):
    project_id, batch_id = make_lot(server)

    audit = start(server, project_id, batch_id=batch_id, name="Week 1")

    n = sample_size(0.1, 0.9, population=24)
    assert {k: audit[k] for k in ("name", "status", "batch_id", "population", "sample_size")} == {
        "name": "Week 1",
        "status": "open",
        "batch_id": batch_id,
        "population": 24,
        "sample_size": n,
    }
    assert audit["estimate"] == {
        "accuracy": None,
        "interval": None,
        "reviewed": 0,
        "correct": 0,
        "quality_target": 0.9,
        "meets_target": None,
        "conclusive": None,
    }
    assert len(audit["items"]) == n
    assert {item["stratum"] for item in audit["items"]} == {"en/abuse.insult", "en/ok"}
    assert all(item["text"].startswith("text ") for item in audit["items"])


def test_a_reviewer_marks_an_item_incorrect_with_the_right_label(server, people):
    project_id, _ = make_lot(server)
    audit = start(server, project_id)
    item = audit["items"][0]

    response = server.client("rita").post(
        f"/api/v1/audits/{audit['id']}/items/{item['id']}/verdict",
        json={"verdict": "incorrect", "labels": ["abuse.threat"], "note": "Threatens"},
    )

    body = response.json()
    assert response.status_code == 200
    assert body.pop("reviewed_at") is not None
    assert body == {
        "id": item["id"],
        "item_id": item["item_id"],
        "external_id": item["external_id"],
        "text": item["text"],
        "language": "en",
        "stratum": item["stratum"],
        "final_labels": item["final_labels"],
        "verdict": "incorrect",
        "corrected_labels": ["abuse.threat"],
        "note": "Threatens",
        "reviewer": "rita",
    }


def test_the_export_gives_an_audit_correction_as_the_final_label(server, people):
    project_id, _ = make_lot(server)
    audit = start(server, project_id)
    wrong, right = audit["items"][0], audit["items"][1]
    judge(server.client("rita"), {"id": audit["id"], "items": [wrong, right]}, wrong=1)

    response = server.client("pat").get(f"/api/v1/projects/{project_id}/export")

    rows = {row["item_id"]: row for row in map(json.loads, response.text.splitlines())}
    assert (rows[wrong["item_id"]]["final_label"], rows[wrong["item_id"]]["final_source"]) == (
        "abuse.threat",
        "audit",
    )
    assert rows[right["item_id"]]["final_label"] == rows[right["item_id"]]["label"]
    assert rows[right["item_id"]]["final_source"] == "audit"
    unreviewed = set(rows) - {wrong["item_id"], right["item_id"]}
    assert {rows[i]["final_source"] for i in unreviewed} == {"majority"}


def test_the_estimate_follows_the_verdicts_and_the_pm_accepts(server, people):
    project_id, _ = make_lot(server)
    audit = start(server, project_id)
    judge(server.client("rita"), audit, wrong=1)
    pat = server.client("pat")

    decided = pat.post(
        f"/api/v1/audits/{audit['id']}/decision", json={"decision": "accept", "note": "Fine."}
    )
    listed = pat.get(f"/api/v1/projects/{project_id}/audits").json()

    body = decided.json()
    n = audit["sample_size"]
    assert decided.status_code == 200, decided.text
    assert (body["status"], body["decided_by"], body["decision_note"]) == (
        "accepted",
        "pat",
        "Fine.",
    )
    assert (body["estimate"]["reviewed"], body["estimate"]["correct"]) == (n, n - 1)
    low, high = body["estimate"]["interval"]
    assert low < body["estimate"]["accuracy"] < high
    assert body["estimate"]["meets_target"] is True
    assert [a["id"] for a in listed] == [audit["id"]]
    assert listed[0]["status"] == "accepted"


def test_accepting_below_the_target_is_refused(server, people):
    project_id, _ = make_lot(server, quality_target=0.99)
    audit = start(server, project_id)
    judge(server.client("rita"), audit, wrong=3)

    response = server.client("pat").post(
        f"/api/v1/audits/{audit['id']}/decision", json={"decision": "accept"}
    )

    assert response.status_code == 409
    assert response.json()["error"] == "below_target"


def test_accepting_before_every_item_is_reviewed_is_refused(server, people):
    project_id, _ = make_lot(server)
    audit = start(server, project_id)

    response = server.client("pat").post(
        f"/api/v1/audits/{audit['id']}/decision", json={"decision": "accept"}
    )

    assert response.status_code == 409
    assert response.json()["error"] == "audit_incomplete"


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"verdict": "incorrect"}, "labels", "labels_required"),
        ({"verdict": "incorrect", "labels": ["nope"]}, "labels", "unknown_label"),
        ({"verdict": "maybe"}, "verdict", "invalid_request"),
    ],
)
def test_a_bad_verdict_names_its_field(server, people, body, field, code):
    project_id, _ = make_lot(server, items=6)
    audit = start(server, project_id)

    response = server.client("rita").post(
        f"/api/v1/audits/{audit['id']}/items/{audit['items'][0]['id']}/verdict", json=body
    )

    assert response.status_code == 422
    assert (response.json()["error"], response.json()["field"]) == (code, field)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"margin": 0}, "margin"),
        ({"expected_accuracy": 1.5}, "expected_accuracy"),
        ({"batch_id": 999_999}, "batch_id"),
    ],
)
def test_a_bad_audit_request_names_its_field(server, people, body, field):
    project_id, _ = make_lot(server, items=6)

    response = server.client("pat").post(f"/api/v1/projects/{project_id}/audits", json=body)

    assert response.status_code == 422
    assert response.json()["field"] == field


def test_who_may_see_review_and_decide(server, people):
    project_id, _ = make_lot(server, items=6)
    audit = start(server, project_id)
    item_url = f"/api/v1/audits/{audit['id']}/items/{audit['items'][0]['id']}/verdict"
    status = {}

    for who in ("admin", "pat", "rita", "vic", "dana", "alice"):
        client = server.client(who)
        status[who] = (
            client.get(f"/api/v1/audits/{audit['id']}").status_code,
            client.get(f"/api/v1/projects/{project_id}/audits").status_code,
            client.post(item_url, json={"verdict": "correct"}).status_code,
            client.post(f"/api/v1/projects/{project_id}/audits", json={}).status_code,
        )
    decision = server.client("rita").post(
        f"/api/v1/audits/{audit['id']}/decision", json={"decision": "reject"}
    )

    assert status == {
        "admin": (200, 200, 200, 201),
        "pat": (200, 200, 200, 201),
        "rita": (200, 200, 200, 403),
        "vic": (403, 403, 403, 403),
        "dana": (403, 403, 403, 403),
        "alice": (403, 403, 403, 403),
    }
    assert decision.status_code == 403


def test_an_unknown_audit_is_404(server, people):
    response = server.client("rita").get("/api/v1/audits/424242")

    assert response.status_code == 404
    assert response.json()["error"] == "audit_not_found"


def test_a_reviewer_lists_the_open_audits(server, people):
    project_id, _ = make_lot(server, items=6)
    audit = start(server, project_id, name="Needs eyes")

    response = server.client("rita").get("/api/v1/audits")

    assert [(a["id"], a["name"], a["project_name"]) for a in response.json()] == [
        (audit["id"], "Needs eyes", "Audited")
    ]
