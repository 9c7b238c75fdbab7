import pytest
from sqlalchemy import select

from labelops import annotation, distribution, quality
from labelops.errors import Conflict, InvalidInput
from tests.factories import make_items, make_project
from tests.invariants import queue_violations


def gold(session, actor, project, *ids, labels=("abuse.insult",), explanation="It insults."):
    return quality.set_gold_answers(
        session,
        actor=actor,
        project_id=project.id,
        entries=[
            quality.GoldEntry(external_id=i, labels=list(labels), explanation=explanation)
            for i in ids
        ],
    )


def answer(session, actor, project, labels=("ok",)):
    lease = distribution.lease_next_item(session, actor=actor, project_id=project.id)
    assert lease is not None
    stored, _ = annotation.submit_annotation(
        session,
        actor=actor,
        assignment_id=lease.assignment_id,
        submission=annotation.NewSubmission(labels=list(labels), duration_ms=500),
    )
    return lease, stored


def test_wilson_interval_matches_the_textbook_values():
    assert quality.wilson_interval(0, 0) == (0.0, 1.0)
    low, high = quality.wilson_interval(81, 100)
    assert (round(low, 4), round(high, 4)) == (0.7222, 0.8749)
    low, high = quality.wilson_interval(0, 5)
    assert low == 0.0
    assert round(high, 4) == 0.4345


def test_gold_items_leave_the_overlap_queue(session, personas):
    project = make_project(session, personas.pat, overlap=3)
    make_items(session, personas.pat, project, 3)

    gold(session, personas.pat, project, "item-0")

    entry = session.scalars(
        select(distribution.QueueEntry).order_by(distribution.QueueEntry.item_id)
    ).first()
    assert entry is not None
    assert (entry.is_gold, entry.open_slots, entry.target) == (True, 0, 0)


def test_unknown_item_or_label_is_refused(session, personas):
    project = make_project(session, personas.pat)
    make_items(session, personas.pat, project, 1)

    with pytest.raises(InvalidInput) as unknown_item:
        gold(session, personas.pat, project, "nope")
    with pytest.raises(InvalidInput) as unknown_label:
        gold(session, personas.pat, project, "item-0", labels=("abuse",))

    assert unknown_item.value.code == "unknown_item"
    assert unknown_label.value.code == "unknown_label"


def test_at_gold_rate_one_every_labeler_gets_the_gold_item(session, personas):
    project = make_project(session, personas.pat, overlap=1, gold_rate=0.5)
    make_items(session, personas.pat, project, 3)
    gold(session, personas.pat, project, "item-0")
    project.gold_rate = 1.0  # every lease tries gold first
    session.flush()

    alice, _ = answer(session, personas.alice, project)
    bruno, _ = answer(session, personas.bruno, project)

    assert alice.item.external_id == "item-0"
    assert bruno.item.external_id == "item-0"


def test_a_labeler_never_gets_the_same_gold_twice(session, personas):
    project = make_project(session, personas.pat, overlap=1, gold_rate=0.5)
    make_items(session, personas.pat, project, 2)
    gold(session, personas.pat, project, "item-0")
    project.gold_rate = 1.0
    session.flush()
    first, _ = answer(session, personas.alice, project)

    second, _ = answer(session, personas.alice, project)

    assert (first.item.external_id, second.item.external_id) == ("item-0", "item-1")


def test_without_gold_rate_gold_is_never_served(session, personas):
    project = make_project(session, personas.pat, overlap=1)
    make_items(session, personas.pat, project, 2)
    gold(session, personas.pat, project, "item-0")

    lease, _ = answer(session, personas.alice, project)
    nothing = distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)

    assert lease.item.external_id == "item-1"
    assert nothing is None


def test_the_lease_does_not_tell_gold_apart(session, personas):
    project = make_project(session, personas.pat, overlap=1, gold_rate=0.5)
    make_items(session, personas.pat, project, 2)
    gold(session, personas.pat, project, "item-0")
    project.gold_rate = 1.0
    session.flush()

    lease = distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)

    assert lease is not None
    assert lease.item.external_id == "item-0"
    assert set(vars(lease.item) if hasattr(lease.item, "__dict__") else lease.item.__slots__) == {
        "id",
        "external_id",
        "text",
        "language",
        "meta",
    }


def test_after_answering_gold_the_labeler_sees_the_expected_answer(session, personas):
    project = make_project(session, personas.pat, overlap=1, gold_rate=0.5)
    make_items(session, personas.pat, project, 1)
    gold(session, personas.pat, project, "item-0", explanation="Name-calling aimed at a person.")
    project.gold_rate = 1.0
    session.flush()

    _, stored = answer(session, personas.alice, project, labels=("ok",))

    assert stored.gold == annotation.GoldFeedback(
        expected=["abuse.insult"], explanation="Name-calling aimed at a person.", correct=False
    )


def test_an_ordinary_item_has_no_gold_feedback(session, personas):
    project = make_project(session, personas.pat, overlap=1)
    make_items(session, personas.pat, project, 1)

    _, stored = answer(session, personas.alice, project)

    assert stored.gold is None


def test_gold_leases_that_expire_give_nothing_back(session, personas):
    from datetime import timedelta

    from labelops.db import utcnow

    project = make_project(session, personas.pat, overlap=1, gold_rate=0.5, lease_seconds=60)
    make_items(session, personas.pat, project, 2)
    gold(session, personas.pat, project, "item-0")
    project.gold_rate = 1.0
    session.flush()
    distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)

    distribution.expire_leases(session, project_id=project.id, now=utcnow() + timedelta(hours=1))

    entry = session.get(
        distribution.QueueEntry,
        session.scalars(
            select(distribution.QueueEntry.item_id).where(distribution.QueueEntry.is_gold)
        ).one(),
    )
    session.refresh(entry)
    assert (entry.open_slots, entry.target) == (0, 0)
    assert queue_violations(session, project.id, skip_gold=True) == []


def accuracy_of(session, actor, project, username):
    rows = quality.gold_accuracy(session, actor=actor, project_id=project.id)
    return next(row for row in rows if row.username == username)


def test_gold_accuracy_has_a_wilson_interval(session, personas):
    project = make_project(session, personas.pat, overlap=1, gold_rate=0.5)
    make_items(session, personas.pat, project, 4)
    gold(session, personas.pat, project, "item-0", "item-1", "item-2", "item-3")
    project.gold_rate = 1.0
    session.flush()
    for labels in (("abuse.insult",), ("abuse.insult",), ("abuse.insult",), ("ok",)):
        answer(session, personas.alice, project, labels=labels)

    row = accuracy_of(session, personas.pat, project, "alice")

    assert (row.answered, row.correct, row.accuracy) == (4, 3, 0.75)
    assert row.interval == quality.wilson_interval(3, 4)
    assert not row.paused


def test_a_labeler_failing_gold_is_paused_with_the_evidence(session, personas):
    project = make_project(
        session, personas.pat, overlap=1, gold_rate=0.5, gold_threshold=0.8, gold_min_answers=3
    )
    make_items(session, personas.pat, project, 8)
    gold(session, personas.pat, project, *(f"item-{i}" for i in range(4)))
    project.gold_rate = 1.0
    session.flush()
    for _ in range(3):
        answer(session, personas.alice, project, labels=("ok",))

    with pytest.raises(Conflict) as refused:
        distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)

    pauses = quality.list_pauses(session, actor=personas.pat, project_id=project.id)
    assert refused.value.code == "labeler_paused"
    assert [(p.username, p.reason, p.evidence) for p in pauses] == [
        (
            "alice",
            "failing_gold",
            {
                "answered": 3,
                "correct": 0,
                "interval": list(quality.wilson_interval(0, 3)),
                "threshold": 0.8,
            },
        ),
    ]
    assert "lies below the project's 80%" in pauses[0].message


def test_nobody_is_paused_before_the_minimum_of_gold_answers(session, personas):
    project = make_project(
        session, personas.pat, overlap=1, gold_rate=0.5, gold_threshold=0.8, gold_min_answers=5
    )
    make_items(session, personas.pat, project, 8)
    gold(session, personas.pat, project, *(f"item-{i}" for i in range(4)))
    project.gold_rate = 1.0
    session.flush()
    for _ in range(4):
        answer(session, personas.alice, project, labels=("ok",))

    lease = distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)

    assert lease is not None
    assert quality.list_pauses(session, actor=personas.pat, project_id=project.id) == []


def test_a_good_labeler_is_not_paused(session, personas):
    project = make_project(
        session, personas.pat, overlap=1, gold_rate=0.5, gold_threshold=0.8, gold_min_answers=3
    )
    make_items(session, personas.pat, project, 6)
    gold(session, personas.pat, project, *(f"item-{i}" for i in range(3)))
    project.gold_rate = 1.0
    session.flush()
    for _ in range(3):
        answer(session, personas.alice, project, labels=("abuse.insult",))

    lease = distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)

    assert lease is not None


def test_a_vendor_lead_sees_the_pause_of_their_labeler_only(session, personas):
    project = make_project(
        session, personas.pat, overlap=1, gold_rate=0.5, gold_threshold=0.9, gold_min_answers=3
    )
    make_items(session, personas.pat, project, 6)
    gold(session, personas.pat, project, *(f"item-{i}" for i in range(3)))
    project.gold_rate = 1.0
    session.flush()
    for person in (personas.alice, personas.bruno):
        for _ in range(3):
            answer(session, person, project, labels=("ok",))

    seen_by_vic = quality.list_pauses(session, actor=personas.vic, project_id=project.id)

    assert [p.username for p in seen_by_vic] == ["alice"]


def test_a_pm_lifts_a_pause_and_gold_starts_afresh(session, personas):
    project = make_project(
        session, personas.pat, overlap=1, gold_rate=0.5, gold_threshold=0.8, gold_min_answers=3
    )
    make_items(session, personas.pat, project, 10)
    gold(session, personas.pat, project, *(f"item-{i}" for i in range(6)))
    project.gold_rate = 1.0
    session.flush()
    for _ in range(3):
        answer(session, personas.alice, project, labels=("ok",))
    pause = quality.list_pauses(session, actor=personas.pat, project_id=project.id)[0]

    quality.lift_pause(
        session, actor=personas.pat, project_id=project.id, pause_id=pause.id, note="retrained"
    )
    _, stored = answer(session, personas.alice, project, labels=("abuse.insult",))

    assert stored.gold is not None
    assert stored.gold.correct
    assert (
        distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)
        is not None
    )


def test_lifting_twice_is_refused(session, personas):
    project = make_project(
        session, personas.pat, overlap=1, gold_rate=0.5, gold_threshold=0.8, gold_min_answers=3
    )
    make_items(session, personas.pat, project, 4)
    gold(session, personas.pat, project, *(f"item-{i}" for i in range(3)))
    project.gold_rate = 1.0
    session.flush()
    for _ in range(3):
        answer(session, personas.alice, project, labels=("ok",))
    pause = quality.list_pauses(session, actor=personas.pat, project_id=project.id)[0]
    quality.lift_pause(
        session, actor=personas.pat, project_id=project.id, pause_id=pause.id, note=""
    )

    with pytest.raises(Conflict):
        quality.lift_pause(
            session, actor=personas.pat, project_id=project.id, pause_id=pause.id, note=""
        )
