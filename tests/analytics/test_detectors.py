"""Each risk detector fires on a constructed case and stays silent on a clean one, and on
noise (too few observations, or a difference chance explains)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from labelops import analytics, annotation, distribution, projects, quality
from labelops.analytics import detectors
from labelops.auth import Actor
from labelops.db import utcnow
from tests.factories import make_items, make_project

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def answer(
    session, actor: Actor, project, labels: Sequence[str] = ("ok",), duration_ms: int = 4000
) -> int:
    """The labeler leases their next item and answers it; the item's id."""
    lease = distribution.lease_next_item(session, actor=actor, project_id=project.id)
    assert lease is not None
    annotation.submit_annotation(
        session,
        actor=actor,
        assignment_id=lease.assignment_id,
        submission=annotation.NewSubmission(labels=list(labels), duration_ms=duration_ms),
    )
    return lease.item.id


def findings(session, project, kind: str, now: datetime | None = None):
    return [f for f in analytics.detect_risks(session, project.id, now) if f.kind == kind]


# ---------------------------------------------------------------------------------- too fast


def test_a_labeler_far_faster_than_peers_on_the_same_items_is_flagged(session, personas):
    project = make_project(session, personas.pat, overlap=2)
    make_items(session, personas.pat, project, 40)
    for _ in range(40):
        answer(session, personas.alice, project, duration_ms=600)
        answer(session, personas.bruno, project, duration_ms=6000)

    found = findings(session, project, "labeler_too_fast")

    assert [(f.subject, f.severity) for f in found] == [
        (f"labeler:{personas.alice.user_id}", "high")
    ]
    assert found[0].evidence["shared_items"] == 40
    assert found[0].evidence["ratio"] == 0.1
    assert found[0].vendor_id == personas.alice.vendor_id


def test_labelers_of_similar_speed_are_not_flagged(session, personas):
    project = make_project(session, personas.pat, overlap=2)
    make_items(session, personas.pat, project, 40)
    for n in range(40):
        answer(session, personas.alice, project, duration_ms=3000 + 50 * n)
        answer(session, personas.bruno, project, duration_ms=4000 - 40 * n)

    assert findings(session, project, "labeler_too_fast") == []


def test_a_fast_labeler_on_too_few_shared_items_is_not_flagged(session, personas):
    project = make_project(session, personas.pat, overlap=2)
    make_items(session, personas.pat, project, 29)
    for _ in range(29):
        answer(session, personas.alice, project, duration_ms=600)
        answer(session, personas.bruno, project, duration_ms=6000)

    assert findings(session, project, "labeler_too_fast") == []


# ---------------------------------------------------------------------------------- straight-lining


def _mixed(n: int) -> list[str]:
    # 80 % "ok", 10 % insult, 10 % threat: the project's usual mix
    return [
        "ok" if i % 10 < 8 else ("abuse.insult" if i % 10 == 8 else "abuse.threat")
        for i in range(n)
    ]


def test_one_label_on_nearly_every_answer_against_the_projects_mix_is_flagged(session, personas):
    project = make_project(session, personas.pat)
    make_items(session, personas.pat, project, 120)
    for label in _mixed(60):
        answer(session, personas.bruno, project, labels=[label])
    for n in range(55):
        answer(session, personas.alice, project, labels=["ok" if n == 7 else "abuse.insult"])

    found = findings(session, project, "straight_lining")

    assert [f.subject for f in found] == [f"labeler:{personas.alice.user_id}"]
    assert found[0].evidence["label"] == ["abuse.insult"]
    assert found[0].evidence["count"] == 49
    assert found[0].evidence["p_value"] < 0.001


def test_a_labeler_answering_like_the_project_is_not_flagged(session, personas):
    project = make_project(session, personas.pat)
    make_items(session, personas.pat, project, 120)
    for label in _mixed(60):
        answer(session, personas.bruno, project, labels=[label])
    for label in _mixed(55):
        answer(session, personas.alice, project, labels=[label])

    assert findings(session, project, "straight_lining") == []


def test_mostly_the_common_label_is_noise_not_straight_lining(session, personas):
    project = make_project(session, personas.pat)
    make_items(session, personas.pat, project, 120)
    for label in _mixed(60):  # others answer "ok" 80 % of the time
        answer(session, personas.bruno, project, labels=[label])
    for n in range(50):  # 46 of 50 "ok" (92 %): chance explains it
        answer(session, personas.alice, project, labels=["abuse.insult" if n % 12 == 0 else "ok"])

    assert findings(session, project, "straight_lining") == []


def test_fewer_than_fifty_answers_are_never_straight_lining(session, personas):
    project = make_project(session, personas.pat)
    make_items(session, personas.pat, project, 120)
    for label in _mixed(60):
        answer(session, personas.bruno, project, labels=[label])
    for _ in range(49):
        answer(session, personas.alice, project, labels=["abuse.threat"])

    assert findings(session, project, "straight_lining") == []


# ---------------------------------------------------------------------------------- idle leases


def test_a_lease_held_far_beyond_the_handling_time_is_flagged(session, personas):
    with time_machine.travel(T0, tick=False):
        project = make_project(session, personas.pat, lease_seconds=7200)
        make_items(session, personas.pat, project, 5)
        answer(session, personas.bruno, project, duration_ms=30_000)
        distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)

    found = findings(session, project, "idle_leases", now=T0 + timedelta(minutes=40))

    assert [(f.subject, f.severity) for f in found] == [
        (f"labeler:{personas.alice.user_id}", "low")
    ]
    assert found[0].evidence == {
        "idle_leases": 1,
        "oldest_held_minutes": 40,
        "idle_after_minutes": 15,
        "median_handling_ms": 30000,
    }


def test_a_lease_within_its_working_time_is_not_flagged(session, personas):
    with time_machine.travel(T0, tick=False):
        project = make_project(session, personas.pat, lease_seconds=7200)
        make_items(session, personas.pat, project, 5)
        distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)

    assert findings(session, project, "idle_leases", now=T0 + timedelta(minutes=10)) == []


def test_an_expired_lease_is_not_idle(session, personas):
    with time_machine.travel(T0, tick=False):
        project = make_project(session, personas.pat, lease_seconds=600)
        make_items(session, personas.pat, project, 5)
        distribution.lease_next_item(session, actor=personas.alice, project_id=project.id)

    assert findings(session, project, "idle_leases", now=T0 + timedelta(minutes=40)) == []


# ---------------------------------------------------------------------------------- quality


def _gold_project(session, personas, *, right: int, wrong: int, target: float = 0.9):
    project = make_project(session, personas.pat, quality_target=target)
    make_items(session, personas.pat, project, right + wrong)
    for _ in range(right + wrong):
        answer(session, personas.alice, project, labels=["ok"])
    quality.set_gold_answers(
        session,
        actor=personas.pat,
        project_id=project.id,
        entries=[
            quality.GoldEntry(
                external_id=f"item-{n}", labels=["ok" if n < right else "abuse.insult"]
            )
            for n in range(right + wrong)
        ],
    )
    return project


def test_gold_accuracy_below_target_beyond_doubt_is_a_quality_risk(session, personas):
    project = _gold_project(session, personas, right=20, wrong=20)

    found = findings(session, project, "quality_below_target")

    assert [(f.subject, f.severity) for f in found] == [("gold", "critical")]
    assert found[0].evidence["accuracy"] == 0.5
    assert found[0].evidence["interval_95"][1] < 0.9


def test_gold_accuracy_below_target_on_few_answers_is_noise(session, personas):
    project = _gold_project(session, personas, right=3, wrong=1)  # 75 %, interval up to 95 %

    assert findings(session, project, "quality_below_target") == []


def test_gold_accuracy_at_target_is_no_risk(session, personas):
    project = _gold_project(session, personas, right=40, wrong=0)

    assert findings(session, project, "quality_below_target") == []


def test_a_project_without_quality_target_has_no_quality_risk(session, personas):
    project = make_project(session, personas.pat)
    make_items(session, personas.pat, project, 3)
    answer(session, personas.alice, project, labels=["abuse.insult"])

    assert findings(session, project, "quality_below_target") == []


def test_an_open_failing_gold_pause_is_a_risk_and_a_lifted_one_is_not(session, personas):
    project = make_project(session, personas.pat)
    open_pause = quality.LabelerPause(
        project_id=project.id,
        labeler_id=personas.alice.user_id,
        reason="failing_gold",
        message="gold accuracy 1/8",
        evidence={"answered": 8, "correct": 1},
    )
    lifted = quality.LabelerPause(
        project_id=project.id,
        labeler_id=personas.bruno.user_id,
        reason="failing_gold",
        message="gold accuracy 2/8",
        lifted_at=utcnow(),
    )
    session.add_all([open_pause, lifted])
    session.flush()

    found = findings(session, project, "failing_gold")

    assert [(f.subject, f.severity, f.vendor_id) for f in found] == [
        (f"labeler:{personas.alice.user_id}", "high", personas.alice.vendor_id)
    ]
    assert found[0].evidence["answered"] == 8


# ---------------------------------------------------------------------------------- vendors


def _allocated_project(session, personas, *, delivered: int, deadline: date | None):
    with time_machine.travel(T0, tick=False):
        project = make_project(session, personas.pat)
        project.deadline = deadline
        make_items(session, personas.pat, project, 200)
        acme = personas.alice.vendor_id
        assert acme is not None
        session.add(
            projects.VendorAllocation(
                project_id=project.id, vendor_id=acme, language="en", items=200
            )
        )
        session.flush()
        for _ in range(delivered):
            answer(session, personas.alice, project)
    return project


def test_a_vendor_behind_its_pro_rated_allocation_is_flagged(session, personas):
    # 10 days to the deadline; after 5 days, 100 of 200 items are due and 30 are done.
    project = _allocated_project(session, personas, delivered=30, deadline=date(2026, 3, 11))
    halfway = datetime.combine(date(2026, 3, 12), datetime.min.time(), tzinfo=UTC)
    halfway = T0 + (halfway - T0) / 2

    found = findings(session, project, "vendor_under_delivery", now=halfway)

    assert [(f.subject, f.severity) for f in found] == [
        (f"vendor:{personas.alice.vendor_id}:en", "high")
    ]
    assert found[0].evidence["delivered_items"] == 30
    assert found[0].evidence["expected_by_now"] == 100


def test_a_vendor_on_pace_is_not_flagged(session, personas):
    project = _allocated_project(session, personas, delivered=90, deadline=date(2026, 3, 11))
    halfway = T0 + (datetime(2026, 3, 12, tzinfo=UTC) - T0) / 2

    assert findings(session, project, "vendor_under_delivery", now=halfway) == []


def test_without_a_deadline_under_delivery_is_not_judged(session, personas):
    project = _allocated_project(session, personas, delivered=0, deadline=None)

    found = findings(session, project, "vendor_under_delivery", now=T0 + timedelta(days=30))

    assert found == []


def test_too_early_to_judge_a_vendor_is_silence(session, personas):
    project = _allocated_project(session, personas, delivered=0, deadline=date(2026, 3, 11))

    found = findings(session, project, "vendor_under_delivery", now=T0 + timedelta(hours=12))

    assert found == []  # 200 × 5 % = 10 items due: below the minimum that proves anything


# ---------------------------------------------------------------------------------- scanning


def test_a_scan_records_each_finding_once_however_often_it_runs(session, personas):
    project = make_project(session, personas.pat, overlap=2)
    make_items(session, personas.pat, project, 40)
    for _ in range(40):
        answer(session, personas.alice, project, duration_ms=600)
        answer(session, personas.bruno, project, duration_ms=6000)

    first = analytics.scan_risks(session, project.id)
    second = analytics.scan_risks(session, project.id)

    risks = session.scalars(
        select(analytics.Risk).where(analytics.Risk.project_id == project.id)
    ).all()
    assert [(r.kind, r.subject) for r in risks] == [
        ("labeler_too_fast", f"labeler:{personas.alice.user_id}")
    ]
    assert first.risk_ids == second.risk_ids == [risks[0].id]


def test_a_clean_project_scans_to_nothing(session, personas):
    project = make_project(session, personas.pat, quality_target=0.9)
    make_items(session, personas.pat, project, 10)
    for _ in range(5):
        answer(session, personas.alice, project)

    result = analytics.scan_risks(session, project.id)

    assert result.findings == 0


def test_the_detectors_read_a_bounded_window(session, personas):
    assert timedelta(days=7) == detectors.WINDOW
    assert detectors.MAX_ANSWERS == 200_000


def test_delivery_reads_the_rollups_to_their_watermark_and_the_facts_past_it(session, personas):
    project = _allocated_project(session, personas, delivered=30, deadline=date(2026, 3, 11))
    last_id = session.scalar(
        select(annotation.Annotation.id).order_by(annotation.Annotation.id.desc()).limit(1)
    )
    session.add_all(
        [
            analytics.HourlyRollup(
                project_id=project.id,
                hour=T0,
                language="en",
                vendor_id=personas.alice.vendor_id,
                labeler_id=personas.alice.user_id,
                annotations=30,
                duration_ms=120_000,
            ),
            analytics.RollupWatermark(project_id=project.id, last_annotation_id=last_id),
        ]
    )
    with time_machine.travel(T0, tick=False):
        for _ in range(10):
            answer(session, personas.alice, project)
    halfway = T0 + (datetime(2026, 3, 12, tzinfo=UTC) - T0) / 2

    [found] = findings(session, project, "vendor_under_delivery", now=halfway)

    assert found.evidence["delivered_items"] == 40


def test_the_background_scan_covers_running_projects_only(db):
    from tests.factories import make_personas

    with db.write() as session:
        people = make_personas(session)
        running = make_project(session, people.pat, name="Running")
        paused = make_project(session, people.pat, name="Paused")
        paused.status = "paused"
        for project in (running, paused):
            session.add(
                quality.LabelerPause(
                    project_id=project.id,
                    labeler_id=people.alice.user_id,
                    reason="failing_gold",
                    message="gold accuracy 1/8",
                )
            )

    results = analytics.scan_running_projects(db)

    assert [(r.project_id, r.findings) for r in results] == [(running.id, 1)]
    with db.read() as session:
        risks = session.scalars(select(analytics.Risk)).all()
    assert [(r.project_id, r.kind) for r in risks] == [(running.id, "failing_gold")]


@pytest.mark.parametrize(("days_left", "severity"), [(3, "critical"), (30, None)])
def test_the_deadline_is_at_risk_when_the_forecast_passes_it(
    session, personas, days_left, severity
):
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        project = make_project(session, personas.pat, overlap=1)
        make_items(session, personas.pat, project, 60)
    for day, count in enumerate((5, 5, 5)):  # 5 a day: the 45 left take 9 more days
        with time_machine.travel(start + timedelta(days=day), tick=False):
            for _ in range(count):
                answer(session, personas.alice, project)
    now = start + timedelta(days=3)
    project.deadline = (now + timedelta(days=days_left)).date()
    session.flush()

    with time_machine.travel(now, tick=False):
        analytics.scan_risks(session, project.id)

    risks = session.scalars(
        select(analytics.Risk).where(
            analytics.Risk.project_id == project.id, analytics.Risk.kind == "deadline_at_risk"
        )
    ).all()
    assert [r.severity for r in risks] == ([severity] if severity else [])
    if risks:
        assert risks[0].evidence["remaining_labels"] == 45
