"""`labelops aggregate`: one label per task from a CSV of answers, by majority vote or
Dawid–Skene, written as `task,label,confidence`."""

from __future__ import annotations

import csv
import os
import tempfile
from array import array
from collections.abc import Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import numpy as np
import typer
from numpy.typing import NDArray
from rich.markup import escape

from labelops.cli.common import console, domain_errors, err
from labelops.errors import InvalidInput
from labelops.quality.aggregation import (
    Aggregate,
    dawid_skene,
    majority_vote,
    one_coin_dawid_skene,
)
from labelops.quality.answers import Answers

ANSWER_COLUMNS = ("task", "worker", "label")
GOLD_COLUMNS = ("task", "label")


class Method(StrEnum):
    mv = "mv"
    ds = "ds"
    ods = "ods"


def aggregate(
    answers: Annotated[
        Path,
        typer.Option(exists=True, dir_okay=False, help="CSV with task,worker,label columns"),
    ],
    method: Annotated[
        Method,
        typer.Option(help="mv: majority vote; ds: Dawid–Skene; ods: one-coin Dawid–Skene"),
    ],
    out: Annotated[Path, typer.Option(dir_okay=False, help="CSV to write: task,label,confidence")],
    gold: Annotated[
        Path | None,
        typer.Option(exists=True, dir_okay=False, help="CSV with task,label: print the accuracy"),
    ] = None,
    max_iter: Annotated[int, typer.Option(min=1, help="EM rounds at most (ds, ods)")] = 100,
) -> None:
    """Aggregate answers (task,worker,label) into one label per task with its confidence."""
    with domain_errors():
        if not out.parent.is_dir():
            raise InvalidInput(f"no directory {out.parent} to write {out.name} in", field="out")
        with err.status(f"reading {escape(answers.name)}…"):
            coded, replaced = read_answers(answers)
            truth = read_gold(gold) if gold is not None else None
        with err.status(f"aggregating ({method.value})…"):
            result = _run(coded, method, max_iter)
        write_labels(out, coded, result)
    state = "converged" if result.converged else "not converged"
    note = f", {replaced:,} repeated answers replaced" if replaced else ""
    err.print(
        f"{coded.n_answers:,} answers, {coded.n_tasks:,} tasks, {coded.n_workers:,} workers, "
        f"{coded.n_labels:,} labels{note} — {method.value}: {result.iterations} iterations, "
        f"{state} — wrote {escape(str(out))}",
        soft_wrap=True,
    )
    if truth is not None:
        console.print(gold_summary(coded, result, truth), soft_wrap=True)


def _run(answers: Answers, method: Method, max_iter: int) -> Aggregate:
    if method is Method.mv:
        return majority_vote(answers)
    fit = dawid_skene if method is Method.ds else one_coin_dawid_skene
    return fit(answers, max_iter=max_iter)


def read_answers(path: Path) -> tuple[Answers, int]:
    """The answers of a CSV file coded as arrays, and how many repeated (task, worker) answers
    a later row replaced. Labels are ordered by name, tasks and workers by first appearance."""
    ids: tuple[dict[str, int], dict[str, int], dict[str, int]] = ({}, {}, {})
    codes = (array("q"), array("q"), array("q"))
    tasks, workers, labels = ids
    add_task, add_worker, add_label = (column.append for column in codes)
    for task, worker, label in _records(path, ANSWER_COLUMNS):
        add_task(tasks.setdefault(task, len(tasks)))
        add_worker(workers.setdefault(worker, len(workers)))
        add_label(labels.setdefault(label, len(labels)))
    if not codes[0]:
        raise InvalidInput(f"{path.name} has a header but no answers", code="no_answers")
    return _coded(ids, codes)


def _coded(
    ids: tuple[dict[str, int], dict[str, int], dict[str, int]], codes: tuple[array[int], ...]
) -> tuple[Answers, int]:
    tasks, workers, labels = ids
    task_codes, worker_codes, label_codes = (np.frombuffer(c, dtype=np.int64) for c in codes)
    names = sorted(labels)
    by_name = {name: i for i, name in enumerate(names)}
    relabel = np.array([by_name[name] for name in labels], dtype=np.int64)
    keep = _last_answers(task_codes * len(workers) + worker_codes)
    coded = Answers(
        task=task_codes[keep],
        worker=worker_codes[keep],
        label=relabel[label_codes[keep]],
        tasks=tuple(tasks),
        workers=tuple(workers),
        labels=tuple(names),
    )
    return coded, len(task_codes) - len(keep)


def read_gold(path: Path) -> dict[str, str]:
    """Gold labels by task (a later row for the same task wins)."""
    truth: dict[str, str] = {}
    for task, label in _records(path, GOLD_COLUMNS):
        truth[task] = label
    return truth


def gold_summary(answers: Answers, result: Aggregate, truth: dict[str, str]) -> str:
    """Accuracy of the aggregated labels on the gold tasks that were answered."""
    chosen = {
        task: answers.labels[i]
        for task, i in zip(answers.tasks, result.labels.tolist(), strict=True)
    }
    answered = [task for task in truth if task in chosen]
    if not answered:
        return f"gold: none of the {len(truth):,} gold tasks was answered"
    right = sum(1 for task in answered if chosen[task] == truth[task])
    return (
        f"gold: accuracy {right / len(answered):.4f} ({right:,} right) on {len(answered):,} "
        f"answered gold tasks of {len(truth):,}"
    )


def write_labels(path: Path, answers: Answers, result: Aggregate) -> None:
    """Write `task,label,confidence` to a temporary file beside `path`, then rename it over
    `path`: a reader never sees half a file, and a failure leaves nothing behind."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w", newline="", encoding="utf-8") as stream:
            writer = csv.writer(stream)
            writer.writerow(("task", "label", "confidence"))
            names = answers.labels
            writer.writerows(
                (task, names[label], f"{confidence:.4f}")
                for task, label, confidence in zip(
                    answers.tasks, result.labels.tolist(), result.confidence.tolist(), strict=True
                )
            )
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _records(path: Path, columns: Sequence[str]) -> Iterator[tuple[str, ...]]:
    """The named columns of each non-blank row, after checking the header has them all; a
    short row, an empty value, malformed CSV or bytes that are not UTF-8 are an error naming
    the line."""
    with path.open(newline="", encoding="utf-8-sig") as stream:
        reader = csv.reader(stream, strict=True)
        try:
            positions = _positions(next(reader, None), columns, path.name)
            for row in reader:
                if not row:
                    continue
                try:
                    values = tuple(row[i] for i in positions)
                except IndexError:
                    problem = f"{len(row)} fields, too few for the header"
                    raise _bad_row(path.name, reader.line_num, problem) from None
                if not all(values):
                    empty = columns[[bool(value) for value in values].index(False)]
                    raise _bad_row(path.name, reader.line_num, f"empty {empty}")
                yield values
        except csv.Error as error:
            raise _bad_row(path.name, reader.line_num, str(error)) from None
        except UnicodeDecodeError:
            # the decoder reads ahead in chunks: find the line from the bytes
            raise _bad_row(path.name, _undecodable_line(path), "not UTF-8 text") from None


def _undecodable_line(path: Path) -> int:
    with path.open("rb") as stream:
        for number, line in enumerate(stream, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return 0


def _positions(header: list[str] | None, columns: Sequence[str], name: str) -> list[int]:
    if header is None:
        expected = ",".join(columns)
        raise InvalidInput(f"{name} is empty: expected a header with {expected}", code="empty_file")
    header = [cell.strip() for cell in header]
    for column in columns:
        if column not in header:
            raise InvalidInput(
                f"{name} has no {column!r} column (its header: {', '.join(header)})",
                code="missing_column",
                field=column,
            )
    return [header.index(column) for column in columns]


def _bad_row(name: str, line: int, problem: str) -> InvalidInput:
    return InvalidInput(f"{name} line {line}: {problem}", code="bad_row")


def _last_answers(pairs: NDArray[np.int64]) -> NDArray[np.int64]:
    """Positions of each (task, worker) pair's last answer, in file order."""
    reversed_first = np.unique(pairs[::-1], return_index=True)[1]
    if len(reversed_first) == len(pairs):
        return np.arange(len(pairs))
    return np.sort(len(pairs) - 1 - reversed_first)
