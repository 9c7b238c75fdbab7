"""Inter-annotator agreement, checked against hand-worked examples and reference libraries."""

from __future__ import annotations

import itertools
import math
from dataclasses import astuple

import krippendorff
import numpy as np
import pytest
from numpy.typing import NDArray
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats import inter_rater

from labelops.quality.agreement import (
    AgreementReport,
    PairKappa,
    agreement_report,
    alpha_by_label,
    cohen_kappa_pairs,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
    worker_agreement,
)
from labelops.quality.answers import Answers

SEEDS = range(8)
NAN = math.nan


def coded(task, worker, label, *, tasks: int, workers: int, labels: int) -> Answers:
    return Answers(
        task=np.asarray(task, dtype=np.int64),
        worker=np.asarray(worker, dtype=np.int64),
        label=np.asarray(label, dtype=np.int64),
        tasks=tuple(range(tasks)),
        workers=tuple(range(workers)),
        labels=tuple(range(labels)),
    )


def from_grid(grid) -> Answers:
    """Answers from a workers × tasks grid of labels (NaN where a worker did not answer)."""
    values = np.asarray(grid, dtype=np.float64)
    worker, task = np.nonzero(~np.isnan(values))
    label = values[worker, task].astype(np.int64)
    return coded(task, worker, label, tasks=values.shape[1], workers=values.shape[0], labels=6)


def from_counts(table) -> Answers:
    """Answers from a tasks × labels count table, each answer by a different worker."""
    counts = np.asarray(table, dtype=np.int64)
    task, label = np.nonzero(counts)
    repeats = counts[task, label]
    task, label = np.repeat(task, repeats), np.repeat(label, repeats)
    worker = np.arange(task.shape[0]) - np.searchsorted(task, task)  # rank within the task
    return coded(
        task,
        worker,
        label,
        tasks=counts.shape[0],
        workers=int(counts.sum(1).max()),
        labels=counts.shape[1],
    )


def random_answers(seed: int, *, answer_rate: float) -> Answers:
    """A random panel where each worker answers each task with `answer_rate`; labels mostly
    follow a hidden truth so the statistics land away from zero."""
    rng = np.random.default_rng(seed)
    tasks, workers, labels = (
        int(rng.integers(low, high)) for low, high in [(30, 120), (3, 12), (2, 6)]
    )
    truth = rng.integers(labels, size=tasks)
    grid = np.where(
        rng.random((workers, tasks)) < 0.6, truth, rng.integers(labels, size=(workers, tasks))
    )
    worker, task = np.nonzero(rng.random((workers, tasks)) < answer_rate)
    return coded(task, worker, grid[worker, task], tasks=tasks, workers=workers, labels=labels)


def constant_answers(seed: int) -> Answers:
    """A random panel where every task has the same number of answers."""
    rng = np.random.default_rng(seed)
    tasks, workers, labels = (
        int(rng.integers(low, high)) for low, high in [(30, 120), (4, 12), (2, 6)]
    )
    per_task = rng.integers(2, workers + 1)
    worker = np.argsort(rng.random((tasks, workers)), axis=1)[:, :per_task].ravel()
    task = np.repeat(np.arange(tasks), per_task)
    truth = rng.integers(labels, size=tasks)
    label = np.where(
        rng.random(task.shape[0]) < 0.6, truth[task], rng.integers(labels, size=task.shape[0])
    )
    return coded(task, worker, label, tasks=tasks, workers=workers, labels=labels)


def reliability_data(answers: Answers) -> NDArray[np.float64]:
    """The coders × units layout of the `krippendorff` package, NaN where missing."""
    data = np.full((answers.n_workers, answers.n_tasks), NAN)
    data[answers.worker, answers.task] = answers.label
    return data


def reference_pairs(answers: Answers, min_shared: int) -> list[tuple[int, int, int, float]]:
    data = reliability_data(answers)
    expected = []
    for a, b in itertools.combinations(range(answers.n_workers), 2):
        shared = ~np.isnan(data[a]) & ~np.isnan(data[b])
        if shared.sum() >= min_shared:
            kappa = cohen_kappa_score(data[a, shared], data[b, shared])
            expected.append((a, b, int(shared.sum()), float(kappa)))
    return expected


@pytest.fixture
def panel() -> Answers:
    """t1: alice and bob say spam, carol ham; t2: alice and bob say ham; t3: dave alone."""
    return Answers.from_triples(
        [
            ("t1", "alice", "spam"),
            ("t1", "bob", "spam"),
            ("t1", "carol", "ham"),
            ("t2", "alice", "ham"),
            ("t2", "bob", "ham"),
            ("t3", "dave", "spam"),
        ],
        labels=["spam", "ham"],
    )


def test_percent_agreement_pools_pairs_across_tasks(panel):
    share = percent_agreement(panel)

    assert share == pytest.approx((1 + 1) / (3 + 1))  # a per-task mean would give 2/3


@pytest.mark.parametrize("statistic", [percent_agreement, krippendorff_alpha, fleiss_kappa])
def test_perfect_agreement_scores_one(statistic):
    answers = from_grid([[0, 1, 2, 1], [0, 1, 2, NAN], [0, NAN, 2, 1]])

    assert statistic(answers) == pytest.approx(1.0)


@pytest.mark.parametrize("seed", SEEDS)
def test_krippendorff_alpha_matches_the_reference_with_missing_answers(seed):
    answers = random_answers(seed, answer_rate=0.5)

    alpha = krippendorff_alpha(answers)

    expected = krippendorff.alpha(
        reliability_data=reliability_data(answers), level_of_measurement="nominal"
    )
    assert alpha == pytest.approx(expected, abs=1e-9)


def test_krippendorff_alpha_reproduces_the_papers_nominal_example():
    # Krippendorff (2011), section C: 4 observers, 12 units, missing values; α = 0.743
    answers = from_grid(
        [
            [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
            [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
        ]
    )

    assert krippendorff_alpha(answers) == pytest.approx(0.743, abs=5e-4)


def test_krippendorff_alpha_reproduces_the_papers_binary_example():
    # Krippendorff (2011), section A: 2 observers, 10 units, binary data; α = 0.095
    answers = from_grid([[0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]])

    assert krippendorff_alpha(answers) == pytest.approx(0.095, abs=5e-4)


def test_krippendorff_alpha_is_negative_under_systematic_disagreement():
    answers = from_grid([[1, 2], [2, 1]])

    assert krippendorff_alpha(answers) == pytest.approx(-0.5)


@pytest.mark.parametrize("seed", SEEDS)
def test_fleiss_kappa_matches_statsmodels_with_a_constant_number_of_answers(seed):
    answers = constant_answers(seed)

    kappa = fleiss_kappa(answers)

    expected = inter_rater.fleiss_kappa(answers.counts(), method="fleiss")
    assert kappa == pytest.approx(expected, abs=1e-9)


def test_fleiss_kappa_reproduces_the_textbook_example():
    # the worked example of Wikipedia's "Fleiss' kappa": 10 subjects, 14 raters, κ = 0.210
    answers = from_counts(
        [
            [0, 0, 0, 0, 14],
            [0, 2, 6, 4, 2],
            [0, 0, 3, 5, 6],
            [0, 3, 9, 2, 0],
            [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0],
            [3, 2, 6, 3, 0],
            [2, 5, 3, 2, 2],
            [6, 5, 2, 1, 0],
            [0, 2, 2, 3, 7],
        ]
    )

    assert fleiss_kappa(answers) == pytest.approx(0.210, abs=5e-4)


def test_fleiss_kappa_averages_tasks_with_varying_numbers_of_answers():
    # P_i = 1, 0, 4/12 so P̄ = 4/9; p = (6/9, 3/9) so P_e = 5/9; κ = (4/9 − 5/9) / (4/9)
    answers = from_counts([[3, 0], [1, 1], [2, 2]])

    assert fleiss_kappa(answers) == pytest.approx(-0.25)


def test_fleiss_kappa_is_negative_under_systematic_disagreement():
    answers = from_grid([[1, 2], [2, 1]])

    assert fleiss_kappa(answers) == pytest.approx(-1.0)


@pytest.mark.parametrize("seed", SEEDS)
def test_cohen_kappa_pairs_match_sklearn_on_shared_tasks(seed):
    answers = random_answers(seed, answer_rate=0.6)

    pairs = cohen_kappa_pairs(answers, min_shared=20)

    expected = reference_pairs(answers, min_shared=20)
    assert [(p.worker_a, p.worker_b, p.shared) for p in pairs] == [e[:3] for e in expected]
    assert [p.kappa for p in pairs] == pytest.approx([e[3] for e in expected], abs=1e-9)


def test_cohen_kappa_pairs_leave_out_pairs_below_min_shared():
    answers = from_grid([[0, 1, 0, NAN], [0, 1, 1, 1], [NAN, NAN, NAN, 0]])

    pairs = cohen_kappa_pairs(answers, min_shared=2)

    # kappa: p_o = 2/3, p_e = (2·1 + 1·2) / 9
    assert [astuple(p) for p in pairs] == [(0, 1, 3, pytest.approx(0.4))]


def test_cohen_kappa_is_negative_under_systematic_disagreement():
    answers = from_grid([[0, 1, 0, 1], [1, 0, 1, 0]])

    pairs = cohen_kappa_pairs(answers, min_shared=1)

    assert pairs == [PairKappa(worker_a=0, worker_b=1, shared=4, kappa=-1.0)]


def test_cohen_kappa_is_none_when_both_workers_give_one_label():
    answers = from_grid([[2, 2, 2], [2, 2, 2]])

    pairs = cohen_kappa_pairs(answers, min_shared=1)

    assert pairs == [PairKappa(worker_a=0, worker_b=1, shared=3, kappa=None)]


def test_cohen_kappa_pairs_reject_a_min_shared_below_one(panel):
    with pytest.raises(ValueError, match="min_shared"):
        cohen_kappa_pairs(panel, min_shared=0)


@pytest.mark.parametrize("seed", SEEDS)
def test_alpha_by_label_matches_the_reference_on_one_vs_rest_codings(seed):
    answers = random_answers(seed, answer_rate=0.5)

    alphas = alpha_by_label(answers)

    data = reliability_data(answers)
    expected = {
        label: krippendorff.alpha(
            reliability_data=np.where(np.isnan(data), NAN, data == label),
            level_of_measurement="nominal",
        )
        for label in range(answers.n_labels)
    }
    assert alphas == pytest.approx(expected, abs=1e-9)


def test_alpha_by_label_equals_alpha_with_two_labels():
    answers = random_answers(seed=3, answer_rate=0.5)
    binary = coded(
        answers.task,
        answers.worker,
        answers.label % 2,
        tasks=answers.n_tasks,
        workers=answers.n_workers,
        labels=2,
    )

    alphas = alpha_by_label(binary)

    alpha = krippendorff_alpha(binary)
    assert alphas == pytest.approx({0: alpha, 1: alpha}, abs=1e-12)


def test_alpha_by_label_is_none_for_a_label_nobody_gave():
    answers = Answers.from_triples(
        [(task, worker, "spam") for task, worker in [("t1", "alice"), ("t1", "bob")]]
        + [(task, worker, "ham") for task, worker in [("t2", "alice"), ("t2", "bob")]],
        labels=["spam", "ham", "violence"],
    )

    alphas = alpha_by_label(answers)

    assert alphas == {0: pytest.approx(1.0), 1: pytest.approx(1.0), 2: None}


def test_worker_agreement_is_each_workers_share_of_agreeing_pairs(panel):
    rates = worker_agreement(panel)

    # alice, bob, carol, then dave who shares no task: NaN
    np.testing.assert_allclose(rates, [2 / 3, 2 / 3, 0.0, NAN])


@pytest.mark.parametrize("statistic", [percent_agreement, krippendorff_alpha, fleiss_kappa])
def test_statistics_are_undefined_on_a_single_task(statistic):
    answers = from_grid([[0], [1], [1]])

    assert statistic(answers) is None


def test_alpha_by_label_is_undefined_on_a_single_task():
    answers = from_grid([[0], [1], [1]])

    assert set(alpha_by_label(answers).values()) == {None}


@pytest.mark.parametrize("statistic", [krippendorff_alpha, fleiss_kappa])
def test_chance_corrected_statistics_are_undefined_when_everyone_gives_one_label(statistic):
    answers = from_grid([[4, 4, 4], [4, 4, NAN], [4, 4, 4]])

    assert statistic(answers) is None


def test_statistics_are_undefined_without_answers():
    answers = coded([], [], [], tasks=3, workers=2, labels=2)

    report = agreement_report(answers)

    assert report == AgreementReport(answers=0, tasks=0, percent=None, alpha=None, fleiss=None)


def test_agreement_report_counts_the_pairable_sample(panel):
    report = agreement_report(panel)

    # pairable: t1 (spam, spam, ham) and t2 (ham, ham); α = 1 − 4·2/12, κ = (2/3 − 13/25)/(12/25)
    assert astuple(report) == (
        5,
        2,
        pytest.approx(0.5),
        pytest.approx(1 / 3),
        pytest.approx(11 / 36),
    )


def test_select_keeps_the_index_lists(panel):
    subset = panel.select(panel.worker != panel.workers.index("carol"))

    assert (subset.tasks, subset.workers, subset.labels) == (
        panel.tasks,
        panel.workers,
        panel.labels,
    )
    assert [
        (subset.tasks[t], subset.workers[w], subset.labels[x])
        for t, w, x in zip(subset.task, subset.worker, subset.label, strict=True)
    ] == [
        ("t1", "alice", "spam"),
        ("t1", "bob", "spam"),
        ("t2", "alice", "ham"),
        ("t2", "bob", "ham"),
        ("t3", "dave", "spam"),
    ]


def test_agreement_report_of_a_selection_covers_only_its_answers(panel):
    without_carol = panel.select(panel.worker != panel.workers.index("carol"))

    report = agreement_report(without_carol)

    assert report == AgreementReport(answers=4, tasks=2, percent=1.0, alpha=1.0, fleiss=1.0)


def test_select_rejects_a_mask_of_the_wrong_shape(panel):
    with pytest.raises(ValueError, match="mask"):
        panel.select(np.ones(panel.n_answers + 1, dtype=bool))


def test_all_statistics_run_on_a_million_answers_from_two_thousand_workers():
    # 100 teams of 20 labelers; each task goes to 5 members of one team, so every pair of
    # teammates shares about 100 tasks and no one else shares any
    rng = np.random.default_rng(0)
    tasks, team_size, per_task, labels = 200_000, 20, 5, 5
    team = rng.integers(100, size=tasks)
    member = np.argsort(rng.random((tasks, team_size)), axis=1)[:, :per_task]
    task = np.repeat(np.arange(tasks), per_task)
    truth = rng.integers(labels, size=tasks)
    label = np.where(
        rng.random(task.shape[0]) < 0.7, truth[task], rng.integers(labels, size=task.shape[0])
    )
    answers = coded(
        task,
        (team[:, None] * team_size + member).ravel(),
        label,
        tasks=tasks,
        workers=2_000,
        labels=labels,
    )

    report = agreement_report(answers)
    by_label = alpha_by_label(answers)
    rates = worker_agreement(answers)
    pairs = cohen_kappa_pairs(answers)

    assert (report.answers, report.tasks) == (1_000_000, 200_000)
    assert None not in (report.percent, report.alpha, report.fleiss, *by_label.values())
    assert np.isfinite(rates).all()
    assert len(pairs) == 100 * (team_size * (team_size - 1) // 2)
    assert all(p.worker_a // team_size == p.worker_b // team_size for p in pairs)
