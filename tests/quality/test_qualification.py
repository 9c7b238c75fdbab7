import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from labelops import annotation, audit, distribution, quality
from labelops.db import utcnow
from labelops.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.factories import make_items, make_project

GOLD_LABEL = "abuse.insult"


def quiz_project(session, pat, *, gold=6, items=4, languages=("en",), **settings):
    """A running project with `gold` gold items (answer: insult) and `items` real ones."""
    settings.setdefault("qualification_items", 4)
    project = make_project(session, pat, languages=languages, **settings)
    make_items(session, pat, project, gold, prefix="gold")
    make_items(session, pat, project, items, prefix="real")
    quality.set_gold_answers(
        session,
        actor=pat,
        project_id=project.id,
        entries=[
            quality.GoldEntry(external_id=f"gold-{i}", labels=[GOLD_LABEL], explanation="Insult.")
            for i in range(gold)
        ],
    )
    return project


def take(session, labeler, project, *, right):
    """Start (or resume) a try and answer the first `right` items right, the rest wrong."""
    quiz = quality.start_attempt(session, actor=labeler, project_id=project.id)
    answers = {
        str(item.item_id): [GOLD_LABEL] if item.position <= right else ["ok"] for item in quiz.items
    }
    return quality.submit_attempt(
        session,
        actor=labeler,
        project_id=project.id,
        attempt_id=quiz.attempt_id,
        answers=answers,
    )


def lease(session, labeler, project):
    return distribution.lease_next_item(session, actor=labeler, project_id=project.id)


def test_a_try_draws_the_project_number_of_distinct_gold_items(session, personas):
    project = quiz_project(session, personas.pat, gold=6, qualification_items=4)

    quiz = quality.start_attempt(session, actor=personas.alice, project_id=project.id)

    ids = [item.item_id for item in quiz.items]
    gold_ids = set(
        session.scalars(
            select(quality.GoldAnswer.item_id).where(quality.GoldAnswer.project_id == project.id)
        )
    )
    assert len(ids) == 4
    assert len(set(ids)) == 4
    assert set(ids) <= gold_ids
    assert [item.position for item in quiz.items] == [1, 2, 3, 4]
    assert quiz.kind == "single"
    assert "expected" not in quiz.model_dump_json()


def test_an_unfinished_try_is_resumed_not_redrawn(session, personas):
    project = quiz_project(session, personas.pat, gold=8, qualification_items=3)
    first = quality.start_attempt(session, actor=personas.alice, project_id=project.id)

    again = quality.start_attempt(session, actor=personas.alice, project_id=project.id)

    assert again.attempt_id == first.attempt_id
    assert again.items == first.items


def test_a_quiz_larger_than_the_gold_pool_is_refused_and_the_pm_is_told(session, personas):
    project = quiz_project(session, personas.pat, gold=2, qualification_items=3)

    with pytest.raises(Conflict) as refused:
        quality.start_attempt(session, actor=personas.alice, project_id=project.id)
    overview = quality.qualification_overview(session, actor=personas.pat, project_id=project.id)

    assert refused.value.code == "not_enough_gold"
    assert "needs 3 gold items" in refused.value.message
    assert overview.gold_items == 2
    assert overview.problem is not None
    assert "2 in en" in overview.problem


def test_the_draw_keeps_to_the_labeler_languages(session, personas):
    project = quiz_project(
        session, personas.pat, gold=3, languages=("en", "es"), qualification_items=3
    )
    make_items(session, personas.pat, project, 3, language="es", prefix="es-gold")
    quality.set_gold_answers(
        session,
        actor=personas.pat,
        project_id=project.id,
        entries=[quality.GoldEntry(external_id=f"es-gold-{i}", labels=["ok"]) for i in range(3)],
    )

    quiz = quality.start_attempt(session, actor=personas.sofia, project_id=project.id)

    assert {item.language for item in quiz.items} == {"es"}


def test_passing_exactly_at_the_pass_mark_qualifies(session, personas):
    project = quiz_project(
        session, personas.pat, gold=10, qualification_items=10, qualification_pass_mark=0.7
    )

    result = take(session, personas.alice, project, right=7)

    assert (result.correct, result.total, result.passed) == (7, 10, True)
    assert result.tries_left == 0


def test_one_below_the_pass_mark_fails_with_a_try_left(session, personas):
    project = quiz_project(
        session, personas.pat, gold=10, qualification_items=10, qualification_pass_mark=0.7
    )

    result = take(session, personas.alice, project, right=6)

    assert (result.correct, result.passed, result.tries_left) == (6, False, 1)


def test_the_result_shows_each_answer_beside_the_expected_one_and_why(session, personas):
    project = quiz_project(session, personas.pat, gold=4, qualification_items=2)

    result = take(session, personas.alice, project, right=1)

    assert [(i.position, i.given, i.expected, i.explanation, i.correct) for i in result.items] == [
        (1, [GOLD_LABEL], [GOLD_LABEL], "Insult.", True),
        (2, ["ok"], [GOLD_LABEL], "Insult.", False),
    ]


def test_no_try_beyond_the_project_tries(session, personas):
    project = quiz_project(session, personas.pat, qualification_tries=2)
    take(session, personas.alice, project, right=0)
    take(session, personas.alice, project, right=0)

    with pytest.raises(Conflict) as refused:
        quality.start_attempt(session, actor=personas.alice, project_id=project.id)

    assert refused.value.code == "failed_qualification"


def test_a_passed_labeler_cannot_take_the_quiz_again(session, personas):
    project = quiz_project(session, personas.pat)
    take(session, personas.alice, project, right=4)

    with pytest.raises(Conflict) as refused:
        quality.start_attempt(session, actor=personas.alice, project_id=project.id)

    assert refused.value.code == "already_qualified"


def test_a_missing_answer_names_the_question_and_stores_nothing(session, personas):
    project = quiz_project(session, personas.pat, qualification_items=3)
    quiz = quality.start_attempt(session, actor=personas.alice, project_id=project.id)
    second = quiz.items[1].item_id
    answers = {str(quiz.items[0].item_id): ["ok"], str(quiz.items[2].item_id): ["ok"]}

    with pytest.raises(InvalidInput) as refused:
        quality.submit_attempt(
            session,
            actor=personas.alice,
            project_id=project.id,
            attempt_id=quiz.attempt_id,
            answers=answers,
        )

    attempt = session.get(quality.QualificationAttempt, quiz.attempt_id)
    assert refused.value.field == f"answers.{second}"
    assert refused.value.message == f"question 2 (item {second}): pick at least one label"
    assert (attempt.answers, attempt.finished_at) == (None, None)


def test_a_label_outside_the_schema_names_the_question(session, personas):
    project = quiz_project(session, personas.pat, qualification_items=2)
    quiz = quality.start_attempt(session, actor=personas.alice, project_id=project.id)
    first, second = (item.item_id for item in quiz.items)

    with pytest.raises(InvalidInput) as refused:
        quality.submit_attempt(
            session,
            actor=personas.alice,
            project_id=project.id,
            attempt_id=quiz.attempt_id,
            answers={str(first): ["ok"], str(second): ["abuse"]},
        )

    assert refused.value.code == "unknown_label"
    assert refused.value.field == f"answers.{second}"
    assert refused.value.message.startswith("question 2 ")


def test_an_item_outside_the_quiz_is_refused(session, personas):
    project = quiz_project(session, personas.pat, qualification_items=1)
    quiz = quality.start_attempt(session, actor=personas.alice, project_id=project.id)

    with pytest.raises(InvalidInput) as refused:
        quality.submit_attempt(
            session,
            actor=personas.alice,
            project_id=project.id,
            attempt_id=quiz.attempt_id,
            answers={str(quiz.items[0].item_id): ["ok"], "999999": ["ok"]},
        )

    assert (refused.value.code, refused.value.field) == ("unknown_quiz_item", "answers.999999")


def test_sending_the_same_answers_again_is_harmless(session, personas):
    project = quiz_project(session, personas.pat, qualification_items=2)
    quiz = quality.start_attempt(session, actor=personas.alice, project_id=project.id)
    answers = {str(item.item_id): ["ok"] for item in quiz.items}
    submit = {
        "actor": personas.alice,
        "project_id": project.id,
        "attempt_id": quiz.attempt_id,
        "answers": answers,
    }
    first = quality.submit_attempt(session, **submit)

    again = quality.submit_attempt(session, **submit)
    with pytest.raises(Conflict) as changed:
        quality.submit_attempt(
            session, **{**submit, "answers": {key: [GOLD_LABEL] for key in answers}}
        )

    assert again == first
    assert changed.value.code == "attempt_finished"


def test_another_labelers_try_is_not_found(session, personas):
    project = quiz_project(session, personas.pat, qualification_items=1)
    quiz = quality.start_attempt(session, actor=personas.alice, project_id=project.id)

    with pytest.raises(NotFound):
        quality.submit_attempt(
            session,
            actor=personas.bruno,
            project_id=project.id,
            attempt_id=quiz.attempt_id,
            answers={str(quiz.items[0].item_id): ["ok"]},
        )


def test_quiz_answers_count_neither_as_gold_nor_as_annotations(session, personas):
    project = quiz_project(session, personas.pat, qualification_items=4)

    take(session, personas.alice, project, right=4)

    annotations = session.scalar(
        select(func.count())
        .select_from(annotation.Annotation)
        .where(annotation.Annotation.project_id == project.id)
    )
    gold = quality.gold_accuracy(session, actor=personas.pat, project_id=project.id)
    assert annotations == 0
    assert gold == []


def test_projects_without_a_quiz_lease_at_once(session, personas):
    project = quiz_project(session, personas.pat, qualification_items=0)

    leased = lease(session, personas.alice, project)

    assert leased is not None


def test_the_queue_blocks_real_items_until_the_labeler_passes(session, personas):
    project = quiz_project(session, personas.pat, qualification_items=4)

    with pytest.raises(Conflict) as blocked:
        lease(session, personas.alice, project)
    take(session, personas.alice, project, right=4)
    leased = lease(session, personas.alice, project)

    assert blocked.value.code == "qualification_required"
    assert f"/label/{project.id}/qualification" in blocked.value.message
    assert leased is not None
    assert leased.item.external_id.startswith("real-")


def test_a_labeler_who_failed_out_is_told_so_by_the_queue(session, personas):
    project = quiz_project(session, personas.pat, qualification_tries=1)
    take(session, personas.alice, project, right=0)

    with pytest.raises(Conflict) as blocked:
        lease(session, personas.alice, project)

    assert blocked.value.code == "failed_qualification"


def test_a_pm_reset_gives_the_tries_afresh_and_is_audited(session, personas):
    project = quiz_project(session, personas.pat, qualification_tries=1)
    take(session, personas.alice, project, right=0)

    standing = quality.reset_qualification(
        session, actor=personas.pat, project_id=project.id, labeler_id=personas.alice.user_id
    )
    result = take(session, personas.alice, project, right=4)

    events = session.scalars(
        select(audit.AuditEvent.action).where(audit.AuditEvent.project_id == project.id)
    ).all()
    assert (standing.state, standing.tries_left, len(standing.attempts)) == ("required", 1, 1)
    assert result.passed
    assert "qualification.reset" in events
    assert events.count("qualification.submitted") == 2


def test_only_a_pm_may_reset(session, personas):
    project = quiz_project(session, personas.pat, qualification_tries=1)
    take(session, personas.alice, project, right=0)

    for actor in (personas.vic, personas.alice, personas.rita):
        with pytest.raises(PermissionDenied):
            quality.reset_qualification(
                session, actor=actor, project_id=project.id, labeler_id=personas.alice.user_id
            )


def test_the_overview_shows_a_vendor_lead_only_their_vendor(session, personas):
    project = quiz_project(session, personas.pat, qualification_tries=1)
    take(session, personas.alice, project, right=0)
    take(session, personas.bruno, project, right=4)

    for_vic = quality.qualification_overview(session, actor=personas.vic, project_id=project.id)
    for_pat = quality.qualification_overview(session, actor=personas.pat, project_id=project.id)

    assert [(r.username, r.state) for r in for_vic.labelers] == [("alice", "failed")]
    assert [(r.username, r.state) for r in for_pat.labelers] == [
        ("alice", "failed"),
        ("bruno", "qualified"),
    ]


def test_a_labeler_sees_only_their_own_standing(session, personas):
    project = quiz_project(session, personas.pat, qualification_tries=2)
    take(session, personas.bruno, project, right=0)
    take(session, personas.alice, project, right=1)

    overview = quality.qualification_overview(session, actor=personas.alice, project_id=project.id)

    assert overview.labelers == []
    assert overview.gold_items is None
    assert overview.me is not None
    assert (overview.me.state, overview.me.tries_used, overview.me.tries_left) == (
        "required",
        1,
        1,
    )


def test_the_queue_reads_a_labelers_standing_through_the_attempts_index(session, personas):
    from labelops.quality import qualification
    from tests.distribution.test_query_plans import plan

    labelers = [personas.alice, personas.amir, personas.bruno, personas.sofia]
    project_ids = [make_project(session, personas.pat, name=f"Quiz {n}").id for n in range(12)]
    session.add_all(
        quality.QualificationAttempt(
            project_id=project_ids[n % len(project_ids)],
            labeler_id=labelers[n % len(labelers)].user_id,
            item_ids=[],
            total=5,
            correct=n % 6,
            passed=n % 6 == 5,
            finished_at=utcnow(),
        )
        for n in range(4000)
    )
    session.flush()
    session.connection().exec_driver_sql("ANALYZE")
    values = {"project_id": project_ids[3], "labeler_id": personas.bruno.user_id}
    statement, parameters = qualification._STANDING.bind(session.get_bind().dialect, values)

    explained = plan(session, statement, parameters)

    assert "ix_qualification_attempts_labeler" in explained, explained
    assert "SCAN qualification_attempts" not in explained, explained
    assert "Seq Scan on qualification_attempts" not in explained, explained


def test_the_database_refuses_a_second_unfinished_try(session, personas):
    project = quiz_project(session, personas.pat, qualification_items=1)
    quality.start_attempt(session, actor=personas.alice, project_id=project.id)
    second = quality.QualificationAttempt(
        project_id=project.id, labeler_id=personas.alice.user_id, item_ids=[], total=1
    )

    session.add(second)

    with pytest.raises(IntegrityError), session.begin_nested():
        session.flush()


def test_a_try_started_concurrently_is_resumed_not_doubled(session, personas, monkeypatch):
    from labelops.quality import qualification

    project = quiz_project(session, personas.pat, qualification_items=2)
    draw = qualification._draw
    rival = {}

    def draw_while_another_tab_starts(session_, view, actor):
        drawn = draw(session_, view, actor)
        rival["attempt"] = quality.QualificationAttempt(
            project_id=view.id, labeler_id=actor.user_id, item_ids=drawn, total=len(drawn)
        )
        session_.add(rival["attempt"])
        session_.flush()
        return drawn

    monkeypatch.setattr(qualification, "_draw", draw_while_another_tab_starts)

    quiz = quality.start_attempt(session, actor=personas.alice, project_id=project.id)

    assert quiz.attempt_id == rival["attempt"].id
    assert quiz.items[0].item_id == rival["attempt"].item_ids[0]


# --- recalibration after a guideline change ----------------------------------------------------


def recalibrate(session, pat, project):
    """Publish a new guideline version asking for recalibration; labelers have read it."""
    from labelops import guidelines
    from tests.factories import acknowledge_guidelines

    _, published = guidelines.publish(
        session,
        actor=pat,
        project_id=project.id,
        data=guidelines.NewGuidelines(body="Insults now include group insults.", recalibrate=True),
    )
    acknowledge_guidelines(session, project)
    return published


def test_recalibration_requires_the_quiz_again_from_a_passed_labeler(session, personas):
    project = quiz_project(session, personas.pat)
    take(session, personas.alice, project, right=4)

    published = recalibrate(session, personas.pat, project)

    with pytest.raises(Conflict) as blocked:
        lease(session, personas.alice, project)
    assert published.requalify_after is not None
    assert blocked.value.code == "qualification_required"


def test_after_recalibration_a_fresh_pass_serves_items_again(session, personas):
    project = quiz_project(session, personas.pat)
    take(session, personas.alice, project, right=4)
    recalibrate(session, personas.pat, project)

    result = take(session, personas.alice, project, right=4)

    assert result.passed
    assert lease(session, personas.alice, project) is not None


def test_recalibration_gives_a_failed_out_labeler_fresh_tries(session, personas):
    project = quiz_project(session, personas.pat, qualification_tries=1)
    take(session, personas.alice, project, right=0)
    recalibrate(session, personas.pat, project)

    overview = quality.qualification_overview(session, actor=personas.alice, project_id=project.id)

    assert overview.me is not None
    assert (overview.me.state, overview.me.tries_left) == ("required", 1)


def test_publishing_without_recalibration_keeps_labelers_qualified(session, personas):
    from labelops import guidelines
    from tests.factories import publish_acknowledged

    project = quiz_project(session, personas.pat)
    take(session, personas.alice, project, right=4)

    publish_acknowledged(session, personas.pat, project, "A clarification.")

    assert guidelines.current_version_number(session, project.id) == 1
    assert lease(session, personas.alice, project) is not None
