from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from labelops import analytics, projects, quality
from labelops.errors import NotFound, PermissionDenied
from tests.analytics.test_rollups import label_at
from tests.factories import make_items, make_project

NOW = datetime(2026, 3, 20, 15, 30, tzinfo=UTC)
TODAY = NOW.date()


def dashboard(session, actor, project):
    with time_machine.travel(NOW, tick=False):
        return analytics.project_dashboard(session, actor=actor, project_id=project.id)


def test_throughput_counts_each_hour_and_day(session, personas):
    project = make_project(session, personas.pat, overlap=2)
    make_items(session, personas.pat, project, 5)
    label_at(session, personas.alice, project, NOW - timedelta(minutes=20))
    label_at(session, personas.bruno, project, NOW - timedelta(minutes=25))
    label_at(session, personas.alice, project, NOW - timedelta(hours=3, minutes=1))
    label_at(session, personas.alice, project, NOW - timedelta(days=2))

    figures = dashboard(session, personas.pat, project)

    hourly = {bucket.start: bucket.annotations for bucket in figures.hourly}
    assert len(figures.hourly) == 48
    assert figures.hourly[-1].start == datetime(2026, 3, 20, 15, tzinfo=UTC)
    assert hourly[datetime(2026, 3, 20, 15, tzinfo=UTC)] == 2
    assert hourly[datetime(2026, 3, 20, 12, tzinfo=UTC)] == 1
    assert sum(hourly.values()) == 3  # two days ago is outside the 48 hours
    daily = {bucket.day: bucket.annotations for bucket in figures.daily}
    assert len(figures.daily) == 30
    assert daily == {**dict.fromkeys(daily, 0), TODAY: 3, TODAY - timedelta(days=2): 1}


def test_handling_time_by_labeler_language_and_label(session, personas):
    project = make_project(session, personas.pat, overlap=2, languages=("en", "es"))
    make_items(session, personas.pat, project, 2, language="en")
    make_items(session, personas.pat, project, 1, language="es", prefix="es")
    label_at(session, personas.bruno, project, NOW - timedelta(hours=1), duration_ms=1000)
    label_at(session, personas.bruno, project, NOW - timedelta(hours=1), duration_ms=3000)
    label_at(
        session,
        personas.sofia,
        project,
        NOW - timedelta(hours=2),
        duration_ms=8000,
        labels=("abuse.insult",),
    )

    figures = dashboard(session, personas.pat, project)

    assert [row.model_dump() for row in figures.aht_by_labeler] == [
        {"key": "bruno", "vendor": "Babel", "annotations": 2, "mean_duration_ms": 2000.0},
        {"key": "sofia", "vendor": "Babel", "annotations": 1, "mean_duration_ms": 8000.0},
    ]
    assert [(r.key, r.annotations, r.mean_duration_ms) for r in figures.aht_by_language] == [
        ("en", 2, 2000.0),
        ("es", 1, 8000.0),
    ]
    assert [(r.key, r.annotations, r.mean_duration_ms) for r in figures.aht_by_label] == [
        ("ok", 2, 2000.0),
        ("abuse.insult", 1, 8000.0),
    ]


def test_figures_are_the_same_before_and_after_a_refresh(session, personas):
    project = make_project(session, personas.pat, overlap=2)
    make_items(session, personas.pat, project, 4)
    for n, person in enumerate((personas.alice, personas.bruno, personas.amir)):
        label_at(session, person, project, NOW - timedelta(hours=n, minutes=5), duration_ms=900)
    before = dashboard(session, personas.pat, project)

    with time_machine.travel(NOW, tick=False):
        assert analytics.refresh_rollups(session, project.id) == 3
    after = dashboard(session, personas.pat, project)

    assert after == before


def test_backlog_counts_each_state(session, personas):
    from labelops import distribution

    project = make_project(session, personas.pat, overlap=1)
    make_items(session, personas.pat, project, 6)
    label_at(session, personas.alice, project, NOW - timedelta(hours=1))
    label_at(session, personas.alice, project, NOW - timedelta(hours=1))
    with time_machine.travel(NOW - timedelta(minutes=1), tick=False):
        distribution.lease_next_item(session, actor=personas.bruno, project_id=project.id)
    items = session.query(projects.Item).filter_by(project_id=project.id).order_by(projects.Item.id)
    first, second, *_ = items.all()
    session.add(
        quality.Escalation(
            project_id=project.id,
            item_id=first.id,
            reason="low_confidence",
            labels=["ok"],
            confidence=0.5,
        )
    )
    session.add(
        quality.Dispute(
            project_id=project.id,
            item_id=second.id,
            labeler_id=personas.alice.user_id,
            kind="gold",
            labels=["ok"],
            comment="c",
            status="open",
        )
    )
    session.flush()

    figures = dashboard(session, personas.pat, project)

    assert figures.backlog.model_dump() == {
        "total": 6,
        "queued": 3,
        "leased": 1,
        "done": 2,
        "in_review": 1,
        "escalated": 1,
    }


def test_burndown_climbs_back_through_the_labels_given(session, personas):
    with time_machine.travel(NOW - timedelta(days=3), tick=False):
        project = make_project(session, personas.pat, overlap=1)
        project.deadline = TODAY + timedelta(days=5)  # set here: the project form is not ours
        make_items(session, personas.pat, project, 10)
    label_at(session, personas.alice, project, NOW - timedelta(days=2))
    label_at(session, personas.alice, project, NOW - timedelta(days=1))
    label_at(session, personas.bruno, project, NOW - timedelta(days=1))
    label_at(session, personas.alice, project, NOW - timedelta(hours=1))

    figures = dashboard(session, personas.pat, project)

    assert figures.burndown is not None
    assert [(p.day, p.remaining) for p in figures.burndown] == [
        (TODAY - timedelta(days=3), 10),
        (TODAY - timedelta(days=2), 9),
        (TODAY - timedelta(days=1), 7),
        (TODAY, 6),
    ]
    assert figures.deadline == TODAY + timedelta(days=5)


def test_forecast_of_a_constant_throughput_is_one_exact_day():
    by_day = {TODAY - timedelta(days=n): 100 for n in range(1, 15)}

    forecast = analytics.forecast_from(250, by_day, today=TODAY, as_of=NOW)

    assert forecast.p50 == forecast.p85 == TODAY + timedelta(days=3)
    assert forecast.mean_daily_labels == 100.0
    assert forecast.daily_labels == [100] * 14


def test_forecast_samples_the_last_fourteen_active_completed_days():
    by_day = {TODAY - timedelta(days=n): 10 for n in range(1, 15)}
    by_day[TODAY - timedelta(days=40)] = 1_000  # older than the 14 active days
    by_day[TODAY] = 1_000  # today is not over

    forecast = analytics.forecast_from(95, by_day, today=TODAY, as_of=NOW)

    assert forecast.p50 == forecast.p85 == TODAY + timedelta(days=10)


def test_forecast_p85_is_not_before_p50_on_varied_throughput():
    by_day = {TODAY - timedelta(days=n): n * 7 % 50 + 5 for n in range(1, 15)}

    forecast = analytics.forecast_from(2_000, by_day, today=TODAY, as_of=NOW)

    assert forecast.p50 is not None
    assert forecast.p85 is not None
    assert TODAY < forecast.p50 < forecast.p85


def test_completion_forecast_reads_the_queue_and_the_annotations(session, personas):
    project = make_project(session, personas.pat, overlap=2)
    make_items(session, personas.pat, project, 8)
    for day in (1, 2):  # two labels a day over two days
        label_at(session, personas.alice, project, NOW - timedelta(days=day))
        label_at(session, personas.bruno, project, NOW - timedelta(days=day))

    with time_machine.travel(NOW, tick=False):
        forecast = analytics.completion_forecast(session, project.id)

    assert forecast.remaining_labels == 12
    assert forecast.p50 == forecast.p85 == TODAY + timedelta(days=6)


def test_no_forecast_without_throughput():
    forecast = analytics.forecast_from(10, {}, today=TODAY, as_of=NOW)

    assert (forecast.p50, forecast.p85, forecast.done) == (None, None, False)


@pytest.mark.parametrize(
    ("p50", "p85", "expected"),
    [
        (date(2026, 4, 1), date(2026, 4, 3), None),
        (date(2026, 4, 1), date(2026, 4, 6), "high"),
        (date(2026, 4, 6), date(2026, 4, 9), "critical"),
        (None, None, "critical"),
    ],
)
def test_deadline_risk_compares_p50_and_p85_with_the_deadline(p50, p85, expected):
    forecast = analytics.Forecast(
        remaining_labels=100,
        daily_labels=[10],
        mean_daily_labels=10.0,
        p50=p50,
        p85=p85,
        done=False,
        as_of=NOW,
    )

    risk = analytics.deadline_risk(forecast, date(2026, 4, 5))

    assert (risk[0] if risk else None) == expected
    if risk:
        assert risk[2]["deadline"] == "2026-04-05"
        assert risk[2]["remaining_labels"] == 100


def test_no_deadline_risk_without_a_deadline_or_when_done():
    forecast = analytics.forecast_from(0, {}, today=TODAY, as_of=NOW)

    assert analytics.deadline_risk(forecast, date(2026, 1, 1)) is None
    assert analytics.deadline_risk(forecast.model_copy(update={"done": False}), None) is None


def test_sla_counts_items_within_late_and_overdue(session, personas):
    with time_machine.travel(NOW - timedelta(hours=30), tick=False):
        project = make_project(session, personas.pat, overlap=1)
        project.sla_hours = 24
        make_items(session, personas.pat, project, 4, prefix="old")
    with time_machine.travel(NOW - timedelta(hours=2), tick=False):
        make_items(session, personas.pat, project, 2, prefix="new")
    label_at(session, personas.alice, project, NOW - timedelta(hours=20))  # old, within 24 h
    label_at(session, personas.alice, project, NOW - timedelta(hours=1))  # old, 29 h: late

    figures = dashboard(session, personas.pat, project)

    assert figures.sla is not None
    assert figures.sla.model_dump() == {
        "hours": 24.0,
        "items_considered": 6,
        "met": 1,
        "missed": 1,
        "overdue": 2,
        "open_within": 2,
        "attainment": 0.5,
    }


def test_no_sla_figures_without_an_sla(session, personas):
    project = make_project(session, personas.pat)

    assert dashboard(session, personas.pat, project).sla is None


def test_a_vendor_lead_sees_only_their_vendors_work(session, personas):
    project = make_project(session, personas.pat, overlap=2, vendors=["Acme", "Babel"])
    make_items(session, personas.pat, project, 3)
    label_at(session, personas.alice, project, NOW - timedelta(hours=1), duration_ms=1000)
    label_at(session, personas.bruno, project, NOW - timedelta(hours=1), duration_ms=5000)

    figures = dashboard(session, personas.vic, project)

    assert figures.vendor_only
    assert [row.key for row in figures.aht_by_labeler] == ["alice"]
    assert [(r.key, r.annotations) for r in figures.aht_by_language] == [("en", 1)]
    assert [(r.key, r.annotations) for r in figures.aht_by_label] == [("ok", 1)]
    assert sum(bucket.annotations for bucket in figures.hourly) == 1
    assert (figures.burndown, figures.forecast, figures.sla) == (None, None, None)
    assert figures.backlog.total == 3


def test_labelers_and_reviewers_may_not_see_the_dashboard(session, personas):
    project = make_project(session, personas.pat)

    for actor in (personas.alice, personas.rita):
        with pytest.raises(PermissionDenied):
            dashboard(session, actor, project)


def test_a_demander_sees_only_their_own_projects(session, personas):
    theirs = make_project(session, personas.pat, demander="dana", name="theirs")
    other = make_project(session, personas.pat, name="other")

    assert dashboard(session, personas.dana, theirs).project_id == theirs.id
    with pytest.raises(NotFound):
        dashboard(session, personas.dana, other)


def test_an_unlabeled_project_has_empty_figures(session, personas):
    project = make_project(session, personas.pat)

    figures = dashboard(session, personas.pat, project)

    assert figures.aht_by_labeler == figures.aht_by_label == []
    assert figures.forecast is not None
    assert figures.forecast.done
    assert figures.active_labelers == 0
