"""Label aggregation on data drawn from a Dawid–Skene model with fixed seeds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from numpy.typing import NDArray

from labelops.quality import aggregation
from labelops.quality.aggregation import (
    Aggregate,
    dawid_skene,
    majority_vote,
    one_coin_dawid_skene,
)
from labelops.quality.answers import Answers

METHODS: list[Callable[..., Aggregate]] = [majority_vote, dawid_skene, one_coin_dawid_skene]
EM_METHODS: list[Callable[..., Aggregate]] = [dawid_skene, one_coin_dawid_skene]


@dataclass(frozen=True)
class Crowd:
    answers: Answers
    truth: NDArray[np.int64]
    confusion: NDArray[np.float64]  # workers × true label × given label


def simulate(
    confusion: NDArray[np.float64], *, tasks: int, per_task: int, seed: int, priors=None
) -> Crowd:
    """Each task gets `per_task` distinct workers, who answer from their confusion row."""
    rng = np.random.default_rng(seed)
    n_workers, n_labels, _ = confusion.shape
    truth = rng.choice(n_labels, size=tasks, p=priors)
    worker = np.argsort(rng.random((tasks, n_workers)), axis=1)[:, :per_task].ravel()
    task = np.repeat(np.arange(tasks), per_task)
    rows = confusion[worker, truth[task]]
    label = (rng.random(task.shape[0])[:, None] > np.cumsum(rows, axis=1)).sum(axis=1)
    answers = Answers(
        task=task,
        worker=worker.astype(np.int64),
        label=np.minimum(label, n_labels - 1).astype(np.int64),
        tasks=tuple(range(tasks)),
        workers=tuple(range(n_workers)),
        labels=tuple(range(n_labels)),
    )
    return Crowd(answers, truth, confusion)


def one_coin(accuracies, n_labels: int) -> NDArray[np.float64]:
    accuracy = np.asarray(accuracies, dtype=np.float64)[:, None, None]
    eye = np.eye(n_labels)
    return eye * accuracy + (1 - eye) * (1 - accuracy) / (n_labels - 1)


def shifted(n_workers: int, n_labels: int, *, rate: float) -> NDArray[np.float64]:
    """Adversarial workers: they answer the next label (k + 1 mod K) with probability `rate`."""
    shift = np.roll(np.eye(n_labels), 1, axis=1)
    rest = (1 - rate) / n_labels
    return np.broadcast_to(shift * rate + rest, (n_workers, n_labels, n_labels)).copy()


def coded(triples, *, labels=None) -> Answers:
    return Answers.from_triples(triples, labels=labels)


def accuracy(result: Aggregate, crowd: Crowd) -> float:
    return float((result.labels == crowd.truth).mean())


def test_dawid_skene_beats_majority_vote_when_some_workers_are_adversarial():
    confusion = np.concatenate([one_coin([0.75] * 14, 3), shifted(6, 3, rate=0.8)])
    crowd = simulate(confusion, tasks=2000, per_task=5, seed=1)

    voted = majority_vote(crowd.answers)
    fitted = dawid_skene(crowd.answers)

    assert accuracy(voted, crowd) < 0.7
    assert accuracy(fitted, crowd) > 0.93


def test_dawid_skene_pools_workers_with_few_answers_instead_of_overfitting_them():
    rng = np.random.default_rng(5)
    crowd = simulate(one_coin(rng.uniform(0.5, 0.9, 400), 4), tasks=2000, per_task=3, seed=5)

    voted = accuracy(majority_vote(crowd.answers), crowd)
    classic = accuracy(dawid_skene(crowd.answers, pooling=0), crowd)
    pooled = accuracy(dawid_skene(crowd.answers), crowd)

    assert classic < voted - 0.05  # 15 answers per worker for 16 cells: the MLE overfits
    assert pooled > voted - 0.01


def test_dawid_skene_keeps_a_unanimous_label_on_a_handful_of_answers():
    crowd = coded(
        [(t, w, "ok") for t in range(3) for w in "abc"]
        + [(3, "a", "ok"), (3, "b", "threat"), (3, "c", "insult")]
    )

    fitted = dawid_skene(crowd)

    assert [crowd.labels[k] for k in fitted.labels[:3]] == ["ok", "ok", "ok"]


def test_dawid_skene_recovers_the_confusion_of_adversarial_workers():
    confusion = np.concatenate([one_coin([0.75] * 14, 3), shifted(6, 3, rate=0.8)])
    crowd = simulate(confusion, tasks=4000, per_task=5, seed=2)

    fitted = dawid_skene(crowd.answers)

    assert np.abs(fitted.worker_confusion - confusion).max() < 0.1


def test_one_coin_recovers_worker_accuracies():
    truth = np.linspace(0.45, 0.95, 20)
    crowd = simulate(one_coin(truth, 4), tasks=3000, per_task=4, seed=3)

    fitted = one_coin_dawid_skene(crowd.answers)

    estimated = np.diagonal(fitted.worker_confusion, axis1=1, axis2=2).mean(axis=1)
    assert np.abs(estimated - truth).max() < 0.05


def test_one_coin_keeps_below_chance_workers_at_chance_instead_of_flipping():
    accuracies = [0.8] * 8 + [0.2] * 4  # binary: a third of the crowd answers the opposite
    crowd = simulate(one_coin(accuracies, 2), tasks=1500, per_task=6, seed=4)

    fitted = one_coin_dawid_skene(crowd.answers)

    estimated = fitted.worker_confusion[:, 0, 0]
    assert (estimated[:8] > 0.7).all()
    np.testing.assert_allclose(estimated[8:], 0.5, atol=1e-3)
    assert estimated.min() > 0.5


def test_one_coin_is_as_accurate_as_majority_vote_on_imbalanced_classes():
    accuracies = np.linspace(0.5, 0.9, 15)
    crowd = simulate(
        one_coin(accuracies, 3), tasks=3000, per_task=3, seed=5, priors=[0.8, 0.15, 0.05]
    )

    fitted = one_coin_dawid_skene(crowd.answers)

    assert accuracy(fitted, crowd) >= accuracy(majority_vote(crowd.answers), crowd)


@pytest.mark.parametrize("method", METHODS)
def test_posteriors_are_probabilities(method):
    confusion = np.concatenate([one_coin(np.linspace(0.4, 0.9, 10), 4), shifted(3, 4, rate=0.7)])
    crowd = simulate(confusion, tasks=500, per_task=3, seed=6)

    result = method(crowd.answers)

    assert np.isfinite(result.posteriors).all()
    assert (result.posteriors >= 0).all()
    assert (result.posteriors <= 1).all()
    np.testing.assert_allclose(result.posteriors.sum(axis=1), 1.0)
    np.testing.assert_allclose(result.worker_confusion.sum(axis=2), 1.0)
    np.testing.assert_allclose(result.priors.sum(), 1.0)
    np.testing.assert_array_equal(result.confidence, result.posteriors.max(axis=1))


@pytest.mark.parametrize("method", EM_METHODS)
def test_em_converges_before_max_iter_on_clean_data(method):
    crowd = simulate(one_coin([0.85] * 10, 3), tasks=1000, per_task=5, seed=7)

    result = method(crowd.answers, max_iter=200)

    assert result.converged
    assert result.iterations < 200


@pytest.mark.parametrize("method", EM_METHODS)
def test_em_cut_short_by_max_iter_reports_not_converged(method):
    crowd = simulate(one_coin(np.linspace(0.4, 0.9, 10), 3), tasks=1000, per_task=3, seed=8)

    result = method(crowd.answers, max_iter=2)

    assert (result.iterations, result.converged) == (2, False)


@pytest.mark.parametrize("method", EM_METHODS)
def test_tol_zero_runs_exactly_max_iter(method):
    crowd = simulate(one_coin([0.9] * 10, 3), tasks=300, per_task=5, seed=9)

    result = method(crowd.answers, max_iter=37, tol=0)

    assert (result.iterations, result.converged) == (37, False)


def test_convergence_needs_two_small_steps_in_a_row():
    rule = aggregation._Convergence(tol=1e-6)
    still = [np.array([[0.5, 0.5]])]

    first = rule.reached(-100.0, still, still)
    big = rule.reached(-90.0, still, still)
    small = rule.reached(-90.00001, still, still)
    second_small = rule.reached(-90.00002, still, still)

    assert (first, big, small, second_small) == (False, False, False, True)


def test_convergence_waits_while_a_posterior_still_moves():
    rule = aggregation._Convergence(tol=1e-6)
    before, after = [np.array([[0.5, 0.5]])], [np.array([[0.49, 0.51]])]

    reached = [rule.reached(-90.0, before, after) for _ in range(4)]

    assert reached == [False, False, False, False]


def test_fit_over_several_blocks_matches_one_block(monkeypatch):
    crowd = simulate(one_coin(np.linspace(0.4, 0.9, 12), 3), tasks=2000, per_task=4, seed=10)
    whole = dawid_skene(crowd.answers, max_iter=30, tol=0)
    monkeypatch.setattr(aggregation, "_BLOCK_ANSWERS", 1000)

    blocked = dawid_skene(crowd.answers, max_iter=30, tol=0)

    np.testing.assert_allclose(blocked.posteriors, whole.posteriors, atol=1e-12)
    assert blocked.log_likelihood == pytest.approx(whole.log_likelihood, rel=1e-12)


def test_many_answers_on_one_task_do_not_underflow():
    crowd = simulate(one_coin([0.9] * 3000, 2), tasks=2, per_task=3000, seed=11)

    result = dawid_skene(crowd.answers)

    assert np.isfinite(result.posteriors).all()
    assert np.isfinite(result.log_likelihood)
    np.testing.assert_array_equal(result.labels, crowd.truth)


def test_starting_posteriors_can_be_given():
    crowd = simulate(one_coin([0.8] * 8, 3), tasks=400, per_task=3, seed=12)
    start = np.eye(3)[crowd.truth]

    result = dawid_skene(crowd.answers, init=start)

    assert accuracy(result, crowd) > 0.9


def test_majority_vote_breaks_a_tie_towards_the_label_given_most_overall():
    answers = coded(
        [("t1", "ann", "spam"), ("t1", "bo", "ok"), ("t2", "ann", "ok"), ("t2", "cy", "ok")]
    )

    result = majority_vote(answers)

    assert [answers.labels[i] for i in result.labels] == ["ok", "ok"]
    np.testing.assert_allclose(result.confidence, [0.5, 1.0])


def test_majority_vote_breaks_an_even_tie_towards_the_first_label():
    answers = coded([("t1", "ann", "spam"), ("t1", "bo", "ok")])

    result = majority_vote(answers)

    assert answers.labels[result.labels[0]] == "ok"  # labels sorted: ok, spam
    assert result.confidence[0] == 0.5


@pytest.mark.parametrize("method", METHODS)
def test_no_answers_is_an_error(method):
    with pytest.raises(ValueError, match="no answers"):
        method(coded([]))


@pytest.mark.parametrize("method", METHODS)
def test_a_single_label_is_given_to_every_task_with_full_confidence(method):
    answers = coded([("t1", "ann", "ok"), ("t2", "ann", "ok"), ("t2", "bo", "ok")])

    result = method(answers)

    np.testing.assert_array_equal(result.labels, [0, 0])
    np.testing.assert_array_equal(result.confidence, [1.0, 1.0])
    assert result.converged


@pytest.mark.parametrize("smoothing", [0.0, 0.01])
@pytest.mark.parametrize("method", METHODS)
def test_workers_and_tasks_with_one_answer_give_finite_results(method, smoothing):
    answers = coded(
        [("t1", "ann", "ok"), ("t2", "bo", "spam"), ("t3", "ann", "ok"), ("t3", "cy", "spam")],
        labels=["ok", "spam", "hate"],  # a label nobody gave, too
    )

    result = method(answers, smoothing=smoothing)

    assert np.isfinite(result.posteriors).all()
    assert np.isfinite(result.worker_confusion).all()
    assert np.isfinite(result.log_likelihood)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"max_iter": 0}, "max_iter"),
        ({"tol": -1.0}, "tol"),
        ({"smoothing": -0.5}, "smoothing"),
        ({"pooling": -1.0}, "pooling"),
        ({"init": "uniform"}, "init"),
        ({"init": np.ones((5, 2))}, "init"),
    ],
)
def test_bad_options_are_errors(options, message):
    answers = coded([("t1", "ann", "ok"), ("t2", "bo", "spam")])

    with pytest.raises(ValueError, match=message):
        dawid_skene(answers, **options)
