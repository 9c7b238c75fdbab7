from tests.quiz_setup import GOLD_LABEL, quiz_project


def take(client, project_id, *, right):
    quiz = client.post(f"/api/v1/projects/{project_id}/qualification/attempts")
    assert quiz.status_code == 200, quiz.text
    body = quiz.json()
    answers = {
        str(item["item_id"]): [GOLD_LABEL] if item["position"] <= right else ["ok"]
        for item in body["items"]
    }
    return client.post(
        f"/api/v1/projects/{project_id}/qualification/attempts/{body['attempt_id']}",
        json={"answers": answers},
    )


def test_a_try_carries_items_and_schema_but_no_answers(server, people):
    project_id = quiz_project(server)

    response = server.client("alice").post(f"/api/v1/projects/{project_id}/qualification/attempts")

    body = response.json()
    assert response.status_code == 200
    assert set(body) == {
        "attempt_id",
        "project_id",
        "kind",
        "labels",
        "items",
        "pass_mark",
        "started_at",
    }
    assert [set(item) for item in body["items"]] == [
        {"item_id", "position", "text", "language"}
    ] * 2
    assert all(item["text"].startswith("gold ") for item in body["items"])
    assert [label["key"] for label in body["labels"]] == ["ok", "abuse"]
    assert GOLD_LABEL not in {item["text"] for item in body["items"]}
    assert "An insult." not in response.text


def test_the_labeler_fails_once_then_passes_and_gets_real_items(server, people):
    project_id = quiz_project(server)
    alice = server.client("alice")

    blocked = alice.get(f"/api/v1/projects/{project_id}/next")
    failed = take(alice, project_id, right=0)
    still_blocked = alice.get(f"/api/v1/projects/{project_id}/next")
    passed = take(alice, project_id, right=2)
    leased = alice.get(f"/api/v1/projects/{project_id}/next")

    assert blocked.status_code == 409
    assert blocked.json()["error"] == "qualification_required"
    assert f"/label/{project_id}/qualification" in blocked.json()["message"]
    assert (failed.json()["correct"], failed.json()["passed"], failed.json()["tries_left"]) == (
        0,
        False,
        1,
    )
    assert failed.json()["items"][0]["expected"] == [GOLD_LABEL]
    assert failed.json()["items"][0]["explanation"] == "An insult."
    assert still_blocked.json()["error"] == "qualification_required"
    assert passed.json()["passed"] is True
    assert leased.status_code == 200
    assert leased.json()["item"]["external_id"].startswith("e")


def test_a_bad_answer_is_a_422_naming_the_question(server, people):
    project_id = quiz_project(server)
    alice = server.client("alice")
    quiz = alice.post(f"/api/v1/projects/{project_id}/qualification/attempts").json()
    first, second = (item["item_id"] for item in quiz["items"])

    response = alice.post(
        f"/api/v1/projects/{project_id}/qualification/attempts/{quiz['attempt_id']}",
        json={"answers": {str(first): ["ok"], str(second): ["ok", GOLD_LABEL]}},
    )

    assert response.status_code == 422
    assert response.json()["error"] == "one_label"
    assert response.json()["message"].startswith(f"question 2 (item {second}): ")


def test_after_the_last_try_the_queue_says_failed_and_the_pm_resets(server, people):
    project_id = quiz_project(server, qualification_tries=1)
    alice = server.client("alice")
    take(alice, project_id, right=0)

    blocked = alice.get(f"/api/v1/projects/{project_id}/next")
    refused = alice.post(f"/api/v1/projects/{project_id}/qualification/attempts")
    seen_by_vic = server.client("vic").get(f"/api/v1/projects/{project_id}/qualification").json()
    reset = server.client("pat").post(
        f"/api/v1/projects/{project_id}/qualification/labelers/{people.alice.user_id}/reset"
    )
    again = alice.post(f"/api/v1/projects/{project_id}/qualification/attempts")

    assert blocked.json()["error"] == "failed_qualification"
    assert refused.status_code == 409
    assert [(r["username"], r["state"], r["tries_left"]) for r in seen_by_vic["labelers"]] == [
        ("alice", "failed", 0)
    ]
    assert reset.status_code == 200
    assert (reset.json()["state"], reset.json()["tries_left"]) == ("required", 1)
    assert again.status_code == 200


def test_a_vendor_lead_does_not_see_another_vendors_labelers(server, people):
    project_id = quiz_project(server)
    take(server.client("bruno"), project_id, right=2)

    seen_by_vic = server.client("vic").get(f"/api/v1/projects/{project_id}/qualification").json()
    seen_by_pat = server.client("pat").get(f"/api/v1/projects/{project_id}/qualification").json()

    assert seen_by_vic["labelers"] == []
    assert [(r["username"], r["vendor"], r["state"]) for r in seen_by_pat["labelers"]] == [
        ("bruno", "Babel", "qualified")
    ]


def test_the_pm_is_told_when_the_gold_pool_is_too_small(server, people):
    project_id = quiz_project(server, gold=1, qualification_items=3)

    overview = server.client("pat").get(f"/api/v1/projects/{project_id}/qualification").json()
    refused = server.client("alice").post(f"/api/v1/projects/{project_id}/qualification/attempts")

    assert (overview["items"], overview["gold_items"]) == (3, 1)
    assert "1 in en" in overview["problem"]
    assert refused.status_code == 409
    assert refused.json()["error"] == "not_enough_gold"


def test_a_labeler_sees_their_own_standing_only(server, people):
    project_id = quiz_project(server)
    take(server.client("bruno"), project_id, right=0)

    mine = server.client("alice").get(f"/api/v1/projects/{project_id}/qualification").json()

    assert mine == {
        "project_id": project_id,
        "project_name": "Quiz",
        "items": 2,
        "pass_mark": 0.8,
        "tries": 2,
        "gold_items": None,
        "problem": None,
        "me": {
            "labeler_id": people.alice.user_id,
            "username": "alice",
            "vendor": "Acme",
            "state": "required",
            "tries_used": 0,
            "tries_left": 2,
            "attempts": [],
        },
        "labelers": [],
    }


def test_only_the_labeler_who_started_a_try_may_submit_it(server, people):
    project_id = quiz_project(server)
    quiz = server.client("alice").post(f"/api/v1/projects/{project_id}/qualification/attempts")
    url = f"/api/v1/projects/{project_id}/qualification/attempts/{quiz.json()['attempt_id']}"
    answers = {"answers": {str(i["item_id"]): ["ok"] for i in quiz.json()["items"]}}

    statuses = {
        who: server.client(who).post(url, json=answers).status_code
        for who in ("admin", "pat", "dana", "vic", "rita", "bruno")
    }
    anonymous = server.client().post(url, json=answers)
    own = server.client("alice").post(url, json=answers)

    assert statuses == {
        "admin": 403,
        "pat": 403,
        "dana": 403,
        "vic": 403,
        "rita": 403,
        "bruno": 404,
    }
    assert anonymous.status_code == 401
    assert own.status_code == 200
