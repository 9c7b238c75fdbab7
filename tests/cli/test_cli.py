import openpyxl
import orjson
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from labelops.cli import app
from labelops.db import Database
from labelops.demo.seed import PEOPLE
from tests.factories import make_personas, make_project


@pytest.fixture
def env(databases, tmp_path):
    url = databases.new_url()
    return {"LABELOPS_DATABASE_URL": url, "LABELOPS_DATA_DIR": str(tmp_path)}


@pytest.fixture
def project_id(env):
    db = Database(env["LABELOPS_DATABASE_URL"])
    with db.write() as session:
        people = make_personas(session)
        project = make_project(session, people.pat, overlap=1)
    db.dispose()
    return project.id


def run(env, *args):
    return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)


def test_users_create_then_list(env):
    created = run(
        env,
        "users",
        "create",
        "nadia",
        "--role",
        "labeler",
        "--password",
        "long enough pw",
        "--vendor",
        "Acme",
        "--language",
        "ar",
        "--language",
        "en",
    )
    listed = run(env, "users", "list")

    assert created.exit_code == 0
    assert "created labeler nadia" in created.output
    assert "nadia" in listed.output
    assert "ar, en" in listed.output


def test_users_create_reports_a_bad_field_clearly(env):
    result = run(env, "users", "create", "x", "--role", "labeler", "--password", "long enough pw")

    assert result.exit_code == 1
    assert "username" in result.output


def test_import_reports_counts_and_bad_lines(env, project_id, tmp_path):
    path = tmp_path / "items.jsonl"
    path.write_bytes(
        b'{"external_id": "a", "text": "one"}\n{"external_id": "b", "text": "two"}\n'
        b'{"external_id": "c"}\n'
    )

    result = run(env, "import", str(project_id), str(path))

    assert result.exit_code == 0
    assert "imported 2 items, rejected 1" in result.output
    assert "line 3: missing_text" in result.output


def test_import_of_an_unreadable_file_fails_and_stores_nothing(env, project_id, tmp_path):
    path = tmp_path / "items.csv"
    path.write_text("id,body\n1,hello\n")

    result = run(env, "import", str(project_id), str(path))
    export = run(env, "export", str(project_id))

    assert result.exit_code == 1
    assert "missing_column" in result.output
    assert export.output == ""


def test_import_as_a_labeler_is_refused(env, project_id, tmp_path):
    path = tmp_path / "items.jsonl"
    path.write_text('{"external_id": "a", "text": "one"}\n')

    result = run(env, "import", str(project_id), str(path), "--as", "alice")

    assert result.exit_code == 1
    assert "forbidden" in result.output


def test_export_writes_one_line_per_item(env, project_id, tmp_path):
    source = tmp_path / "items.jsonl"
    source.write_text('{"external_id": "a", "text": "one"}\n{"external_id": "b", "text": "two"}\n')
    run(env, "import", str(project_id), str(source))
    out = tmp_path / "out.jsonl"

    result = run(env, "export", str(project_id), "--out", str(out))

    rows = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert result.exit_code == 0
    assert [(r["external_id"], r["status"]) for r in rows] == [
        ("a", "unlabeled"),
        ("b", "unlabeled"),
    ]


def test_export_as_parquet_and_an_excel_report(env, project_id, tmp_path):
    source = tmp_path / "items.jsonl"
    source.write_text('{"external_id": "a", "text": "one"}\n')
    run(env, "import", str(project_id), str(source))
    parquet, workbook = tmp_path / "items.parquet", tmp_path / "report.xlsx"

    exported = run(env, "export", str(project_id), "--format", "parquet", "--out", str(parquet))
    reported = run(env, "report", str(project_id), "--out", str(workbook))

    assert (exported.exit_code, reported.exit_code) == (0, 0)
    assert pq.read_table(parquet).column("external_id").to_pylist() == ["a"]
    assert openpyxl.load_workbook(workbook).sheetnames[0] == "Summary"
    assert not list(tmp_path.glob(".*.partial"))


def test_a_refused_export_leaves_no_file(env, project_id, tmp_path):
    out = tmp_path / "out.csv"

    result = run(env, "export", str(project_id), "--format", "pdf", "--out", str(out))

    assert result.exit_code != 0
    assert "format" in result.output
    assert not out.exists()


def test_db_current_says_the_schema_is_the_latest(env):
    result = run(env, "db", "current")

    assert result.exit_code == 0
    assert "(latest)" in result.output


def test_demo_builds_a_populated_instance(tmp_path):
    result = run({"LABELOPS_DATA_DIR": str(tmp_path)}, "demo", "--no-serve", "--items", "40")

    assert result.exit_code == 0
    assert "password for all: labelops-demo" in result.output
    assert all(person.username in result.output for person in PEOPLE)
    db = Database(f"sqlite:///{tmp_path / 'demo.sqlite3'}")
    with db.read() as session:
        from sqlalchemy import func, select

        from labelops import annotation, projects

        items = session.scalar(select(func.count()).select_from(projects.Item))
        annotations = session.scalar(select(func.count()).select_from(annotation.Annotation))
        languages = set(session.scalars(select(projects.Item.language)))
    db.dispose()
    assert items == 40 + 60
    assert annotations is not None
    assert annotations > 40
    assert languages == {"en", "es", "ar", "hi", "id"}
