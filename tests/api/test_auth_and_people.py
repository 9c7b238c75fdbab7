from tests.factories import PASSWORD


def test_token_exchange_answers_the_token_and_the_user(server, people):
    client = server.client()

    response = client.post("/api/v1/tokens", json={"username": "alice", "password": PASSWORD})

    body = response.json()
    assert response.status_code == 201
    assert body["token"].startswith("lo_")
    assert {k: v for k, v in body["user"].items() if k != "created_at"} == {
        "id": people.alice.user_id,
        "username": "alice",
        "role": "labeler",
        "vendor": "Acme",
        "languages": ["en", "es"],
        "is_active": True,
    }


def test_wrong_password_is_401_with_the_error_envelope(server, people):
    response = server.client().post(
        "/api/v1/tokens", json={"username": "alice", "password": "wrong password"}
    )

    assert response.status_code == 401
    assert response.json() == {
        "error": "bad_credentials",
        "message": "wrong username or password",
    }


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(server, people):
    response = server.client().post(
        "/api/v1/tokens", json={"username": "nobody", "password": "wrong password"}
    )

    assert response.status_code == 401
    assert response.json()["message"] == "wrong username or password"


def test_requests_without_credentials_are_401(server, people):
    response = server.client().get("/api/v1/projects")

    assert response.status_code == 401
    assert response.json()["error"] == "not_authenticated"


def test_a_bad_token_is_401(server, people):
    client = server.client()
    client.headers["Authorization"] = "Bearer lo_not-a-token"

    response = client.get("/api/v1/me")

    assert response.status_code == 401
    assert response.json()["error"] == "bad_token"


def test_a_revoked_token_stops_working(server, people):
    client = server.client("alice")
    assert client.delete("/api/v1/tokens/current").status_code == 204

    response = client.get("/api/v1/me")

    assert response.status_code == 401


def test_me_describes_the_caller(server, people):
    response = server.client("vic").get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["role"] == "vendor_lead"
    assert response.json()["vendor"] == "Acme"


def test_a_pm_creates_a_labeler_with_languages(server, people):
    response = server.client("pat").post(
        "/api/v1/users",
        json={
            "username": "nadia",
            "password": "long enough password",
            "role": "labeler",
            "vendor": "Babel",
            "languages": ["AR", "fr"],
        },
    )

    assert response.status_code == 201
    assert {k: response.json()[k] for k in ("username", "role", "vendor", "languages")} == {
        "username": "nadia",
        "role": "labeler",
        "vendor": "Babel",
        "languages": ["ar", "fr"],
    }


def test_a_pm_cannot_create_an_admin(server, people):
    response = server.client("pat").post(
        "/api/v1/users",
        json={"username": "boss", "password": "long enough password", "role": "admin"},
    )

    assert response.status_code == 403
    assert response.json() == {"error": "forbidden", "message": "a pm may not create a admin"}


def test_a_vendor_lead_creates_labelers_of_their_own_vendor_only(server, people):
    client = server.client("vic")
    own = {"username": "ana", "password": "long enough password", "role": "labeler"}

    created = client.post("/api/v1/users", json={**own, "languages": ["es"]})
    other_vendor = client.post(
        "/api/v1/users", json={**own, "username": "ben", "vendor": "Babel", "languages": ["en"]}
    )

    assert created.status_code == 201
    assert created.json()["vendor"] == "Acme"
    assert other_vendor.status_code == 403


def test_a_labeler_cannot_create_users(server, people):
    response = server.client("alice").post(
        "/api/v1/users",
        json={"username": "x1", "password": "long enough password", "role": "labeler"},
    )

    assert response.status_code == 403


def test_invalid_user_input_names_the_field(server, people):
    response = server.client("pat").post(
        "/api/v1/users",
        json={"username": "ok_name", "password": "short", "role": "labeler", "languages": ["en"]},
    )

    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request"
    assert response.json()["field"] == "password"


def test_a_labeler_needs_a_language(server, people):
    response = server.client("pat").post(
        "/api/v1/users",
        json={"username": "nolang", "password": "long enough password", "role": "labeler"},
    )

    assert response.status_code == 422
    assert response.json() == {
        "error": "invalid_input",
        "message": "a labeler needs at least one language",
        "field": "languages",
    }


def test_a_taken_username_is_409(server, people):
    response = server.client("pat").post(
        "/api/v1/users",
        json={
            "username": "alice",
            "password": "long enough password",
            "role": "labeler",
            "languages": ["en"],
        },
    )

    assert response.status_code == 409
    assert response.json()["error"] == "username_taken"


def test_a_vendor_lead_lists_only_their_vendors_people(server, people):
    response = server.client("vic").get("/api/v1/users")

    assert response.status_code == 200
    assert [u["username"] for u in response.json()] == ["alice", "amir", "vic"]


def test_a_vendor_lead_cannot_read_another_vendors_labeler(server, people):
    response = server.client("vic").get(f"/api/v1/users/{people.bruno.user_id}")

    assert response.status_code == 404


def test_unknown_routes_answer_the_error_envelope(server, people):
    response = server.client("pat").get("/api/v1/nothing-here")

    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "message": "Not Found"}


def test_openapi_documents_the_core_api(server, people):
    paths = server.client().get("/api/v1/openapi.json").json()["paths"]

    for path, method in [
        ("/api/v1/users", "post"),
        ("/api/v1/tokens", "post"),
        ("/api/v1/projects", "post"),
        ("/api/v1/projects/{project_id}/items", "post"),
        ("/api/v1/projects/{project_id}/next", "get"),
        ("/api/v1/assignments/{assignment_id}/submit", "post"),
        ("/api/v1/projects/{project_id}/export", "get"),
        ("/api/v1/projects/{project_id}/progress", "get"),
    ]:
        assert method in paths[path], f"{method.upper()} {path} is not documented"
