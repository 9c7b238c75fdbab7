from tests.factories import SIMPLE_LABELS, jsonl


def questions_project(server):
    pat = server.client("pat")
    project = pat.post(
        "/api/v1/projects",
        json={
            "name": "Questions",
            "languages": ["en"],
            "label_schema": SIMPLE_LABELS,
            "vendors": ["Acme", "Babel"],
            "guidelines": "Insults are abuse.",
        },
    ).json()
    rows = [{"external_id": f"e{n}", "text": f"text {n}"} for n in range(4)]
    pat.post(f"/api/v1/projects/{project['id']}/items", content=jsonl(rows))
    for labeler in ("alice", "amir", "bruno", "sofia"):  # past the acknowledgement gate
        read = server.client(labeler).post(
            f"/api/v1/projects/{project['id']}/guidelines/ack", json={"version": 1}
        )
        assert read.status_code in (200, 201), read.text
    return project["id"]


def ask(client, project_id, body="Is sarcasm an insult?"):
    lease = client.get(f"/api/v1/projects/{project_id}/next")
    assert lease.status_code == 200, lease.text
    asked = client.post(
        f"/api/v1/projects/{project_id}/questions",
        json={"item_id": lease.json()["item"]["id"], "body": body},
    )
    return lease.json(), asked


def test_a_labeler_asks_and_the_pm_answers_with_a_guideline_example(server, people):
    project_id = questions_project(server)
    alice, pat = server.client("alice"), server.client("pat")
    lease, asked = ask(alice, project_id)

    pending = pat.get(f"/api/v1/projects/{project_id}/questions?state=open")
    answered = pat.post(
        f"/api/v1/questions/{asked.json()['id']}/answer",
        json={"answer": "Yes, when it targets a person.", "example_labels": ["abuse.insult"]},
    )
    mine = alice.get(f"/api/v1/projects/{project_id}/questions").json()
    examples = alice.get(f"/api/v1/projects/{project_id}/guideline-examples").json()

    assert asked.status_code == 201
    body = asked.json()
    assert body == {
        "id": body["id"],
        "project_id": project_id,
        "item_id": lease["item"]["id"],
        "external_id": lease["item"]["external_id"],
        "text": lease["item"]["text"],
        "asker_id": people.alice.user_id,
        "asker": "alice",
        "vendor": "Acme",
        "body": "Is sarcasm an insult?",
        "guideline_version": 1,
        "created_at": body["created_at"],
        "answer": None,
        "answered_by": None,
        "answered_at": None,
        "example_id": None,
        "example_labels": None,
    }
    assert [q["id"] for q in pending.json()] == [body["id"]]
    assert answered.status_code == 200, answered.text
    assert mine == [answered.json()]
    assert mine[0]["answer"] == "Yes, when it targets a person."
    assert mine[0]["answered_by"] == "pat"
    assert mine[0]["example_labels"] == ["abuse.insult"]
    assert [(e["id"], e["explanation"]) for e in examples] == [
        (mine[0]["example_id"], "Yes, when it targets a person.")
    ]
    assert pat.get(f"/api/v1/projects/{project_id}/questions?state=open").json() == []


def test_asking_keeps_the_lease(server, people):
    project_id = questions_project(server)
    alice = server.client("alice")
    lease, _ = ask(alice, project_id)

    again = alice.get(f"/api/v1/projects/{project_id}/next")

    assert again.json()["assignment_id"] == lease["assignment_id"]


def test_a_labeler_cannot_ask_about_an_item_they_were_not_given(server, people):
    project_id = questions_project(server)
    lease, _ = ask(server.client("alice"), project_id)

    probed = server.client("bruno").post(
        f"/api/v1/projects/{project_id}/questions",
        json={"item_id": lease["item"]["id"], "body": "What is this?"},
    )

    assert probed.status_code == 404
    assert probed.json()["error"] == "item_not_found"


def test_a_blank_or_overlong_question_is_refused_naming_the_field(server, people):
    project_id = questions_project(server)
    alice = server.client("alice")
    _, blank = ask(alice, project_id, body="  ")
    _, long = ask(alice, project_id, body="x" * 2001)

    assert blank.status_code == 422
    assert blank.json()["error"] == "no_question"
    assert blank.json()["field"] == "body"
    assert long.status_code == 422
    assert long.json()["errors"] == [
        {"field": "body", "message": "String should have at most 2000 characters"}
    ]


def test_vendors_see_only_their_own_labelers_questions(server, people):
    project_id = questions_project(server)
    ask(server.client("alice"), project_id, body="alice's")
    _, by_bruno = ask(server.client("bruno"), project_id, body="bruno's")

    def bodies(who):
        listed = server.client(who).get(f"/api/v1/projects/{project_id}/questions")
        assert listed.status_code == 200, listed.text
        return sorted(q["body"] for q in listed.json())

    assert bodies("vic") == ["alice's"]
    assert bodies("bruno") == ["bruno's"]
    assert bodies("pat") == ["alice's", "bruno's"]
    refused = server.client("vic").post(
        f"/api/v1/questions/{by_bruno.json()['id']}/answer", json={"answer": "x"}
    )
    assert refused.status_code == 403


def test_answering_twice_is_a_conflict(server, people):
    project_id = questions_project(server)
    _, asked = ask(server.client("alice"), project_id)
    pat = server.client("pat")
    url = f"/api/v1/questions/{asked.json()['id']}/answer"
    pat.post(url, json={"answer": "Yes."})

    again = pat.post(url, json={"answer": "No."})

    assert again.status_code == 409
    assert again.json()["error"] == "question_answered"


def test_the_summary_tells_the_labeler_of_new_answers(server, people):
    project_id = questions_project(server)
    alice, pat = server.client("alice"), server.client("pat")
    _, asked = ask(alice, project_id)
    before = pat.get(f"/api/v1/projects/{project_id}/questions/summary").json()
    pat.post(f"/api/v1/questions/{asked.json()['id']}/answer", json={"answer": "Yes."})

    after = alice.get(
        f"/api/v1/projects/{project_id}/questions/summary",
        params={"since": asked.json()["created_at"]},
    ).json()

    assert before == {
        "open": 1,
        "oldest_open_at": asked.json()["created_at"],
        "answered": 0,
        "answered_since": None,
    }
    assert after == {"open": 0, "oldest_open_at": None, "answered": 1, "answered_since": 1}


def test_taxonomy_templates_are_listed_and_served(server, people):
    dana = server.client("dana")

    listed = dana.get("/api/v1/taxonomy-templates")
    template = dana.get("/api/v1/taxonomy-templates/ts-default")
    unknown = dana.get("/api/v1/taxonomy-templates/nope")

    assert listed.status_code == 200
    assert [t["name"] for t in listed.json()] == ["ts-default"]
    assert listed.json()[0]["title"] == "Trust & Safety (default)"
    assert template.json()["labels"][0]["dsa_category"] == (
        "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH"
    )
    assert unknown.status_code == 404


def test_a_project_is_created_from_an_edited_template(server, people):
    pat = server.client("pat")
    schema = pat.get("/api/v1/taxonomy-templates/ts-default").json()
    schema["labels"] = [label for label in schema["labels"] if label["key"] != "spam"]

    created = pat.post(
        "/api/v1/projects",
        json={"name": "From template", "languages": ["en"], "label_schema": schema},
    )

    assert created.status_code == 201, created.text
    keys = [label["key"] for label in created.json()["label_schema"]["labels"]]
    assert "spam" not in keys
    assert "hate" in keys
