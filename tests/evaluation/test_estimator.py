"""The evaluation arithmetic, checked against figures worked out by hand."""

from datetime import date

import numpy as np
import pytest

from labelops.projects.estimator import (
    Assumptions,
    LanguageDemand,
    VendorOffer,
    add_working_days,
    completion_days,
    estimate,
    fte,
    labeler_hours,
    labels_needed,
)

MONDAY = date(2026, 11, 30)
STEADY = Assumptions(daily_sigma=0.0)  # no day-to-day variation: the forecast is exact


def english(items=1000, per_item=3.0, aht=36.0, history=()):
    return LanguageDemand("en", items, per_item, "overlap", aht, "pm", daily_history=history)


ACME = VendorOffer("Acme", "en", hourly_rate=10, weekly_hours=20)
BABEL = VendorOffer("Babel", "en", hourly_rate=8, weekly_hours=10, committed_hours=5)


def test_labels_are_items_times_labels_per_item_rounded_up():
    assert labels_needed(1000, 3) == 3000
    assert labels_needed(1000, 1.7) == 1700
    assert labels_needed(333, 1.5) == 500


def test_labeler_hours_are_labels_times_handling_seconds():
    assert labeler_hours(3000, 36) == pytest.approx(30.0)


def test_fte_divides_hours_by_productive_hours_of_the_period():
    # 40 paid h × (1 − 0.25) × 0.85 = 25.5 handling hours per FTE-week; 6 weeks → 153.
    assert fte(30.0, 6.0, Assumptions()) == pytest.approx(30 / 153)
    assert fte(153.0, 6.0, Assumptions(shrinkage=0.0, occupancy=1.0)) == pytest.approx(153 / 240)


def test_the_cheapest_vendor_with_enough_free_hours_takes_the_work():
    # 30 h over 6 weeks = 5 h a week; Babel (8/h) has 10 − 5 committed = 5 free: enough.
    result = estimate(
        start=MONDAY,
        deadline=date(2027, 1, 11),
        budget=None,
        languages=[english()],
        offers=[ACME, BABEL],
        assumptions=STEADY,
    )

    (en,) = result.languages
    assert (en.labels, en.labeler_hours, en.needed_weekly_hours) == (3000, 30.0, 5.0)
    assert [(v.vendor, v.labeler_hours, v.cost) for v in en.vendors] == [("Babel", 30.0, 240.0)]
    assert result.cost == 240.0
    assert result.vendor_selection == "cheapest"
    assert result.fte == pytest.approx(30 / 153)


def test_when_the_cheapest_is_not_enough_the_next_shares_the_hours_pro_rata():
    # 72 h over 6 weeks = 12 h a week: Babel's 5 free + Acme's 20 → shares 5/25 and 20/25.
    result = estimate(
        start=MONDAY,
        deadline=date(2027, 1, 11),
        budget=None,
        languages=[english(items=2400)],
        offers=[ACME, BABEL],
        assumptions=STEADY,
    )

    (en,) = result.languages
    assert [(v.vendor, round(v.labeler_hours, 6), round(v.cost, 6)) for v in en.vendors] == [
        ("Babel", 14.4, 115.2),
        ("Acme", 57.6, 576.0),
    ]
    assert result.cost == pytest.approx(691.2)


def test_the_pms_vendor_mix_is_used_in_its_order():
    result = estimate(
        start=MONDAY,
        deadline=date(2027, 1, 11),
        budget=None,
        languages=[english()],
        offers=[ACME, BABEL],
        vendor_choice={"en": ["Acme"]},
        assumptions=STEADY,
    )

    assert [v.vendor for v in result.languages[0].vendors] == ["Acme"]
    assert result.cost == 300.0
    assert result.vendor_selection == "pm"


def test_a_steady_throughput_finishes_on_the_day_labels_divided_by_rate():
    # Babel's 5 h a week at 36 s a label = 500 labels a week = 100 a working day: 3000 labels
    # take 30 working days, Monday 30 Nov to Friday 8 Jan.
    result = estimate(
        start=MONDAY,
        deadline=date(2027, 1, 11),
        budget=None,
        languages=[english()],
        offers=[BABEL],
        assumptions=STEADY,
    )

    forecast = result.forecast
    assert (forecast.p50_days, forecast.p85_days) == (30, 30)
    assert (forecast.p50_date, forecast.p85_date) == (date(2027, 1, 8), date(2027, 1, 8))
    assert forecast.model == "lognormal"
    assert result.risks == ()


def test_bootstrapped_history_gives_the_negative_binomial_quantiles():
    # Each day is 0 (p = 0.4) or 200 labels (p = 0.6): 400 labels need two good days.
    # P(done by day k) = 1 − 0.4^k − k·0.6·0.4^(k−1): 0.36, 0.648, 0.8208, 0.91296 for k = 2..5,
    # so the median is day 3 and P85 day 5.
    history = (0, 0, 200, 200, 200)  # mean 120 = the capacity's rate: no rescaling
    offer = VendorOffer("Acme", "en", hourly_rate=10, weekly_hours=6)

    result = estimate(
        start=MONDAY,
        deadline=None,
        budget=None,
        languages=[english(items=400, per_item=1, history=history)],
        offers=[offer],
    )

    forecast = result.languages[0].forecast
    assert forecast.model == "bootstrap"
    assert (forecast.p50_days, forecast.p85_days) == (3, 5)
    assert forecast.cdf[1] == pytest.approx(0.36, abs=0.02)
    assert forecast.cdf[3] == pytest.approx(0.8208, abs=0.02)


def test_history_is_rescaled_to_the_capacity_used():
    days, model = completion_days(
        1000, 100.0, (10, 10, 10, 10, 10), Assumptions(), np.random.default_rng(1)
    )

    assert model == "bootstrap"
    assert set(days.tolist()) == {10}


def test_the_lognormal_model_has_the_capacity_rate_as_its_mean():
    days, _ = completion_days(
        10_000, 100.0, (), Assumptions(daily_sigma=0.35), np.random.default_rng(3)
    )

    assert 98 <= np.median(days) <= 102


def test_a_language_no_vendor_staffs_is_a_risk_left_out_of_the_demands_dates():
    result = estimate(
        start=MONDAY,
        deadline=date(2027, 1, 11),
        budget=None,
        languages=[english(), LanguageDemand("ar", 100, 3, "overlap", 36, "pm")],
        offers=[ACME],
        assumptions=STEADY,
    )

    codes = [(r.code, r.severity, r.language) for r in result.risks]
    assert codes == [("no_vendor", "high", "ar")]
    assert result.languages[1].forecast.p50_date is None
    # Acme's 20 h a week at 36 s = 400 labels a day: 3000 labels in 8 working days.
    assert result.forecast.p50_date == result.languages[0].forecast.p50_date == date(2026, 12, 9)


def test_with_no_vendor_at_all_the_deadline_is_infeasible():
    result = estimate(
        start=MONDAY,
        deadline=date(2027, 1, 11),
        budget=None,
        languages=[english()],
        offers=[],
        assumptions=STEADY,
    )

    assert [(r.code, r.severity) for r in result.risks] == [
        ("no_vendor", "high"),
        ("deadline_infeasible", "high"),
    ]
    assert result.forecast.p50_date is None


def test_capacity_short_compares_needed_weekly_hours_with_free_hours():
    # 180 h over 6 weeks = 30 h a week; Acme 20 + Babel 5 free = 25.
    result = estimate(
        start=MONDAY,
        deadline=date(2027, 1, 11),
        budget=None,
        languages=[english(items=6000)],
        offers=[ACME, BABEL],
        assumptions=STEADY,
    )

    (risk, *_) = result.risks
    assert (risk.code, risk.severity, risk.language) == ("capacity_short", "high", "en")
    assert "needs 30.0 labeler-hours a week" in risk.evidence
    assert "25.0 free" in risk.evidence


def test_a_cost_above_the_budget_is_budget_short():
    result = estimate(
        start=MONDAY,
        deadline=None,
        budget=200,
        languages=[english()],
        offers=[BABEL],
        assumptions=STEADY,
    )

    assert [(r.code, r.evidence) for r in result.risks] == [
        ("budget_short", "estimated cost 240.00 exceeds the budget 200.00 by 40.00")
    ]


def test_a_median_after_the_deadline_is_infeasible():
    result = estimate(
        start=MONDAY,
        deadline=date(2027, 1, 7),
        budget=None,
        languages=[english()],
        offers=[BABEL],
        assumptions=STEADY,
    )

    deadline = [r for r in result.risks if r.code == "deadline_infeasible"]
    assert [(r.severity, r.evidence[:11]) for r in deadline] == [("high", "infeasible:")]


def test_a_p85_after_the_deadline_is_at_risk():
    # Median day 3 (Wednesday 2 Dec), P85 day 5 (Friday 4 Dec); deadline Thursday 3 Dec.
    offer = VendorOffer("Acme", "en", hourly_rate=10, weekly_hours=6)

    result = estimate(
        start=MONDAY,
        deadline=date(2026, 12, 3),
        budget=None,
        languages=[english(items=400, per_item=1, history=(0, 0, 200, 200, 200))],
        offers=[offer],
    )

    deadline = [r for r in result.risks if r.code == "deadline_infeasible"]
    assert [(r.severity, r.evidence[:8]) for r in deadline] == [("medium", "at risk:")]


def test_working_days_skip_weekends():
    assert add_working_days(MONDAY, 1) == MONDAY
    assert add_working_days(MONDAY, 6) == date(2026, 12, 7)
    assert add_working_days(date(2026, 12, 5), 1) == date(2026, 12, 7)  # a Saturday start
