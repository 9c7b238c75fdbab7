from sqlalchemy import select

from labelops import guidelines, quality
from tests.factories import acknowledge_guidelines, label_next, make_items, make_project

INSULT = {"definition": "Demeaning a person."}
REWORDED = {"definition": "Demeaning a person or a group."}
FINE = {"definition": "Fine."}


def publish(session, actor, project, **fields):
    return guidelines.publish(
        session, actor=actor, project_id=project.id, data=guidelines.NewGuidelines(**fields)
    )[1]


def labeled_project(session, personas):
    """Three items labeled under version 1: two insults and one fine."""
    project = make_project(session, personas.pat)
    publish(session, personas.pat, project, sections={"abuse.insult": INSULT, "ok": FINE})
    acknowledge_guidelines(session, project)
    make_items(session, personas.pat, project, 3)
    label_next(session, personas.alice, project, ["abuse.insult"])
    label_next(session, personas.alice, project, ["abuse.insult"])
    label_next(session, personas.alice, project, ["ok"])
    return project


def escalations(session, project):
    return session.scalars(
        select(quality.Escalation).where(quality.Escalation.project_id == project.id)
    ).all()


def test_items_labeled_with_a_changed_label_go_to_reviewers(session, personas):
    project = labeled_project(session, personas)

    published = publish(
        session,
        personas.pat,
        project,
        sections={"abuse.insult": REWORDED, "ok": FINE},
        rereview=True,
    )

    rows = escalations(session, project)
    assert published.changed_labels == ["abuse.insult"]
    assert published.rereview_escalations == 2
    assert [(e.reason, e.labels, e.resolved_at) for e in rows] == [
        ("guideline_change", ["abuse.insult"], None),
        ("guideline_change", ["abuse.insult"], None),
    ]


def test_a_changed_group_sends_the_items_of_its_labels(session, personas):
    project = labeled_project(session, personas)

    published = publish(
        session,
        personas.pat,
        project,
        sections={"abuse": {"definition": "Any abuse."}, "abuse.insult": INSULT, "ok": FINE},
        rereview=True,
    )

    assert published.changed_labels == ["abuse"]
    assert published.rereview_escalations == 2


def test_items_already_waiting_for_a_reviewer_are_not_sent_twice(session, personas):
    project = labeled_project(session, personas)
    publish(
        session,
        personas.pat,
        project,
        sections={"abuse.insult": REWORDED, "ok": FINE},
        rereview=True,
    )

    again = publish(
        session,
        personas.pat,
        project,
        sections={"abuse.insult": {"definition": "Demeaning someone."}, "ok": FINE},
        rereview=True,
    )

    assert again.rereview_escalations == 0
    assert len(escalations(session, project)) == 2


def test_a_decided_item_is_reopened_for_the_new_definition(session, personas):
    project = labeled_project(session, personas)
    publish(
        session,
        personas.pat,
        project,
        sections={"abuse.insult": REWORDED, "ok": FINE},
        rereview=True,
    )
    first = escalations(session, project)[0]
    quality.resolve_escalation(
        session,
        actor=personas.rita,
        project_id=project.id,
        escalation_id=first.id,
        labels=["abuse.insult"],
    )

    again = publish(
        session,
        personas.pat,
        project,
        sections={"abuse.insult": {"definition": "Demeaning someone."}, "ok": FINE},
        rereview=True,
    )

    session.refresh(first)
    assert again.rereview_escalations == 1
    assert (first.resolved_at, first.resolved_labels) == (None, None)


def test_items_whose_labels_did_not_change_are_left_alone(session, personas):
    project = labeled_project(session, personas)

    published = publish(
        session,
        personas.pat,
        project,
        sections={"abuse.insult": INSULT, "ok": {"definition": "Nothing wrong."}},
        rereview=True,
    )

    assert published.changed_labels == ["ok"]
    assert published.rereview_escalations == 1
    assert [e.labels for e in escalations(session, project)] == [["ok"]]


def test_without_rereview_nothing_is_sent(session, personas):
    project = labeled_project(session, personas)

    published = publish(
        session, personas.pat, project, sections={"abuse.insult": REWORDED, "ok": FINE}
    )

    assert published.rereview_escalations is None
    assert escalations(session, project) == []
