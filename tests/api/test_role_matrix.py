"""Every API route against every role: who may, who may not (and gets 401/403/404, never data)."""

from __future__ import annotations

import pytest

from tests.factories import SIMPLE_LABELS, jsonl

ROLES = ("admin", "pat", "dana", "vic", "rita", "alice", "bruno")


@pytest.fixture
def world(server, people, db):
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
            "guidelines": "# Read it all",
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
    demand = (
        server.client("dana")
        .post(
            "/api/v1/demands",
            json={
                "title": "Matrix demand",
                "purpose": "training_data",
                "taxonomy_template": "ts-default",
                "volumes": [{"language": "en", "volume": 10}],
            },
        )
        .json()
    )
    pat.post(
        "/api/v1/sops",
        json={"slug": "breaks", "title": "Breaks", "roles": ["labeler"], "body": "Rest."},
    )
    return {
        "demand": demand["id"],
        "project": project["id"],
        "quiz": quiz["id"],
        "alice": people.alice.user_id,
        "acme": people.vic.vendor_id,
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
    ("GET", "/api/v1/projects/{p}/scorecards", None, {"admin", "pat", "dana", "vic"}),
    ("GET", "/api/v1/projects/{p}/invoice-check", None, {"admin", "pat", "dana", "vic"}),
    ("GET", "/api/v1/projects/{p}/bottlenecks", None, {"admin", "pat", "dana", "vic"}),
    ("GET", "/api/v1/projects/{p}/report", None, {"admin", "pat", "dana", "vic"}),
    ("GET", "/api/v1/projects/{p}/report.xlsx", None, {"admin", "pat", "dana", "vic"}),
    ("GET", "/api/v1/projects/{p}/what-if?overlap=2", None, {"admin", "pat"}),
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
    ("GET", "/api/v1/projects/{p}/risks", None, {"admin", "pat", "dana", "vic"}),
    ("POST", "/api/v1/projects/{p}/risks", {"title": "by {who}"}, {"admin", "pat"}),
    ("POST", "/api/v1/projects/{p}/risks/scan", None, {"admin", "pat"}),
    ("GET", "/api/v1/notifications", None, set(ROLES)),
    ("POST", "/api/v1/notifications/read-all", None, set(ROLES)),
    ("POST", "/api/v1/projects/{p}/drift-alerts/1/acknowledge", None, set()),
    ("GET", "/api/v1/projects/{p}/audits", None, {"admin", "pat", "rita"}),
    ("GET", "/api/v1/projects/{p}/audit-plan", None, {"admin", "pat"}),
    ("GET", "/api/v1/audits", None, {"admin", "pat", "rita"}),
    ("POST", "/api/v1/vendors", {"name": "Vendor {who}"}, {"admin", "pat"}),
    ("GET", "/api/v1/projects/{q}/qualification", None, {"admin", "pat", "dana", "vic", "alice"}),
    ("POST", "/api/v1/projects/{q}/qualification/attempts", None, {"alice"}),
    ("POST", "/api/v1/projects/{q}/qualification/labelers/{alice}/reset", None, {"admin", "pat"}),
    ("GET", "/api/v1/projects/{p}/questions", None, {"admin", "pat", "vic", "rita", "alice"}),
    (
        "GET",
        "/api/v1/projects/{p}/questions/summary",
        None,
        {"admin", "pat", "vic", "rita", "alice"},
    ),
    # Nobody was given an item in this world: nobody may ask about one.
    ("POST", "/api/v1/projects/{p}/questions", {"item_id": 1, "body": "b"}, set()),
    ("POST", "/api/v1/questions/1/answer", {"answer": "a"}, set()),
    ("GET", "/api/v1/taxonomy-templates", None, set(ROLES)),
    ("GET", "/api/v1/taxonomy-templates/ts-default", None, set(ROLES)),
    (
        "POST",
        "/api/v1/demands",
        {
            "title": "Demand by {who}",
            "purpose": "other",
            "taxonomy_notes": "spam or not",
            "volumes": [{"language": "en", "volume": 5}],
        },
        {"admin", "pat", "dana"},
    ),
    ("GET", "/api/v1/demands", None, {"admin", "pat", "dana"}),
    ("GET", "/api/v1/demands/{d}", None, {"admin", "pat", "dana"}),
    ("PATCH", "/api/v1/demands/{d}", {"description": "by {who}"}, {"admin", "pat", "dana"}),
    ("POST", "/api/v1/demands/{d}/comments", {"body": "from {who}"}, {"admin", "pat", "dana"}),
    ("GET", "/api/v1/demands/{d}/delivery", None, {"admin", "pat", "dana"}),
    # {ds}, {da}, {dd}: a demand of each caller's own, submitted, accepted, or converted into a
    # delivered project, so that each allowed caller finds it in the state the move needs.
    ("POST", "/api/v1/demands/{ds}/status", {"status": "evaluating"}, {"admin", "pat"}),
    ("POST", "/api/v1/demands/{d}/status", {"status": "withdrawn"}, {"dana"}),
    ("POST", "/api/v1/demands/{da}/convert", {}, {"admin", "pat"}),
    ("POST", "/api/v1/demands/{dd}/delivery", {"decision": "accept"}, {"dana"}),
    ("POST", "/api/v1/demands/{d}/estimates", {}, {"admin", "pat"}),
    ("GET", "/api/v1/demands/{d}/estimates", None, {"admin", "pat", "dana"}),
    ("GET", "/api/v1/demands/{d}/actual", None, {"admin", "pat", "dana"}),
    ("GET", "/api/v1/vendors/{acme}/languages", None, {"admin", "pat", "vic"}),
    (
        "PUT",
        "/api/v1/vendors/{acme}/languages",
        ({"language": "en", "hourly_rate": 10, "weekly_hours": 40},),
        {"admin", "pat"},
    ),
    ("GET", "/api/v1/projects/{p}/allocations", None, {"admin", "pat", "vic"}),
    ("PUT", "/api/v1/projects/{p}/allocations", (), {"admin", "pat"}),
    ("GET", "/api/v1/capacity", None, {"admin", "pat", "vic"}),
    (
        "GET",
        "/api/v1/projects/{q}/guidelines/versions",
        None,
        {"admin", "pat", "dana", "vic", "rita", "alice"},
    ),
    (
        "GET",
        "/api/v1/projects/{q}/guidelines/versions/1",
        None,
        {"admin", "pat", "dana", "vic", "rita", "alice"},
    ),
    (
        "GET",
        "/api/v1/projects/{q}/guidelines/diff?from=0&to=1",
        None,
        {"admin", "pat", "dana", "vic", "rita", "alice"},
    ),
    (
        "POST",
        "/api/v1/projects/{q}/guidelines/ack",
        {"version": 1},
        {"admin", "pat", "dana", "vic", "rita", "alice"},
    ),
    ("GET", "/api/v1/projects/{q}/guidelines/acks", None, {"admin", "pat", "dana", "vic"}),
    ("GET", "/api/v1/sops", None, set(ROLES)),
    (
        "POST",
        "/api/v1/sops",
        {"slug": "sop-{who}", "title": "T", "roles": ["reviewer"], "body": "b"},
        {"admin", "pat"},
    ),
    ("GET", "/api/v1/sops/breaks", None, {"admin", "pat", "alice", "bruno"}),
    ("GET", "/api/v1/sops/breaks/diff?from=0&to=1", None, {"admin", "pat", "alice", "bruno"}),
    ("POST", "/api/v1/sops/breaks/versions", {"body": "Rest more."}, {"admin", "pat"}),
    ("POST", "/api/v1/sops/breaks/ack", {"version": 1}, {"admin", "pat", "alice", "bruno"}),
]
DEMAND_STAGES = {"ds": (), "da": ("accepted",), "dd": ("accepted", "delivered")}


def demand_in_stage(world, stage):
    """A new demand by dana, moved on by pat to the stage: submitted, accepted or delivered."""
    dana, pat = world["clients"]["dana"], world["clients"]["pat"]
    demand = dana.post(
        "/api/v1/demands",
        json={
            "title": "Staged demand",
            "purpose": "training_data",
            "taxonomy_template": "ts-default",
            "volumes": [{"language": "en", "volume": 10}],
        },
    ).json()["id"]
    if "accepted" in stage:
        pat.post(f"/api/v1/demands/{demand}/status", json={"status": "evaluating"})
        pat.post(f"/api/v1/demands/{demand}/status", json={"status": "accepted"})
    if "delivered" in stage:
        pat.post(f"/api/v1/demands/{demand}/convert", json={"status": "delivered"})
    return demand


def url_for(world, path, who=None):
    staged = {
        key: demand_in_stage(world, stage) if who and f"{{{key}}}" in path else world["demand"]
        for key, stage in DEMAND_STAGES.items()
    }
    return path.format(
        p=world["project"],
        q=world["quiz"],
        alice=world["alice"],
        d=world["demand"],
        acme=world["acme"],
        **staged,
    )


@pytest.mark.parametrize(("method", "path", "body", "allowed"), ROUTES)
def test_route_is_open_to_exactly_its_roles(world, method, path, body, allowed):
    for who in ROLES:
        url = url_for(world, path, who)
        kwargs: dict[str, object] = {}
        if isinstance(body, tuple):  # a JSON array body
            kwargs["json"] = list(body)
        elif isinstance(body, list):
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
                method,
                url_for(world, path),
            )
            assert response.status_code == 401, f"{method} {path}"
    finally:
        anonymous.close()
