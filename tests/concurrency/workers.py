"""Labelers that hammer the queue, for the concurrency tests (importable by spawned processes)."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

from labelops import annotation, distribution
from labelops.auth import Actor
from labelops.db import Database
from labelops.errors import Conflict


@dataclass
class Outcome:
    acknowledged: list[int] = field(default_factory=list)  # annotation ids whose submit returned
    served: list[tuple[int, int]] = field(default_factory=list)  # (item id, labeler id)
    errors: list[str] = field(default_factory=list)


def work(
    db: Database,
    actor: Actor,
    project_id: int,
    seed: int,
    start: threading.Barrier | None,
    *,
    churn: bool = True,
    answers: tuple[str, ...] = ("ok",),
) -> Outcome:
    """Lease, then submit (or, with churn, now and then skip or release) in separate
    transactions, as the HTTP API does, until the queue has nothing more for this labeler."""
    outcome = Outcome()
    rng = random.Random(seed)
    if start is not None:
        start.wait()
    while True:
        try:
            with db.write() as session:
                lease = distribution.lease_next_item(session, actor=actor, project_id=project_id)
        except Conflict as error:
            outcome.errors.append(f"lease: {error.code}")
            continue
        if lease is None:
            return outcome
        outcome.served.append((lease.item.id, int(actor.user_id or 0)))
        roll = rng.random() if churn else 1.0
        with db.write() as session:
            if roll < 0.05:
                annotation.release_item(session, actor=actor, assignment_id=lease.assignment_id)
                continue
            if roll < 0.10:
                annotation.skip_item(
                    session,
                    actor=actor,
                    assignment_id=lease.assignment_id,
                    skip=annotation.NewSkip(reason=annotation.SkipReason.OTHER),
                )
                continue
            stored, _ = annotation.submit_annotation(
                session,
                actor=actor,
                assignment_id=lease.assignment_id,
                submission=annotation.NewSubmission(
                    labels=[answers[0] if len(answers) == 1 else rng.choice(answers)],
                    duration_ms=10,
                ),
            )
        outcome.acknowledged.append(stored.id)


def run_threads(
    dbs: list[Database],
    actors: list[Actor],
    project_id: int,
    seed: int = 0,
    answers: tuple[str, ...] = ("ok",),
) -> list[Outcome]:
    """One thread per labeler; thread i uses dbs[i % len(dbs)] (an engine each, like processes)."""
    start = threading.Barrier(len(actors))
    results: list[Outcome | None] = [None] * len(actors)

    def run(index: int) -> None:
        db = dbs[index % len(dbs)]
        results[index] = work(db, actors[index], project_id, seed + index, start, answers=answers)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(actors))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    missing = [i for i, r in enumerate(results) if r is None]
    if missing:
        raise RuntimeError(f"labeler threads {missing} did not finish")
    # A slot that a late skip or release reopened after some labelers had already stopped is
    # taken in a last pass, one labeler after another, so that completeness can be checked.
    sweep = [
        work(dbs[0], actor, project_id, seed, None, churn=False, answers=answers)
        for actor in actors
    ]
    return [r for r in results if r is not None] + sweep


def process_main(
    url: str,
    actors: list[Actor],
    project_id: int,
    seed: int,
    answers: tuple[str, ...] = ("ok",),
) -> Outcome:
    """Entry point of a spawned process: its own engine, one thread per labeler."""
    db = Database(url, pool_size=len(actors) + 2)
    try:
        merged = Outcome()
        for outcome in run_threads([db], actors, project_id, seed, answers):
            merged.acknowledged += outcome.acknowledged
            merged.served += outcome.served
            merged.errors += outcome.errors
        return merged
    finally:
        db.dispose()
