"""Dynamic overlap against fixed overlap: labels used and accuracy, replaying answers with a
known truth in random order.

    .venv/bin/python bench/dynamic_overlap.py
    .venv/bin/python bench/dynamic_overlap.py --fixed 3 --dynamic 2,5,0.95 --dynamic 1,5,0.95
    .venv/bin/python bench/dynamic_overlap.py --data /work/shared/data --seeds 3

Each item gets a *panel*: its answerers in a random order, each with their answer. Fixed overlap
N takes the first N answers of every panel. Dynamic overlap (min, max, target) takes the first
`min`, then after every answer runs the production rule (`labelops.quality.posterior`: the item's
posterior from the current fit's priors and confusion matrices, then `decide`) and takes one more
answer, stops, or — at `max` — escalates. Items are replayed one after another in random order,
and the project's Dawid–Skene fit is refitted on the answers collected so far by the production
rule (`should_refit`: first at 30 answers, then after every 10 % growth, at least 50 answers).

Accuracy is that of the final labels a project would export: a Dawid–Skene fit over every answer
collected (and majority vote, for fixed overlap), against the truth. Escalated items keep their
model label (no reviewer is simulated), so escalations cost accuracy here rather than add it.

Data: a synthetic Dawid–Skene crowd (most items benign, labelers of mixed quality with full
confusion matrices) with its true labels; and, when `--data` holds them, real multi-annotator
sets, where the truth is the majority of the item's *full* panel (items with a tied panel are
left out) — so fixed overlap is compared on the panel's own terms, not against experts.
Figures only: nothing here asserts anything.
"""

from __future__ import annotations

import argparse
import csv
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from labelops.quality import Answers
from labelops.quality.aggregation import dawid_skene, majority_vote, one_coin_dawid_skene
from labelops.quality.posterior import (
    Decision,
    LabelModel,
    decide,
    fit_label_model,
    should_refit,
)

Panel = list[tuple[str, str]]  # (labeler, answer) in the order they would come


@dataclass(frozen=True)
class Dataset:
    name: str
    labels: tuple[str, ...]
    panels: dict[str, Panel]  # item → its full panel
    truth: dict[str, str]
    truth_note: str


@dataclass(frozen=True)
class Policy:
    min_overlap: int
    max_overlap: int
    target: float

    def __str__(self) -> str:
        return f"dynamic ({self.min_overlap}, {self.max_overlap}, {self.target:g})"


@dataclass
class Outcome:
    labels_used: int
    accuracy_ds: float
    accuracy_mv: float
    accuracy_stop: float = float("nan")  # dynamic: each item's label when it stopped
    escalations: int = 0
    refits: int = 0


# --- data ----------------------------------------------------------------------------------


def synthetic(items: int, labelers: int, panel: int, rng: random.Random) -> Dataset:
    """A moderation-like crowd: 85 % benign items; most labelers good, some sloppy (they let
    abuse through as benign), a few near chance."""
    labels = ("ok", "abuse", "hate")
    priors = np.array([0.85, 0.10, 0.05])
    np_rng = np.random.default_rng(rng.randrange(2**32))
    confusions = {}
    for number in range(labelers):
        kind = rng.random()
        accuracy = (
            rng.uniform(0.88, 0.97)
            if kind < 0.6
            else rng.uniform(0.72, 0.85)
            if kind < 0.9
            else rng.uniform(0.5, 0.62)
        )
        matrix = np.empty((3, 3))
        for true in range(3):
            # errors lean towards "ok" (missed abuse), the costly mistake in moderation
            rest = np.array([3.0 if k == 0 else 1.0 for k in range(3)])
            rest[true] = 0.0
            matrix[true] = (1 - accuracy) * rest / rest.sum()
            matrix[true, true] = accuracy
        confusions[f"w{number}"] = matrix
    names = list(confusions)
    panels: dict[str, Panel] = {}
    truth: dict[str, str] = {}
    for number in range(items):
        item = f"t{number}"
        true = int(np_rng.choice(3, p=priors))
        truth[item] = labels[true]
        panels[item] = [
            (name, labels[int(np_rng.choice(3, p=confusions[name][true]))])
            for name in rng.sample(names, panel)
        ]
    note = f"synthetic: {items:,} items, {labelers} labelers, true labels known"
    return Dataset("synthetic", labels, panels, truth, note)


def real(folder: Path, min_panel: int) -> Dataset | None:
    answers_csv = folder / "answers.csv"
    if not answers_csv.exists():
        return None
    panels: dict[str, Panel] = defaultdict(list)
    with answers_csv.open(newline="") as handle:
        for row in csv.DictReader(handle):
            panels[row["item"]].append((row["annotator"], row["label"]))
    labels = tuple(sorted({label for panel in panels.values() for _, label in panel}))
    kept: dict[str, Panel] = {}
    truth: dict[str, str] = {}
    tied = short = 0
    for item, panel in panels.items():
        if len(panel) < min_panel:
            short += 1
            continue
        (first, top), *rest = [*Counter(label for _, label in panel).most_common(2), ("", 0)]
        if rest[0][1] == top:
            tied += 1
            continue
        kept[item], truth[item] = panel, first
    note = (
        f"{folder.name}: truth = majority of the full panel; {len(kept):,} items kept, "
        f"{tied:,} with a tied panel and {short:,} with fewer than {min_panel} answers left out"
    )
    return Dataset(folder.name, labels, kept, truth, note)


# --- replay --------------------------------------------------------------------------------


def accuracy(
    answers: list[tuple[str, str, str]], data: Dataset, aggregator: str, method: str
) -> float:
    coded = Answers.from_triples(answers, labels=data.labels)
    if aggregator == "mv":
        aggregate = majority_vote(coded)
    elif method == "ods":
        aggregate = one_coin_dawid_skene(coded)
    else:
        aggregate = dawid_skene(coded)
    right = sum(
        data.labels[label] == data.truth[str(task)]
        for task, label in zip(coded.tasks, aggregate.labels.tolist(), strict=True)
    )
    return float(right) / coded.n_tasks


def run_fixed(data: Dataset, n: int, method: str) -> Outcome:
    answers = [
        (item, who, label) for item, panel in data.panels.items() for who, label in panel[:n]
    ]
    return Outcome(
        len(answers), accuracy(answers, data, "ds", method), accuracy(answers, data, "mv", method)
    )


def run_dynamic(data: Dataset, policy: Policy, method: str) -> Outcome:
    answers: list[tuple[str, str, str]] = []
    model = LabelModel.untrained(data.labels)
    fitted_at: int | None = None
    escalations = refits = right = 0
    for item, panel in data.panels.items():
        taken = 0
        target = policy.min_overlap
        while True:
            who, label = panel[taken]
            answers.append((item, who, label))
            taken += 1
            if should_refit(len(answers), fitted_at):
                model = fit_label_model(answers, data.labels, method=method)
                fitted_at, refits = len(answers), refits + 1
            best, confidence, _ = model.posterior([(w, x) for _, w, x in answers[-taken:]])
            decision = decide(
                confidence=confidence,
                target_confidence=policy.target,
                submitted=taken,
                pending=target - taken,
                target=target,
                min_overlap=policy.min_overlap,
                max_overlap=policy.max_overlap,
            )
            if decision is Decision.MORE:
                target += 1
            elif decision in (Decision.DONE, Decision.ESCALATE):
                escalations += decision is Decision.ESCALATE
                right += best == data.truth[item]
                break
    return Outcome(
        len(answers),
        accuracy(answers, data, "ds", method),
        accuracy(answers, data, "mv", method),
        right / len(data.panels),
        escalations,
        refits,
    )


def report(
    data: Dataset, fixed: list[int], policies: list[Policy], seeds: int, method: str
) -> None:
    print(f"\n## {data.name} — {data.truth_note}")
    print(
        f"   labels {', '.join(data.labels)}; truth shares "
        + ", ".join(
            f"{label} {share:.0%}"
            for label, share in sorted(
                ((k, v / len(data.truth)) for k, v in Counter(data.truth.values()).items()),
                key=lambda kv: -kv[1],
            )
        )
    )
    print(f"   mean over {seeds} random orders; fits by {method}")
    header = (
        f"   {'policy':<26}{'labels':>10}{'per item':>10}{'acc DS':>9}{'acc MV':>9}{'at stop':>9}"
    )
    print(header + f"{'escal.':>8}{'refits':>8}{'fewer':>8}")
    base: dict[int, Outcome] = {}
    for n in fixed:
        outcomes = [run_fixed(_replay(data, seed), n, method) for seed in range(seeds)]
        base[n] = _mean(outcomes)
        _line(f"fixed {n}", base[n], len(data.panels))
    for policy in policies:
        started = time.perf_counter()
        outcomes = [run_dynamic(_replay(data, seed), policy, method) for seed in range(seeds)]
        mean = _mean(outcomes)
        elapsed = time.perf_counter() - started
        for n, outcome in base.items():
            fewer = 1 - mean.labels_used / outcome.labels_used
            # like for like: the same aggregator over each policy's answers
            ds = mean.accuracy_ds - outcome.accuracy_ds
            mv = mean.accuracy_mv - outcome.accuracy_mv
            verdict = "equal or better" if min(ds, mv) >= 0 else "WORSE"
            _line(
                str(policy),
                mean,
                len(data.panels),
                suffix=f"{fewer:>8.1%}  vs fixed {n}: {verdict} (DS {ds:+.2%}, MV {mv:+.2%})",
            )
        print(f"   ({elapsed / seeds:.1f} s per replay)")


def _line(name: str, o: Outcome, items: int, suffix: str = "") -> None:
    print(
        f"   {name:<26}{o.labels_used:>10,.0f}{o.labels_used / items:>10.2f}"
        f"{o.accuracy_ds:>9.2%}{o.accuracy_mv:>9.2%}{o.accuracy_stop:>9.2%}{o.escalations:>8.0f}{o.refits:>8.0f}{suffix}"
    )


def _replay(data: Dataset, seed: int) -> Dataset:
    """The items in a random order, each panel shuffled too (the answer order a queue would
    see); the same for every policy given the same seed."""
    rng = random.Random(seed)
    order = list(data.panels)
    rng.shuffle(order)
    panels = {item: rng.sample(data.panels[item], len(data.panels[item])) for item in order}
    return Dataset(data.name, data.labels, panels, data.truth, data.truth_note)


def _mean(outcomes: list[Outcome]) -> Outcome:
    return Outcome(
        *(float(np.mean([getattr(o, f) for o in outcomes])) for f in Outcome.__dataclass_fields__)  # type: ignore[arg-type]
    )


def _policy(text: str) -> Policy:
    low, high, target = text.split(",")
    return Policy(int(low), int(high), float(target))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--fixed", type=int, action="append", help="fixed overlap (default 2 and 3)"
    )
    parser.add_argument(
        "--dynamic",
        type=_policy,
        action="append",
        help="min,max,target (default 2,5,0.95; 1,5,0.98; 2,5,0.99)",
    )
    parser.add_argument("--items", type=int, default=5000, help="synthetic items")
    parser.add_argument("--labelers", type=int, default=40, help="synthetic labelers")
    parser.add_argument("--seeds", type=int, default=3, help="random orders to average over")
    parser.add_argument("--method", choices=("ds", "ods"), default="ods", help="the fit")
    parser.add_argument("--data", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("--sets", default="hs-brexit,hatecheck,md-agreement,armis,convabuse")
    args = parser.parse_args()
    fixed = args.fixed or [2, 3]
    policies = args.dynamic or [Policy(2, 5, 0.95), Policy(1, 5, 0.98), Policy(2, 5, 0.99)]
    panel = max(max(fixed), max(p.max_overlap for p in policies))
    rng = random.Random(20261125)
    report(
        synthetic(args.items, args.labelers, panel, rng), fixed, policies, args.seeds, args.method
    )
    if not args.data.is_dir():
        print(f"\n# {args.data} is absent: real data sets skipped")
        return
    for name in args.sets.split(","):
        data = real(args.data / name, panel)
        if data is None or not data.panels:
            print(f"\n# {name}: absent or no item with {panel} answers, skipped")
            continue
        report(data, fixed, policies, args.seeds, args.method)


if __name__ == "__main__":
    main()
