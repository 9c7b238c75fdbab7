from tests.factories import SIMPLE_LABELS, jsonl


def gold_project(server, db, *, gold=("g0",), **settings):
    pat = server.client("pat")
    project = pat.post(
        "/api/v1/projects",
        json={
            "name": "Disputes",
            "languages": ["en"],
            "label_schema": SIMPLE_LABELS,
            "vendors": ["Acme", "Babel"],
            "gold_rate": 0.5,
            **settings,
        },
    ).json()
    rows = [{"external_id": g, "text": f"gold text {g}"} for g in gold]
    rows += [{"external_id": "e0", "text": "plain text"}]
    pat.post(f"/api/v1/projects/{project['id']}/items", content=jsonl(rows))
    pat.post(
        f"/api/v1/projects/{project['id']}/gold",
        content=jsonl(
            [
                {"external_id": g, "labels": ["abuse.insult"], "explanation": "An insult."}
                for g in gold
            ]
        ),
    )
    from labelops import projects

    with db.write() as session:  # every lease tries gold first
        session.get(projects.Project, project["id"]).gold_rate = 1.0
    return project["id"]


def label(client, project_id, labels):
    lease = client.get(f"/api/v1/projects/{project_id}/next")
    assert lease.status_code == 200, lease.text
    submitted = client.post(
        f"/api/v1/assignments/{lease.json()['assignment_id']}/submit",
        json={"labels": labels, "duration_ms": 900},
    )
    assert submitted.status_code == 201, submitted.text
    return submitted.json()


def test_a_labeler_disputes_a_gold_verdict_and_a_reviewer_overturns_it(server, people, db):
    project_id = gold_project(server, db)
    alice, bruno, rita = server.client("alice"), server.client("bruno"), server.client("rita")
    submitted = label(alice, project_id, ["ok"])
    label(bruno, project_id, ["abuse.insult"])

    opened = alice.post(
        f"/api/v1/projects/{project_id}/disputes",
        json={"item_id": submitted["item_id"], "comment": "It quotes a film."},
    )
    pending = rita.get(f"/api/v1/projects/{project_id}/disputes?status=open")
    resolved = rita.post(
        f"/api/v1/projects/{project_id}/disputes/{opened.json()['id']}/resolve",
        json={"outcome": "overturn", "note": "Agreed: a quote."},
    )
    report = server.client("pat").get(f"/api/v1/projects/{project_id}/quality").json()

    assert opened.status_code == 201
    body = opened.json()
    assert body == {
        "id": body["id"],
        "kind": "gold",
        "status": "open",
        "item_id": submitted["item_id"],
        "external_id": "g0",
        "text": "gold text g0",
        "labeler_id": people.alice.user_id,
        "username": "alice",
        "vendor": "Acme",
        "given": ["ok"],
        "verdict": ["abuse.insult"],
        "explanation": "An insult.",
        "labels": ["ok"],
        "comment": "It quotes a film.",
        "audit_item_id": None,
        "created_at": body["created_at"],
        "resolved_by": None,
        "resolved_at": None,
        "resolution_note": None,
        "corrected_labels": None,
    }
    assert pending.json() == [body]
    assert resolved.status_code == 200
    assert resolved.json() == {
        **body,
        "status": "overturned",
        "verdict": ["ok"],
        "resolved_by": "rita",
        "resolved_at": resolved.json()["resolved_at"],
        "resolution_note": "Agreed: a quote.",
        "corrected_labels": ["ok"],
    }
    assert [(g["username"], g["answered"], g["correct"]) for g in report["gold"]] == [
        ("alice", 1, 1),
        ("bruno", 1, 0),
    ]


def test_a_labeler_cannot_dispute_someone_elses_answer(server, people, db):
    project_id = gold_project(server, db)
    submitted = label(server.client("alice"), project_id, ["ok"])

    by_bruno = server.client("bruno").post(
        f"/api/v1/projects/{project_id}/disputes",
        json={"item_id": submitted["item_id"], "comment": "Not mine, but still."},
    )
    by_pat = server.client("pat").post(
        f"/api/v1/projects/{project_id}/disputes",
        json={"item_id": submitted["item_id"], "comment": "A PM cannot."},
    )

    assert (by_bruno.status_code, by_bruno.json()["error"]) == (404, "answer_not_found")
    assert by_pat.status_code == 403


def test_a_bad_dispute_names_the_field(server, people, db):
    project_id = gold_project(server, db)
    alice = server.client("alice")
    submitted = label(alice, project_id, ["ok"])

    blank = alice.post(
        f"/api/v1/projects/{project_id}/disputes",
        json={"item_id": submitted["item_id"], "comment": "  "},
    )
    twice = [
        alice.post(
            f"/api/v1/projects/{project_id}/disputes",
            json={"item_id": submitted["item_id"], "comment": "Once more."},
        ).status_code
        for _ in range(2)
    ]

    assert blank.status_code == 422
    assert blank.json()["error"] == "no_comment"
    assert twice == [201, 409]


def test_only_reviewers_and_pms_resolve(server, people, db):
    project_id = gold_project(server, db)
    alice = server.client("alice")
    submitted = label(alice, project_id, ["ok"])
    dispute_id = alice.post(
        f"/api/v1/projects/{project_id}/disputes",
        json={"item_id": submitted["item_id"], "comment": "A quote."},
    ).json()["id"]
    url = f"/api/v1/projects/{project_id}/disputes/{dispute_id}/resolve"

    statuses = {
        who: server.client(who).post(url, json={"outcome": "uphold"}).status_code
        for who in ("alice", "vic", "pat")
    }
    again = server.client("rita").post(url, json={"outcome": "overturn"})

    assert statuses == {"alice": 403, "vic": 403, "pat": 200}
    assert (again.status_code, again.json()["error"]) == (409, "dispute_resolved")


def test_drift_alerts_are_listed_and_acknowledged_by_a_pm(server, people, db):
    project_id = gold_project(server, db, gold=tuple(f"g{i}" for i in range(6)))
    alice = server.client("alice")
    for _ in range(4):
        label(alice, project_id, ["ok"])
    pat = server.client("pat")

    alerts = pat.get(f"/api/v1/projects/{project_id}/drift-alerts?open=true").json()
    by_labeler = alice.get(f"/api/v1/projects/{project_id}/drift-alerts")
    refused = server.client("vic").post(
        f"/api/v1/projects/{project_id}/drift-alerts/{alerts[0]['id']}/acknowledge"
    )
    acknowledged = pat.post(
        f"/api/v1/projects/{project_id}/drift-alerts/{alerts[0]['id']}/acknowledge"
    )
    still_open = pat.get(f"/api/v1/projects/{project_id}/drift-alerts?open=true").json()

    assert [(a["username"], a["evidence"]["window"]) for a in alerts] == [
        ("alice", {"answers": 4, "correct": 0, "accuracy": 0.0})
    ]
    assert by_labeler.status_code == 403
    assert refused.status_code == 403
    assert acknowledged.status_code == 200
    assert acknowledged.json()["acknowledged_at"] is not None
    assert still_open == []
