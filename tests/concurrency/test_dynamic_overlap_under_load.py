"""Dynamic overlap under concurrent labelers who often disagree: the queue's invariants hold while
items close, widen and escalate, and no item is left wanting."""

from __future__ import annotations

import multiprocessing
from collections import Counter

import pytest
from sqlalchemy import select

from labelops import annotation, distribution, quality
from labelops.auth import Role
from labelops.db import Database
from tests.concurrency.workers import Outcome, process_main, run_threads
from tests.databases import ENGINE
from tests.factories import make_items, make_project, make_user
from tests.invariants import queue_violations

pytestmark = pytest.mark.slow

ANSWERS = ("ok", "abuse.insult")  # labelers who agree by chance: items widen and escalate
MIN, MAX = 2, 4


def setup_project(db: Database, *, items: int, labelers: int):
    with db.write() as session:
        pat = make_user(session, "pat", Role.PM)
        project = make_project(session, pat, overlap=MIN, max_overlap=MAX, target_confidence=0.9)
        make_items(session, pat, project, items)
        actors = [make_user(session, f"labeler{i:02d}") for i in range(labelers)]
    return project.id, actors


def check(db: Database, project_id: int, outcomes: list[Outcome], *, items: int) -> None:
    acknowledged = [a for o in outcomes for a in o.acknowledged]
    with db.read() as session:
        per_item = Counter(
            session.scalars(
                select(annotation.Annotation.item_id).where(
                    annotation.Annotation.project_id == project_id
                )
            )
        )
        stored = set(
            session.scalars(
                select(annotation.Annotation.id).where(
                    annotation.Annotation.project_id == project_id
                )
            )
        )
        problems = queue_violations(session, project_id)
        open_slots = session.scalars(
            select(distribution.QueueEntry.open_slots).where(
                distribution.QueueEntry.project_id == project_id
            )
        ).all()
        escalated = session.scalars(
            select(quality.Escalation.item_id).where(quality.Escalation.project_id == project_id)
        ).all()
    assert problems == []
    assert set(acknowledged) <= stored
    assert set(open_slots) == {0}  # every item came to a decision
    assert len(per_item) == items
    assert min(per_item.values()) >= MIN
    assert max(per_item.values()) <= MAX
    assert escalated, "with this much disagreement some item reaches the maximum"
    assert len(escalated) == len(set(escalated))
    assert {per_item[item_id] for item_id in escalated} == {MAX}
    assert sum(per_item.values()) > items * MIN  # some items got more than the minimum
    served = Counter(pair for o in outcomes for pair in o.served)
    assert [pair for pair, n in served.items() if n > 1] == []


@pytest.mark.skipif(ENGINE != "sqlite", reason="the SQLite variant")
def test_sixteen_labeler_threads_on_sqlite(databases):
    url = databases.new_url()
    first, second = Database(url, pool_size=20), Database(url, pool_size=20)
    project_id, actors = setup_project(first, items=100, labelers=16)

    outcomes = run_threads([first, second], actors, project_id, answers=ANSWERS)

    check(first, project_id, outcomes, items=100)
    first.dispose()
    second.dispose()


@pytest.mark.skipif(ENGINE != "postgresql", reason="the PostgreSQL variant")
def test_four_processes_of_eight_threads_on_postgresql(databases):
    url = databases.new_url()
    db = Database(url)
    project_id, actors = setup_project(db, items=120, labelers=32)
    context = multiprocessing.get_context("spawn")

    with context.Pool(4) as pool:
        outcomes = pool.starmap(
            process_main,
            [(url, actors[i * 8 : (i + 1) * 8], project_id, 100 * i, ANSWERS) for i in range(4)],
        )

    check(db, project_id, outcomes, items=120)
    db.dispose()
