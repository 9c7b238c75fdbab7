import csv
import io

import orjson

from tests.factories import SIMPLE_LABELS, jsonl


def project_with_items(server, *, count=3, overlap=1, vendors=("Acme", "Babel"), **extra):
    pat = server.client("pat")
    project = pat.post(
        "/api/v1/projects",
        json={
            "name": "Loop",
            "languages": ["en"],
            "label_schema": SIMPLE_LABELS,
            "overlap": overlap,
            "vendors": list(vendors),
            **extra,
        },
    ).json()
    rows = [{"external_id": f"e{i}", "text": f"text {i}"} for i in range(count)]
    pat.post(f"/api/v1/projects/{project['id']}/items", content=jsonl(rows))
    return project["id"]


def test_next_leases_an_item_with_its_text(server, people):
    project_id = project_with_items(server)

    response = server.client("alice").get(f"/api/v1/projects/{project_id}/next")

    body = response.json()
    assert response.status_code == 200
    assert set(body) == {"assignment_id", "project_id", "item", "leased_at", "lease_expires_at"}
    assert body["item"] == {
        "id": body["item"]["id"],
        "external_id": "e0",
        "text": "text 0",
        "language": "en",
        "meta": None,
    }


def test_next_is_204_when_nothing_is_left(server, people):
    project_id = project_with_items(server, count=0)

    response = server.client("alice").get(f"/api/v1/projects/{project_id}/next")

    assert response.status_code == 204
    assert response.content == b""


def test_submit_stores_then_repeating_it_is_harmless(server, people):
    project_id = project_with_items(server)
    alice = server.client("alice")
    lease = alice.get(f"/api/v1/projects/{project_id}/next").json()
    url = f"/api/v1/assignments/{lease['assignment_id']}/submit"

    first = alice.post(url, json={"labels": ["abuse.insult"], "duration_ms": 2300})
    second = alice.post(url, json={"labels": ["abuse.insult"], "duration_ms": 2300})

    assert first.status_code == 201
    assert second.status_code == 200
    assert second.json() == first.json()
    assert first.json()["labels"] == ["abuse.insult"]


def test_submit_with_an_unknown_label_is_422_naming_the_field(server, people):
    project_id = project_with_items(server)
    alice = server.client("alice")
    lease = alice.get(f"/api/v1/projects/{project_id}/next").json()

    response = alice.post(
        f"/api/v1/assignments/{lease['assignment_id']}/submit", json={"labels": ["abuse"]}
    )

    assert response.status_code == 422
    assert response.json() == {
        "error": "unknown_label",
        "message": "unknown label 'abuse' (groups are not selectable)",
        "field": "labels",
    }


def test_another_labeler_cannot_submit_my_assignment(server, people):
    project_id = project_with_items(server)
    lease = server.client("alice").get(f"/api/v1/projects/{project_id}/next").json()

    response = server.client("bruno").post(
        f"/api/v1/assignments/{lease['assignment_id']}/submit", json={"labels": ["ok"]}
    )

    assert response.status_code == 404


def test_skip_with_a_reason_then_others_get_the_item(server, people):
    project_id = project_with_items(server, count=1)
    alice = server.client("alice")
    lease = alice.get(f"/api/v1/projects/{project_id}/next").json()

    skipped = alice.post(
        f"/api/v1/assignments/{lease['assignment_id']}/skip",
        json={"reason": "cannot_read_language"},
    )
    mine = alice.get(f"/api/v1/projects/{project_id}/next")
    theirs = server.client("bruno").get(f"/api/v1/projects/{project_id}/next")

    assert skipped.json() == {"assignment_id": lease["assignment_id"], "status": "skipped"}
    assert mine.status_code == 204
    assert theirs.json()["item"]["id"] == lease["item"]["id"]


def test_an_unknown_skip_reason_is_422(server, people):
    project_id = project_with_items(server, count=1)
    alice = server.client("alice")
    lease = alice.get(f"/api/v1/projects/{project_id}/next").json()

    response = alice.post(
        f"/api/v1/assignments/{lease['assignment_id']}/skip", json={"reason": "bored"}
    )

    assert response.status_code == 422
    assert response.json()["field"] == "reason"


def test_prefetch_gets_a_second_item_and_reload_gets_the_first_back(server, people):
    project_id = project_with_items(server)
    alice = server.client("alice")
    first = alice.get(f"/api/v1/projects/{project_id}/next").json()

    prefetched = alice.get(
        f"/api/v1/projects/{project_id}/next", params={"exclude": first["assignment_id"]}
    ).json()
    reloaded = alice.get(f"/api/v1/projects/{project_id}/next").json()

    assert prefetched["item"]["id"] != first["item"]["id"]
    assert reloaded["assignment_id"] == first["assignment_id"]


def test_pm_and_demander_cannot_lease(server, people):
    project_id = project_with_items(server)

    assert server.client("pat").get(f"/api/v1/projects/{project_id}/next").status_code == 403
    assert server.client("dana").get(f"/api/v1/projects/{project_id}/next").status_code == 403


def label_all(server, project_id, username, labels):
    client = server.client(username)
    done = 0
    while (lease := client.get(f"/api/v1/projects/{project_id}/next")).status_code == 200:
        assignment = lease.json()["assignment_id"]
        client.post(
            f"/api/v1/assignments/{assignment}/submit",
            json={"labels": labels, "duration_ms": 1000 + done},
        )
        done += 1
    return done


def test_progress_moves_as_labelers_work(server, people):
    project_id = project_with_items(server, count=2, overlap=2)
    pat = server.client("pat")
    before = pat.get(f"/api/v1/projects/{project_id}/progress").json()
    label_all(server, project_id, "alice", ["ok"])
    label_all(server, project_id, "bruno", ["ok"])

    after = pat.get(f"/api/v1/projects/{project_id}/progress").json()

    assert before["items"] == {"total": 2, "queued": 2, "leased": 0, "done": 0}
    assert after["items"] == {"total": 2, "queued": 0, "leased": 0, "done": 2}
    assert (after["annotations"], after["active_labelers"]) == (4, 2)
    assert [(row["username"], row["annotations"]) for row in after["labelers"]] == [
        ("alice", 2),
        ("bruno", 2),
    ]


def test_a_vendor_lead_sees_only_their_vendors_work_in_progress(server, people):
    project_id = project_with_items(server, count=2, overlap=2)
    label_all(server, project_id, "alice", ["ok"])
    label_all(server, project_id, "bruno", ["ok"])

    progress = server.client("vic").get(f"/api/v1/projects/{project_id}/progress").json()

    assert progress["annotations"] == 2
    assert [row["username"] for row in progress["labelers"]] == ["alice"]


def test_a_labeler_cannot_read_progress(server, people):
    project_id = project_with_items(server)

    response = server.client("alice").get(f"/api/v1/projects/{project_id}/progress")

    assert response.status_code == 403


def test_export_gives_each_item_its_majority_label_and_agreement(server, people):
    project_id = project_with_items(server, count=2, overlap=3, demander="dana")
    label_all(server, project_id, "alice", ["ok"])
    label_all(server, project_id, "bruno", ["ok"])
    label_all(server, project_id, "amir", ["abuse.threat"])

    response = server.client("pat").get(f"/api/v1/projects/{project_id}/export")

    rows = [orjson.loads(line) for line in response.content.splitlines()]
    assert response.headers["content-type"].startswith("application/x-ndjson")
    assert [
        (r["external_id"], r["label"], r["agreement"], r["annotations"], r["status"]) for r in rows
    ] == [("e0", "ok", 0.6667, 3, "done"), ("e1", "ok", 0.6667, 3, "done")]


def test_export_as_csv_has_a_header_and_one_row_per_item(server, people):
    project_id = project_with_items(server, count=3)
    label_all(server, project_id, "alice", ["abuse.insult"])

    response = server.client("pat").get(
        f"/api/v1/projects/{project_id}/export", params={"format": "csv"}
    )

    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert response.headers["content-disposition"] == (
        f'attachment; filename="project-{project_id}-items.csv"'
    )
    assert [(r["external_id"], r["label"], r["status"]) for r in rows] == [
        ("e0", "abuse.insult", "done"),
        ("e1", "abuse.insult", "done"),
        ("e2", "abuse.insult", "done"),
    ]


def test_raw_export_gives_every_annotation_with_who_and_when(server, people):
    project_id = project_with_items(server, count=1, overlap=2)
    label_all(server, project_id, "alice", ["ok"])
    label_all(server, project_id, "bruno", ["abuse.insult"])

    response = server.client("pat").get(
        f"/api/v1/projects/{project_id}/export", params={"raw": "true"}
    )

    rows = [orjson.loads(line) for line in response.content.splitlines()]
    assert [(r["labeler"], r["vendor"], r["labels"], r["duration_ms"]) for r in rows] == [
        ("alice", "Acme", ["ok"], 1000),
        ("bruno", "Babel", ["abuse.insult"], 1000),
    ]
    assert all(r["submitted_at"] >= r["leased_at"] for r in rows)


def test_a_vendor_lead_raw_export_holds_only_their_vendor(server, people):
    project_id = project_with_items(server, count=1, overlap=2)
    label_all(server, project_id, "alice", ["ok"])
    label_all(server, project_id, "bruno", ["ok"])

    response = server.client("vic").get(
        f"/api/v1/projects/{project_id}/export", params={"raw": "true"}
    )

    assert [orjson.loads(line)["labeler"] for line in response.content.splitlines()] == ["alice"]


def test_a_demander_exports_results_but_not_raw_annotations(server, people):
    project_id = project_with_items(server, count=1, demander="dana")

    aggregated = server.client("dana").get(f"/api/v1/projects/{project_id}/export")
    raw = server.client("dana").get(f"/api/v1/projects/{project_id}/export?raw=true")

    assert aggregated.status_code == 200
    assert raw.status_code == 403


def test_an_unknown_export_format_is_422(server, people):
    project_id = project_with_items(server, count=1)

    response = server.client("pat").get(f"/api/v1/projects/{project_id}/export?format=pdf")

    assert response.status_code == 422
    assert response.json()["field"] == "format"


def test_labelers_cannot_export(server, people):
    project_id = project_with_items(server, count=1)

    response = server.client("alice").get(f"/api/v1/projects/{project_id}/export")

    assert response.status_code == 403
