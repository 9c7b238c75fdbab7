"""Every API route against every role: who may, who may not (and gets 401/403/404, never data)."""

from __future__ import annotations

import pytest

from tests.factories import SIMPLE_LABELS, jsonl

ROLES = ("admin", "pat", "dana", "vic", "rita", "alice", "bruno")


@pytest.fixture
def world(server, people):
    """A project for dana staffed with Acme (alice's vendor, not bruno's), with items."""
    pat = server.client("pat")
    project = pat.post(
        "/api/v1/projects",
        json={
            "name": "Matrix",
            "languages": ["en"],
            "label_schema": SIMPLE_LABELS,
            "vendors": ["Acme"],
            "demander": "dana",
        },
    ).json()
    pat.post(
        f"/api/v1/projects/{project['id']}/items",
        content=jsonl([{"external_id": f"i{n}", "text": "t"} for n in range(20)]),
    )
    quiz = pat.post(
        "/api/v1/projects",
        json={
            "name": "Matrix quiz",
            "languages": ["en"],
            "label_schema": SIMPLE_LABELS,
            "vendors": ["Acme"],
            "demander": "dana",
            "qualification_items": 1,
        },
    ).json()
    pat.post(
        f"/api/v1/projects/{quiz['id']}/items",
        content=jsonl([{"external_id": "q0", "text": "t"}]),
    )
    pat.post(
        f"/api/v1/projects/{quiz['id']}/gold",
        content=jsonl([{"external_id": "q0", "labels": ["ok"]}]),
    )
    return {
        "project": project["id"],
        "quiz": quiz["id"],
        "alice": people.alice.user_id,
        "clients": {name: server.client(name) for name in ROLES},
    }


# (method, path, body, roles that succeed); everyone else must fail.
ROUTES = [
    ("GET", "/api/v1/projects/{p}", None, {"admin", "pat", "dana", "vic", "rita", "alice"}),
    ("PATCH", "/api/v1/projects/{p}", {"description": "x"}, {"admin", "pat"}),
    (
        "POST",
        "/api/v1/projects/{p}/items",
        [{"external_id": "new-{who}", "text": "t"}],
        {"admin", "pat"},
    ),
    ("GET", "/api/v1/projects/{p}/progress", None, {"admin", "pat", "dana", "vic"}),
    ("GET", "/api/v1/projects/{p}/dashboard", None, {"admin", "pat", "dana", "vic"}),
    ("GET", "/api/v1/projects/{p}/export", None, {"admin", "pat", "dana", "vic"}),
    ("GET", "/api/v1/projects/{p}/export?raw=true", None, {"admin", "pat", "vic"}),
    ("GET", "/api/v1/projects/{p}/export?method=ds", None, {"admin", "pat", "dana", "vic"}),
    ("GET", "/api/v1/projects/{p}/aggregation", None, {"admin", "pat", "dana", "vic"}),
    ("GET", "/api/v1/projects/{p}/confusion", None, {"admin", "pat", "dana", "vic"}),
    (
        "GET",
        "/api/v1/projects/{p}/guideline-examples",
        None,
        {"admin", "pat", "dana", "vic", "rita", "alice"},
    ),
    ("GET", "/api/v1/projects/{p}/next", None, {"alice"}),
    (
        "GET",
        "/api/v1/projects/{p}/guidelines",
        None,
        {"admin", "pat", "dana", "vic", "rita", "alice"},
    ),
    ("PUT", "/api/v1/projects/{p}/guidelines", {"body": "new"}, {"admin", "pat"}),
    ("GET", "/api/v1/projects/{p}/escalations", None, {"admin", "pat", "rita"}),
    ("POST", "/api/v1/projects", {"name": "n", "languages": ["en"]}, {"admin", "pat"}),
    ("GET", "/api/v1/users", None, {"admin", "pat", "vic"}),
    ("GET", "/api/v1/projects/{p}/disputes", None, {"admin", "pat", "vic", "rita", "alice"}),
    # Nobody answered anything in this world: a labeler's dispute finds no answer of theirs.
    ("POST", "/api/v1/projects/{p}/disputes", {"item_id": 1, "comment": "c"}, set()),
    ("POST", "/api/v1/projects/{p}/disputes/1/resolve", {"outcome": "uphold"}, set()),
    ("GET", "/api/v1/projects/{p}/drift-alerts", None, {"admin", "pat", "dana", "vic"}),
    ("POST", "/api/v1/projects/{p}/drift-alerts/1/acknowledge", None, set()),
    ("GET", "/api/v1/projects/{p}/audits", None, {"admin", "pat", "rita"}),
    ("GET", "/api/v1/projects/{p}/audit-plan", None, {"admin", "pat"}),
    ("GET", "/api/v1/audits", None, {"admin", "pat", "rita"}),
    ("POST", "/api/v1/vendors", {"name": "Vendor {who}"}, {"admin", "pat"}),
    ("GET", "/api/v1/projects/{q}/qualification", None, {"admin", "pat", "dana", "vic", "alice"}),
    ("POST", "/api/v1/projects/{q}/qualification/attempts", None, {"alice"}),
    ("POST", "/api/v1/projects/{q}/qualification/labelers/{alice}/reset", None, {"admin", "pat"}),
]


@pytest.mark.parametrize(("method", "path", "body", "allowed"), ROUTES)
def test_route_is_open_to_exactly_its_roles(world, method, path, body, allowed):
    for who in ROLES:
        url = path.format(p=world["project"], q=world["quiz"], alice=world["alice"])
        kwargs: dict[str, object] = {}
        if isinstance(body, list):
            kwargs["content"] = jsonl(
                [{k: v.format(who=who) for k, v in row.items()} for row in body]
            )
        elif body is not None:
            kwargs["json"] = {
                k: v.format(who=who) if isinstance(v, str) else v for k, v in body.items()
            }

        response = world["clients"][who].request(method, url, **kwargs)

        if who in allowed:
            assert response.status_code < 300, f"{who}: {method} {url} → {response.status_code}"
        else:
            assert response.status_code in (403, 404), (
                f"{who}: {method} {url} → {response.status_code}"
            )
            assert set(response.json()) >= {"error", "message"}


def test_without_credentials_every_route_is_401(world):
    anonymous = world["clients"]["admin"].__class__(
        base_url=str(world["clients"]["admin"].base_url)
    )
    try:
        for method, path, _, _ in ROUTES:
            response = anonymous.request(
                method, path.format(p=world["project"], q=world["quiz"], alice=world["alice"])
            )
            assert response.status_code == 401, f"{method} {path}"
    finally:
        anonymous.close()
