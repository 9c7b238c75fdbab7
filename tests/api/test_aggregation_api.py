import csv
import io

import orjson
import pytest

from tests.factories import SIMPLE_LABELS, jsonl


def label_all(client, project_id, by_item):
    """Lease until nothing is left, answering by external id ("ok" when not given)."""
    while True:
        lease = client.get(f"/api/v1/projects/{project_id}/next")
        if lease.status_code == 204:
            return
        body = lease.json()
        labels = by_item.get(body["item"]["external_id"], ["ok"])
        submitted = client.post(
            f"/api/v1/assignments/{body['assignment_id']}/submit",
            json={"labels": labels, "duration_ms": 700},
        )
        assert submitted.status_code == 201, submitted.text


@pytest.fixture
def labeled(server, people):
    """Five items labeled by alice, amir (Acme) and bruno (Babel): e0–e2 unanimous ok; on e3
    bruno says abuse.insult, on e4 bruno abuse.insult and amir abuse.threat."""
    pat = server.client("pat")
    project = pat.post(
        "/api/v1/projects",
        json={
            "name": "Aggregation",
            "languages": ["en"],
            "label_schema": SIMPLE_LABELS,
            "vendors": ["Acme", "Babel"],
            "overlap": 3,
        },
    ).json()
    pat.post(
        f"/api/v1/projects/{project['id']}/items",
        content=jsonl([{"external_id": f"e{i}", "text": f"mild text {i}"} for i in range(5)]),
    )
    label_all(server.client("alice"), project["id"], {})
    label_all(server.client("amir"), project["id"], {"e4": ["abuse.threat"]})
    label_all(
        server.client("bruno"), project["id"], {"e3": ["abuse.insult"], "e4": ["abuse.insult"]}
    )
    return project["id"]


def test_aggregation_gives_labelers_confusion_matrices_and_item_labels(server, labeled):
    response = server.client("pat").get(f"/api/v1/projects/{labeled}/aggregation?method=ds")

    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("project_id", "method", "labels", "answers", "items")} == {
        "project_id": labeled,
        "method": "ds",
        "labels": ["abuse.insult", "abuse.threat", "ok"],
        "answers": 15,
        "items": 5,
    }
    assert sorted((lab["username"], lab["vendor"], lab["answers"]) for lab in body["labelers"]) == [
        ("alice", "Acme", 5),
        ("amir", "Acme", 5),
        ("bruno", "Babel", 5),
    ]
    assert all(len(lab["matrix"]) == 3 for lab in body["labelers"])
    labels = {i["external_id"]: i["label"] for i in body["item_labels"]}
    assert [labels[f"e{n}"] for n in range(4)] == ["ok"] * 4
    assert body["converged"] is True


def test_aggregation_items_are_limited(server, labeled):
    response = server.client("pat").get(
        f"/api/v1/projects/{labeled}/aggregation?method=mv&items=2&offset=0"
    )

    body = response.json()
    assert [(i["external_id"], i["confidence"]) for i in body["item_labels"]] == [
        ("e4", pytest.approx(1 / 3, abs=1e-6)),
        ("e3", pytest.approx(2 / 3, abs=1e-6)),
    ]


def test_aggregation_by_a_vendor_lead_holds_their_vendor_only(server, labeled):
    response = server.client("vic").get(f"/api/v1/projects/{labeled}/aggregation")

    body = response.json()
    assert sorted(lab["username"] for lab in body["labelers"]) == ["alice", "amir"]
    assert body["answers"] == 10


def test_an_unknown_method_is_a_clear_error(server, labeled):
    response = server.client("pat").get(f"/api/v1/projects/{labeled}/aggregation?method=glad")

    assert response.status_code == 422
    assert response.json() == {
        "error": "bad_method",
        "message": "method 'glad' is not one of mv, ds, ods",
        "field": "method",
    }


def test_confusion_lists_pairs_and_disputed_items(server, labeled):
    response = server.client("pat").get(f"/api/v1/projects/{labeled}/confusion?pairs=2&items=5")

    body = response.json()
    assert response.status_code == 200
    assert len(body["pairs"]) == 2
    assert (body["pairs"][0]["labels"], body["pairs"][0]["disagreements"]) == (
        ["abuse.insult", "ok"],
        3,
    )
    assert [
        (i["external_id"], i["excerpt"], i["answers"], i["disagreement"]) for i in body["items"]
    ] == [
        ("e4", "mild text 4", {"abuse.insult": 1, "abuse.threat": 1, "ok": 1}, 1.0),
        ("e3", "mild text 3", {"abuse.insult": 1, "ok": 2}, 0.5794),
    ]


def example_body(server, project_id, external_id="e3", **fields):
    exported = server.client("pat").get(f"/api/v1/projects/{project_id}/export")
    ids = {row["external_id"]: row["item_id"] for row in map(orjson.loads, exported.iter_lines())}
    return {"item_id": ids[external_id], "labels": ["ok"], "explanation": "Mild.", **fields}


def test_a_pm_adds_a_disputed_item_as_a_guideline_example(server, labeled):
    body = example_body(server, labeled, source="disagreement")

    added = server.client("pat").post(f"/api/v1/projects/{labeled}/guideline-examples", json=body)
    listed = server.client("alice").get(f"/api/v1/projects/{labeled}/guideline-examples")
    confusion = server.client("pat").get(f"/api/v1/projects/{labeled}/confusion")

    assert added.status_code == 201
    created = added.json()
    assert created.pop("created_at")
    assert created == {
        "id": created["id"],
        "item_id": body["item_id"],
        "external_id": "e3",
        "text": "mild text 3",
        "labels": ["ok"],
        "explanation": "Mild.",
        "source": "disagreement",
        "created_by": "pat",
    }
    assert [e["id"] for e in listed.json()] == [created["id"]]
    assert {i["external_id"]: i["has_example"] for i in confusion.json()["items"]} == {
        "e4": False,
        "e3": True,
    }


def test_a_guideline_example_with_a_group_label_is_refused_naming_the_field(server, labeled):
    body = example_body(server, labeled, labels=["abuse"])

    response = server.client("pat").post(
        f"/api/v1/projects/{labeled}/guideline-examples", json=body
    )

    assert response.status_code == 422
    assert response.json() == {
        "error": "unknown_label",
        "message": "unknown label 'abuse' (groups are not selectable)",
        "field": "labels",
    }


def test_the_same_item_twice_is_a_conflict(server, labeled):
    body = example_body(server, labeled)
    pat = server.client("pat")
    pat.post(f"/api/v1/projects/{labeled}/guideline-examples", json=body)

    again = pat.post(f"/api/v1/projects/{labeled}/guideline-examples", json=body)

    assert again.status_code == 409
    assert again.json()["error"] == "example_exists"


def test_export_default_columns_keep_their_order_and_end_with_the_final_label(server, labeled):
    response = server.client("pat").get(f"/api/v1/projects/{labeled}/export?format=csv")

    header = next(csv.reader(io.StringIO(response.text)))
    assert header == [
        "item_id",
        "external_id",
        "language",
        "text",
        "label",
        "agreement",
        "annotations",
        "target",
        "status",
        "meta",
        "final_label",
        "final_source",
    ]


@pytest.mark.parametrize("method", ["ds", "ods"])
def test_export_with_a_method_adds_the_aggregated_label_and_confidence(server, labeled, method):
    response = server.client("pat").get(
        f"/api/v1/projects/{labeled}/export?format=csv&method={method}"
    )

    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0])[-4:] == ["aggregated_label", "confidence", "final_label", "final_source"]
    assert [r["aggregated_label"] for r in rows[:4]] == ["ok"] * 4
    assert all(0 < float(r["confidence"]) <= 1 for r in rows)


def test_export_jsonl_with_ds_carries_label_and_confidence(server, labeled):
    response = server.client("vic").get(f"/api/v1/projects/{labeled}/export?method=ds")

    rows = [orjson.loads(line) for line in response.iter_lines()]
    assert [(r["label"], r["aggregated_label"]) for r in rows[:3]] == [("ok", "ok")] * 3
    assert all(isinstance(r["confidence"], float) for r in rows)


def test_export_refuses_a_method_on_raw_annotations(server, labeled):
    response = server.client("pat").get(f"/api/v1/projects/{labeled}/export?raw=true&method=ds")

    assert response.status_code == 422
    assert response.json()["field"] == "method"


def test_only_admins_and_pms_add_guideline_examples(server, labeled):
    roles = ("admin", "pat", "dana", "vic", "rita", "alice", "bruno")
    outcomes = {}

    for n, who in enumerate(roles):
        body = example_body(server, labeled, external_id=f"e{n % 5}")
        response = server.client(who).post(
            f"/api/v1/projects/{labeled}/guideline-examples", json=body
        )
        outcomes[who] = response.status_code

    assert outcomes == {
        "admin": 201,
        "pat": 201,
        "dana": 403,
        "vic": 403,
        "rita": 403,
        "alice": 403,
        "bruno": 403,
    }
