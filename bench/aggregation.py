"""Label aggregation: speed and memory of our Dawid–Skene fits on a million answers, and accuracy
against crowd-kit on synthetic Dawid–Skene draws and on the real multi-annotator sets.

    .venv/bin/python bench/aggregation.py                        # everything
    .venv/bin/python bench/aggregation.py --speed                # (a) only
    .venv/bin/python bench/aggregation.py --accuracy --quick     # (b) on smaller draws
    .venv/bin/python bench/aggregation.py --crowdkit /tmp/ck/bin/python --data ../shared/data

(a) The problem of issue 3: 200,000 tasks × 5 answers from 2,000 workers, 4 classes (seeded
Dawid–Skene draw). Each method runs in a fresh child process that loads the answers from an .npz
file and fits 100 EM rounds (`tol=0, max_iter=100`) `--repeats` times; wall time is the best of
those, peak memory the child's peak RSS (`ru_maxrss` from wait4's rusage: interpreter, NumPy,
SciPy, the answers and the fit), printed with the RSS it had before fitting. crowd-kit, when its
interpreter is given, runs the same problem the same way (100 rounds, and its defaults).

(b) Accuracy. Synthetic: tasks get a true label from the priors and each answer is drawn from its
worker's confusion matrix (settings below, two seeds each). Real (`--data`, each folder's
`answers.csv`): none has a gold truth, so two truths are used —
  * held-out answer: on every item with 3 or more answers one answer (seeded) is hidden, the rest
    is aggregated, and the score is the share of hidden answers the aggregated label matches;
  * redrawn: true labels and answers are redrawn (same items, same annotators, same
    who-answered-what) from each annotator's confusion counted against majority vote with one
    pseudo-count per cell — a model neither EM fits exactly — so the truth is known.
Our methods run with their defaults; crowd-kit's MajorityVote, DawidSkene and OneCoinDawidSkene
with theirs (1.4.2: n_iter=100, tol=1e-5), in a child process of the interpreter given by
`--crowdkit` (a separate venv: `python3 -m venv /tmp/ck && /tmp/ck/bin/pip install crowd-kit`).

Figures only: nothing here asserts a timing or an accuracy.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

if __package__ in (None, ""):  # run as a file: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import MachineLoad, machine_summary
from labelops.quality import Answers
from labelops.quality.aggregation import (
    Aggregate,
    dawid_skene,
    majority_vote,
    one_coin_dawid_skene,
)

Ints = NDArray[np.int64]
OURS: dict[str, Callable[[Answers], Aggregate]] = {
    "mv": majority_vote,
    "ds": dawid_skene,
    "ods": one_coin_dawid_skene,
}
CROWDKIT_NAMES = {"mv": "MajorityVote", "ds": "DawidSkene", "ods": "OneCoinDawidSkene"}
_ROOT = Path(__file__).resolve().parents[1]
# ../shared/data from the repository (or from a git worktree one level further down)
DEFAULT_DATA = next(
    (p / "shared" / "data" for p in (_ROOT.parent, _ROOT.parent.parent) if (p / "shared").is_dir()),
    _ROOT.parent / "shared" / "data",
)


# --- synthetic Dawid–Skene draws --------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    name: str
    tasks: int
    per_task: int
    workers: int
    priors: tuple[float, ...]
    accuracy: tuple[float, float]  # range of a worker's diagonal
    adversarial: float = 0.0  # share of workers who answer a permuted label
    spammers: float = 0.0  # share of workers who answer at random
    skew: float = 0.0  # sigma of the log-normal activity of workers (0: uniform)


SETTINGS = (
    Setting("balanced-4", 20_000, 5, 200, (0.25,) * 4, (0.55, 0.9)),
    Setting("imbalanced-4", 20_000, 5, 200, (0.85, 0.1, 0.04, 0.01), (0.6, 0.9)),
    Setting("adversarial-2", 20_000, 5, 200, (0.6, 0.4), (0.6, 0.85), adversarial=0.2),
    Setting("adversarial-4", 20_000, 5, 300, (0.4, 0.3, 0.2, 0.1), (0.5, 0.85), adversarial=0.2),
    Setting("spammers-3", 20_000, 3, 500, (0.5, 0.3, 0.2), (0.65, 0.95), spammers=0.3, skew=1.0),
    Setting("sparse-5", 20_000, 3, 2_000, (0.3, 0.3, 0.2, 0.1, 0.1), (0.5, 0.9), skew=1.2),
)
SPEED = Setting("speed-1M", 200_000, 5, 2_000, (0.25,) * 4, (0.55, 0.9))


def confusions(setting: Setting, rng: np.random.Generator) -> NDArray[np.float64]:
    """workers × true × given: the diagonal in the setting's range, the rest of each row spread
    by a Dirichlet draw (so errors are not uniform: a worker confuses some pairs more)."""
    k, w = len(setting.priors), setting.workers
    diagonal = rng.uniform(*setting.accuracy, size=(w, k))
    off = rng.dirichlet(np.ones(k - 1), size=(w, k)) * (1 - diagonal)[..., None]
    matrix = np.empty((w, k, k))
    for true in range(k):
        others = [label for label in range(k) if label != true]
        matrix[:, true, true] = diagonal[:, true]
        matrix[:, true, others] = off[:, true, :]
    kinds = rng.random(w)
    adversarial = kinds < setting.adversarial
    shift = np.roll(np.arange(k), 1)  # answers the next label for each true one, mostly
    matrix[adversarial] = matrix[adversarial][:, :, shift]
    spam = (kinds >= setting.adversarial) & (kinds < setting.adversarial + setting.spammers)
    matrix[spam] = 1.0 / k
    return matrix


def assign_workers(setting: Setting, rng: np.random.Generator) -> Ints:
    """tasks × per_task distinct workers, drawn by each worker's activity."""
    weights = rng.lognormal(0.0, setting.skew, setting.workers) if setting.skew else None
    p = None if weights is None else weights / weights.sum()
    chosen = rng.choice(setting.workers, size=(setting.tasks, setting.per_task), p=p)
    while True:
        ordered = np.sort(chosen, axis=1)
        clash = (np.diff(ordered, axis=1) == 0).any(axis=1)
        if not clash.any():
            return chosen.astype(np.int64)
        chosen[clash] = rng.choice(setting.workers, size=(int(clash.sum()), setting.per_task), p=p)


def draw(setting: Setting, seed: int) -> tuple[Answers, Ints]:
    """Answers drawn from the Dawid–Skene model of the setting, and the true labels."""
    rng = np.random.default_rng(seed)
    truth = rng.choice(len(setting.priors), size=setting.tasks, p=setting.priors).astype(np.int64)
    workers = assign_workers(setting, rng).ravel()
    tasks = np.repeat(np.arange(setting.tasks), setting.per_task)
    labels = sample_answers(confusions(setting, rng), workers, truth[tasks], rng)
    return coded(tasks, workers, labels, setting.tasks, setting.workers, len(setting.priors)), truth


def sample_answers(
    matrix: NDArray[np.float64], workers: Ints, truth: Ints, rng: np.random.Generator
) -> Ints:
    cumulative = np.cumsum(matrix[workers, truth], axis=1)
    cumulative[:, -1] = 1.0
    u = rng.random((workers.shape[0], 1))
    drawn: Ints = (u > cumulative).sum(axis=1).astype(np.int64)
    return drawn


def coded(task: Ints, worker: Ints, label: Ints, tasks: int, workers: int, labels: int) -> Answers:
    return Answers(
        task=task,
        worker=worker,
        label=label,
        tasks=tuple(range(tasks)),
        workers=tuple(range(workers)),
        labels=tuple(range(labels)),
    )


# --- crowd-kit in its own interpreter ---------------------------------------------------------

CROWDKIT_SCRIPT = r"""
import json, sys, time
import numpy as np, pandas as pd
from crowdkit import aggregation
data = np.load(sys.argv[1])
jobs = json.loads(sys.argv[2])
frame = pd.DataFrame({"task": data["task"], "worker": data["worker"], "label": data["label"]})
out, seconds = {}, {}
for name, options in jobs:
    model = getattr(aggregation, name)(**options)
    start = time.perf_counter()
    predicted = model.fit_predict(frame)
    seconds[name] = time.perf_counter() - start
    labels = np.full(int(data["n_tasks"]), -1, dtype=np.int64)
    labels[predicted.index.to_numpy(dtype=np.int64)] = predicted.to_numpy(dtype=np.int64)
    out[name] = labels
np.savez(sys.argv[3], **out)
print(json.dumps(seconds))
"""


def crowdkit_version(python: str | None) -> str | None:
    if python is None or not Path(python).exists():
        return None
    done = subprocess.run(
        [python, "-c", "import importlib.metadata as m; print(m.version('crowd-kit'))"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() if done.returncode == 0 else None


def run_crowdkit(
    python: str, answers: Answers, jobs: list[tuple[str, dict[str, float]]], workdir: Path
) -> tuple[dict[str, Ints], dict[str, float], int]:
    """crowd-kit's predictions, fit seconds, and the child's peak RSS in bytes."""
    source, target = workdir / "ck-in.npz", workdir / "ck-out.npz"
    np.savez(
        source,
        task=answers.task,
        worker=answers.worker,
        label=answers.label,
        n_tasks=answers.n_tasks,
    )
    status, usage, stdout = _child(
        [python, "-c", CROWDKIT_SCRIPT, str(source), json.dumps(jobs), str(target)], workdir
    )
    if status != 0:
        raise RuntimeError(f"crowd-kit failed: {stdout[-2000:]}")
    seconds = json.loads(stdout.splitlines()[-1])
    with np.load(target) as predicted:
        labels = {name: predicted[name] for name in predicted.files}
    return labels, seconds, usage.ru_maxrss * 1024


def _child(command: list[str], workdir: Path) -> tuple[int, resource.struct_rusage, str]:
    """Run a child to its end: exit status, its rusage (peak RSS) and its output."""
    with (workdir / "child.out").open("w+") as out:
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        out.seek(0)
        return status, usage, out.read()


# --- (a) speed and memory ---------------------------------------------------------------------


def measure_child(path: str, method: str, repeats: int) -> None:
    """In a fresh process: load the answers, fit 100 rounds `repeats` times, print figures."""
    with np.load(path) as data:
        answers = coded(
            data["task"],
            data["worker"],
            data["label"],
            int(data["n_tasks"]),
            int(data["n_workers"]),
            int(data["n_labels"]),
        )
    fit = {"ds": dawid_skene, "ods": one_coin_dawid_skene}[method]
    before = resource.getrusage(resource.RUSAGE_SELF)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = fit(answers, tol=0.0, max_iter=100)
        times.append(time.perf_counter() - start)
    after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    figures = {"times": times, "cpu": cpu, "rss_before": before.ru_maxrss * 1024}
    print(json.dumps({**figures, "iterations": result.iterations}))


def speed(args: argparse.Namespace, workdir: Path) -> None:
    print(f"\n## (a) speed and memory: {SPEED.tasks:,} tasks × {SPEED.per_task} answers, ", end="")
    print(f"{SPEED.workers:,} workers, {len(SPEED.priors)} classes; 100 EM rounds (tol=0)")
    answers, _ = draw(SPEED, seed=2026)
    path = workdir / "speed.npz"
    np.savez(
        path,
        task=answers.task,
        worker=answers.worker,
        label=answers.label,
        n_tasks=answers.n_tasks,
        n_workers=answers.n_workers,
        n_labels=answers.n_labels,
    )
    print(f"answers: {answers.n_answers:,}; each fit in a fresh child process, best of ", end="")
    print(f"{args.repeats}; peak RSS = the child's ru_maxrss (whole process)")
    print("CPU s: the child's user + system time per fit (its threads together); machine load:")
    print("how busy all cores were meanwhile (100 % = every core, other processes included)")
    print(
        f"{'method':<40} {'best s':>7} {'all runs s':<16} {'CPU s':>6} {'load':>6} "
        f"{'RSS before':>11} {'peak RSS':>9}"
    )
    for method in ("ds", "ods"):
        with MachineLoad() as load:
            status, usage, output = _child(
                [sys.executable, __file__, "--measure-child", str(path), method, str(args.repeats)],
                workdir,
            )
        if status != 0:
            raise RuntimeError(f"the {method} child failed: {output[-2000:]}")
        out = json.loads(output.splitlines()[-1])
        runs = " ".join(f"{t:.2f}" for t in out["times"])
        cpu = out["cpu"] / len(out["times"])
        before, peak = out["rss_before"] / 2**20, usage.ru_maxrss / 1024
        print(
            f"{'labelops ' + method:<40} {min(out['times']):>7.2f} {runs:<16} {cpu:>6.2f} "
            f"{load.pct:>5.0f}% {before:>7.0f} MiB {peak:>5.0f} MiB"
        )
    if args.crowdkit_version is None:
        print("crowd-kit not installed: no comparison")
        return
    for name, options, label in (
        ("DawidSkene", {"n_iter": 100, "tol": 0.0}, "100 rounds"),
        ("DawidSkene", {}, "defaults"),
        ("OneCoinDawidSkene", {"n_iter": 100, "tol": 0.0}, "100 rounds"),
    ):
        with MachineLoad() as load:
            _, seconds, peak = run_crowdkit(args.crowdkit, answers, [(name, options)], workdir)
        print(
            f"{'crowd-kit ' + name + ' ' + label:<40} {seconds[name]:>7.2f} {'(one run)':<16} "
            f"{'':>6} {load.pct:>5.0f}% {'':>11} {peak / 2**20:>5.0f} MiB"
        )


# --- (b) accuracy -----------------------------------------------------------------------------


@dataclass
class Row:
    dataset: str
    answers: int
    scored: int
    method: str
    ours: float
    ours_s: float
    theirs: float | None = None
    theirs_s: float | None = None
    differ: int = 0  # scored tasks where the two labels differ
    ours_right: int = 0  # of those, right by our label
    theirs_right: int = 0  # right by crowd-kit's


def compare(
    args: argparse.Namespace, name: str, answers: Answers, truth: Ints, workdir: Path
) -> list[Row]:
    """Accuracy of every method on the tasks whose truth is known (truth ≥ 0)."""
    known = truth >= 0
    truth = truth[known]
    ours: dict[str, tuple[Ints, float]] = {}
    for method, fit in OURS.items():
        start = time.perf_counter()
        result = fit(answers)
        ours[method] = result.labels[known], time.perf_counter() - start
    theirs: dict[str, tuple[Ints, float]] = {}
    if args.crowdkit_version is not None:
        jobs: list[tuple[str, dict[str, float]]] = [(CROWDKIT_NAMES[m], {}) for m in OURS]
        labels, seconds, _ = run_crowdkit(args.crowdkit, answers, jobs, workdir)
        for method in OURS:
            name_ck = CROWDKIT_NAMES[method]
            theirs[method] = labels[name_ck][known], seconds[name_ck]
    rows = []
    for method in OURS:
        mine, mine_s = ours[method]
        row = Row(name, answers.n_answers, int(known.sum()), method, _share(mine, truth), mine_s)
        if method in theirs:
            other, other_s = theirs[method]
            differ = mine != other
            row.theirs, row.theirs_s = _share(other, truth), other_s
            row.differ = int(differ.sum())
            row.ours_right = int((mine[differ] == truth[differ]).sum())
            row.theirs_right = int((other[differ] == truth[differ]).sum())
        rows.append(row)
    return rows


def _share(labels: Ints, truth: Ints) -> float:
    return float((labels == truth).mean())


def held_out(answers: Answers, seed: int) -> tuple[Answers, Ints]:
    """One answer hidden on every task with 3+ answers; truth: the hidden label (-1 elsewhere)."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(answers.n_answers)
    per_task = np.bincount(answers.task, minlength=answers.n_tasks)
    first = np.full(answers.n_tasks, -1)
    first[answers.task[order[::-1]]] = order[::-1]  # a random answer of each task
    hidden = first[(per_task >= 3)]
    keep = np.ones(answers.n_answers, dtype=bool)
    keep[hidden] = False
    truth = np.full(answers.n_tasks, -1, dtype=np.int64)
    truth[answers.task[hidden]] = answers.label[hidden]
    return answers.select(keep), truth


def redrawn(answers: Answers, seed: int) -> tuple[Answers, Ints]:
    """Truth and answers redrawn, same pattern of answers, from a model neither EM fits: the
    annotators' confusion counted against majority vote with one pseudo-count a cell."""
    rng = np.random.default_rng(seed)
    model = majority_vote(answers, smoothing=1.0)
    truth = rng.choice(answers.n_labels, size=answers.n_tasks, p=model.priors).astype(np.int64)
    labels = sample_answers(model.worker_confusion, answers.worker, truth[answers.task], rng)
    return coded(
        answers.task, answers.worker, labels, answers.n_tasks, answers.n_workers, answers.n_labels
    ), truth


def load_set(path: Path) -> Answers:
    """A shared dataset's `item,annotator,label` answers."""
    with path.open(newline="", encoding="utf-8") as stream:
        rows = csv.DictReader(stream)
        return Answers.from_triples((r["item"], r["annotator"], r["label"]) for r in rows)


def real_sets(data: Path) -> list[tuple[str, Path]]:
    if not data.is_dir():
        return []
    return sorted(
        (d.name, d / "answers.csv") for d in data.iterdir() if (d / "answers.csv").exists()
    )


def accuracy(args: argparse.Namespace, workdir: Path) -> list[Row]:
    print("\n## (b) accuracy: ours (defaults) vs crowd-kit (defaults)")
    rows: list[Row] = []
    for setting in SETTINGS:
        if args.quick:
            setting = Setting(**{**setting.__dict__, "tasks": setting.tasks // 4})
        for seed in (1, 2):
            answers, truth = draw(setting, seed)
            rows += compare(args, f"synthetic {setting.name} s{seed}", answers, truth, workdir)
            print_rows(rows[-3:])
    sets = real_sets(args.data)
    if not sets:
        print(f"# no real datasets under {args.data}: skipped")
    for name, path in sets:
        answers = load_set(path)
        for truth_name, make in (("held-out", held_out), ("redrawn", redrawn)):
            shown, truth = make(answers, 7)
            rows += compare(args, f"{name} ({truth_name})", shown, truth, workdir)
            print_rows(rows[-3:])
    return rows


HEADER = (
    f"{'dataset':<40} {'answers':>8} {'scored':>7} {'method':<4} {'ours':>7} {'crowd-kit':>9} "
    f"{'ours s':>7} {'ck s':>7}  {'differ: ours/ck right':>21}"
)
_printed_header = False


def print_rows(rows: list[Row]) -> None:
    global _printed_header
    if not _printed_header:
        print(HEADER)
        _printed_header = True
    for r in rows:
        theirs = "—" if r.theirs is None else f"{r.theirs:.4f}"
        theirs_s = "—" if r.theirs_s is None else f"{r.theirs_s:.2f}"
        mark = " <" if r.theirs is not None and r.ours < r.theirs - 1e-12 else ""
        differ = f"{r.differ}: {r.ours_right}/{r.theirs_right}" if r.theirs is not None else ""
        print(
            f"{r.dataset:<40} {r.answers:>8,} {r.scored:>7,} {r.method:<4} {r.ours:>7.4f} "
            f"{theirs:>9} {r.ours_s:>7.2f} {theirs_s:>7}  {differ:>21}{mark}"
        )


def summary(rows: list[Row]) -> None:
    behind = [r for r in rows if r.theirs is not None and r.ours < r.theirs - 1e-12]
    compared = [r for r in rows if r.theirs is not None]
    if not compared:
        return
    print(f"\n{len(compared)} comparisons; ours below crowd-kit in {len(behind)}:")
    for r in behind:
        print(
            f"  {r.dataset} {r.method}: {r.ours:.4f} vs {r.theirs:.4f} — the labels differ on "
            f"{r.differ} tasks, ours right on {r.ours_right}, crowd-kit's on {r.theirs_right}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--speed", action="store_true", help="only (a)")
    parser.add_argument("--accuracy", action="store_true", help="only (b)")
    parser.add_argument("--quick", action="store_true", help="synthetic draws 4× smaller")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--crowdkit",
        default="/tmp/ck/bin/python",  # noqa: S108 - the venv the docstring suggests
        help="the python of a venv with crowd-kit",
    )
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--measure-child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_child:
        path, method, repeats = args.measure_child
        measure_child(path, method, int(repeats))
        return
    args.crowdkit_version = crowdkit_version(args.crowdkit)
    print(f"# {machine_summary()}; numpy {np.__version__}; ", end="")
    print(f"crowd-kit {args.crowdkit_version or 'not installed'} ({args.crowdkit})")
    with tempfile.TemporaryDirectory(prefix="labelops-agg-") as tmp:
        if args.speed or not args.accuracy:
            speed(args, Path(tmp))
        if args.accuracy or not args.speed:
            summary(accuracy(args, Path(tmp)))


if __name__ == "__main__":
    main()
