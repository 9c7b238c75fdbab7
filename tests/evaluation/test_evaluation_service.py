"""The session side of evaluation: history read from the database."""

from datetime import date

import pytest
from sqlalchemy import select

from labelops import distribution, projects
from labelops.projects import evaluation
from labelops.projects.allocations import labels_per_finished_item
from tests.factories import make_items, make_project


def _dynamic_project(session, personas, *, submitted):
    """A dynamic-overlap project with the ts-default taxonomy whose items got these many labels
    (None: still open)."""
    project = make_project(
        session,
        personas.pat,
        overlap=2,
        max_overlap=5,
        label_schema=projects.taxonomy_template("ts-default"),
    )
    make_items(session, personas.pat, project, len(submitted))
    entries = session.scalars(
        select(distribution.QueueEntry)
        .where(distribution.QueueEntry.project_id == project.id)
        .order_by(distribution.QueueEntry.item_id)
    ).all()
    for entry, count in zip(entries, submitted, strict=True):
        if count is None:
            entry.submitted, entry.open_slots = 1, 1
        else:
            entry.target, entry.submitted, entry.open_slots = count, count, 0
    session.flush()
    return project


def test_labels_per_finished_item_averages_finished_items_only(session, personas):
    project = _dynamic_project(session, personas, submitted=[2, 3, 4, None])

    assert labels_per_finished_item([project.id], session) == pytest.approx(3.0)


def test_dynamic_overlap_takes_the_mean_of_earlier_dynamic_projects(session, personas):
    _dynamic_project(session, personas, submitted=[2, 2, 3, 5])
    demand = projects.Demand(
        title="d",
        purpose="training",
        taxonomy_template="ts-default",
        volumes=[{"language": "en", "volume": 100}],
        demander_id=personas.dana.user_id,
    )
    session.add(demand)
    session.flush()

    result = evaluation.run_estimate(
        session,
        demand=demand,
        request=evaluation.EstimateRequest(dynamic_overlap=True),
        start=date(2026, 11, 30),
    )

    (en,) = result.languages
    assert (en.labels_per_item, en.labels_per_item_source, en.labels) == (3.0, "history", 300)


def test_the_pms_expected_labels_per_item_wins_over_history(session, personas):
    _dynamic_project(session, personas, submitted=[2, 4])
    demand = projects.Demand(
        title="d",
        purpose="training",
        taxonomy_template="ts-default",
        volumes=[{"language": "en", "volume": 10}],
        demander_id=personas.dana.user_id,
    )
    session.add(demand)
    session.flush()

    result = evaluation.run_estimate(
        session,
        demand=demand,
        request=evaluation.EstimateRequest(dynamic_overlap=True, expected_labels_per_item=2.5),
        start=date(2026, 11, 30),
    )

    assert (result.languages[0].labels, result.languages[0].labels_per_item_source) == (25, "pm")


def test_daily_counts_fill_weekdays_without_labels_with_zero():
    friday, tuesday, thursday = date(2026, 12, 4), date(2026, 12, 8), date(2026, 12, 10)

    counts = evaluation.daily_counts([friday, friday, tuesday, thursday, thursday, thursday])

    # Friday 2, (weekend skipped), Monday 0, Tuesday 1, Wednesday 0, Thursday 3.
    assert counts == (2, 0, 1, 0, 3)


def test_the_error_is_relative_to_the_estimate():
    assert evaluation.error_pct(120, 100) == pytest.approx(20.0)
    assert evaluation.error_pct(80, 100) == pytest.approx(-20.0)
    assert evaluation.error_pct(5, 0) is None
