from datetime import timedelta

import pytest
from sqlalchemy import select

from labelops import distribution, guidelines
from labelops.audit import AuditEvent
from labelops.db import utcnow
from labelops.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.factories import make_items, make_project


@pytest.fixture
def project(session, personas):
    project = make_project(session, personas.pat, guidelines="Insults are abuse.", demander="dana")
    make_items(session, personas.pat, project, 3)
    return project


def lease(session, actor, project):
    found = distribution.lease_next_item(session, actor=actor, project_id=project.id)
    assert found is not None
    return found


def ask(session, actor, project, item_id, body="Is sarcasm an insult?"):
    return guidelines.ask_question(
        session,
        actor=actor,
        project_id=project.id,
        data=guidelines.NewQuestion(item_id=item_id, body=body),
    )


def test_a_labeler_asks_about_the_item_they_hold_and_keeps_it(session, personas, project):
    held = lease(session, personas.alice, project)

    question = ask(session, personas.alice, project, held.item.id, body="  Is sarcasm an insult? ")

    assert question.body == "Is sarcasm an insult?"
    assert question.guideline_version == 1
    assert question.answered_at is None
    assignment = session.get(distribution.Assignment, held.assignment_id)
    assert assignment.status == "leased"
    events = session.scalars(select(AuditEvent.action).where(AuditEvent.action == "question.asked"))
    assert list(events) == ["question.asked"]


def test_nobody_asks_about_an_item_they_were_never_given(session, personas, project):
    held = lease(session, personas.alice, project)

    with pytest.raises(NotFound):
        ask(session, personas.bruno, project, held.item.id)


def test_an_empty_question_is_refused_naming_the_field(session, personas, project):
    held = lease(session, personas.alice, project)

    with pytest.raises(InvalidInput) as refused:
        ask(session, personas.alice, project, held.item.id, body="   ")

    assert refused.value.field == "body"


def test_a_pm_may_not_ask(session, personas, project):
    with pytest.raises(PermissionDenied):
        ask(session, personas.pat, project, 1)


def test_the_answer_becomes_a_guideline_example_in_one_step(session, personas, project):
    held = lease(session, personas.alice, project)
    question = ask(session, personas.alice, project, held.item.id)

    guidelines.answer_question(
        session,
        actor=personas.pat,
        question_id=question.id,
        data=guidelines.NewAnswer(
            answer="Yes, when it targets a person.", example_labels=["abuse.insult"]
        ),
    )

    examples = guidelines.list_examples(session, actor=personas.alice, project_id=project.id)
    assert [(e.item_id, e.labels, e.explanation, e.source) for e in examples] == [
        (held.item.id, ["abuse.insult"], "Yes, when it targets a person.", "question")
    ]
    assert question.example_id == examples[0].id
    assert question.answered_by_id == personas.pat.user_id


def test_a_wrong_example_label_leaves_the_question_open(session, personas, project):
    held = lease(session, personas.alice, project)
    question = ask(session, personas.alice, project, held.item.id)

    with pytest.raises(InvalidInput):
        guidelines.answer_question(
            session,
            actor=personas.pat,
            question_id=question.id,
            data=guidelines.NewAnswer(answer="Yes.", example_labels=["abuse"]),
        )

    assert question.answered_at is None


def test_a_question_is_answered_once(session, personas, project):
    held = lease(session, personas.alice, project)
    question = ask(session, personas.alice, project, held.item.id)
    answer = guidelines.NewAnswer(answer="Yes.")
    guidelines.answer_question(session, actor=personas.pat, question_id=question.id, data=answer)

    with pytest.raises(Conflict):
        guidelines.answer_question(
            session, actor=personas.admin, question_id=question.id, data=answer
        )


def test_a_reviewer_may_not_answer(session, personas, project):
    held = lease(session, personas.alice, project)
    question = ask(session, personas.alice, project, held.item.id)

    with pytest.raises(PermissionDenied):
        guidelines.answer_question(
            session,
            actor=personas.rita,
            question_id=question.id,
            data=guidelines.NewAnswer(answer="Yes."),
        )


def test_open_questions_come_oldest_first_and_answered_ones_after(session, personas, project):
    first = ask(session, personas.alice, project, lease(session, personas.alice, project).item.id)
    second = ask(session, personas.bruno, project, lease(session, personas.bruno, project).item.id)
    third = ask(session, personas.amir, project, lease(session, personas.amir, project).item.id)
    first.created_at = utcnow() - timedelta(days=2)
    second.created_at = utcnow() - timedelta(days=3)
    session.flush()
    guidelines.answer_question(
        session, actor=personas.pat, question_id=third.id, data=guidelines.NewAnswer(answer="No.")
    )

    listed = guidelines.list_questions(session, actor=personas.pat, project_id=project.id)
    open_only = guidelines.list_questions(
        session, actor=personas.pat, project_id=project.id, state="open"
    )

    assert [q.id for q in listed] == [second.id, first.id, third.id]
    assert [q.id for q in open_only] == [second.id, first.id]
    assert listed[2].answer == "No."
    assert listed[2].answered_by == "pat"


def test_each_reads_only_the_questions_they_may(session, personas, project):
    by_alice = ask(
        session, personas.alice, project, lease(session, personas.alice, project).item.id
    )
    by_bruno = ask(
        session, personas.bruno, project, lease(session, personas.bruno, project).item.id
    )

    def seen(actor):
        found = guidelines.list_questions(session, actor=actor, project_id=project.id)
        return [q.id for q in found]

    assert seen(personas.alice) == [by_alice.id]
    assert seen(personas.bruno) == [by_bruno.id]
    assert seen(personas.vic) == [by_alice.id]  # Acme's lead: alice is Acme's, bruno Babel's
    assert sorted(seen(personas.pat)) == sorted([by_alice.id, by_bruno.id])
    with pytest.raises(PermissionDenied):
        seen(personas.dana)


def test_the_summary_counts_open_questions_and_new_answers(session, personas, project):
    old = ask(session, personas.alice, project, lease(session, personas.alice, project).item.id)
    old.created_at = utcnow() - timedelta(hours=5)
    answered = ask(
        session, personas.bruno, project, lease(session, personas.bruno, project).item.id
    )
    before = utcnow()
    guidelines.answer_question(
        session, actor=personas.pat, question_id=answered.id, data=guidelines.NewAnswer(answer="A")
    )

    pm = guidelines.question_summary(session, actor=personas.pat, project_id=project.id)
    bruno = guidelines.question_summary(
        session, actor=personas.bruno, project_id=project.id, since=before
    )
    bruno_later = guidelines.question_summary(
        session, actor=personas.bruno, project_id=project.id, since=utcnow()
    )

    assert (pm.open, pm.answered, pm.answered_since) == (1, 1, None)
    assert pm.oldest_open_at is not None
    assert guidelines.age_text(pm.oldest_open_at) == "5 h"
    assert (bruno.open, bruno.answered, bruno.answered_since) == (0, 1, 1)
    assert bruno_later.answered_since == 0


@pytest.mark.parametrize(
    ("age", "text"),
    [
        (timedelta(seconds=10), "1 min"),
        (timedelta(minutes=59), "59 min"),
        (timedelta(hours=3, minutes=20), "3 h"),
        (timedelta(days=2, hours=23), "2 d"),
    ],
)
def test_ages_read_as_people_say_them(age, text):
    now = utcnow()

    assert guidelines.age_text(now - age, now) == text
