"""Many labelers at once: no item over-assigned, no labeler twice on an item, no acknowledged
submission lost — on SQLite (threads, and two engines as two processes would) and on
PostgreSQL (four processes of eight threads)."""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter

import pytest
from sqlalchemy import select

from labelops import annotation, distribution
from labelops.auth import Role
from labelops.db import Database
from tests.concurrency.workers import Outcome, process_main, run_threads
from tests.databases import ENGINE
from tests.factories import make_items, make_project, make_user
from tests.invariants import queue_violations

pytestmark = pytest.mark.slow


def setup_project(db: Database, *, overlap: int, items: int, labelers: int):
    with db.write() as session:
        pat = make_user(session, "pat", Role.PM)
        project = make_project(session, pat, overlap=overlap)
        make_items(session, pat, project, items)
        actors = [make_user(session, f"labeler{i:02d}") for i in range(labelers)]
    return project.id, actors


def check(db: Database, project_id: int, outcomes: list[Outcome], *, overlap: int, items: int):
    acknowledged = [a for o in outcomes for a in o.acknowledged]
    with db.read() as session:
        stored = set(
            session.scalars(
                select(annotation.Annotation.id).where(
                    annotation.Annotation.project_id == project_id
                )
            )
        )
        problems = queue_violations(session, project_id)
        leftover = session.scalars(
            select(distribution.Assignment.id).where(
                distribution.Assignment.project_id == project_id,
                distribution.Assignment.status == "leased",
            )
        ).all()
    assert problems == []
    assert set(acknowledged) <= stored, "an acknowledged submission is missing"
    assert len(acknowledged) == len(set(acknowledged))
    assert leftover == []
    assert len(stored) == items * overlap  # everything got its labels: nothing was stranded
    served = Counter(pair for o in outcomes for pair in o.served)
    assert [pair for pair, n in served.items() if n > 1] == []


@pytest.mark.skipif(ENGINE != "sqlite", reason="the SQLite variant")
@pytest.mark.parametrize("overlap", [1, 3])
def test_sixteen_labeler_threads_on_sqlite(databases, overlap):
    url = databases.new_url()
    first, second = Database(url, pool_size=20), Database(url, pool_size=20)
    project_id, actors = setup_project(first, overlap=overlap, items=120, labelers=16)

    outcomes = run_threads([first, second], actors, project_id)

    check(first, project_id, outcomes, overlap=overlap, items=120)
    first.dispose()
    second.dispose()


@pytest.mark.skipif(ENGINE != "postgresql", reason="the PostgreSQL variant")
@pytest.mark.parametrize("overlap", [1, 3])
def test_four_processes_of_eight_threads_on_postgresql(databases, overlap):
    url = databases.new_url()
    db = Database(url)
    project_id, actors = setup_project(db, overlap=overlap, items=150, labelers=32)
    context = multiprocessing.get_context("spawn")

    with context.Pool(4) as pool:
        outcomes = pool.starmap(
            process_main,
            [(url, actors[i * 8 : (i + 1) * 8], project_id, 100 * i) for i in range(4)],
        )

    check(db, project_id, outcomes, overlap=overlap, items=150)
    db.dispose()


def test_the_same_submit_from_two_threads_at_once_stores_one_annotation(db):
    project_id, actors = setup_project(db, overlap=1, items=1, labelers=1)
    with db.write() as session:
        lease = distribution.lease_next_item(session, actor=actors[0], project_id=project_id)
    assert lease is not None
    start = threading.Barrier(2)
    results: list[tuple[int, bool]] = []

    def submit() -> None:
        start.wait()
        with db.write() as session:
            stored, created = annotation.submit_annotation(
                session,
                actor=actors[0],
                assignment_id=lease.assignment_id,
                submission=annotation.NewSubmission(labels=["ok"], duration_ms=5),
            )
        results.append((stored.id, created))

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    with db.read() as session:
        count = len(session.scalars(select(annotation.Annotation.id)).all())
    assert count == 1
    assert sorted(created for _, created in results) == [False, True]
    assert len({annotation_id for annotation_id, _ in results}) == 1
