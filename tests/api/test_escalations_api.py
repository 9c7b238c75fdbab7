"""Dynamic overlap over HTTP: agreement stops an item at the minimum, doubt brings labelers up to
the maximum and then a reviewer decides."""

import json

from tests.factories import SIMPLE_LABELS, jsonl
from tests.invariants import queue_violations


def dynamic_project(server, *, items=1):
    pat = server.client("pat")
    project = pat.post(
        "/api/v1/projects",
        json={
            "name": "Dynamic",
            "languages": ["en"],
            "label_schema": SIMPLE_LABELS,
            "vendors": ["Acme", "Babel"],
            "overlap": 2,
            "max_overlap": 3,
            "target_confidence": 0.9,
        },
    ).json()
    rows = [{"external_id": f"e{i}", "text": f"text {i}"} for i in range(items)]
    pat.post(f"/api/v1/projects/{project['id']}/items", content=jsonl(rows))
    return project["id"]


def label(client, project_id, labels):
    lease = client.get(f"/api/v1/projects/{project_id}/next")
    assert lease.status_code == 200, lease.text
    submitted = client.post(
        f"/api/v1/assignments/{lease.json()['assignment_id']}/submit",
        json={"labels": labels, "duration_ms": 900},
    )
    assert submitted.status_code == 201, submitted.text
    return lease.json()["item"]


def without_times(escalation):
    kept = {k: v for k, v in escalation.items() if k not in ("created_at", "resolved_at")}
    kept["answers"] = [
        {k: v for k, v in a.items() if k not in ("submitted_at", "labeler_id")}
        for a in escalation["answers"]
    ]
    return kept


def test_agreeing_labelers_stop_the_item_at_the_minimum(server, people, db):
    project_id = dynamic_project(server)
    label(server.client("alice"), project_id, ["ok"])
    label(server.client("bruno"), project_id, ["ok"])

    third = server.client("amir").get(f"/api/v1/projects/{project_id}/next")

    assert third.status_code == 204
    with db.read() as session:
        assert queue_violations(session, project_id) == []


def test_doubt_brings_labelers_up_to_the_maximum_then_a_reviewer(server, people, db):
    project_id = dynamic_project(server)
    item = label(server.client("alice"), project_id, ["ok"])
    label(server.client("bruno"), project_id, ["abuse.insult"])
    label(server.client("amir"), project_id, ["ok"])
    rita = server.client("rita")

    listed = rita.get(f"/api/v1/projects/{project_id}/escalations")

    assert listed.status_code == 200
    [escalation] = listed.json()
    assert 0.5 < escalation["confidence"] < 0.9
    assert without_times(escalation) == {
        "id": escalation["id"],
        "item_id": item["id"],
        "external_id": "e0",
        "text": "text 0",
        "language": "en",
        "reason": "low_confidence",
        "labels": ["ok"],
        "confidence": escalation["confidence"],
        "answers": [
            {"username": "alice", "labels": ["ok"]},
            {"username": "bruno", "labels": ["abuse.insult"]},
            {"username": "amir", "labels": ["ok"]},
        ],
        "resolved_by": None,
        "resolved_labels": None,
        "note": None,
    }
    with db.read() as session:
        assert queue_violations(session, project_id) == []


def test_a_reviewer_resolves_an_escalation_once(server, people):
    project_id = dynamic_project(server)
    label(server.client("alice"), project_id, ["ok"])
    label(server.client("bruno"), project_id, ["abuse.insult"])
    label(server.client("amir"), project_id, ["ok"])
    rita = server.client("rita")
    [escalation] = rita.get(f"/api/v1/projects/{project_id}/escalations").json()
    url = f"/api/v1/projects/{project_id}/escalations/{escalation['id']}/resolve"

    resolved = rita.post(url, json={"labels": ["abuse.insult"], "note": "An insult in jest."})
    again = rita.post(url, json={"labels": ["ok"]})

    assert resolved.status_code == 200
    assert resolved.json()["resolved_by"] == "rita"
    assert resolved.json()["resolved_labels"] == ["abuse.insult"]
    assert resolved.json()["note"] == "An insult in jest."
    assert again.status_code == 409
    assert again.json()["error"] == "escalation_resolved"
    assert rita.get(f"/api/v1/projects/{project_id}/escalations").json() == []
    done = rita.get(f"/api/v1/projects/{project_id}/escalations?resolved=true").json()
    assert [e["id"] for e in done] == [escalation["id"]]


def test_resolving_with_an_unknown_label_names_the_label(server, people):
    project_id = dynamic_project(server)
    for name, labels in (("alice", ["ok"]), ("bruno", ["abuse.insult"]), ("amir", ["ok"])):
        label(server.client(name), project_id, labels)
    rita = server.client("rita")
    [escalation] = rita.get(f"/api/v1/projects/{project_id}/escalations").json()

    response = rita.post(
        f"/api/v1/projects/{project_id}/escalations/{escalation['id']}/resolve",
        json={"labels": ["nonsense"]},
    )

    assert response.status_code == 422
    assert response.json()["error"] == "unknown_label"
    assert "nonsense" in response.json()["message"]


def test_labelers_cannot_resolve_escalations(server, people):
    project_id = dynamic_project(server)
    for name, labels in (("alice", ["ok"]), ("bruno", ["abuse.insult"]), ("amir", ["ok"])):
        label(server.client(name), project_id, labels)
    [escalation] = server.client("pat").get(f"/api/v1/projects/{project_id}/escalations").json()

    response = server.client("alice").post(
        f"/api/v1/projects/{project_id}/escalations/{escalation['id']}/resolve",
        json={"labels": ["ok"]},
    )

    assert response.status_code == 403


def test_an_escalation_of_another_project_is_not_found(server, people):
    project_id = dynamic_project(server)
    other = dynamic_project(server)
    for name, labels in (("alice", ["ok"]), ("bruno", ["abuse.insult"]), ("amir", ["ok"])):
        label(server.client(name), project_id, labels)
    rita = server.client("rita")
    [escalation] = rita.get(f"/api/v1/projects/{project_id}/escalations").json()

    response = rita.post(
        f"/api/v1/projects/{other}/escalations/{escalation['id']}/resolve",
        json={"labels": ["ok"]},
    )

    assert response.status_code == 404
    assert response.json()["error"] == "escalation_not_found"


def exported(server, project_id, **params):
    response = server.client("pat").get(f"/api/v1/projects/{project_id}/export", params=params)
    assert response.status_code == 200, response.text
    return {row["external_id"]: row for row in map(json.loads, response.text.splitlines())}


def test_the_export_gives_a_reviewers_decision_as_the_final_label(server, people):
    project_id = dynamic_project(server, items=2)
    answers = (("alice", ["ok"]), ("bruno", ["abuse.insult"]), ("amir", ["ok"]))
    for name, labels in answers:
        label(server.client(name), project_id, labels)
    rita = server.client("rita")
    [escalation] = rita.get(f"/api/v1/projects/{project_id}/escalations").json()
    rita.post(
        f"/api/v1/projects/{project_id}/escalations/{escalation['id']}/resolve",
        json={"labels": ["abuse.insult"]},
    )
    label(server.client("alice"), project_id, ["ok"])
    label(server.client("bruno"), project_id, ["ok"])

    by_majority = exported(server, project_id)
    by_ds = exported(server, project_id, method="ds")

    e0 = "e0" if by_majority["e0"]["annotations"] == 3 else "e1"
    e1 = "e1" if e0 == "e0" else "e0"
    assert (by_majority[e0]["label"], by_majority[e0]["final_label"]) == ("ok", "abuse.insult")
    assert by_majority[e0]["final_source"] == "escalation"
    assert (by_majority[e1]["final_label"], by_majority[e1]["final_source"]) == ("ok", "majority")
    assert by_ds[e0]["final_label"] == "abuse.insult"
    assert (by_ds[e1]["final_label"], by_ds[e1]["final_source"]) == ("ok", "ds")
