"""A small world for evaluation and resources: vendors with languages, demands, a delivered
project of the same taxonomy with handling times, a running project with allocations."""

from __future__ import annotations

from datetime import date
from typing import Any

from labelops import projects, workforce
from labelops.db import Database
from tests.factories import jsonl


def vendor_id(db: Database, name: str) -> int:
    with db.read() as session:
        vendor = workforce.find_vendor(session, name)
        assert vendor is not None
        return vendor.id


def set_languages(client: Any, db: Database, vendor: str, rows: list[dict[str, Any]]) -> None:
    response = client.put(f"/api/v1/vendors/{vendor_id(db, vendor)}/languages", json=rows)
    assert response.status_code == 200, response.text


def staff_vendors(server: Any, db: Database) -> None:
    """Acme: en at 12/h for 40 h a week, es at 15/h for 10 h (billed 0.04 a label); Babel: en
    at 9/h for 20 h."""
    pat = server.client("pat")
    set_languages(
        pat,
        db,
        "Acme",
        [
            {"language": "en", "hourly_rate": 12, "weekly_hours": 40},
            {"language": "es", "hourly_rate": 15, "weekly_hours": 10, "label_rate": 0.04},
        ],
    )
    set_languages(pat, db, "Babel", [{"language": "en", "hourly_rate": 9, "weekly_hours": 20}])


def make_demand(
    db: Database,
    demander_id: int | None,
    *,
    volumes: list[dict[str, Any]] | None = None,
    deadline: date | None = date(2027, 1, 11),
    budget: float | None = None,
    project_id: int | None = None,
    title: str = "Hate speech in en and es",
) -> int:
    with db.write() as session:
        demand = projects.Demand(
            title=title,
            purpose="training",
            taxonomy_template="ts-default",
            volumes=volumes
            or [{"language": "en", "volume": 1000}, {"language": "es", "volume": 200}],
            deadline=deadline,
            budget=budget,
            demander_id=demander_id,
            project_id=project_id,
        )
        session.add(demand)
        session.flush()
        return demand.id


def labeled_project(
    server: Any,
    *,
    name: str,
    items: int,
    durations_ms: list[int],
    status: str | None = None,
    languages: tuple[str, ...] = ("en",),
    labelers: tuple[str, ...] = ("alice",),
    **settings: Any,
) -> int:
    """A project with the ts-default taxonomy whose labelers label with these durations."""
    pat = server.client("pat")
    created = pat.post(
        "/api/v1/projects",
        json={
            "name": name,
            "languages": list(languages),
            "label_schema": projects.taxonomy_template("ts-default"),
            "vendors": ["Acme", "Babel"],
            **settings,
        },
    )
    assert created.status_code == 201, created.text
    project_id: int = created.json()["id"]
    pat.post(
        f"/api/v1/projects/{project_id}/items",
        content=jsonl(
            [
                {"external_id": f"{name}-{n}", "text": f"text {n}", "language": languages[0]}
                for n in range(items)
            ]
        ),
    )
    clients = [server.client(who) for who in labelers]
    for n, duration in enumerate(durations_ms):
        client = clients[n % len(clients)]
        lease = client.get(f"/api/v1/projects/{project_id}/next")
        assert lease.status_code == 200, lease.text
        submitted = client.post(
            f"/api/v1/assignments/{lease.json()['assignment_id']}/submit",
            json={"labels": ["hate.stereotype"], "duration_ms": duration},
        )
        assert submitted.status_code == 201, submitted.text
    if status is not None:
        changed = pat.patch(f"/api/v1/projects/{project_id}", json={"status": status})
        assert changed.status_code == 200, changed.text
    return project_id
