from tests.factories import SIMPLE_LABELS, jsonl

PROJECT = {
    "name": "Guidelines",
    "languages": ["en"],
    "label_schema": SIMPLE_LABELS,
    "vendors": ["Acme"],
    "guidelines": "# Version one",
}
INSULT = {"definition": "Demeaning a person.", "use_when": "A person is targeted.", "not_when": ""}


def project_with_items(server):
    pat = server.client("pat")
    project = pat.post("/api/v1/projects", json=PROJECT).json()
    pat.post(
        f"/api/v1/projects/{project['id']}/items",
        content=jsonl([{"external_id": f"i{n}", "text": "t"} for n in range(3)]),
    )
    return project["id"]


def test_a_pm_publishes_sections_glossary_and_a_changelog(server, people):
    project_id = project_with_items(server)
    pat = server.client("pat")

    published = pat.put(
        f"/api/v1/projects/{project_id}/guidelines",
        json={
            "body": "# Version two",
            "sections": {"abuse.insult": INSULT},
            "glossary": [{"locale": "EN", "term": "unalive", "definition": "Kill."}],
            "changelog": "Insults defined.",
        },
    )
    read = server.client("alice").get(f"/api/v1/projects/{project_id}/guidelines").json()

    assert published.status_code == 200
    body = published.json()
    del body["created_at"]
    assert body == {
        "version": 2,
        "body": "# Version two",
        "html": "<h1>Version two</h1>\n",
        "sections": {"abuse.insult": INSULT},
        "glossary": [{"locale": "en", "term": "unalive", "definition": "Kill."}],
        "changelog": "Insults defined.",
        "changed_labels": ["abuse.insult"],
        "requalify_after": None,
        "rereview_escalations": None,
    }
    assert {k: read[k] for k in ("version", "sections", "changelog")} == {
        "version": 2,
        "sections": {"abuse.insult": INSULT},
        "changelog": "Insults defined.",
    }


def test_a_section_for_an_unknown_label_is_refused_naming_the_key(server, people):
    project_id = project_with_items(server)

    response = server.client("pat").put(
        f"/api/v1/projects/{project_id}/guidelines",
        json={"body": "x", "sections": {"spam": {"definition": "Ads."}}},
    )

    assert response.status_code == 422
    assert (response.json()["error"], response.json()["field"]) == (
        "unknown_label",
        "sections.spam",
    )


def test_a_bad_glossary_locale_is_refused_naming_the_row(server, people):
    project_id = project_with_items(server)

    response = server.client("pat").put(
        f"/api/v1/projects/{project_id}/guidelines",
        json={"body": "x", "glossary": [{"locale": "?!", "term": "a", "definition": "b"}]},
    )

    assert response.status_code == 422
    assert response.json()["field"] == "glossary.0.locale"


def test_the_diff_between_two_versions(server, people):
    project_id = project_with_items(server)
    server.client("pat").put(
        f"/api/v1/projects/{project_id}/guidelines",
        json={"body": "# Version two", "sections": {"ok": {"definition": "Fine."}}},
    )

    response = server.client("alice").get(
        f"/api/v1/projects/{project_id}/guidelines/diff", params={"from": 1, "to": 2}
    )

    body = response.json()
    assert response.status_code == 200
    assert (body["from_version"], body["to_version"], body["changed_labels"]) == (1, 2, ["ok"])
    assert [(line["kind"], line["text"]) for line in body["lines"] if line["kind"] != "hunk"] == [
        ("del", "# Version one"),
        ("ins", "# Version two"),
        ("ins", ""),
        ("ins", "## Fine (`ok`)"),
        ("ins", ""),
        ("ins", "**Definition:** Fine."),
    ]
    assert body["unified"].startswith("--- version 1\n+++ version 2\n")


def test_a_diff_to_a_missing_version_is_404_naming_it(server, people):
    project_id = project_with_items(server)

    response = server.client("pat").get(
        f"/api/v1/projects/{project_id}/guidelines/diff", params={"from": 1, "to": 5}
    )

    assert response.status_code == 404
    assert response.json()["message"].startswith("to:")


def test_the_queue_holds_a_labeler_until_they_acknowledge_the_current_version(server, people):
    project_id = project_with_items(server)
    alice = server.client("alice")
    server.client("pat").put(f"/api/v1/projects/{project_id}/guidelines", json={"body": "v2"})

    held = alice.get(f"/api/v1/projects/{project_id}/next")
    old = alice.post(f"/api/v1/projects/{project_id}/guidelines/ack", json={"version": 1})
    still = alice.get(f"/api/v1/projects/{project_id}/next")
    current = alice.post(f"/api/v1/projects/{project_id}/guidelines/ack", json={"version": 2})
    served = alice.get(f"/api/v1/projects/{project_id}/next")

    assert (held.status_code, held.json()["error"]) == (409, "guidelines_unacknowledged")
    assert (old.json()["released"], still.status_code) == (False, 409)
    assert current.json()["released"] is True
    assert served.status_code == 200


def test_acknowledging_a_missing_version_names_the_field(server, people):
    project_id = project_with_items(server)

    response = server.client("alice").post(
        f"/api/v1/projects/{project_id}/guidelines/ack", json={"version": 4}
    )

    assert response.status_code == 422
    assert response.json()["field"] == "version"


def test_the_acknowledgement_status_by_labeler(server, people):
    project_id = project_with_items(server)
    server.client("alice").post(
        f"/api/v1/projects/{project_id}/guidelines/ack", json={"version": 1}
    )

    status = server.client("pat").get(f"/api/v1/projects/{project_id}/guidelines/acks").json()

    assert status["version"] == 1
    assert [(r["username"], r["vendor"]) for r in status["acknowledged"]] == [("alice", "Acme")]
    assert [r["username"] for r in status["waiting"]] == ["amir"]


def test_sops_are_created_versioned_and_acknowledged_by_role(server, people):
    pat, alice, rita = server.client("pat"), server.client("alice"), server.client("rita")
    created = pat.post(
        "/api/v1/sops",
        json={"slug": "breaks", "title": "Breaks", "roles": ["labeler"], "body": "Rest."},
    )
    pat.post("/api/v1/sops/breaks/versions", json={"body": "Rest more.", "changelog": "More."})

    mine = alice.get("/api/v1/sops").json()
    acked = alice.post("/api/v1/sops/breaks/ack", json={"version": 2})
    detail = alice.get("/api/v1/sops/breaks").json()

    assert created.status_code == 201
    assert [(s["slug"], s["version"], s["acknowledged"]) for s in mine] == [("breaks", 2, False)]
    assert acked.json()["acknowledged"] is True
    assert [(v["version"], v["changelog"]) for v in detail["versions"]] == [(2, "More."), (1, "")]
    assert rita.get("/api/v1/sops").json() == []
    assert rita.get("/api/v1/sops/breaks").status_code == 404


def test_an_sop_with_a_bad_slug_is_refused_naming_the_field(server, people):
    response = server.client("pat").post(
        "/api/v1/sops", json={"slug": "Bad Slug", "title": "T", "roles": ["labeler"], "body": "b"}
    )

    assert response.status_code == 422
    assert "slug" in response.json()["message"]
