"""What the qualification quiz costs the labeling loop: the queue's eligibility rules, timed
in-process on a real database, for a project without a quiz and for one whose quiz the labeler
passed (the lookup a lease pays) or has not taken (blocked).

    .venv/bin/python bench/qualification_rule.py                      # SQLite in a temp dir
    .venv/bin/python bench/qualification_rule.py --database-url postgresql+psycopg://…/db

The PostgreSQL database must be empty or already at head (`db upgrade` is run). Figures only:
nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

import orjson
from sqlalchemy.orm import Session

if __package__ in (None, ""):  # run as a file: make the package importable from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from labelops import distribution, migrate, projects, quality, workforce
from labelops.auth import SYSTEM, Actor, Role
from labelops.db import Database, utcnow
from labelops.distribution.rules import evaluate

SCHEMA = {"kind": "single", "labels": ["ok", "spam"]}


def _labeler(session: Session, name: str) -> Actor:
    user = workforce.create_user(
        session,
        actor=SYSTEM,
        data=workforce.NewUser(
            username=name, password="bench-password-1", role=Role.LABELER, languages=["en"]
        ),
    )
    return Actor(user.id, user.username, Role.LABELER, None, frozenset({"en"}))


def _setup(db: Database, tag: str) -> tuple[Actor, Actor, int, int]:
    with db.write() as session:
        passed = _labeler(session, f"bench-passed-{tag}")
        fresh = _labeler(session, f"bench-fresh-{tag}")
        ids = []
        for name, quiz in (("no quiz", 0), ("quiz", 3)):
            project = projects.create_project(
                session,
                actor=SYSTEM,
                data=projects.NewProject(
                    name=f"bench {name} {tag}",
                    languages=["en"],
                    label_schema=projects.LabelSchema.model_validate(SCHEMA),
                    qualification_items=quiz,
                ),
            )
            rows = b"".join(
                orjson.dumps({"external_id": f"i{n}", "text": f"text {n}"}) + b"\n"
                for n in range(20)
            )
            projects.import_items(
                session, actor=SYSTEM, project_id=project.id, stream=io.BytesIO(rows), fmt="jsonl"
            )
            ids.append(project.id)
        quality.set_gold_answers(
            session,
            actor=SYSTEM,
            project_id=ids[1],
            entries=[quality.GoldEntry(external_id=f"i{n}", labels=["spam"]) for n in range(5)],
        )
        taken = quality.start_attempt(session, actor=passed, project_id=ids[1])
        quality.submit_attempt(
            session,
            actor=passed,
            project_id=ids[1],
            attempt_id=taken.attempt_id,
            answers={str(item.item_id): ["spam"] for item in taken.items},
        )
    return passed, fresh, ids[0], ids[1]


def _time(db: Database, actor: Actor, project_id: int, calls: int) -> tuple[float, float, str]:
    """Median and p95 µs of one evaluation of the rule chain, and its outcome."""
    with db.read() as session:
        view = projects.find_view(session, project_id)
        assert view is not None
        ctx = distribution.LeaseContext(actor=actor, project=view, now=utcnow())
        samples = []
        outcome = evaluate(session, ctx)
        for _ in range(calls):
            start = time.perf_counter_ns()
            evaluate(session, ctx)
            samples.append((time.perf_counter_ns() - start) / 1000)
    samples.sort()
    blocked = outcome.blocked[0] if outcome.blocked else "eligible"
    return statistics.median(samples), samples[int(len(samples) * 0.95)], blocked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary directory")
    parser.add_argument("--calls", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        migrate.upgrade(db)
        passed, fresh, plain, quiz = _setup(db, str(time.time_ns()))
        print(f"engine: {db.engine.dialect.name}, {args.calls} evaluations each")
        print(f"{'case':<38} {'median µs':>10} {'p95 µs':>8}  outcome")
        for case, actor, project_id in (
            ("project without a quiz", passed, plain),
            ("quiz project, labeler passed", passed, quiz),
            ("quiz project, labeler not yet taken", fresh, quiz),
        ):
            median, p95, outcome = _time(db, actor, project_id, args.calls)
            print(f"{case:<38} {median:>10.1f} {p95:>8.1f}  {outcome}")
        db.dispose()


if __name__ == "__main__":
    main()
