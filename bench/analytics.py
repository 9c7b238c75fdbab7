"""Progress dashboard at scale: a project of 1,000,000 items and 5,000,000 annotations.

Builds the project with bulk inserts straight into the tables (SQLAlchemy Core; the facts only,
as the labeling loop would have left them), folds the annotations into the hourly rollups
(printing the time), then times each dashboard figure and the whole dashboard 20 times each and
prints p50 / p95. In-process, on the same service functions the API and the page call.

    .venv/bin/python -m bench.analytics                     # SQLite in a temporary directory
    .venv/bin/python -m bench.analytics --items 100000 --annotations 500000
    .venv/bin/python -m bench.analytics --database-url postgresql+psycopg://postgres@127.0.0.1/bench
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from labelops import analytics, distribution, migrate, projects, workforce
from labelops.analytics import dashboard, forecast, progress
from labelops.annotation import Annotation
from labelops.auth import SYSTEM, Role
from labelops.db import Database, table

LANGUAGES = ("en", "es", "ar", "hi", "id")
LABELS = ("ok", "abuse.insult", "abuse.threat", "spam", "hate")
VENDORS = ("Acme", "Babel", "Cosmo")
PER_SHIFT = 20
PER_LANGUAGE = 3 * PER_SHIFT
LABELERS = len(LANGUAGES) * PER_LANGUAGE
BATCH = 50_000
RUNS = 20


def build(db: Database, n_items: int, n_annotations: int, overlap: int) -> int:
    """The project, its items, queue, assignments and annotations; returns the project id."""
    now = datetime.now(UTC)
    with db.write() as session:
        for vendor in VENDORS:
            workforce.create_vendor(session, actor=SYSTEM, name=vendor)
        labelers = [
            workforce.create_user(
                session,
                actor=SYSTEM,
                data=workforce.NewUser(
                    username=f"bench-labeler-{n}",
                    password="bench-password",
                    role=Role.LABELER,
                    vendor=VENDORS[n % len(VENDORS)],
                    languages=list(LANGUAGES),
                ),
            )
            for n in range(LABELERS)
        ]
        people = [(user.id, user.vendor_id) for user in labelers]
        project = projects.create_project(
            session,
            actor=SYSTEM,
            data=projects.NewProject(
                name="Analytics at scale",
                languages=list(LANGUAGES),
                label_schema=projects.LabelSchema.model_validate(_schema()),
                overlap=overlap,
            ),
        )
        project.deadline = (now + timedelta(days=20)).date()
        project.sla_hours = 24 * 7
        project_id = project.id
        batch_id = session.scalar(
            insert(table(projects.ImportBatch))
            .values(
                project_id=project_id,
                source="bench",
                format="jsonl",
                imported=n_items,
                rejected=0,
                created_at=now - timedelta(days=31),
            )
            .returning(table(projects.ImportBatch).c.id)
        )
    first_item = _next_id(db, projects.Item)
    first_assignment = _next_id(db, distribution.Assignment)
    labeled_items = min(n_items, n_annotations // overlap)
    span = timedelta(days=30).total_seconds()
    start = now - timedelta(days=30, hours=1)
    rng = random.Random(5)
    t0 = time.perf_counter()
    for low in range(0, n_items, BATCH):
        high = min(low + BATCH, n_items)
        items, queue, assignments, annotations = [], [], [], []
        for n in range(low, high):
            item_id = first_item + n
            language = LANGUAGES[n % len(LANGUAGES)]
            items.append(
                {
                    "id": item_id,
                    "project_id": project_id,
                    "batch_id": batch_id,
                    "external_id": f"x{n}",
                    "text": f"bench text {n}",
                    "language": language,
                    "priority": 0,
                }
            )
            given = overlap if n < labeled_items else 0
            queue.append(
                {
                    "item_id": item_id,
                    "project_id": project_id,
                    "language": language,
                    "priority": 0,
                    "target": overlap,
                    "open_slots": overlap - given,
                    "submitted": given,
                    "is_gold": False,
                }
            )
            moment = start + timedelta(seconds=span * n / max(labeled_items, 1))
            # Each language has its own labelers, in three 8-hour shifts of 20 people.
            shift = moment.hour // 8
            crew = (n % len(LANGUAGES)) * PER_LANGUAGE + shift * PER_SHIFT
            for slot in range(given):
                labeler_id, vendor_id = people[crew + (n * 7 + slot * 31) % PER_SHIFT]
                assignment_id = first_assignment + n * overlap + slot
                submitted_at = moment + timedelta(seconds=slot * 40)
                assignments.append(
                    {
                        "id": assignment_id,
                        "project_id": project_id,
                        "item_id": item_id,
                        "labeler_id": labeler_id,
                        "status": "submitted",
                        "leased_at": submitted_at - timedelta(seconds=20),
                        "lease_expires_at": submitted_at + timedelta(minutes=10),
                        "ended_at": submitted_at,
                    }
                )
                annotations.append(
                    {
                        "assignment_id": assignment_id,
                        "project_id": project_id,
                        "item_id": item_id,
                        "labeler_id": labeler_id,
                        "vendor_id": vendor_id,
                        "labels": [LABELS[rng.randrange(len(LABELS))]],
                        "duration_ms": rng.randrange(2_000, 30_000),
                        "guideline_version": None,
                        "leased_at": submitted_at - timedelta(seconds=20),
                        "submitted_at": submitted_at,
                        "is_late": False,
                    }
                )
        with db.write() as session:
            session.execute(insert(table(projects.Item)), items)
            session.execute(insert(table(distribution.QueueEntry)), queue)
            if assignments:
                session.execute(insert(table(distribution.Assignment)), assignments)
                session.execute(insert(table(Annotation)), annotations)
        print(f"\r  loaded {high:,} items", end="", flush=True)
    print(
        f"\n  loaded {n_items:,} items, {labeled_items * overlap:,} annotations "
        f"in {time.perf_counter() - t0:.0f} s"
    )
    return project_id


def _schema() -> dict[str, Any]:
    return {
        "kind": "single",
        "labels": [
            {"key": key, "name": key, "description": key, "hotkey": str(n + 1)}
            for n, key in enumerate(("ok", "spam", "hate"))
        ]
        + [
            {
                "key": "abuse",
                "name": "Abuse",
                "description": "Abuse",
                "hotkey": "4",
                "children": [
                    {"key": "abuse.insult", "name": "I", "description": "I", "hotkey": "1"},
                    {"key": "abuse.threat", "name": "T", "description": "T", "hotkey": "2"},
                ],
            }
        ],
    }


def _next_id(db: Database, model: Any) -> int:
    with db.read() as session:
        return int(session.scalar(select(model.id).order_by(model.id.desc()).limit(1)) or 0) + 1


def timed(db: Database, call: Callable[[Session], object]) -> tuple[float, float]:
    samples = []
    for _ in range(RUNS):
        with db.read() as session:
            t0 = time.perf_counter()
            call(session)
            samples.append((time.perf_counter() - t0) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(0.95 * (len(samples) - 1) + 0.5)]


def measure(db: Database, project_id: int) -> None:
    now = datetime.now(UTC)
    pm = SYSTEM
    since = now - timedelta(days=forecast.LOOKBACK_DAYS)
    checks: list[tuple[str, Callable[[Session], object]]] = [
        (
            "backlog by state",
            lambda s: dashboard._backlog(s, project_id, forecast.unfinished(s, project_id)),
        ),
        ("remaining labels", lambda s: forecast.remaining_labels(s, project_id)),
        (
            "throughput by hour (90 days)",
            lambda s: analytics.rollups.totals_by(s, project_id, "hour", since=since),
        ),
        (
            "AHT by labeler and language",
            lambda s: analytics.rollups.totals_by(s, project_id, ("labeler", "language")),
        ),
        ("AHT by label (window)", lambda s: dashboard._aht_by_label(s, project_id, None)),
        (
            "active labelers",
            lambda s: progress._active_labelers(s, project_id, None, now),
        ),
        ("SLA (latest items)", lambda s: dashboard._sla(s, project_id, 24 * 7, now)),
        ("completion forecast", lambda s: analytics.completion_forecast(s, project_id)),
        (
            "whole dashboard (PM)",
            lambda s: analytics.project_dashboard(s, actor=pm, project_id=project_id),
        ),
    ]
    print(f"  {'figure':<30} {'p50 ms':>8} {'p95 ms':>8}")
    for name, call in checks:
        p50, p95 = timed(db, call)
        print(f"  {name:<30} {p50:8.1f} {p95:8.1f}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--database-url", help="an empty database (default: SQLite, temporary)")
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--annotations", type=int, default=5_000_000)
    parser.add_argument("--overlap", type=int, default=6)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        db = Database(url)
        migrate.upgrade(db)
        print(f"building on {db.engine.dialect.name}")
        project_id = build(db, args.items, args.annotations, args.overlap)
        t0 = time.perf_counter()
        with db.write() as session:
            added = analytics.refresh_rollups(session, project_id)
        with db.read() as session:
            rows = session.scalar(
                select(analytics.HourlyRollup.id).order_by(analytics.HourlyRollup.id.desc())
            )
        print(
            f"  rollups: {added:,} annotations folded into {rows or 0:,} rows "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        measure(db, project_id)
        db.dispose()


if __name__ == "__main__":
    main()
