import pytest
from sqlalchemy import select

from labelops import annotation, distribution, quality
from labelops.audit import AuditEvent
from labelops.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from tests.factories import make_items, make_project


def gold_project(session, personas, gold_count=3, plain=2, **fields):
    project = make_project(session, personas.pat, overlap=1, gold_rate=0.5, **fields)
    if gold_count:
        make_items(session, personas.pat, project, gold_count, prefix="gold")
    make_items(session, personas.pat, project, plain, prefix="plain")
    if not gold_count:
        return project
    quality.set_gold_answers(
        session,
        actor=personas.pat,
        project_id=project.id,
        entries=[
            quality.GoldEntry(
                external_id=f"gold-{i}", labels=["abuse.insult"], explanation="It insults."
            )
            for i in range(gold_count)
        ],
    )
    project.gold_rate = 1.0
    session.flush()
    return project


def answer(session, actor, project, labels):
    lease = distribution.lease_next_item(session, actor=actor, project_id=project.id)
    assert lease is not None
    stored, _ = annotation.submit_annotation(
        session,
        actor=actor,
        assignment_id=lease.assignment_id,
        submission=annotation.NewSubmission(labels=list(labels), duration_ms=800),
    )
    return stored


def dispute(session, actor, project, item_id, comment="It is a quote, not an insult.", **more):
    return quality.open_dispute(
        session,
        actor=actor,
        project_id=project.id,
        data=quality.NewDispute(item_id=item_id, comment=comment, **more),
    )


def resolve(session, actor, project, dispute_id, outcome, **more):
    return quality.resolve_dispute(
        session,
        actor=actor,
        project_id=project.id,
        dispute_id=dispute_id,
        resolution=quality.Resolution(outcome=outcome, **more),
    )


def accuracy(session, personas, project):
    rows = quality.gold_accuracy(session, actor=personas.pat, project_id=project.id)
    return {row.username: (row.correct, row.answered) for row in rows}


def test_a_labeler_disputes_their_gold_answer_and_the_reviewer_sees_it(session, personas):
    project = gold_project(session, personas)
    stored = answer(session, personas.alice, project, ["ok"])

    opened = dispute(session, personas.alice, project, stored.item_id)

    listed = quality.list_disputes(
        session, actor=personas.rita, project_id=project.id, status="open"
    )
    assert [
        d.model_dump(exclude={"created_at", "item_id", "external_id", "text"}) for d in listed
    ] == [
        {
            "id": opened.id,
            "kind": "gold",
            "status": "open",
            "labeler_id": personas.alice.user_id,
            "username": "alice",
            "vendor": "Acme",
            "given": ["ok"],
            "verdict": ["abuse.insult"],
            "explanation": "It insults.",
            "labels": ["ok"],
            "comment": "It is a quote, not an insult.",
            "audit_item_id": None,
            "resolved_by": None,
            "resolved_at": None,
            "resolution_note": None,
            "corrected_labels": None,
        }
    ]
    assert listed[0].external_id.startswith("gold-")
    assert listed[0].text.startswith("text number")


def test_a_labeler_cannot_dispute_an_answer_that_is_not_theirs(session, personas):
    project = gold_project(session, personas)
    stored = answer(session, personas.alice, project, ["ok"])

    with pytest.raises(NotFound) as refused:
        dispute(session, personas.bruno, project, stored.item_id)

    assert refused.value.code == "answer_not_found"


def test_only_gold_items_have_a_gold_verdict_to_dispute(session, personas):
    project = gold_project(session, personas, gold_count=0)
    stored = answer(session, personas.alice, project, ["ok"])

    with pytest.raises(InvalidInput) as refused:
        dispute(session, personas.alice, project, stored.item_id, labels=["abuse.threat"])

    assert (refused.value.code, refused.value.field) == ("not_gold", "item_id")


@pytest.mark.parametrize(
    ("comment", "labels", "code", "field"),
    [
        ("   ", None, "no_comment", "comment"),
        ("Right all along.", ["abuse"], "unknown_label", "labels"),
        ("Right all along.", ["abuse.insult"], "nothing_to_dispute", "labels"),
    ],
)
def test_bad_disputes_are_refused_naming_the_field(session, personas, comment, labels, code, field):
    project = gold_project(session, personas)
    stored = answer(session, personas.alice, project, ["ok"])

    with pytest.raises(InvalidInput) as refused:
        dispute(session, personas.alice, project, stored.item_id, comment=comment, labels=labels)

    assert (refused.value.code, refused.value.field) == (code, field)


def test_one_open_dispute_per_labeler_and_item(session, personas):
    project = gold_project(session, personas)
    stored = answer(session, personas.alice, project, ["ok"])
    dispute(session, personas.alice, project, stored.item_id)

    with pytest.raises(Conflict) as refused:
        dispute(session, personas.alice, project, stored.item_id, comment="Again.")

    assert refused.value.code == "dispute_open"
    assert len(quality.list_disputes(session, actor=personas.pat, project_id=project.id)) == 1


def test_only_labelers_dispute_and_only_reviewers_or_pms_resolve(session, personas):
    project = gold_project(session, personas)
    stored = answer(session, personas.alice, project, ["ok"])
    opened = dispute(session, personas.alice, project, stored.item_id)

    with pytest.raises(PermissionDenied):
        dispute(session, personas.pat, project, stored.item_id)
    with pytest.raises(PermissionDenied):
        resolve(session, personas.alice, project, opened.id, "overturn")
    with pytest.raises(PermissionDenied):
        resolve(session, personas.vic, project, opened.id, "overturn")


def test_overturning_a_gold_answer_recomputes_every_labelers_accuracy(session, personas):
    project = gold_project(session, personas, gold_count=1)
    stored = answer(session, personas.alice, project, ["ok"])
    answer(session, personas.bruno, project, ["abuse.insult"])
    opened = dispute(session, personas.alice, project, stored.item_id)
    before = accuracy(session, personas, project)

    resolve(session, personas.rita, project, opened.id, "overturn", note="It is a quote.")

    assert before == {"alice": (0, 1), "bruno": (1, 1)}
    assert accuracy(session, personas, project) == {"alice": (1, 1), "bruno": (0, 1)}
    resolved = quality.list_disputes(session, actor=personas.alice, project_id=project.id)[0]
    assert (resolved.status, resolved.resolved_by, resolved.verdict, resolved.corrected_labels) == (
        "overturned",
        "rita",
        ["ok"],
        ["ok"],
    )
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.project_id == project.id)
    ).all()
    assert {"dispute.opened", "gold.corrected", "dispute.overturned"} <= set(actions)


def test_the_resolver_may_overturn_to_other_labels(session, personas):
    project = gold_project(session, personas, gold_count=1)
    stored = answer(session, personas.alice, project, ["ok"])
    opened = dispute(session, personas.alice, project, stored.item_id)

    resolve(session, personas.pat, project, opened.id, "overturn", labels=["abuse.threat"])

    assert session.get(quality.GoldAnswer, stored.item_id).labels == ["abuse.threat"]
    assert accuracy(session, personas, project) == {"alice": (0, 1)}


def test_upholding_keeps_the_gold_answer(session, personas):
    project = gold_project(session, personas, gold_count=1)
    stored = answer(session, personas.alice, project, ["ok"])
    opened = dispute(session, personas.alice, project, stored.item_id)

    resolve(session, personas.rita, project, opened.id, "uphold", note="It names a person.")

    assert session.get(quality.GoldAnswer, stored.item_id).labels == ["abuse.insult"]
    assert (opened.status, opened.resolution_note) == ("upheld", "It names a person.")
    with pytest.raises(Conflict) as again:
        resolve(session, personas.rita, project, opened.id, "overturn")
    assert again.value.code == "dispute_resolved"


def test_overturning_settles_the_same_request_of_other_labelers(session, personas):
    project = gold_project(session, personas, gold_count=1)
    item_id = answer(session, personas.alice, project, ["ok"]).item_id
    answer(session, personas.bruno, project, ["ok"])
    first = dispute(session, personas.alice, project, item_id)
    second = dispute(session, personas.bruno, project, item_id)

    resolve(session, personas.rita, project, first.id, "overturn")

    assert (second.status, second.corrected_labels) == ("overturned", ["ok"])
    assert second.resolution_note == f"settled with dispute #{first.id}"


def test_a_pause_that_the_corrected_answer_no_longer_supports_is_lifted(session, personas):
    project = gold_project(session, personas, gold_threshold=0.6, gold_min_answers=3)
    answered = [answer(session, personas.alice, project, ["ok"]) for _ in range(3)]
    assert (
        quality.list_pauses(session, actor=personas.pat, project_id=project.id)[0].lifted_at is None
    )
    opened = dispute(session, personas.alice, project, answered[0].item_id)

    resolve(session, personas.rita, project, opened.id, "overturn")

    pause = quality.list_pauses(session, actor=personas.pat, project_id=project.id)[0]
    assert pause.lifted_at is not None
    assert pause.lift_note is not None
    assert "1/3" in pause.lift_note
    assert distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)


def test_a_pause_the_record_still_supports_stays(session, personas):
    project = gold_project(session, personas, gold_threshold=0.8, gold_min_answers=3)
    answered = [answer(session, personas.alice, project, ["ok"]) for _ in range(3)]
    opened = dispute(session, personas.alice, project, answered[0].item_id)

    resolve(session, personas.rita, project, opened.id, "overturn")

    pause = quality.list_pauses(session, actor=personas.pat, project_id=project.id)[0]
    assert pause.lifted_at is None


def test_who_sees_which_disputes(session, personas):
    project = gold_project(session, personas, gold_count=1, demander="dana")
    item_id = answer(session, personas.alice, project, ["ok"]).item_id
    answer(session, personas.bruno, project, ["ok"])
    dispute(session, personas.alice, project, item_id)
    dispute(session, personas.bruno, project, item_id)

    def seen_by(actor):
        listed = quality.list_disputes(session, actor=actor, project_id=project.id)
        return sorted(d.username for d in listed)

    assert seen_by(personas.rita) == ["alice", "bruno"]
    assert seen_by(personas.alice) == ["alice"]
    assert seen_by(personas.vic) == ["alice"]
    with pytest.raises(PermissionDenied):
        seen_by(personas.dana)


def audited(session, personas, project, item_id, final, corrected):
    review = quality.Audit(
        project_id=project.id,
        name="Batch 1",
        status="open",
        method="mv",
        margin=0.05,
        confidence_level=0.95,
        expected_accuracy=0.9,
        population=1,
        sample_size=1,
        strata={},
    )
    session.add(review)
    session.flush()
    item = quality.AuditItem(
        audit_id=review.id,
        item_id=item_id,
        stratum="all",
        final_labels=final,
        reviewer_id=personas.rita.user_id,
        verdict="incorrect",
        corrected_labels=corrected,
        note="Looks like a threat to me.",
    )
    session.add(item)
    session.flush()
    return item


def test_an_overturned_review_correction_puts_the_audit_item_right(session, personas):
    project = gold_project(session, personas, gold_count=0)
    stored = answer(session, personas.alice, project, ["abuse.insult"])
    reviewed = audited(
        session, personas, project, stored.item_id, ["abuse.insult"], ["abuse.threat"]
    )
    opened = dispute(
        session, personas.alice, project, stored.item_id, kind="review", audit_item_id=reviewed.id
    )
    listed = quality.list_disputes(session, actor=personas.rita, project_id=project.id)

    resolve(session, personas.pat, project, opened.id, "overturn")

    assert (listed[0].verdict, listed[0].explanation) == (
        ["abuse.threat"],
        "Looks like a threat to me.",
    )
    assert (reviewed.verdict, reviewed.corrected_labels) == ("correct", None)


def test_a_review_dispute_needs_a_correction_of_that_item(session, personas):
    project = gold_project(session, personas, gold_count=0)
    first = answer(session, personas.alice, project, ["ok"])
    second = answer(session, personas.alice, project, ["ok"])
    reviewed = audited(session, personas, project, first.item_id, ["ok"], ["abuse.insult"])

    with pytest.raises(InvalidInput) as unnamed:
        dispute(session, personas.alice, project, first.item_id, kind="review")
    with pytest.raises(NotFound):
        dispute(
            session,
            personas.alice,
            project,
            second.item_id,
            kind="review",
            audit_item_id=reviewed.id,
        )

    assert unnamed.value.field == "audit_item_id"


@pytest.mark.parametrize(("wrong", "withdrawn"), [(4, True), (6, False)])
def test_a_drift_alert_the_corrected_answer_no_longer_supports_is_withdrawn(
    session, personas, wrong, withdrawn
):
    project = gold_project(session, personas, gold_count=10 + wrong, plain=1)
    for _ in range(10):
        answer(session, personas.alice, project, ["abuse.insult"])
    missed = [answer(session, personas.alice, project, ["ok"]) for _ in range(wrong)]
    [before] = quality.list_drift_alerts(session, actor=personas.pat, project_id=project.id)
    assert before.acknowledged_at is None
    opened = dispute(session, personas.alice, project, missed[-1].item_id)

    resolve(session, personas.rita, project, opened.id, "overturn")

    [after] = quality.list_drift_alerts(session, actor=personas.pat, project_id=project.id)
    assert (after.acknowledged_at is not None) is withdrawn
    assert ("withdrawn" in after.message) is withdrawn
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.project_id == project.id)
    ).all()
    assert actions.count("drift_alert.withdrawn") == int(withdrawn)
