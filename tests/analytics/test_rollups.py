import random
import threading
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import time_machine
from sqlalchemy import select

from labelops import analytics, annotation, distribution, projects
from labelops.analytics import rollups
from tests.factories import make_items, make_project

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def label_at(session, actor, project, moment, *, duration_ms=1000, labels=("ok",)):
    with time_machine.travel(moment, tick=False):
        lease = distribution.lease_next_item(session, actor=actor, project_id=project.id)
        assert lease is not None
        annotation.submit_annotation(
            session,
            actor=actor,
            assignment_id=lease.assignment_id,
            submission=annotation.NewSubmission(labels=list(labels), duration_ms=duration_ms),
        )


def facts(session, project_id):
    """The rollup cells computed straight from the annotations."""
    sums: defaultdict[tuple[object, ...], list[int]] = defaultdict(lambda: [0, 0, 0])
    a, item = annotation.Annotation, projects.Item
    rows = session.execute(
        select(a.submitted_at, item.language, a.vendor_id, a.labeler_id, a.duration_ms, a.is_late)
        .join(item, item.id == a.item_id)
        .where(a.project_id == project_id)
    )
    for submitted_at, language, vendor_id, labeler_id, duration, late in rows:
        key = (rollups.hour_of(submitted_at), language, vendor_id or 0, labeler_id)
        sums[key][0] += 1
        sums[key][1] += duration or 0
        sums[key][2] += int(late)
    return sorted((*key, *values) for key, values in sums.items())


def stored(session, project_id):
    r = analytics.HourlyRollup
    rows = session.execute(
        select(
            r.hour, r.language, r.vendor_id, r.labeler_id, r.annotations, r.duration_ms, r.late
        ).where(r.project_id == project_id)
    )
    return sorted(tuple(row) for row in rows)


def as_tuples(found):
    return sorted(
        (c.hour, c.language, c.vendor_id, c.labeler_id, c.annotations, c.duration_ms, c.late)
        for c in rollups.merge(found)
    )


def random_work(session, personas, project, rng, count, start):
    people = [personas.alice, personas.amir, personas.bruno]
    for n in range(count):
        moment = start + timedelta(minutes=rng.randrange(0, 6 * 60), seconds=n)
        label_at(session, rng.choice(people), project, moment, duration_ms=rng.randrange(1, 9000))


def test_rollups_equal_the_facts_after_several_refreshes(session, personas):
    rng = random.Random(7)
    project = make_project(session, personas.pat, overlap=3, languages=("en", "ar"))
    make_items(session, personas.pat, project, 30, language="en")
    make_items(session, personas.pat, project, 10, language="ar", prefix="ar")

    for round_start in (START, START + timedelta(days=1), START + timedelta(days=2)):
        random_work(session, personas, project, rng, 15, round_start)
        with time_machine.travel(round_start + timedelta(days=1), tick=False):
            added = analytics.refresh_rollups(session, project.id, chunk_size=7)
        assert added == 15

    assert stored(session, project.id) == facts(session, project.id)
    assert rollups.watermark(session, project.id) == session.scalar(
        select(annotation.Annotation.id).order_by(annotation.Annotation.id.desc()).limit(1)
    )


def test_readers_add_the_tail_past_the_watermark(session, personas):
    rng = random.Random(11)
    project = make_project(session, personas.pat, overlap=3)
    make_items(session, personas.pat, project, 30)
    random_work(session, personas, project, rng, 12, START)
    with time_machine.travel(START + timedelta(hours=8), tick=False):
        analytics.refresh_rollups(session, project.id)
    random_work(session, personas, project, rng, 9, START + timedelta(hours=9))

    found = rollups.cells(session, project.id)

    assert as_tuples(found) == facts(session, project.id)
    assert sum(cell.annotations for cell in rollups.cells(session, project.id)) == 21


def test_a_refresh_leaves_annotations_younger_than_the_settling_time(session, personas):
    project = make_project(session, personas.pat, overlap=2)
    make_items(session, personas.pat, project, 3)
    label_at(session, personas.alice, project, START)
    label_at(session, personas.bruno, project, START + timedelta(minutes=10))

    with time_machine.travel(START + timedelta(minutes=10, seconds=5), tick=False):
        added = analytics.refresh_rollups(session, project.id)

    assert added == 1
    assert as_tuples(rollups.cells(session, project.id)) == facts(session, project.id)


def test_a_second_refresher_with_a_stale_watermark_adds_nothing(session, personas):
    project = make_project(session, personas.pat, overlap=2)
    make_items(session, personas.pat, project, 4)
    label_at(session, personas.alice, project, START)
    label_at(session, personas.bruno, project, START)
    with time_machine.travel(START + timedelta(hours=1), tick=False):
        analytics.refresh_rollups(session, project.id)
        again = analytics.refresh_rollups(session, project.id)

    assert again == 0
    assert stored(session, project.id) == facts(session, project.id)


def test_concurrent_refreshers_never_double_count(db, people):
    with db.write() as session:
        project = make_project(session, people.pat, overlap=3)
        make_items(session, people.pat, project, 40)
        random_work(session, people, project, random.Random(3), 60, START)
    barrier = threading.Barrier(4)
    errors = []

    def refresh():
        try:
            barrier.wait()
            for _ in range(3):
                with db.write() as session:
                    analytics.refresh_rollups(session, project.id, chunk_size=5, max_chunks=4)
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=refresh) for _ in range(4)]
    with time_machine.travel(START + timedelta(days=1), tick=False):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == []
    with db.read() as session:
        assert stored(session, project.id) == facts(session, project.id)


def test_totals_by_a_pair_of_keys_equal_the_facts_with_the_tail(session, personas):
    rng = random.Random(5)
    project = make_project(session, personas.pat, overlap=3, languages=("en", "ar"))
    make_items(session, personas.pat, project, 20, language="en")
    make_items(session, personas.pat, project, 10, language="ar", prefix="ar")
    random_work(session, personas, project, rng, 14, START)
    with time_machine.travel(START + timedelta(hours=8), tick=False):
        analytics.refresh_rollups(session, project.id)
    random_work(session, personas, project, rng, 6, START + timedelta(hours=9))

    pairs = rollups.totals_by(session, project.id, ("labeler", "language"))

    expected: defaultdict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for _, language, _, labeler_id, count, duration, _ in facts(session, project.id):
        expected[(labeler_id, language)][0] += count
        expected[(labeler_id, language)][1] += duration
    assert pairs == {key: tuple(values) for key, values in expected.items()}
    by_labeler = rollups.totals_by(session, project.id, "labeler")
    assert {k: v[0] for k, v in by_labeler.items()} == {
        labeler: sum(c for (who, _), (c, _) in pairs.items() if who == labeler)
        for labeler in by_labeler
    }
