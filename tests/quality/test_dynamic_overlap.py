import numpy as np
import pytest
from sqlalchemy import select, update

from labelops import audit, distribution, projects, quality
from labelops.quality.posterior import Decision, LabelModel, decide, should_refit
from tests.factories import label_next, make_items, make_project, make_user
from tests.invariants import queue_violations


def decide_for(*, confidence: float, submitted: int, pending: int, target: int) -> Decision:
    """At a minimum of 2, a maximum of 4 and a target of 0.9."""
    return decide(
        confidence=confidence,
        target_confidence=0.9,
        submitted=submitted,
        pending=pending,
        target=target,
        min_overlap=2,
        max_overlap=4,
    )


def test_a_confident_item_is_done():
    decision = decide_for(confidence=0.95, submitted=2, pending=0, target=2)

    assert decision is Decision.DONE


def test_a_doubtful_item_gets_one_more_labeler():
    decision = decide_for(confidence=0.6, submitted=2, pending=0, target=2)

    assert decision is Decision.MORE


def test_a_doubtful_item_at_the_maximum_is_escalated():
    decision = decide_for(confidence=0.6, submitted=4, pending=0, target=4)

    assert decision is Decision.ESCALATE


def test_a_doubtful_item_waits_for_answers_on_their_way():
    decision = decide_for(confidence=0.6, submitted=2, pending=1, target=3)

    assert decision is Decision.WAIT


def test_nothing_is_decided_below_the_minimum():
    decision = decide_for(confidence=0.99, submitted=1, pending=1, target=2)

    assert decision is Decision.WAIT


def test_unmeasured_labelers_agreeing_twice_are_not_enough_for_095():
    model = LabelModel.untrained(["abuse", "ok"])

    best, confidence, _ = model.posterior([("1", "ok"), ("2", "ok")])

    # 0.8² / (0.8² + 0.2²) with even priors
    assert best == "ok"
    assert confidence == pytest.approx(0.64 / 0.68)


def test_a_fitted_labeler_s_confusion_and_the_priors_weigh_in():
    # labeler 7 says "ok" to almost everything: their "ok" tells little, their "abuse" a lot
    lenient = np.array([[0.5, 0.5], [0.01, 0.99]])  # rows: true abuse, ok
    model = LabelModel(("abuse", "ok"), np.array([0.2, 0.8]), {"7": lenient})

    _, after_ok, posterior_ok = model.posterior([("7", "ok")])
    best, after_abuse, _ = model.posterior([("7", "abuse")])

    assert posterior_ok["ok"] == pytest.approx(0.8 * 0.99 / (0.8 * 0.99 + 0.2 * 0.5))
    assert after_ok < 0.9
    assert best == "abuse"
    assert after_abuse == pytest.approx(0.2 * 0.5 / (0.2 * 0.5 + 0.8 * 0.01))


def test_an_answer_no_fit_has_seen_counts_as_a_label_of_its_own():
    model = LabelModel.untrained(["abuse", "ok"])

    best, _, posterior = model.posterior([("1", "abuse|spam"), ("2", "abuse|spam")])

    assert best == "abuse|spam"
    assert set(posterior) == {"abuse", "ok", "abuse|spam"}


def test_refits_come_first_at_30_answers_then_every_tenth_growth():
    assert not should_refit(29, None)
    assert should_refit(30, None)
    assert not should_refit(79, 30)
    assert should_refit(80, 30)
    assert not should_refit(1_099, 1_000)
    assert should_refit(1_100, 1_000)


@pytest.fixture
def crew(session):
    return [make_user(session, f"lab{n}", vendor="Acme") for n in range(5)]


def dynamic_project(session, personas, **settings):
    project = make_project(
        session,
        personas.pat,
        overlap=2,
        max_overlap=3,
        target_confidence=0.9,
        vendors=["Acme"],
        **settings,
    )
    make_items(session, personas.pat, project, 1)
    return project


def entry(session, project):
    row = session.scalars(
        select(distribution.QueueEntry).where(distribution.QueueEntry.project_id == project.id)
    ).one()
    session.refresh(row)
    return row.target, row.submitted, row.open_slots


def test_agreeing_labelers_stop_the_item_at_the_minimum(session, personas, crew):
    project = dynamic_project(session, personas)
    label_next(session, crew[0], project, ["ok"])
    label_next(session, crew[1], project, ["ok"])

    third = label_next(session, crew[2], project, ["ok"])

    assert third is None
    assert entry(session, project) == (2, 2, 0)
    assert queue_violations(session, project.id) == []


def test_disagreeing_labelers_bring_one_more(session, personas, crew):
    project = dynamic_project(session, personas)
    label_next(session, crew[0], project, ["ok"])
    label_next(session, crew[1], project, ["abuse.insult"])

    assert entry(session, project) == (3, 2, 1)
    third = label_next(session, crew[2], project, ["ok"])

    assert third is not None
    assert label_next(session, crew[3], project, ["ok"]) is None
    assert queue_violations(session, project.id) == []


def test_doubt_at_the_maximum_escalates_once_with_an_audit_row(session, personas, crew):
    project = dynamic_project(session, personas)
    for labeler, labels in zip(crew, (["ok"], ["abuse.insult"], ["ok"]), strict=False):
        label_next(session, labeler, project, labels)

    escalations = session.scalars(select(quality.Escalation)).all()
    assert [(e.item_id, e.labels, e.reason) for e in escalations] == [
        (entry_item(session, project), ["ok"], "low_confidence")
    ]
    assert 0.5 < escalations[0].confidence < 0.9
    assert entry(session, project) == (3, 3, 0)
    assert label_next(session, crew[3], project, ["ok"]) is None
    events = session.scalars(
        select(audit.AuditEvent.action).where(audit.AuditEvent.project_id == project.id)
    ).all()
    assert events.count("item.escalated") == 1
    assert queue_violations(session, project.id) == []


def entry_item(session, project):
    return session.scalars(
        select(distribution.QueueEntry.item_id).where(
            distribution.QueueEntry.project_id == project.id
        )
    ).one()


def test_a_confident_item_s_open_slots_close(session, personas, crew):
    project = dynamic_project(session, personas)
    label_next(session, crew[0], project, ["ok"])
    stored = label_next(session, crew[1], project, ["ok"])
    item_id = entry_item(session, project)
    # as if the PM had raised the overlap: a slot open beside two agreeing answers
    session.execute(
        update(distribution.QueueEntry)
        .where(distribution.QueueEntry.item_id == item_id)
        .values(target=3, open_slots=1)
    )
    view = projects.find_view(session, project.id)
    assert view is not None
    assert stored is not None

    decision = quality.after_submission(
        session, project=view, item_id=item_id, annotation_id=stored.id
    )

    assert decision is Decision.DONE
    assert entry(session, project) == (2, 2, 0)
    assert queue_violations(session, project.id) == []


def test_a_fixed_overlap_project_keeps_its_overlap_whatever_the_answers(session, personas, crew):
    project = make_project(session, personas.pat, overlap=2, vendors=["Acme"])
    make_items(session, personas.pat, project, 1)
    label_next(session, crew[0], project, ["ok"])
    label_next(session, crew[1], project, ["abuse.insult"])

    third = label_next(session, crew[2], project, ["ok"])

    assert third is None
    assert entry(session, project) == (2, 2, 0)
    assert session.scalars(select(quality.Escalation)).all() == []


def test_refit_stores_each_labeler_s_confusion_matrix(session, personas, crew):
    project = make_project(
        session, personas.pat, overlap=2, max_overlap=2, target_confidence=0.9, vendors=["Acme"]
    )
    make_items(session, personas.pat, project, 6)
    for labeler in crew[:2]:
        for _ in range(6):
            label_next(session, labeler, project, ["ok"])

    quality.refit(session, project_id=project.id)

    fit = session.get(quality.QualityFit, project.id)
    assert fit is not None
    assert (fit.method, fit.annotations) == ("ods", 12)
    assert fit.labels == ["abuse.insult", "abuse.threat", "ok"]
    assert set(fit.confusion) == {str(crew[0].user_id), str(crew[1].user_id)}
    assert fit.priors[2] > 0.9
    matrix = np.array(fit.confusion[str(crew[0].user_id)])
    assert matrix.shape == (3, 3)
    assert np.allclose(matrix.sum(axis=1), 1.0)
    assert matrix[2, 2] > 0.8


def test_the_first_fit_comes_with_the_thirtieth_answer(session, personas, crew):
    project = make_project(
        session, personas.pat, overlap=2, max_overlap=2, target_confidence=0.9, vendors=["Acme"]
    )
    make_items(session, personas.pat, project, 20)
    for _ in range(14):
        label_next(session, crew[0], project, ["ok"])
        label_next(session, crew[1], project, ["ok"])
    label_next(session, crew[0], project, ["ok"])
    assert session.get(quality.QualityFit, project.id) is None

    label_next(session, crew[1], project, ["ok"])

    fit = session.get(quality.QualityFit, project.id)
    assert fit is not None
    assert fit.annotations == 30
    refits = session.scalars(
        select(audit.AuditEvent.data).where(audit.AuditEvent.action == "quality.refit")
    ).all()
    assert refits == [{"annotations": 30, "labelers": 2}]
