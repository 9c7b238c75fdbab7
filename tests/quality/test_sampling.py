"""The statistics of audits, checked against figures worked out by hand."""

import math

import pytest

from labelops.quality.sampling import (
    StratumTally,
    allocate,
    draw,
    sample_size,
    stratified_accuracy,
    wilson,
)

Z = 1.959963984540054


def test_two_points_around_95_percent_needs_457_items():
    assert sample_size(0.02, 0.95) == 457


def test_five_points_around_50_percent_needs_385_items():
    # 1.96² · 0.25 / 0.0025 = 384.15
    assert sample_size(0.05, 0.5) == 385


def test_a_lot_of_1000_items_needs_fewer_by_the_finite_population_correction():
    n0 = Z * Z * 0.95 * 0.05 / 0.02**2  # 456.17
    by_hand = n0 / (1 + (n0 - 1) / 1000)  # 313.5

    assert sample_size(0.02, 0.95, population=1000) == math.ceil(by_hand) == 314


def test_a_lot_smaller_than_the_sample_is_reviewed_whole():
    assert sample_size(0.02, 0.95, population=10) == 10


def test_a_huge_lot_needs_about_the_infinite_population_size():
    assert sample_size(0.02, 0.95, population=10_000_000) == 457


@pytest.mark.parametrize(("margin", "expected"), [(0.0, 0.95), (1.0, 0.95), (0.02, 1.0)])
def test_sample_size_refuses_degenerate_settings(margin, expected):
    with pytest.raises(ValueError, match="between 0 and 1"):
        sample_size(margin, expected)


def test_allocation_is_proportional_and_sums_to_n():
    allocation = allocate({"en/ok": 600, "en/abuse": 300, "es/ok": 100}, 50)

    assert allocation == {"en/ok": 30, "en/abuse": 15, "es/ok": 5}


def test_allocation_gives_every_stratum_at_least_one_item_when_n_allows():
    # quotas 80, 15, 4.9, 0.1: the largest remainder gives c its 5th item, which it then
    # hands to d (c is the most over its quota).
    allocation = allocate({"a": 800, "b": 150, "c": 49, "d": 1}, 100)

    assert allocation == {"a": 80, "b": 15, "c": 4, "d": 1}
    assert sum(allocation.values()) == 100


def test_allocation_with_fewer_items_than_strata_favours_the_largest():
    allocation = allocate({"a": 800, "b": 150, "c": 49, "d": 1}, 3)

    assert allocation == {"a": 2, "b": 1, "c": 0, "d": 0}


def test_allocation_never_exceeds_a_stratum_nor_the_lot():
    allocation = allocate({"a": 3, "b": 2, "empty": 0}, 50)

    assert allocation == {"a": 3, "b": 2, "empty": 0}


@pytest.mark.parametrize("n", [1, 7, 13, 99, 250, 457])
def test_allocation_totals_exactly_n_for_uneven_strata(n):
    sizes = {f"s{i}": size for i, size in enumerate([997, 431, 87, 40, 11, 3, 1, 1])}

    allocation = allocate(sizes, n)

    assert sum(allocation.values()) == n
    assert all(allocation[k] <= sizes[k] for k in sizes)
    if n >= len(sizes):
        assert min(allocation.values()) >= 1


def test_a_draw_is_reproducible_from_its_seed_and_stays_within_strata():
    members = {"a": list(range(100)), "b": list(range(100, 110))}

    first = draw(members, {"a": 5, "b": 2}, seed=42)
    again = draw({"b": members["b"][::-1], "a": members["a"]}, {"a": 5, "b": 2}, seed=42)
    other = draw(members, {"a": 5, "b": 2}, seed=43)

    assert first == again
    assert first != other
    assert len(first["a"]) == 5
    assert set(first["a"]) <= set(members["a"])
    assert len(first["b"]) == 2
    assert set(first["b"]) <= set(members["b"])


def test_the_stratified_estimate_weights_strata_by_their_share_of_the_lot():
    # Stratum A: 800 items, 7 of 8 right; B: 200 items, 2 of 2 right.
    # p = 0.8 · 7/8 + 0.2 · 1 = 0.9 (the unweighted share would also be 9/10 here; see below)
    # V = 0.8² · (1 − 8/800) · (7/8 · 1/8) / 7 = 0.64 · 0.99 · 0.015625 = 0.0099
    # n_eff = 0.9 · 0.1 / 0.0099 = 9.0909…
    tallies = [StratumTally(800, 8, 8, 7), StratumTally(200, 2, 2, 2)]
    n_eff = 0.09 / 0.0099
    centre = (0.9 + Z * Z / (2 * n_eff)) / (1 + Z * Z / n_eff)
    half = Z * math.sqrt(0.09 / n_eff + Z * Z / (4 * n_eff**2)) / (1 + Z * Z / n_eff)

    estimate = stratified_accuracy(tallies)

    assert estimate.accuracy == pytest.approx(0.9)
    assert estimate.effective_n == pytest.approx(n_eff)
    assert estimate.low == pytest.approx(centre - half)
    assert estimate.high == pytest.approx(centre + half)
    assert (estimate.reviewed, estimate.correct) == (10, 9)


def test_weights_not_sample_shares_decide_the_estimate():
    # A small stratum oversampled (1 item of 10 wrong, 10 items reviewed) weighs 10 %.
    # p = 0.9 · 1 + 0.1 · 0.9 = 0.99, where the raw share would be 19/20 = 0.95.
    tallies = [StratumTally(900, 10, 10, 10), StratumTally(100, 10, 10, 9)]

    estimate = stratified_accuracy(tallies)

    assert estimate.accuracy == pytest.approx(0.99)


def test_no_error_at_all_still_has_an_interval_below_100_percent():
    estimate = stratified_accuracy([StratumTally(5000, 30, 30, 30)])

    assert estimate.accuracy == 1.0
    assert estimate.high == pytest.approx(1.0)
    assert estimate.low == pytest.approx(wilson(1.0, 30)[0])
    assert estimate.low is not None
    assert estimate.low < 0.9


def test_a_stratum_without_verdicts_is_left_out_of_the_running_estimate():
    estimate = stratified_accuracy([StratumTally(500, 10, 4, 3), StratumTally(500, 10, 0, 0)])

    assert estimate.accuracy == pytest.approx(0.75)
    assert estimate.reviewed == 4


def test_a_census_has_no_uncertainty_left():
    estimate = stratified_accuracy([StratumTally(4, 4, 4, 3), StratumTally(2, 2, 2, 2)])

    assert [estimate.accuracy, estimate.low, estimate.high] == pytest.approx([5 / 6] * 3)


def test_before_any_verdict_there_is_no_estimate():
    estimate = stratified_accuracy([StratumTally(100, 10, 0, 0)])

    assert (estimate.accuracy, estimate.low, estimate.high) == (None, None, None)
