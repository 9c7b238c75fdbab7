"""A project with a qualification quiz, set up through the API (for API, page and browser tests)."""

from __future__ import annotations

from typing import Any

from tests.conftest import LiveServer
from tests.factories import SIMPLE_LABELS, jsonl

GOLD_LABEL = "abuse.insult"


def quiz_project(server: LiveServer, *, gold: int = 4, items: int = 3, **settings: Any) -> int:
    """A project staffed with both vendors: `gold` gold items (answer: insult), `items` real."""
    pat = server.client("pat")
    project = pat.post(
        "/api/v1/projects",
        json={
            "name": "Quiz",
            "languages": ["en"],
            "label_schema": SIMPLE_LABELS,
            "vendors": ["Acme", "Babel"],
            "qualification_items": 2,
            "qualification_tries": 2,
            **settings,
        },
    ).json()
    rows = [{"external_id": f"g{i}", "text": f"gold {i}"} for i in range(gold)]
    rows += [{"external_id": f"e{i}", "text": f"text {i}"} for i in range(items)]
    pat.post(f"/api/v1/projects/{project['id']}/items", content=jsonl(rows))
    pat.post(
        f"/api/v1/projects/{project['id']}/gold",
        content=jsonl(
            [
                {"external_id": f"g{i}", "labels": [GOLD_LABEL], "explanation": "An insult."}
                for i in range(gold)
            ]
        ),
    )
    return int(project["id"])
