"""How honest are audit intervals? Simulated audits of a real multi-annotator lot.

The lot: every item of a dataset from /work/shared/data, its *delivered* label the first
annotator's judgement (a delivery at overlap 1), its *true* label the majority of all its
annotators. So the lot's true accuracy is known exactly, and each simulated audit — sized,
allocated and drawn by `labelops.quality.sampling` exactly as the product does, with a perfect
reviewer — can be scored:

- coverage: the share of audits whose 95 % interval contains the true accuracy (95 % is the aim),
  for the product's interval (Wilson on the stratified estimate's effective sample size, FPC
  included), for the textbook stratified normal interval p ± z·√V, and for a simple random
  sample of the same size with a plain Wilson interval;
- mean width of each interval;
- decisions: how often "estimate ≥ target" agrees with "true accuracy ≥ target".

Prints figures; asserts nothing. Skips when the data is absent.

    .venv/bin/python -m bench.audit_sampling --dataset multilingual-hatecheck --runs 2000
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import orjson

from labelops.quality.sampling import (
    Z_95,
    StratumTally,
    allocate,
    draw,
    sample_size,
    stratified_accuracy,
    wilson,
)

DATA = Path("/work/shared/data")


def load_lot(dataset: str, lot_size: int | None, seed: int) -> dict[int, tuple[str, bool]]:
    """item → (stratum, delivered label is right)."""
    folder = DATA / dataset
    languages: dict[str, str] = {}
    with (folder / "items.jsonl").open("rb") as lines:
        for line in lines:
            row = orjson.loads(line)
            languages[str(row["id"])] = row.get("language") or "und"
    answers: dict[str, list[str]] = defaultdict(list)
    with (folder / "answers.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            answers[row["item"]].append(row["label"])
    lot: dict[int, tuple[str, bool]] = {}
    for index, (item, given) in enumerate(sorted(answers.items())):
        if len(given) < 3:
            continue
        ranked = Counter(given).most_common(2)
        if len(ranked) > 1 and ranked[0][1] == ranked[1][1]:
            continue  # no true label to score against
        delivered = given[0]
        lot[index] = (f"{languages.get(item, 'und')}/{delivered}", delivered == ranked[0][0])
    if lot_size is not None and lot_size < len(lot):
        keep = random.Random(seed).sample(sorted(lot), lot_size)
        lot = {item: lot[item] for item in keep}
    return lot


def simulate(lot: dict[int, tuple[str, bool]], args: argparse.Namespace) -> None:
    members: dict[str, list[int]] = defaultdict(list)
    for item, (stratum, _) in lot.items():
        members[stratum].append(item)
    truth = sum(right for _, right in lot.values()) / len(lot)
    n = sample_size(args.margin, args.expected, population=len(lot))
    allocation = allocate({k: len(v) for k, v in members.items()}, n)
    print(
        f"lot {len(lot):,} items in {len(members)} strata (language × delivered label); "
        f"true accuracy {truth:.2%}"
    )
    print(
        f"sample {n} items (±{args.margin:.0%} around {args.expected:.0%}); "
        f"target {args.target:.0%} → truly {'met' if truth >= args.target else 'missed'}"
    )
    scores = {
        name: [0, 0.0, 0] for name in ("product (Wilson, n_eff)", "stratified normal", "SRS Wilson")
    }
    items = sorted(lot)
    started = time.perf_counter()
    for run in range(args.runs):
        sample = draw(members, allocation, seed=run)
        tallies = []
        variance = 0.0
        for stratum, drawn in sample.items():
            correct = sum(lot[i][1] for i in drawn)
            tallies.append(StratumTally(len(members[stratum]), len(drawn), len(drawn), correct))
        estimate = stratified_accuracy(tallies)
        assert estimate.accuracy is not None
        assert estimate.low is not None
        assert estimate.high is not None
        for t in tallies:
            if t.reviewed > 1:
                w = t.population / len(lot)
                p = t.correct / t.reviewed
                variance += w * w * (1 - t.reviewed / t.population) * p * (1 - p) / (t.reviewed - 1)
        half = Z_95 * math.sqrt(variance)
        srs = random.Random(10_000 + run).sample(items, n)
        srs_p = sum(lot[i][1] for i in srs) / n
        intervals = {
            "product (Wilson, n_eff)": (estimate.accuracy, estimate.low, estimate.high),
            "stratified normal": (
                estimate.accuracy,
                estimate.accuracy - half,
                estimate.accuracy + half,
            ),
            "SRS Wilson": (srs_p, *wilson(srs_p, n)),
        }
        for name, (point, low, high) in intervals.items():
            score = scores[name]
            score[0] += low <= truth <= high
            score[1] += high - low
            score[2] += (point >= args.target) == (truth >= args.target)
    elapsed = time.perf_counter() - started
    each = 1000 * elapsed / args.runs
    print(f"{args.runs} simulated audits in {elapsed:.1f} s ({each:.1f} ms each)")
    print(f"{'interval':<26} {'coverage':>9} {'mean width':>11} {'right decision':>15}")
    for name, (covered, width, right) in scores.items():
        print(
            f"{name:<26} {covered / args.runs:>9.1%} {width / args.runs * 100:>9.2f} pt "
            f"{right / args.runs:>15.1%}"
        )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dataset", default="multilingual-hatecheck")
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--margin", type=float, default=0.02)
    parser.add_argument("--expected", type=float, default=0.95)
    parser.add_argument("--target", type=float, default=0.9)
    parser.add_argument(
        "--lot-size", type=int, default=None, help="audit a random part of the data"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not (DATA / args.dataset / "answers.csv").exists():
        print(f"skipped: no {DATA / args.dataset} on this machine")
        return 0
    simulate(load_lot(args.dataset, args.lot_size, args.seed), args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
