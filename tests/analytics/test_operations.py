"""The bottleneck view and the what-if, with frozen time."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from labelops import analytics, distribution
from labelops.errors import PermissionDenied
from tests.factories import label_next, make_items, make_project

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)


def stages(session, actor, project):
    found = analytics.project_bottlenecks(session, actor=actor, project_id=project.id)
    return found, {stage.key: stage for stage in found.stages}


def test_each_waiting_item_is_in_one_stage_with_its_age(session, personas):
    with time_machine.travel(T0, tick=False):
        project = make_project(session, personas.pat, overlap=2)
        make_items(session, personas.pat, project, 4)
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        label_next(session, personas.alice, project)  # item-0: 1 of 2
    with time_machine.travel(T0 + timedelta(hours=1, minutes=30), tick=False):
        label_next(session, personas.alice, project)  # item-1: 1 of 2
    with time_machine.travel(T0 + timedelta(hours=2), tick=False):
        distribution.lease_next_item(session, actor=personas.bruno, project_id=project.id)
    with time_machine.travel(T0 + timedelta(hours=2, minutes=5), tick=False):
        found, by_key = stages(session, personas.pat, project)

    assert {key: stage.items for key, stage in by_key.items()} == {
        "first_labeler": 2,
        "next_labeler": 1,
        "labeling": 1,
        "escalated": 0,
        "audit": 0,
    }
    assert by_key["first_labeler"].median_hours == pytest.approx(2.08, abs=0.01)
    assert by_key["next_labeler"].oldest_hours == pytest.approx(0.58, abs=0.01)
    assert by_key["labeling"].median_hours == pytest.approx(0.08, abs=0.01)
    assert by_key["escalated"].median_hours is None
    assert found.bottleneck == "first_labeler"


def test_a_project_with_nothing_waiting_has_no_bottleneck(session, personas):
    project = make_project(session, personas.pat)

    found, _ = stages(session, personas.pat, project)

    assert found.bottleneck is None


@pytest.fixture
def history(session, personas):
    """Overlap 2, ten items; yesterday alice and bruno each labeled five (10 of 20 labels)."""
    with time_machine.travel(T0 - timedelta(days=1), tick=False):
        project = make_project(session, personas.pat, overlap=2)
        make_items(session, personas.pat, project, 10)
        for _ in range(5):
            label_next(session, personas.alice, project)
            label_next(session, personas.bruno, project)
    return project


def scenario(session, personas, project, **change):
    with time_machine.travel(T0, tick=False):
        return analytics.what_if(
            session, actor=personas.pat, project_id=project.id, change=analytics.WhatIf(**change)
        )


def test_the_baseline_finishes_at_the_recent_pace(session, personas, history):
    result = scenario(session, personas, history)

    assert result.per_labeler_day == [5.0]
    base = result.baseline
    assert (base.overlap, base.labelers, base.labels_needed, base.labels_to_pay) == (2, 2, 10, 10)
    assert base.p50 == base.p85 == T0.date() + timedelta(days=1)
    assert base.cost is None  # no vendor rates


@pytest.mark.parametrize(
    ("change", "needed", "to_pay", "days"),
    [
        ({"overlap": 3}, 20, 20, 2),
        ({"overlap": 3, "added_labelers": 2}, 20, 20, 1),
        ({"overlap": 3, "gold_rate": 0.5}, 20, 40, 4),
        ({"overlap": 1}, 5, 5, 1),  # the five untouched items need one label each
    ],
)
def test_the_scenario_changes_labels_and_dates_as_worked_out(
    session, personas, history, change, needed, to_pay, days
):
    result = scenario(session, personas, history, **change)

    got = result.scenario
    assert (got.labels_needed, got.labels_to_pay) == (needed, to_pay)
    assert got.p50 == got.p85 == T0.date() + timedelta(days=days)


def test_without_anyone_working_there_is_no_date(session, personas, history):
    result = scenario(session, personas, history, added_labelers=-2)

    assert (result.scenario.labelers, result.scenario.p50) == (0, None)


def test_only_those_who_manage_the_project_run_what_ifs(session, personas, history):
    with pytest.raises(PermissionDenied):
        analytics.what_if(
            session, actor=personas.vic, project_id=history.id, change=analytics.WhatIf()
        )
