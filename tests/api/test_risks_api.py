"""The risk register and the inbox over HTTP: listing, manual risks, the PM's transitions,
vendor isolation, scans, notifications; errors name the field."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine

from labelops import analytics, quality
from tests.factories import SIMPLE_LABELS

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def project(server, people):
    pat = server.client("pat")
    created = pat.post(
        "/api/v1/projects",
        json={
            "name": "Risky",
            "languages": ["en"],
            "label_schema": SIMPLE_LABELS,
            "vendors": ["Acme", "Babel"],
            "demander": "dana",
        },
    )
    assert created.status_code == 201, created.text
    return created.json()["id"]


def raise_risk(db, project_id, labeler=None, *, kind="labeler_too_fast", subject=None):
    with time_machine.travel(T0, tick=False), db.write() as session:
        return analytics.record_risk(
            session,
            project_id=project_id,
            kind=kind,
            subject=subject or f"labeler:{labeler.user_id}",
            severity="high",
            title="alice labels 8.0× faster than peers on the same items",
            evidence={"shared_items": 40, "ratio": 0.125},
            labeler_id=labeler.user_id if labeler else None,
            vendor_id=labeler.vendor_id if labeler else None,
        ).id


def test_the_register_lists_a_risk_with_its_evidence(server, db, people, project):
    risk_id = raise_risk(db, project, people.alice)

    response = server.client("pat").get(f"/api/v1/projects/{project}/risks")

    assert response.status_code == 200
    assert response.json() == [
        {
            "id": risk_id,
            "project_id": project,
            "kind": "labeler_too_fast",
            "subject": f"labeler:{people.alice.user_id}",
            "severity": "high",
            "title": "alice labels 8.0× faster than peers on the same items",
            "evidence": {"shared_items": 40, "ratio": 0.125},
            "status": "open",
            "labeler_id": people.alice.user_id,
            "labeler": "alice",
            "vendor_id": people.alice.vendor_id,
            "vendor": "Acme",
            "assignee": None,
            "created_by": None,
            "created_at": "2026-03-02T09:00:00Z",
            "last_seen_at": "2026-03-02T09:00:00Z",
            "acknowledged_by": None,
            "acknowledged_at": None,
            "resolved_by": None,
            "resolved_at": None,
            "resolution_note": None,
        }
    ]


def test_acknowledge_assign_resolve_and_reopen(server, db, people, project):
    risk_id = raise_risk(db, project, people.alice)
    pat = server.client("pat")

    acknowledged = pat.post(f"/api/v1/risks/{risk_id}/acknowledge")
    assigned = pat.post(f"/api/v1/risks/{risk_id}/assign", json={"assignee": "vic"})
    resolved = server.client("vic").post(
        f"/api/v1/risks/{risk_id}/resolve", json={"note": "alice was retrained"}
    )
    reopened = pat.post(f"/api/v1/risks/{risk_id}/reopen", json={"note": "again"})

    assert [r.status_code for r in (acknowledged, assigned, resolved, reopened)] == [200] * 4
    assert (acknowledged.json()["status"], acknowledged.json()["acknowledged_by"]) == (
        "acknowledged",
        "pat",
    )
    assert assigned.json()["assignee"] == "vic"
    assert (resolved.json()["status"], resolved.json()["resolution_note"]) == (
        "resolved",
        "alice was retrained",
    )
    assert reopened.json()["status"] == "open"


def test_resolving_without_a_note_is_refused_naming_the_field(server, db, people, project):
    risk_id = raise_risk(db, project, people.alice)

    response = server.client("pat").post(f"/api/v1/risks/{risk_id}/resolve", json={"note": ""})

    assert response.status_code == 422
    assert response.json() == {
        "error": "no_note",
        "message": "say what was done about the risk",
        "field": "note",
    }


def test_assigning_to_someone_who_cannot_take_it_names_the_field(server, db, people, project):
    risk_id = raise_risk(db, project, people.bruno)  # Babel: vic (Acme) cannot take it

    response = server.client("pat").post(
        f"/api/v1/risks/{risk_id}/assign", json={"assignee": "vic"}
    )

    assert response.status_code == 422
    assert (response.json()["error"], response.json()["field"]) == ("invalid_assignee", "assignee")


def test_acknowledging_twice_is_a_conflict(server, db, people, project):
    risk_id = raise_risk(db, project, people.alice)
    pat = server.client("pat")
    pat.post(f"/api/v1/risks/{risk_id}/acknowledge")

    response = pat.post(f"/api/v1/risks/{risk_id}/acknowledge")

    assert response.status_code == 409
    assert response.json()["error"] == "risk_not_open"


def test_a_vendor_lead_sees_and_reaches_only_their_vendors_risks(server, db, people, project):
    about_alice = raise_risk(db, project, people.alice)
    about_bruno = raise_risk(db, project, people.bruno)
    vic = server.client("vic")

    listed = vic.get(f"/api/v1/projects/{project}/risks")
    other = vic.post(f"/api/v1/risks/{about_bruno}/resolve", json={"note": "x"})
    own_unassigned = vic.post(f"/api/v1/risks/{about_alice}/acknowledge")

    assert [r["id"] for r in listed.json()] == [about_alice]
    assert other.status_code == 404
    assert own_unassigned.status_code == 403


def test_a_demander_sees_project_level_risks_only(server, db, people, project):
    raise_risk(db, project, people.alice)
    project_level = raise_risk(db, project, kind="quality_below_target", subject="gold")

    listed = server.client("dana").get(f"/api/v1/projects/{project}/risks")

    assert [r["id"] for r in listed.json()] == [project_level]


def test_a_pm_adds_a_manual_risk(server, people, project):
    response = server.client("pat").post(
        f"/api/v1/projects/{project}/risks",
        json={"title": "Holiday week in Manila", "severity": "medium", "note": "Acme at 50 %"},
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["subject"], body["severity"], body["created_by"]) == (
        "manual",
        "manual:1",
        "medium",
        "pat",
    )
    assert body["evidence"] == {"note": "Acme at 50 %"}


def test_a_manual_risk_with_an_unknown_severity_is_refused(server, people, project):
    response = server.client("pat").post(
        f"/api/v1/projects/{project}/risks", json={"title": "x", "severity": "dire"}
    )

    assert response.status_code == 422
    assert set(response.json()) >= {"error", "message"}


def test_a_scan_records_what_the_detectors_find(server, db, people, project):
    with db.write() as session:
        session.add(
            quality.LabelerPause(
                project_id=project,
                labeler_id=people.alice.user_id,
                reason="failing_gold",
                message="gold accuracy 1/8",
                evidence={"answered": 8, "correct": 1},
            )
        )

    response = server.client("pat").post(f"/api/v1/projects/{project}/risks/scan")

    assert response.status_code == 200
    body = response.json()
    assert (body["project_id"], body["findings"]) == (project, 1)
    assert [(r["kind"], r["labeler"]) for r in body["risks"]] == [("failing_gold", "alice")]


def test_the_inbox_counts_reads_and_clears(server, db, people, project):
    raise_risk(db, project, people.alice)
    raise_risk(db, project, kind="quality_below_target", subject="gold")
    pat = server.client("pat")

    before = pat.get("/api/v1/notifications").json()
    first_id = before["notifications"][-1]["id"]
    read = pat.post(f"/api/v1/notifications/{first_id}/read")
    after_one = pat.get("/api/v1/notifications?unread=true").json()
    cleared = pat.post("/api/v1/notifications/read-all").json()

    assert before["unread"] == 2
    assert [n["kind"] for n in before["notifications"]] == ["risk", "risk"]
    assert before["notifications"][0]["link"].startswith(f"/projects/{project}/risks#risk-")
    assert read.json()["read_at"] is not None
    assert after_one["unread"] == 1
    assert len(after_one["notifications"]) == 1
    assert cleared == {"marked": 1}
    assert pat.get("/api/v1/notifications").json()["unread"] == 0


def test_someone_elses_notification_is_not_found(server, db, people, project):
    raise_risk(db, project, people.alice)
    theirs = server.client("pat").get("/api/v1/notifications").json()["notifications"][0]["id"]

    response = server.client("bruno").post(f"/api/v1/notifications/{theirs}/read")

    assert response.status_code == 404


@pytest.mark.parametrize("action", ["acknowledge", "assign", "resolve", "reopen"])
def test_only_pms_and_admins_work_on_an_unassigned_risk(server, db, people, project, action):
    risk_id = raise_risk(db, project, kind="quality_below_target", subject="gold")
    body = {"assignee": "pat", "note": "n"}

    answers = {
        who: server.client(who).post(f"/api/v1/risks/{risk_id}/{action}", json=body).status_code
        for who in ("dana", "vic", "rita", "alice")
    }

    assert all(status in (403, 404) for status in answers.values()), answers
