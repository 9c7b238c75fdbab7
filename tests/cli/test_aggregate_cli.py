"""`labelops aggregate` end to end, on CSV files in a temporary directory."""

from __future__ import annotations

import csv

import pytest
from typer.testing import CliRunner

from labelops.cli import app

ANSWERS = """task,worker,label,seconds
post-1,alice,spam,3
post-1,bo,spam,4
post-1,cy,ok,2
post-2,alice,ok,5
post-2,bo,ok,1
post-2,cy,ok,3
post-3,alice,hate,2
post-3,bo,hate,2
post-3,cy,spam,6
"""


def run(*args: str):
    return CliRunner().invoke(app, ["aggregate", *args], catch_exceptions=False)


def rows(path) -> list[dict[str, str]]:
    with path.open(newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.fixture
def answers(tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text(ANSWERS)
    return path


@pytest.mark.parametrize("method", ["mv", "ds", "ods"])
def test_aggregate_writes_one_label_per_task(tmp_path, answers, method):
    out = tmp_path / "labels.csv"

    result = run("--answers", str(answers), "--method", method, "--out", str(out))

    assert result.exit_code == 0, result.output
    written = rows(out)
    assert [(row["task"], row["label"]) for row in written] == [
        ("post-1", "spam"),
        ("post-2", "ok"),
        ("post-3", "hate"),
    ]
    assert all(len(row["confidence"].split(".")[1]) == 4 for row in written)


def test_aggregate_prints_a_summary_to_stderr(tmp_path, answers):
    result = run("--answers", str(answers), "--method", "ds", "--out", str(tmp_path / "l.csv"))

    assert "9 answers, 3 tasks, 3 workers, 3 labels" in result.stderr
    assert "converged" in result.stderr


def test_majority_vote_confidence_is_the_share_of_votes(tmp_path, answers):
    out = tmp_path / "labels.csv"

    run("--answers", str(answers), "--method", "mv", "--out", str(out))

    assert [row["confidence"] for row in rows(out)] == ["0.6667", "1.0000", "0.6667"]


def test_gold_prints_the_accuracy_on_answered_gold_tasks(tmp_path, answers):
    gold = tmp_path / "truth.csv"
    gold.write_text("task,label\npost-1,spam\npost-2,spam\npost-9,ok\n")

    result = run(
        "--answers", str(answers), "--method", "mv", "--out", str(tmp_path / "l.csv"),
        "--gold", str(gold),
    )  # fmt: skip

    assert result.exit_code == 0
    assert "gold: accuracy 0.5000 (1 right) on 2 answered gold tasks of 3" in result.stdout


def test_a_missing_column_is_an_error_naming_it(tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text("task,annotator,label\npost-1,alice,spam\n")

    result = run("--answers", str(path), "--method", "ds", "--out", str(tmp_path / "l.csv"))

    assert result.exit_code == 1
    assert "'worker'" in result.stderr


def test_an_error_writes_nothing(tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text("task,annotator,label\npost-1,alice,spam\n")

    run("--answers", str(path), "--method", "ds", "--out", str(tmp_path / "l.csv"))

    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.csv"]


def test_an_error_leaves_an_existing_output_untouched(tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text("task,worker,label\npost-1,alice\n")
    out = tmp_path / "labels.csv"
    out.write_text("previous run\n")

    result = run("--answers", str(path), "--method", "mv", "--out", str(out))

    assert result.exit_code == 1
    assert out.read_text() == "previous run\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("task,worker,label\npost-1,alice,spam\npost-2,bo\n", "line 3"),
        ("task,worker,label\npost-1,alice,spam\npost-2,,ok\n", "line 3: empty worker"),
        ('task,worker,label\npost-1,alice,"spam\n', "line 2"),
        ("", "empty"),
        ("task,worker,label\n", "no answers"),
    ],
)
def test_a_bad_file_is_an_error_naming_the_problem(tmp_path, content, message):
    path = tmp_path / "answers.csv"
    path.write_text(content)

    result = run("--answers", str(path), "--method", "ds", "--out", str(tmp_path / "l.csv"))

    assert result.exit_code == 1
    assert message in result.stderr


def test_a_later_answer_by_the_same_worker_replaces_the_earlier(tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text("task,worker,label\npost-1,alice,spam\npost-1,alice,ok\npost-1,bo,ok\n")
    out = tmp_path / "labels.csv"

    result = run("--answers", str(path), "--method", "mv", "--out", str(out))

    assert "1 repeated answers replaced" in result.stderr
    assert rows(out) == [{"task": "post-1", "label": "ok", "confidence": "1.0000"}]
