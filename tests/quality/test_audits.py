"""Audits as use cases: the lot, the sample, verdicts, the estimate and the decision."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from labelops import projects, quality
from labelops.audit import AuditEvent
from labelops.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from labelops.quality.sampling import sample_size
from tests.audit_data import label_all, labeled_lot
from tests.factories import Personas, make_items, make_project


@pytest.fixture
def lot(session: Session, personas: Personas) -> projects.Project:
    """40 English and 12 Spanish items, each labeled once by alice; 3 more never labeled."""
    project = labeled_lot(session, personas)
    make_items(session, personas.pat, project, 3, language="en", prefix="late")
    return project


def new_audit(session, personas, project, **fields) -> quality.AuditDetail:
    created = quality.create_audit(
        session,
        actor=personas.pat,
        project_id=project.id,
        data=quality.NewAudit(**{"margin": 0.1, "expected_accuracy": 0.9, "seed": 7, **fields}),
    )
    return quality.get_audit(session, actor=personas.rita, audit_id=created.id)


def review(session, personas, detail, *, wrong: int = 0) -> None:
    """rita reviews every sampled item; the first `wrong` are incorrect (should be a threat)."""
    for n, entry in enumerate(detail.items):
        verdict = (
            quality.Verdict(verdict="incorrect", labels=["abuse.threat"])
            if n < wrong
            else quality.Verdict(verdict="correct")
        )
        quality.record_verdict(
            session,
            actor=personas.rita,
            audit_id=detail.id,
            audit_item_id=entry.id,
            verdict=verdict,
        )


def test_an_audit_samples_finished_items_stratified_by_language_and_final_label(
    session, personas, lot
):
    detail = new_audit(session, personas, lot)

    assert detail.population == 52
    assert detail.sample_size == sample_size(0.1, 0.9, population=52)
    assert [(s.key, s.population) for s in detail.strata] == [
        ("en/abuse.insult", 10),
        ("en/ok", 30),
        ("es/abuse.insult", 3),
        ("es/ok", 9),
    ]
    assert sum(s.sample for s in detail.strata) == detail.sample_size == len(detail.items)
    assert min(s.sample for s in detail.strata) >= 1
    for entry in detail.items:
        assert entry.stratum == f"{entry.language}/{'|'.join(entry.final_labels)}"
        assert not entry.external_id.startswith("late")


def test_the_final_label_is_the_majority_of_the_annotations(session, personas):
    project = make_project(session, personas.pat, overlap=3)
    make_items(session, personas.pat, project, 2)
    label_all(session, personas.alice, project, lambda item: ["abuse.insult"])
    label_all(session, personas.amir, project, lambda item: ["abuse.insult"])
    label_all(session, personas.bruno, project, lambda item: ["ok"])

    detail = new_audit(session, personas, project)

    assert [e.final_labels for e in detail.items] == [["abuse.insult"], ["abuse.insult"]]


def test_a_tie_has_no_final_label_and_cannot_be_called_correct(session, personas):
    project = make_project(session, personas.pat, overlap=2)
    make_items(session, personas.pat, project, 1)
    label_all(session, personas.alice, project, lambda item: ["abuse.insult"])
    label_all(session, personas.bruno, project, lambda item: ["ok"])
    detail = new_audit(session, personas, project)

    with pytest.raises(InvalidInput) as refused:
        quality.record_verdict(
            session,
            actor=personas.rita,
            audit_id=detail.id,
            audit_item_id=detail.items[0].id,
            verdict=quality.Verdict(verdict="correct"),
        )

    assert detail.strata[0].key == "en/no majority"
    assert detail.items[0].final_labels == []
    assert (refused.value.code, refused.value.field) == ("no_final_label", "verdict")


def test_an_audit_of_a_batch_takes_only_that_batch(session, personas, lot):
    batch = make_items(session, personas.pat, lot, 8, prefix="second")
    label_all(session, personas.alice, lot, lambda item: ["ok"])

    detail = new_audit(session, personas, lot, batch_id=batch.batch_id)

    assert detail.population == 8
    assert detail.batch_id == batch.batch_id
    assert {e.external_id.split("-")[0] for e in detail.items} == {"second"}


def test_the_same_seed_draws_the_same_sample(session, personas, lot):
    first = new_audit(session, personas, lot, seed=11)
    again = new_audit(session, personas, lot, seed=11)

    assert [e.item_id for e in first.items] == [e.item_id for e in again.items]


def test_an_unknown_batch_is_refused_naming_the_field(session, personas, lot):
    with pytest.raises(InvalidInput) as refused:
        new_audit(session, personas, lot, batch_id=987654)

    assert (refused.value.code, refused.value.field) == ("unknown_batch", "batch_id")


def test_a_lot_with_nothing_finished_cannot_be_audited(session, personas):
    project = make_project(session, personas.pat)
    make_items(session, personas.pat, project, 5)

    with pytest.raises(Conflict) as refused:
        new_audit(session, personas, project)

    assert refused.value.code == "nothing_to_audit"


def test_only_a_pm_starts_an_audit(session, personas, lot):
    with pytest.raises(PermissionDenied):
        quality.create_audit(
            session, actor=personas.rita, project_id=lot.id, data=quality.NewAudit()
        )


def test_labelers_and_vendor_leads_never_see_audits(session, personas, lot):
    detail = new_audit(session, personas, lot)

    for outsider in (personas.alice, personas.vic, personas.dana):
        with pytest.raises(PermissionDenied):
            quality.get_audit(session, actor=outsider, audit_id=detail.id)


def test_an_incorrect_verdict_keeps_the_right_labels_and_moves_the_estimate(session, personas, lot):
    detail = new_audit(session, personas, lot)

    review(session, personas, detail, wrong=2)
    after = quality.get_audit(session, actor=personas.pat, audit_id=detail.id)

    wrong = [e for e in after.items if e.verdict == "incorrect"]
    assert [(e.corrected_labels, e.reviewer) for e in wrong] == [(["abuse.threat"], "rita")] * 2
    assert after.estimate.reviewed == detail.sample_size
    assert after.estimate.correct == detail.sample_size - 2
    assert after.estimate.accuracy is not None
    assert after.estimate.accuracy < 1
    assert after.estimate.interval is not None
    low, high = after.estimate.interval
    assert low < after.estimate.accuracy < high


def test_a_verdict_can_change_until_the_audit_is_decided(session, personas, lot):
    detail = new_audit(session, personas, lot)
    entry = detail.items[0]
    quality.record_verdict(
        session,
        actor=personas.rita,
        audit_id=detail.id,
        audit_item_id=entry.id,
        verdict=quality.Verdict(verdict="incorrect", labels=["abuse.threat"]),
    )

    quality.record_verdict(
        session,
        actor=personas.pat,
        audit_id=detail.id,
        audit_item_id=entry.id,
        verdict=quality.Verdict(verdict="correct"),
    )

    after = quality.get_audit(session, actor=personas.rita, audit_id=detail.id)
    assert (after.items[0].verdict, after.items[0].corrected_labels) == ("correct", None)
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "audit_item")
    ).all()
    assert actions == ["audit.verdict", "audit.verdict_changed"]


@pytest.mark.parametrize(
    ("verdict", "code"),
    [
        (quality.Verdict(verdict="incorrect"), "labels_required"),
        (quality.Verdict(verdict="incorrect", labels=["abuse"]), "unknown_label"),
        (quality.Verdict(verdict="incorrect", labels=["ok", "abuse.threat"]), "one_label"),
        (quality.Verdict(verdict="correct", labels=["ok"]), "labels_not_expected"),
    ],
)
def test_a_bad_verdict_is_refused_naming_the_labels(session, personas, lot, verdict, code):
    detail = new_audit(session, personas, lot)

    with pytest.raises(InvalidInput) as refused:
        quality.record_verdict(
            session,
            actor=personas.rita,
            audit_id=detail.id,
            audit_item_id=detail.items[0].id,
            verdict=verdict,
        )

    assert (refused.value.code, refused.value.field) == (code, "labels")


def test_the_right_label_cannot_be_the_final_label_itself(session, personas, lot):
    detail = new_audit(session, personas, lot)
    entry = detail.items[0]

    with pytest.raises(InvalidInput) as refused:
        quality.record_verdict(
            session,
            actor=personas.rita,
            audit_id=detail.id,
            audit_item_id=entry.id,
            verdict=quality.Verdict(verdict="incorrect", labels=entry.final_labels),
        )

    assert refused.value.code == "same_as_final"


def test_an_item_of_another_audit_is_not_found(session, personas, lot):
    first = new_audit(session, personas, lot)
    second = new_audit(session, personas, lot)

    with pytest.raises(NotFound):
        quality.record_verdict(
            session,
            actor=personas.rita,
            audit_id=second.id,
            audit_item_id=first.items[0].id,
            verdict=quality.Verdict(verdict="correct"),
        )


def test_accepting_needs_every_sampled_item_reviewed(session, personas, lot):
    detail = new_audit(session, personas, lot)

    with pytest.raises(Conflict) as refused:
        quality.decide_audit(
            session,
            actor=personas.pat,
            audit_id=detail.id,
            decision=quality.Decision(decision="accept"),
        )

    assert refused.value.code == "audit_incomplete"


def test_a_batch_meeting_the_target_is_accepted_and_the_estimate_kept(session, personas, lot):
    detail = new_audit(session, personas, lot)
    review(session, personas, detail, wrong=1)

    decided = quality.decide_audit(
        session,
        actor=personas.pat,
        audit_id=detail.id,
        decision=quality.Decision(decision="accept", note="Good batch."),
    )

    after = quality.get_audit(session, actor=personas.pat, audit_id=detail.id)
    assert (after.status, after.decided_by, after.decision_note) == (
        "accepted",
        "pat",
        "Good batch.",
    )
    assert after.estimate.meets_target is True
    assert decided.accuracy == after.estimate.accuracy
    assert after.estimate.interval == (decided.interval_low, decided.interval_high)


def test_a_batch_below_the_target_cannot_be_accepted_but_can_be_rejected(session, personas, lot):
    detail = new_audit(session, personas, lot)
    review(session, personas, detail, wrong=detail.sample_size // 2)

    with pytest.raises(Conflict) as refused:
        quality.decide_audit(
            session,
            actor=personas.pat,
            audit_id=detail.id,
            decision=quality.Decision(decision="accept"),
        )
    quality.decide_audit(
        session,
        actor=personas.pat,
        audit_id=detail.id,
        decision=quality.Decision(decision="reject"),
    )

    after = quality.get_audit(session, actor=personas.pat, audit_id=detail.id)
    assert refused.value.code == "below_target"
    assert (after.status, after.estimate.meets_target) == ("rejected", False)


def test_a_batch_may_be_rejected_before_every_item_is_reviewed(session, personas, lot):
    detail = new_audit(session, personas, lot)

    quality.decide_audit(
        session,
        actor=personas.pat,
        audit_id=detail.id,
        decision=quality.Decision(decision="reject"),
    )

    assert quality.get_audit(session, actor=personas.pat, audit_id=detail.id).status == "rejected"


def test_without_a_target_the_pm_decides_freely(session, personas, lot):
    lot.quality_target = None
    detail = new_audit(session, personas, lot)
    review(session, personas, detail, wrong=detail.sample_size // 2)

    quality.decide_audit(
        session,
        actor=personas.pat,
        audit_id=detail.id,
        decision=quality.Decision(decision="accept"),
    )

    after = quality.get_audit(session, actor=personas.pat, audit_id=detail.id)
    assert (after.status, after.estimate.quality_target, after.estimate.meets_target) == (
        "accepted",
        None,
        None,
    )


def test_a_decided_audit_takes_no_more_verdicts_nor_decisions(session, personas, lot):
    detail = new_audit(session, personas, lot)
    quality.decide_audit(
        session,
        actor=personas.pat,
        audit_id=detail.id,
        decision=quality.Decision(decision="reject"),
    )

    with pytest.raises(Conflict) as verdict:
        review(session, personas, detail)
    with pytest.raises(Conflict) as decision:
        quality.decide_audit(
            session,
            actor=personas.pat,
            audit_id=detail.id,
            decision=quality.Decision(decision="reject"),
        )

    assert (verdict.value.code, decision.value.code) == ("audit_decided", "audit_decided")


def test_a_reviewer_cannot_decide(session, personas, lot):
    detail = new_audit(session, personas, lot)
    review(session, personas, detail)

    with pytest.raises(PermissionDenied):
        quality.decide_audit(
            session,
            actor=personas.rita,
            audit_id=detail.id,
            decision=quality.Decision(decision="accept"),
        )


def test_every_change_leaves_an_audit_row(session, personas, lot):
    detail = new_audit(session, personas, lot)
    review(session, personas, detail)
    quality.decide_audit(
        session,
        actor=personas.pat,
        audit_id=detail.id,
        decision=quality.Decision(decision="accept"),
    )

    rows = session.execute(
        select(AuditEvent.action, AuditEvent.actor_name).where(
            AuditEvent.project_id == lot.id, AuditEvent.action.like("audit.%")
        )
    ).all()

    assert rows[0] == ("audit.created", "pat")
    assert rows[1:-1] == [("audit.verdict", "rita")] * detail.sample_size
    assert rows[-1] == ("audit.accepted", "pat")


def test_the_open_audits_list_is_a_reviewers_work(session, personas, lot):
    open_one = new_audit(session, personas, lot, name="Open one")
    decided = new_audit(session, personas, lot, name="Decided")
    quality.decide_audit(
        session,
        actor=personas.pat,
        audit_id=decided.id,
        decision=quality.Decision(decision="reject"),
    )

    found = quality.list_open_audits(session, actor=personas.rita)

    assert [(a.id, a.name) for a in found] == [(open_one.id, "Open one")]


def test_the_plan_shows_the_sample_before_anything_is_drawn(session, personas, lot):
    plan = quality.plan_audit(
        session,
        actor=personas.pat,
        project_id=lot.id,
        data=quality.NewAudit(margin=0.02, expected_accuracy=0.95),
    )

    assert (plan.population, plan.sample_size) == (52, sample_size(0.02, 0.95, population=52))
    assert quality.list_audits(session, actor=personas.pat, project_id=lot.id) == []
