import pytest
from pydantic import ValidationError

from labelops import guidelines
from labelops.auth import Role
from labelops.errors import Conflict, InvalidInput, NotFound, PermissionDenied


def create(session, actor, slug="breaks", roles=(Role.LABELER,), body="Rest every two hours."):
    return guidelines.create_sop(
        session,
        actor=actor,
        data=guidelines.NewSop(slug=slug, title=slug.title(), roles=list(roles), body=body),
    )


def test_an_sop_is_listed_for_the_roles_it_names_only(session, personas):
    create(session, personas.pat, "breaks", roles=(Role.LABELER, Role.VENDOR_LEAD))
    create(session, personas.pat, "qa-process", roles=(Role.REVIEWER,))

    def slugs(actor):
        return [s.slug for s in guidelines.list_sops(session, actor=actor)]

    assert slugs(personas.alice) == ["breaks"]
    assert slugs(personas.vic) == ["breaks"]
    assert slugs(personas.rita) == ["qa-process"]
    assert slugs(personas.pat) == ["breaks", "qa-process"]


def test_an_sop_for_another_role_is_not_found(session, personas):
    create(session, personas.pat, "qa-process", roles=(Role.REVIEWER,))

    with pytest.raises(NotFound):
        guidelines.get_sop(session, actor=personas.alice, slug="qa-process")


def test_unacknowledged_sops_come_first(session, personas):
    create(session, personas.pat, "a-first")
    create(session, personas.pat, "b-second")
    guidelines.acknowledge_sop(session, actor=personas.alice, slug="a-first", version=1)

    listed = guidelines.list_sops(session, actor=personas.alice)

    assert [(s.slug, s.acknowledged) for s in listed] == [("b-second", False), ("a-first", True)]


def test_a_new_version_needs_a_new_acknowledgement_and_an_old_one_does_not_count(session, personas):
    create(session, personas.pat)
    guidelines.acknowledge_sop(session, actor=personas.alice, slug="breaks", version=1)
    published = guidelines.publish_sop_version(
        session,
        actor=personas.pat,
        slug="breaks",
        data=guidelines.NewSopVersion(body="Rest every 90 minutes.", changelog="More often."),
    )

    again = guidelines.acknowledge_sop(session, actor=personas.alice, slug="breaks", version=1)
    current = guidelines.acknowledge_sop(session, actor=personas.alice, slug="breaks", version=2)

    assert [v.version for v in published.versions] == [2, 1]
    assert (again.acknowledged, again.acknowledged_version) == (False, 1)
    assert (current.acknowledged, current.acknowledged_version) == (True, 2)


def test_the_sop_diff_marks_the_changed_lines(session, personas):
    create(session, personas.pat, body="Rest.\nEvery two hours.")
    guidelines.publish_sop_version(
        session,
        actor=personas.pat,
        slug="breaks",
        data=guidelines.NewSopVersion(body="Rest.\nEvery 90 minutes."),
    )

    diff = guidelines.diff_sop(
        session, actor=personas.alice, slug="breaks", from_version=1, to_version=2
    )

    assert [(line.kind, line.text) for line in diff.lines if line.kind != "hunk"] == [
        ("same", "Rest."),
        ("del", "Every two hours."),
        ("ins", "Every 90 minutes."),
    ]


def test_only_sop_managers_create_and_publish(session, personas):
    create(session, personas.pat)

    with pytest.raises(PermissionDenied):
        create(session, personas.vic, "mine")
    with pytest.raises(PermissionDenied):
        guidelines.publish_sop_version(
            session, actor=personas.alice, slug="breaks", data=guidelines.NewSopVersion(body="x")
        )


def test_a_slug_is_unique(session, personas):
    create(session, personas.pat)

    with pytest.raises(Conflict) as error:
        create(session, personas.pat)

    assert error.value.code == "sop_exists"


def test_an_unknown_role_is_refused_by_the_schema():
    with pytest.raises(ValidationError) as error:
        guidelines.NewSop(slug="x", title="X", roles=["boss"], body="b")

    assert error.value.errors()[0]["loc"] == ("roles", 0)


def test_acknowledging_a_version_that_does_not_exist_names_the_field(session, personas):
    create(session, personas.pat)

    with pytest.raises(InvalidInput) as error:
        guidelines.acknowledge_sop(session, actor=personas.alice, slug="breaks", version=3)

    assert error.value.field == "version"
