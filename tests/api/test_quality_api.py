import orjson

from tests.factories import SIMPLE_LABELS, jsonl


def project_with_gold(server, *, items=6, gold_ids=("g0", "g1", "g2"), **settings):
    pat = server.client("pat")
    project = pat.post(
        "/api/v1/projects",
        json={
            "name": "Quality",
            "languages": ["en"],
            "label_schema": SIMPLE_LABELS,
            "vendors": ["Acme", "Babel"],
            **settings,
        },
    ).json()
    rows = [{"external_id": f"g{i}", "text": f"gold {i}"} for i in range(len(gold_ids))]
    rows += [{"external_id": f"e{i}", "text": f"text {i}"} for i in range(items)]
    pat.post(f"/api/v1/projects/{project['id']}/items", content=jsonl(rows))
    if not gold_ids:
        return project["id"]
    marked = pat.post(
        f"/api/v1/projects/{project['id']}/gold",
        content=jsonl(
            [
                {"external_id": g, "labels": ["abuse.insult"], "explanation": "An insult."}
                for g in gold_ids
            ]
        ),
    )
    assert marked.json() == {"marked": len(gold_ids), "rejected": []}
    return project["id"]


def force_gold_rate(db, project_id, rate=1.0):
    from labelops import projects

    with db.write() as session:
        session.get(projects.Project, project_id).gold_rate = rate


def label(client, project_id, labels):
    lease = client.get(f"/api/v1/projects/{project_id}/next")
    assert lease.status_code == 200, lease.text
    return client.post(
        f"/api/v1/assignments/{lease.json()['assignment_id']}/submit",
        json={"labels": labels, "duration_ms": 900},
    )


def test_gold_import_reports_bad_lines_by_number(server, people):
    project_id = project_with_gold(server, gold_ids=())
    body = jsonl(
        [
            {"external_id": "e0", "labels": ["ok"]},
            {"external_id": "nope", "labels": ["ok"]},
            {"external_id": "e1", "labels": ["abuse"]},
            {"external_id": "e2"},
        ]
    )

    response = server.client("pat").post(f"/api/v1/projects/{project_id}/gold", content=body)

    assert response.status_code == 200
    assert response.json() == {
        "marked": 1,
        "rejected": [
            {"line": 2, "error": "unknown_item", "message": "no item 'nope'"},
            {
                "line": 3,
                "error": "unknown_label",
                "message": "unknown label 'abuse' (groups are not selectable)",
            },
            {"line": 4, "error": "invalid_gold", "message": "labels: Field required"},
        ],
    }


def test_gold_import_from_csv_with_several_labels(server, people):
    project_id = project_with_gold(
        server,
        gold_ids=(),
        label_schema={"kind": "multi", "labels": ["spam", "scam", "ok"]},
    )

    response = server.client("pat").post(
        f"/api/v1/projects/{project_id}/gold",
        content=b"external_id,labels,explanation\ne0,spam|scam,Both.\n",
        headers={"Content-Type": "text/csv"},
    )

    assert response.json() == {"marked": 1, "rejected": []}


def test_labelers_cannot_import_gold_or_read_quality(server, people):
    project_id = project_with_gold(server)
    alice = server.client("alice")

    imported = alice.post(
        f"/api/v1/projects/{project_id}/gold",
        content=jsonl([{"external_id": "e0", "labels": ["ok"]}]),
    )
    report = alice.get(f"/api/v1/projects/{project_id}/quality")

    assert imported.status_code == 403
    assert report.status_code == 403


def test_the_submit_of_a_gold_item_carries_the_expected_answer(server, people, db):
    project_id = project_with_gold(server)
    force_gold_rate(db, project_id)

    response = label(server.client("alice"), project_id, ["ok"])

    assert response.status_code == 201
    assert response.json()["gold"] == {
        "expected": ["abuse.insult"],
        "explanation": "An insult.",
        "correct": False,
    }


def test_the_quality_report_has_gold_accuracy_and_agreement(server, people, db):
    project_id = project_with_gold(server, items=4, overlap=2)
    force_gold_rate(db, project_id)
    alice, bruno = server.client("alice"), server.client("bruno")
    for client, answers in (
        (alice, [["abuse.insult"], ["abuse.insult"], ["ok"]]),
        (bruno, [["abuse.insult"], ["ok"], ["ok"]]),
    ):
        for labels in answers:
            label(client, project_id, labels)
    force_gold_rate(db, project_id, 0.0)
    for client in (alice, bruno):
        for _ in range(4):
            label(client, project_id, ["ok"])

    report = server.client("pat").get(f"/api/v1/projects/{project_id}/quality").json()
    raw = server.client("pat").get(f"/api/v1/projects/{project_id}/export?raw=true")
    by_item: dict[int, list[str]] = {}
    for row in map(orjson.loads, raw.content.splitlines()):
        by_item.setdefault(row["item_id"], []).append("|".join(row["labels"]))
    agreeing = sum(answers[0] == answers[1] for answers in by_item.values())

    assert report["gold_items"] == 3
    assert [(g["username"], g["answered"], g["correct"]) for g in report["gold"]] == [
        ("alice", 3, 2),
        ("bruno", 3, 1),
    ]
    assert report["agreement"]["tasks"] == 7
    assert report["agreement"]["percent"] == agreeing / 7
    assert [b["key"] for b in report["by_vendor"]] == ["Acme", "Babel"]
    assert [b["key"] for b in report["by_language"]] == ["en"]
    assert set(report["alpha_by_label"]) == {"abuse.insult", "ok"}


def test_a_paused_labeler_is_refused_and_a_pm_lifts_the_pause(server, people, db):
    project_id = project_with_gold(
        server, gold_threshold=0.9, gold_min_answers=3, gold_ids=("g0", "g1", "g2", "g3")
    )
    force_gold_rate(db, project_id)
    alice = server.client("alice")
    for _ in range(3):
        label(alice, project_id, ["ok"])

    refused = alice.get(f"/api/v1/projects/{project_id}/next")
    pause = server.client("vic").get(f"/api/v1/projects/{project_id}/quality").json()["pauses"][0]
    lifted = server.client("pat").post(
        f"/api/v1/projects/{project_id}/pauses/{pause['id']}/lift", json={"note": "coached"}
    )
    again = alice.get(f"/api/v1/projects/{project_id}/next")

    assert refused.status_code == 409
    assert refused.json()["error"] == "labeler_paused"
    assert (pause["username"], pause["reason"]) == ("alice", "failing_gold")
    assert lifted.json()["lift_note"] == "coached"
    assert again.status_code == 200


def test_another_vendors_lead_does_not_see_the_pause(server, people, db):
    project_id = project_with_gold(server, gold_threshold=0.9, gold_min_answers=3)
    force_gold_rate(db, project_id)
    for _ in range(3):
        label(server.client("bruno"), project_id, ["ok"])

    seen_by_vic = server.client("vic").get(f"/api/v1/projects/{project_id}/quality").json()

    assert seen_by_vic["pauses"] == []
    assert seen_by_vic["gold"] == []
