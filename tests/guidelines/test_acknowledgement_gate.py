import pytest
from sqlalchemy import select

from labelops import audit, distribution, guidelines
from labelops.auth import Role
from labelops.errors import Conflict, InvalidInput
from tests.factories import make_items, make_project, make_user


def lease(session, labeler, project):
    return distribution.lease_next_item(session, actor=labeler, project_id=project.id)


def held_code(session, labeler, project):
    with pytest.raises(Conflict) as blocked:
        lease(session, labeler, project)
    return blocked.value.code


def test_a_new_version_holds_the_labeler_until_they_acknowledge_it(session, personas):
    project = make_project(session, personas.pat, guidelines="v1")
    make_items(session, personas.pat, project, 2)
    guidelines.publish_guidelines(session, actor=personas.pat, project_id=project.id, body="v2")

    code = held_code(session, personas.alice, project)
    ack = guidelines.acknowledge(session, actor=personas.alice, project_id=project.id, version=2)
    leased = lease(session, personas.alice, project)

    assert code == "guidelines_unacknowledged"
    assert (ack.version, ack.current_version, ack.released) == (2, 2, True)
    assert leased is not None


def test_acknowledging_an_old_version_does_not_release(session, personas):
    project = make_project(session, personas.pat, guidelines="v1")
    make_items(session, personas.pat, project, 1)
    guidelines.publish_guidelines(session, actor=personas.pat, project_id=project.id, body="v2")

    ack = guidelines.acknowledge(session, actor=personas.bruno, project_id=project.id, version=1)

    assert ack.released is False
    assert held_code(session, personas.bruno, project) == "guidelines_unacknowledged"


def test_a_project_without_guidelines_never_holds(session, personas):
    project = make_project(session, personas.pat)
    make_items(session, personas.pat, project, 1)
    guidelines.create_sop(
        session,
        actor=personas.pat,
        data=guidelines.NewSop(slug="breaks", title="Breaks", roles=[Role.LABELER], body="Rest."),
    )

    assert lease(session, personas.alice, project) is not None


def test_a_labeler_who_joined_after_the_first_version_reads_it_first(session, personas):
    project = make_project(session, personas.pat, guidelines="v1")
    make_items(session, personas.pat, project, 1)
    newcomer = make_user(session, "nina", vendor="Acme", languages=("en",))

    assert held_code(session, newcomer, project) == "guidelines_unacknowledged"


def test_an_unread_sop_for_labelers_holds_with_the_guidelines(session, personas):
    project = make_project(session, personas.pat, guidelines="v1")
    make_items(session, personas.pat, project, 1)
    sop = guidelines.create_sop(
        session,
        actor=personas.pat,
        data=guidelines.NewSop(slug="breaks", title="Breaks", roles=[Role.LABELER], body="Rest."),
    )

    with pytest.raises(Conflict) as blocked:
        lease(session, personas.alice, project)
    guidelines.acknowledge_sop(session, actor=personas.alice, slug="breaks", version=sop.version)
    leased = lease(session, personas.alice, project)

    assert blocked.value.code == "guidelines_unacknowledged"
    assert "1 operating procedure" in blocked.value.message
    assert leased is not None


def test_an_sop_for_other_roles_does_not_hold_labelers(session, personas):
    project = make_project(session, personas.pat, guidelines="v1")
    make_items(session, personas.pat, project, 1)
    guidelines.create_sop(
        session,
        actor=personas.pat,
        data=guidelines.NewSop(slug="qa", title="QA", roles=[Role.REVIEWER], body="Audit."),
    )

    assert lease(session, personas.alice, project) is not None


def test_a_new_sop_version_holds_again(session, personas):
    project = make_project(session, personas.pat, guidelines="v1")
    make_items(session, personas.pat, project, 1)
    new = guidelines.NewSop(slug="breaks", title="Breaks", roles=[Role.LABELER], body="Rest.")
    guidelines.create_sop(session, actor=personas.pat, data=new)
    guidelines.acknowledge_sop(session, actor=personas.alice, slug="breaks", version=1)
    guidelines.publish_sop_version(
        session,
        actor=personas.pat,
        slug="breaks",
        data=guidelines.NewSopVersion(body="Rest more.", changelog="Longer breaks."),
    )

    assert held_code(session, personas.alice, project) == "guidelines_unacknowledged"


def test_acknowledging_twice_is_harmless_and_audited_once(session, personas):
    project = make_project(session, personas.pat, guidelines="v1")
    guidelines.publish_guidelines(session, actor=personas.pat, project_id=project.id, body="v2")

    guidelines.acknowledge(session, actor=personas.alice, project_id=project.id, version=2)
    guidelines.acknowledge(session, actor=personas.alice, project_id=project.id, version=2)

    events = session.scalars(
        select(audit.AuditEvent.action).where(
            audit.AuditEvent.action == "guidelines.acknowledged",
            audit.AuditEvent.project_id == project.id,
        )
    ).all()
    assert events == ["guidelines.acknowledged"]


def test_acknowledging_a_version_that_does_not_exist_names_the_field(session, personas):
    project = make_project(session, personas.pat, guidelines="v1")

    with pytest.raises(InvalidInput) as error:
        guidelines.acknowledge(session, actor=personas.alice, project_id=project.id, version=9)

    assert error.value.field == "version"


def test_the_held_screen_shows_the_changes_since_the_version_last_read(session, personas):
    project = make_project(session, personas.pat, guidelines="Be kind.")
    guidelines.publish_guidelines(session, actor=personas.pat, project_id=project.id, body="x")
    guidelines.publish(
        session,
        actor=personas.pat,
        project_id=project.id,
        data=guidelines.NewGuidelines(body="Be very kind.", changelog="Kinder."),
    )

    pending = guidelines.pending_for(session, actor=personas.alice, project_id=project.id)

    assert (pending.version, pending.last_acknowledged, pending.changelog) == (3, 1, "Kinder.")
    assert pending.diff is not None
    assert (pending.diff.from_version, pending.diff.to_version) == (1, 3)
    assert [(line.kind, line.text) for line in pending.diff.lines if line.kind != "hunk"] == [
        ("del", "Be kind."),
        ("ins", "Be very kind."),
    ]


def test_acknowledgement_status_lists_who_read_it_by_vendor(session, personas):
    project = make_project(session, personas.pat, vendors=["Acme", "Babel"], guidelines="v1")
    guidelines.publish_guidelines(session, actor=personas.pat, project_id=project.id, body="v2")
    guidelines.acknowledge(session, actor=personas.alice, project_id=project.id, version=2)

    status = guidelines.acknowledgement_status(session, actor=personas.pat, project_id=project.id)
    own = guidelines.acknowledgement_status(session, actor=personas.vic, project_id=project.id)

    assert [(r.username, r.vendor) for r in status.acknowledged] == [("alice", "Acme")]
    assert [(r.username, r.acknowledged_version) for r in status.waiting] == [
        ("amir", 1),
        ("bruno", 1),
        ("sofia", 1),
    ]
    assert [r.username for r in own.acknowledged + own.waiting] == ["alice", "amir"]
