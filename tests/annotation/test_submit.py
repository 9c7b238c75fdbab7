from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from labelops import annotation, distribution
from labelops.db import utcnow
from labelops.errors import Conflict, InvalidInput, LeaseExpired, NotFound
from tests.factories import make_items, make_project, publish_acknowledged


def lease(session, actor, project):
    leased = distribution.lease_next_item(session, actor=actor, project_id=project.id)
    assert leased is not None
    return leased


def submit(session, actor, assignment_id, labels=("ok",), duration_ms=900):
    return annotation.submit_annotation(
        session,
        actor=actor,
        assignment_id=assignment_id,
        submission=annotation.NewSubmission(labels=list(labels), duration_ms=duration_ms),
    )


def annotation_count(session):
    return session.scalar(select(func.count()).select_from(annotation.Annotation))


def test_submit_stores_the_annotation_with_its_facts(session, personas):
    project = make_project(session, personas.pat, guidelines="# v1")
    make_items(session, personas.pat, project, 1)
    leased = lease(session, personas.alice, project)

    stored, created = submit(session, personas.alice, leased.assignment_id, ("abuse.threat",))

    row = session.get(annotation.Annotation, stored.id)
    assert created
    assert row is not None
    assert (row.labels, row.duration_ms, row.guideline_version, row.is_late) == (
        ["abuse.threat"],
        900,
        1,
        False,
    )
    assert (row.labeler_id, row.vendor_id) == (personas.alice.user_id, personas.alice.vendor_id)


def test_submitting_the_same_assignment_twice_stores_one_annotation(session, personas):
    project = make_project(session, personas.pat)
    make_items(session, personas.pat, project, 1)
    leased = lease(session, personas.alice, project)
    first, _ = submit(session, personas.alice, leased.assignment_id)

    again, created = submit(session, personas.alice, leased.assignment_id)

    assert not created
    assert again == first
    assert annotation_count(session) == 1


def test_a_second_submit_with_other_labels_is_refused(session, personas):
    project = make_project(session, personas.pat)
    make_items(session, personas.pat, project, 1)
    leased = lease(session, personas.alice, project)
    submit(session, personas.alice, leased.assignment_id, ("ok",))

    with pytest.raises(Conflict) as error:
        submit(session, personas.alice, leased.assignment_id, ("abuse.insult",))

    assert error.value.code == "already_submitted"


def test_submit_counts_on_the_queue_entry(session, personas):
    project = make_project(session, personas.pat, overlap=2)
    make_items(session, personas.pat, project, 1)
    leased = lease(session, personas.alice, project)

    submit(session, personas.alice, leased.assignment_id)

    entry = session.get(distribution.QueueEntry, leased.item.id)
    session.refresh(entry)
    assert (entry.target, entry.open_slots, entry.submitted) == (2, 1, 1)


@pytest.mark.parametrize(
    ("labels", "code"),
    [
        ([], None),
        (["nope"], "unknown_label"),
        (["abuse"], "unknown_label"),
        (["ok", "abuse.insult"], "one_label"),
    ],
)
def test_invalid_labels_are_refused_naming_the_field(session, personas, labels, code):
    project = make_project(session, personas.pat)
    make_items(session, personas.pat, project, 1)
    leased = lease(session, personas.alice, project)

    with pytest.raises((InvalidInput, ValueError)) as error:
        submit(session, personas.alice, leased.assignment_id, labels)

    if code is not None:
        assert isinstance(error.value, InvalidInput)
        assert (error.value.code, error.value.field) == (code, "labels")
    assert annotation_count(session) == 0


def test_multi_choice_projects_take_several_labels(session, personas):
    schema = {"kind": "multi", "labels": ["spam", "scam", "ok"]}
    project = make_project(session, personas.pat, label_schema=schema)
    make_items(session, personas.pat, project, 1)
    leased = lease(session, personas.alice, project)

    stored, _ = submit(session, personas.alice, leased.assignment_id, ("spam", "scam", "spam"))

    assert stored.labels == ["scam", "spam"]


def test_a_labeler_cannot_submit_someone_elses_assignment(session, personas):
    project = make_project(session, personas.pat)
    make_items(session, personas.pat, project, 1)
    leased = lease(session, personas.alice, project)

    with pytest.raises(NotFound):
        submit(session, personas.bruno, leased.assignment_id)


def test_late_submit_is_accepted_while_the_lease_was_not_taken_back(session, personas):
    project = make_project(session, personas.pat, lease_seconds=60)
    make_items(session, personas.pat, project, 1)
    leased = lease(session, personas.alice, project)

    with time_machine.travel(utcnow() + timedelta(seconds=120)):
        stored, created = submit(session, personas.alice, leased.assignment_id)

    assert created
    assert stored.is_late


def test_late_submit_is_accepted_when_the_item_still_has_a_free_place(session, personas):
    project = make_project(session, personas.pat, lease_seconds=60, overlap=2)
    make_items(session, personas.pat, project, 1)
    leased = lease(session, personas.alice, project)
    later = utcnow() + timedelta(seconds=120)
    distribution.expire_leases(session, project_id=project.id, now=later)

    with time_machine.travel(later):
        stored, created = submit(session, personas.alice, leased.assignment_id)

    entry = session.get(distribution.QueueEntry, leased.item.id)
    session.refresh(entry)
    assert created
    assert stored.is_late
    assert (entry.open_slots, entry.submitted) == (1, 1)


def test_late_submit_is_refused_once_others_took_every_place(session, personas):
    project = make_project(session, personas.pat, lease_seconds=60, overlap=1)
    make_items(session, personas.pat, project, 1)
    leased = lease(session, personas.alice, project)
    later = utcnow() + timedelta(seconds=120)
    with time_machine.travel(later):
        taken = distribution.lease_next_item(session, actor=personas.bruno, project_id=project.id)
    assert taken is not None

    with time_machine.travel(later), pytest.raises(LeaseExpired) as error:
        submit(session, personas.alice, leased.assignment_id)

    assert error.value.code == "lease_expired"
    assert "not stored" in error.value.message
    assert annotation_count(session) == 0


def test_annotation_records_the_guideline_version_in_force(session, personas):
    project = make_project(session, personas.pat, guidelines="v1")
    make_items(session, personas.pat, project, 1)
    publish_acknowledged(session, personas.pat, project, "v2")
    leased = lease(session, personas.alice, project)

    stored, _ = submit(session, personas.alice, leased.assignment_id)

    assert stored.guideline_version == 2


def test_skip_twice_is_harmless_and_returns_one_slot(session, personas):
    project = make_project(session, personas.pat, overlap=2)
    make_items(session, personas.pat, project, 1)
    leased = lease(session, personas.alice, project)
    skip = annotation.NewSkip(reason=annotation.SkipReason.CANNOT_READ_LANGUAGE, note="dialect")

    annotation.skip_item(
        session, actor=personas.alice, assignment_id=leased.assignment_id, skip=skip
    )
    annotation.skip_item(
        session, actor=personas.alice, assignment_id=leased.assignment_id, skip=skip
    )

    entry = session.get(distribution.QueueEntry, leased.item.id)
    assignment = session.get(distribution.Assignment, leased.assignment_id)
    session.refresh(entry)
    session.refresh(assignment)
    assert entry.open_slots == 2
    assert (assignment.status, assignment.skip_reason, assignment.skip_note) == (
        "skipped",
        "cannot_read_language",
        "dialect",
    )


def test_submit_after_skip_is_refused(session, personas):
    project = make_project(session, personas.pat)
    make_items(session, personas.pat, project, 1)
    leased = lease(session, personas.alice, project)
    annotation.skip_item(
        session,
        actor=personas.alice,
        assignment_id=leased.assignment_id,
        skip=annotation.NewSkip(reason=annotation.SkipReason.OTHER),
    )

    with pytest.raises(Conflict) as error:
        submit(session, personas.alice, leased.assignment_id)

    assert error.value.code == "assignment_skipped"


def test_release_returns_the_slot_at_once(session, personas):
    project = make_project(session, personas.pat)
    make_items(session, personas.pat, project, 1)
    leased = lease(session, personas.alice, project)

    annotation.release_item(session, actor=personas.alice, assignment_id=leased.assignment_id)

    other = distribution.lease_next_item(session, actor=personas.bruno, project_id=project.id)
    assert other is not None
    assert other.item.id == leased.item.id
