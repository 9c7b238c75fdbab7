import random

import pytest
from sqlalchemy import select

from labelops import annotation, distribution, quality
from labelops.audit import AuditEvent
from labelops.errors import Conflict, PermissionDenied
from labelops.quality import drift
from tests.factories import make_items, make_project

DEFAULT = drift.design_for(None)


def run_length(design, accuracy, rng, limit=100_000):
    """Answers until the chart's first alarm, for a labeler right with probability `accuracy`."""
    statistic = 0.0
    for answered in range(1, limit + 1):
        statistic = max(
            0.0, statistic + (design.right if rng.random() < accuracy else design.wrong)
        )
        if statistic >= design.h:
            return answered
    return limit


def test_the_default_chart_is_tuned_to_the_project_standard():
    assert (DEFAULT.p0, DEFAULT.p1) == (0.9, 0.7)
    assert drift.design_for(0.8) == DEFAULT
    assert (drift.design_for(0.7).p0, drift.design_for(0.7).p1) == (0.8, 0.6)
    assert drift.design_for(0.95).p0 == drift.MAX_P0


@pytest.mark.parametrize("threshold", [None, 0.7, 0.9])
def test_the_in_control_run_length_is_at_least_the_documented_arl0(threshold):
    design = drift.design_for(threshold)

    arl0 = drift.average_run_length(design.p0, p0=design.p0, p1=design.p1, h=design.h)
    tighter = drift.average_run_length(design.p0, p0=design.p0, p1=design.p1, h=design.h - 0.05)

    assert arl0 >= drift.ARL0
    assert tighter < arl0


def test_the_markov_chain_run_lengths_agree_with_simulation():
    rng = random.Random(20261125)
    chain_in = drift.average_run_length(DEFAULT.p0, p0=DEFAULT.p0, p1=DEFAULT.p1, h=DEFAULT.h)
    chain_out = drift.average_run_length(DEFAULT.p1, p0=DEFAULT.p0, p1=DEFAULT.p1, h=DEFAULT.h)

    simulated_in = sum(run_length(DEFAULT, DEFAULT.p0, rng) for _ in range(1_000)) / 1_000
    simulated_out = sum(run_length(DEFAULT, DEFAULT.p1, rng) for _ in range(2_000)) / 2_000

    assert simulated_in == pytest.approx(chain_in, rel=0.1)
    assert simulated_out == pytest.approx(chain_out, rel=0.1)
    assert chain_out < chain_in / 10


def test_a_steady_labeler_raises_nothing_over_a_long_run():
    rng = random.Random(7)
    results = [rng.random() < 0.95 for _ in range(2_000)]

    _, alarms = drift.cusum(results, DEFAULT)

    assert alarms == []


def test_a_drop_is_caught_soon_after_it_starts():
    rng = random.Random(11)
    steady = [rng.random() < 0.95 for _ in range(200)]
    dropped = [rng.random() < 0.6 for _ in range(200)]

    _, alarms = drift.cusum(steady + dropped, DEFAULT)

    assert alarms
    first = alarms[0]
    assert 200 <= first.at < 200 + 40
    assert first.start >= 190
    assert first.statistic >= DEFAULT.h


def test_the_evidence_names_where_the_drift_started():
    results = [True] * 10 + [False] * 4

    path, alarms = drift.cusum(results, DEFAULT)
    evidence = drift.drift_evidence(DEFAULT, results, path, alarms[0])

    assert [(a.at, a.start) for a in alarms] == [(13, 10)]
    assert evidence == {
        "answers": 14,
        "correct": 10,
        "drift_started_at_answer": 11,
        "window": {"answers": 4, "correct": 0, "accuracy": 0.0},
        "earlier": {"answers": 10, "correct": 10, "accuracy": 1.0},
        "statistic": [round(v, 4) for v in path[4:]],
        "p0": DEFAULT.p0,
        "p1": DEFAULT.p1,
        "h": DEFAULT.h,
        "arl0": drift.ARL0,
    }
    assert evidence["statistic"][-1] == round(4 * DEFAULT.wrong, 4)


def test_the_statistic_restarts_after_an_alarm():
    results = [False] * 4 + [False] * 3 + [True] * 20 + [False] * 4

    _, alarms = drift.cusum(results, DEFAULT)

    assert [(a.at, a.start) for a in alarms] == [(3, 0), (30, 27)]


# ---------- in the service ----------


def gold_project(session, personas, count=20, **fields):
    project = make_project(session, personas.pat, overlap=1, gold_rate=0.5, **fields)
    make_items(session, personas.pat, project, count)
    quality.set_gold_answers(
        session,
        actor=personas.pat,
        project_id=project.id,
        entries=[
            quality.GoldEntry(external_id=f"item-{i}", labels=["abuse.insult"])
            for i in range(count)
        ],
    )
    project.gold_rate = 1.0
    session.flush()
    return project


def answer_gold(session, actor, project, right):
    lease = distribution.lease_next_item(session, actor=actor, project_id=project.id)
    assert lease is not None
    annotation.submit_annotation(
        session,
        actor=actor,
        assignment_id=lease.assignment_id,
        submission=annotation.NewSubmission(
            labels=["abuse.insult"] if right else ["ok"], duration_ms=700
        ),
    )


def answer_in_turn(session, actor, project, pattern):
    for right in pattern:
        answer_gold(session, actor, project, right)


def test_a_labeler_whose_gold_accuracy_drops_gets_one_alert_with_the_evidence(session, personas):
    project = gold_project(session, personas)

    answer_in_turn(session, personas.alice, project, [True] * 10 + [False] * 6)

    alerts = quality.list_drift_alerts(session, actor=personas.pat, project_id=project.id)
    assert [(a.username, a.method, a.acknowledged_at) for a in alerts] == [("alice", "cusum", None)]
    evidence = alerts[0].evidence
    assert (evidence["answers"], evidence["drift_started_at_answer"]) == (14, 11)
    assert evidence["window"] == {"answers": 4, "correct": 0, "accuracy": 0.0}
    assert evidence["earlier"] == {"answers": 10, "correct": 10, "accuracy": 1.0}
    assert alerts[0].threshold == DEFAULT.h
    assert "since gold answer #11" in alerts[0].message
    raised = session.scalars(
        select(AuditEvent.action).where(AuditEvent.project_id == project.id)
    ).all()
    assert raised.count("drift_alert.raised") == 1


def test_a_labeler_who_keeps_answering_right_raises_no_alert(session, personas):
    project = gold_project(session, personas)

    answer_in_turn(session, personas.alice, project, [True] * 19 + [False])

    assert quality.list_drift_alerts(session, actor=personas.pat, project_id=project.id) == []


def test_a_vendor_lead_sees_the_alerts_of_their_own_labelers_only(session, personas):
    project = gold_project(session, personas)
    for person in (personas.alice, personas.bruno):
        answer_in_turn(session, person, project, [False] * 4)

    seen_by_vic = quality.list_drift_alerts(session, actor=personas.vic, project_id=project.id)

    assert [a.username for a in seen_by_vic] == ["alice"]


def test_a_pm_acknowledges_an_alert_once(session, personas):
    project = gold_project(session, personas)
    answer_in_turn(session, personas.alice, project, [False] * 4)
    alert = quality.open_drift_alerts(session, actor=personas.pat, project_id=project.id)[0]

    quality.acknowledge_drift_alert(
        session, actor=personas.pat, project_id=project.id, alert_id=alert.id
    )

    assert quality.open_drift_alerts(session, actor=personas.pat, project_id=project.id) == []
    with pytest.raises(Conflict):
        quality.acknowledge_drift_alert(
            session, actor=personas.pat, project_id=project.id, alert_id=alert.id
        )
    with pytest.raises(PermissionDenied):
        quality.acknowledge_drift_alert(
            session, actor=personas.rita, project_id=project.id, alert_id=alert.id
        )
