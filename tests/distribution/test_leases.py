from datetime import timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from labelops import annotation, distribution
from labelops.db import utcnow
from labelops.errors import Conflict, NotFound, PermissionDenied
from tests.factories import label_next, make_items, make_project


def test_lease_gives_the_first_item_with_an_open_slot(session, personas):
    project = make_project(session, personas.pat)
    make_items(session, personas.pat, project, 3)

    lease = distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)

    assert lease is not None
    assert lease.item.external_id == "item-0"
    assert lease.lease_expires_at - lease.leased_at == timedelta(seconds=600)


def test_lease_returns_none_when_the_queue_is_empty(session, personas):
    project = make_project(session, personas.pat)

    lease = distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)

    assert lease is None


def test_lease_never_gives_an_item_beyond_its_overlap(session, personas):
    project = make_project(session, personas.pat, overlap=1)
    make_items(session, personas.pat, project, 1)
    distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)

    lease = distribution.lease_next_item(session, actor=personas.bruno, project_id=project.id)

    assert lease is None


def test_lease_gives_one_item_to_distinct_labelers_up_to_the_overlap(session, personas):
    project = make_project(session, personas.pat, overlap=2)
    make_items(session, personas.pat, project, 1)

    first = distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)
    second = distribution.lease_next_item(session, actor=personas.bruno, project_id=project.id)
    third = distribution.lease_next_item(session, actor=personas.amir, project_id=project.id)

    assert first is not None
    assert second is not None
    assert first.item.id == second.item.id
    assert third is None


def test_lease_skips_items_the_labeler_already_labeled(session, personas):
    project = make_project(session, personas.pat, overlap=2)
    make_items(session, personas.pat, project, 1)
    label_next(session, personas.alice, project)

    lease = distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)

    assert lease is None


def test_lease_gives_only_items_in_languages_the_labeler_reads(session, personas):
    project = make_project(session, personas.pat, languages=("en", "ar"))
    make_items(session, personas.pat, project, 2, language="ar", prefix="ar")
    make_items(session, personas.pat, project, 2, language="en", prefix="en")

    bruno = distribution.lease_next_item(session, actor=personas.bruno, project_id=project.id)
    amir = distribution.lease_next_item(session, actor=personas.amir, project_id=project.id)

    assert bruno is not None
    assert bruno.item.language == "en"
    assert amir is not None
    assert amir.item.language == "ar"


def test_lease_prefers_higher_priority_items(session, personas):
    import io

    from labelops import projects
    from tests.factories import jsonl

    project = make_project(session, personas.pat)
    rows = [
        {"external_id": "low", "text": "a", "priority": 0},
        {"external_id": "high", "text": "b", "priority": 5},
    ]
    projects.import_items(
        session, actor=personas.pat, project_id=project.id, stream=io.BytesIO(jsonl(rows))
    )

    lease = distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)

    assert lease is not None
    assert lease.item.external_id == "high"


def test_lease_resumes_the_item_the_labeler_already_holds(session, personas):
    project = make_project(session, personas.pat)
    make_items(session, personas.pat, project, 3)
    first = distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)
    assert first is not None

    again = distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)

    assert again is not None
    assert again.assignment_id == first.assignment_id


def test_lease_with_exclude_gives_a_second_item_for_prefetch(session, personas):
    project = make_project(session, personas.pat)
    make_items(session, personas.pat, project, 3)
    first = distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)
    assert first is not None

    second = distribution.lease_next_item(
        session, actor=personas.alice, project_id=project.id, exclude={first.assignment_id}
    )

    assert second is not None
    assert second.item.id != first.item.id


def test_lease_refuses_a_third_item_while_two_are_held(session, personas):
    project = make_project(session, personas.pat)
    make_items(session, personas.pat, project, 3)
    first = distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)
    assert first is not None
    second = distribution.lease_next_item(
        session, actor=personas.alice, project_id=project.id, exclude={first.assignment_id}
    )
    assert second is not None

    with pytest.raises(Conflict) as refused:
        distribution.lease_next_item(
            session,
            actor=personas.alice,
            project_id=project.id,
            exclude={first.assignment_id, second.assignment_id},
        )

    assert refused.value.code == "too_many_leases"


def test_expired_lease_returns_the_item_to_the_queue(session, personas):
    project = make_project(session, personas.pat, lease_seconds=60)
    make_items(session, personas.pat, project, 1)
    distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)

    with time_machine.travel(utcnow() + timedelta(seconds=61)):
        lease = distribution.lease_next_item(session, actor=personas.bruno, project_id=project.id)

    assert lease is not None
    assert lease.item.external_id == "item-0"


def test_unexpired_lease_keeps_the_item_out_of_the_queue(session, personas):
    project = make_project(session, personas.pat, lease_seconds=60)
    make_items(session, personas.pat, project, 1)
    distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)

    with time_machine.travel(utcnow() + timedelta(seconds=59)):
        lease = distribution.lease_next_item(session, actor=personas.bruno, project_id=project.id)

    assert lease is None


def test_expiry_marks_the_assignment_expired(session, personas):
    project = make_project(session, personas.pat, lease_seconds=60)
    make_items(session, personas.pat, project, 1)
    lease = distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)
    assert lease is not None

    expired = distribution.expire_leases(
        session, project_id=project.id, now=utcnow() + timedelta(seconds=61)
    )

    assignment = session.get(distribution.Assignment, lease.assignment_id)
    session.refresh(assignment)
    assert expired == 1
    assert assignment is not None
    assert assignment.status == "expired"


def test_a_labeler_cannot_lease_from_a_project_they_are_not_on(session, personas):
    project = make_project(session, personas.pat, vendors=["Babel"])
    make_items(session, personas.pat, project, 1)

    with pytest.raises(NotFound):
        distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)


def test_a_labeler_of_a_staffed_vendor_can_lease(session, personas):
    project = make_project(session, personas.pat, vendors=["Babel"])
    make_items(session, personas.pat, project, 1)

    lease = distribution.lease_next_item(session, actor=personas.bruno, project_id=project.id)

    assert lease is not None


def test_a_pm_cannot_lease_items(session, personas):
    project = make_project(session, personas.pat)
    make_items(session, personas.pat, project, 1)

    with pytest.raises(PermissionDenied):
        distribution.lease_next_item(session, actor=personas.pat, project_id=project.id)


def test_a_paused_project_leases_nothing(session, personas):
    from labelops import projects

    project = make_project(session, personas.pat)
    make_items(session, personas.pat, project, 1)
    projects.update_project(
        session,
        actor=personas.pat,
        project_id=project.id,
        data=projects.ProjectUpdate(status=projects.ProjectStatus.PAUSED),
    )

    with pytest.raises(Conflict) as refused:
        distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)

    assert refused.value.code == "project_not_running"


def test_skipped_item_goes_to_others_but_never_back_to_the_skipper(session, personas):
    project = make_project(session, personas.pat)
    make_items(session, personas.pat, project, 1)
    lease = distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)
    assert lease is not None
    annotation.skip_item(
        session,
        actor=personas.alice,
        assignment_id=lease.assignment_id,
        skip=annotation.NewSkip(reason=annotation.SkipReason.UNCLEAR_GUIDELINES),
    )

    again = distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)
    other = distribution.lease_next_item(session, actor=personas.bruno, project_id=project.id)

    assert again is None
    assert other is not None
    assert other.item.id == lease.item.id


def test_raising_the_overlap_reopens_done_items(session, personas):
    from labelops import projects

    project = make_project(session, personas.pat, overlap=1)
    make_items(session, personas.pat, project, 1)
    label_next(session, personas.alice, project)
    projects.update_project(
        session, actor=personas.pat, project_id=project.id, data=projects.ProjectUpdate(overlap=2)
    )

    lease = distribution.lease_next_item(session, actor=personas.bruno, project_id=project.id)

    assert lease is not None


def test_lowering_the_overlap_keeps_leases_in_flight(session, personas):
    from labelops import projects

    project = make_project(session, personas.pat, overlap=3)
    make_items(session, personas.pat, project, 1)
    distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)
    distribution.lease_next_item(session, actor=personas.bruno, project_id=project.id)
    projects.update_project(
        session, actor=personas.pat, project_id=project.id, data=projects.ProjectUpdate(overlap=1)
    )

    entry = session.scalars(select(distribution.QueueEntry)).one()

    assert (entry.target, entry.open_slots) == (1, 0)
    assert session.scalar(select(func.count()).select_from(distribution.Assignment)) == 2
