from tests.factories import SIMPLE_LABELS, jsonl

NEW_PROJECT = {
    "name": "Hate speech sample",
    "languages": ["en", "ES"],
    "label_schema": SIMPLE_LABELS,
    "overlap": 3,
    "lease_seconds": 300,
    "vendors": ["Acme"],
    "demander": "dana",
    "guidelines": "# Read everything",
    "deadline": "2031-06-30",
}


def create(client, **overrides):
    response = client.post("/api/v1/projects", json={**NEW_PROJECT, **overrides})
    assert response.status_code == 201, response.text
    return response.json()


def test_a_pm_creates_a_project(server, people):
    body = create(server.client("pat"))

    assert {k: body[k] for k in body if k not in ("id", "created_at", "label_schema")} == {
        "name": "Hate speech sample",
        "description": "",
        "status": "running",
        "languages": ["en", "es"],
        "overlap": 3,
        "lease_seconds": 300,
        "max_text_chars": 20000,
        "gold_rate": 0.0,
        "gold_threshold": None,
        "gold_min_answers": 5,
        "max_overlap": None,
        "target_confidence": 0.95,
        "quality_target": None,
        "qualification_items": 0,
        "qualification_pass_mark": 0.8,
        "qualification_tries": 2,
        "open_to_all_labelers": False,
        "vendors": ["Acme"],
        "labelers": [],
        "demander": "dana",
        "deadline": "2031-06-30",
    }
    assert [label["key"] for label in body["label_schema"]["labels"]] == ["ok", "abuse"]


def test_a_pm_moves_a_project_deadline_or_clears_it(server, people):
    pat = server.client("pat")
    project = create(pat)

    moved = pat.patch(f"/api/v1/projects/{project['id']}", json={"deadline": "2031-09-01"})
    cleared = pat.patch(f"/api/v1/projects/{project['id']}", json={"deadline": None})

    assert moved.json()["deadline"] == "2031-09-01"
    assert cleared.json()["deadline"] is None


def test_a_project_without_a_schema_gets_the_shipped_taxonomy(server, people):
    response = server.client("pat").post(
        "/api/v1/projects", json={"name": "Default taxonomy", "languages": ["en"]}
    )

    groups = [label["key"] for label in response.json()["label_schema"]["labels"]]
    assert response.status_code == 201
    assert groups[:3] == ["hate", "harass", "violence"]
    assert "none" in groups


def test_an_invalid_schema_is_refused_with_the_reason(server, people):
    schema = {
        "kind": "single",
        "labels": [
            {"key": "a", "name": "A", "description": "A", "hotkey": "1"},
            {"key": "b", "name": "B", "description": "B", "hotkey": "1"},
        ],
    }

    response = server.client("pat").post(
        "/api/v1/projects", json={**NEW_PROJECT, "label_schema": schema}
    )

    assert response.status_code == 422
    assert "hotkey '1' is used twice" in response.json()["message"]
    assert response.json()["field"] == "label_schema"


def test_an_unknown_vendor_is_named_in_the_error(server, people):
    response = server.client("pat").post(
        "/api/v1/projects", json={**NEW_PROJECT, "vendors": ["Nope Inc"]}
    )

    assert response.status_code == 422
    assert response.json() == {
        "error": "unknown_vendor",
        "message": "no vendor named 'Nope Inc'",
        "field": "vendors",
    }


def test_a_labeler_cannot_create_projects(server, people):
    response = server.client("alice").post("/api/v1/projects", json=NEW_PROJECT)

    assert response.status_code == 403


def test_a_labeler_sees_only_projects_they_may_work_on(server, people):
    pat = server.client("pat")
    acme = create(pat, name="Acme work", vendors=["Acme"])
    create(pat, name="Babel work", vendors=["Babel"])
    create(pat, name="Open Arabic", vendors=[], languages=["ar"])
    open_english = create(pat, name="Open English", vendors=[], languages=["en"])

    listed = server.client("alice").get("/api/v1/projects").json()

    assert [p["id"] for p in listed] == [open_english["id"], acme["id"]]
    assert all(p["vendors"] == [] for p in listed)  # staffing is not shown to labelers


def test_a_labeler_gets_404_for_another_vendors_project(server, people):
    babel = create(server.client("pat"), vendors=["Babel"])

    response = server.client("alice").get(f"/api/v1/projects/{babel['id']}")

    assert response.status_code == 404
    assert response.json()["error"] == "project_not_found"


def test_a_demander_sees_only_projects_made_for_them(server, people):
    pat = server.client("pat")
    mine = create(pat, name="For dana")
    create(pat, name="For nobody", demander=None)

    listed = server.client("dana").get("/api/v1/projects").json()

    assert [p["id"] for p in listed] == [mine["id"]]


def test_jsonl_import_over_http_reports_bad_lines(server, people):
    pat = server.client("pat")
    project = create(pat)
    body = jsonl(
        [
            {"external_id": "a", "text": "hola", "language": "es"},
            {"external_id": "b", "language": "en"},
            {"external_id": "a", "text": "again", "language": "en"},
        ]
    )

    response = pat.post(
        f"/api/v1/projects/{project['id']}/items",
        content=body,
        headers={"Content-Type": "application/x-ndjson"},
    )

    assert response.status_code == 200
    assert response.json() == {
        "batch_id": response.json()["batch_id"],
        "imported": 1,
        "rejected_count": 2,
        "rejected": [
            {"line": 2, "error": "missing_text", "message": "text is missing"},
            {
                "line": 3,
                "error": "duplicate_external_id",
                "message": "external_id 'a' repeats line 1",
            },
        ],
    }


def test_csv_import_over_http(server, people):
    pat = server.client("pat")
    project = create(pat)

    response = pat.post(
        f"/api/v1/projects/{project['id']}/items",
        content=b"external_id,text,language\nx,hello,en\ny,hola,es\n",
        headers={"Content-Type": "text/csv"},
    )

    assert response.status_code == 200
    assert response.json()["imported"] == 2


def test_an_empty_upload_is_refused_and_stores_nothing(server, people):
    pat = server.client("pat")
    project = create(pat)

    response = pat.post(f"/api/v1/projects/{project['id']}/items", content=b"")
    progress = pat.get(f"/api/v1/projects/{project['id']}/progress").json()

    assert response.status_code == 422
    assert response.json() == {"error": "empty_file", "message": "the file is empty"}
    assert progress["items"]["total"] == 0


def test_a_csv_missing_a_column_is_refused(server, people):
    pat = server.client("pat")
    project = create(pat)

    response = pat.post(
        f"/api/v1/projects/{project['id']}/items?format=csv",
        content=b"id,text\n1,hello\n",
    )

    assert response.status_code == 422
    assert response.json()["error"] == "missing_column"


def test_a_pm_pauses_and_resumes_a_project(server, people):
    pat = server.client("pat")
    project = create(pat)

    paused = pat.patch(f"/api/v1/projects/{project['id']}", json={"status": "paused"})
    bad = pat.patch(f"/api/v1/projects/{project['id']}", json={"status": "draft"})
    resumed = pat.patch(f"/api/v1/projects/{project['id']}", json={"status": "running"})

    assert paused.json()["status"] == "paused"
    assert bad.status_code == 409
    assert bad.json()["error"] == "invalid_transition"
    assert resumed.json()["status"] == "running"


def test_guidelines_are_versioned_and_rendered_safely(server, people):
    pat = server.client("pat")
    project = create(pat)

    published = pat.put(
        f"/api/v1/projects/{project['id']}/guidelines",
        json={"body": "## Hate\n<script>alert(1)</script>"},
    )
    read = server.client("alice").get(f"/api/v1/projects/{project['id']}/guidelines").json()

    assert published.json()["version"] == 2
    assert read["version"] == 2
    assert "<h2>Hate</h2>" in read["html"]
    assert "<script>" not in read["html"]


def test_max_overlap_below_overlap_is_refused_naming_the_field(server, people):
    response = server.client("pat").post(
        "/api/v1/projects", json={**NEW_PROJECT, "overlap": 3, "max_overlap": 2}
    )

    assert response.status_code == 422
    assert response.json()["field"] == "max_overlap"


def test_nullable_settings_are_cleared_by_null(server, people):
    client = server.client("pat")
    project = create(client, quality_target=0.9, max_overlap=5)

    response = client.patch(
        f"/api/v1/projects/{project['id']}", json={"quality_target": None, "max_overlap": None}
    )

    assert response.status_code == 200, response.text
    assert (response.json()["quality_target"], response.json()["max_overlap"]) == (None, None)
