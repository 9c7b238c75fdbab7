import io

import pytest
from sqlalchemy import func, select

from labelops import distribution, projects
from labelops.errors import Conflict, PermissionDenied
from tests.factories import jsonl, make_project


def run_import(session, actor, project, data: bytes, fmt=None, source=""):
    return projects.import_items(
        session,
        actor=actor,
        project_id=project.id,
        stream=io.BytesIO(data),
        fmt=fmt,
        source=source,
    )


def item_count(session, project):
    return session.scalar(
        select(func.count())
        .select_from(projects.Item)
        .where(projects.Item.project_id == project.id)
    )


def rejected(result) -> list[tuple[int, str]]:
    return [(line.line, line.error) for line in result.rejected]


def test_import_stores_every_valid_line_and_queues_it(session, personas):
    project = make_project(session, personas.pat, overlap=3)
    data = jsonl([{"external_id": f"x{i}", "text": f"hello {i}"} for i in range(5)])

    result = run_import(session, personas.pat, project, data)

    entries = session.scalars(
        select(distribution.QueueEntry).where(distribution.QueueEntry.project_id == project.id)
    ).all()
    assert (result.imported, result.rejected_count) == (5, 0)
    assert len(entries) == 5
    assert {(e.target, e.open_slots, e.submitted) for e in entries} == {(3, 3, 0)}


def test_import_keeps_meta_severity_priority_and_language(session, personas):
    project = make_project(session, personas.pat, languages=("en", "ar"))
    data = jsonl(
        [
            {
                "external_id": "a",
                "text": "مرحبا",
                "language": "AR",
                "meta": {"source": "x", "n": 2},
                "severity": "s3",
                "priority": 7,
            }
        ]
    )

    run_import(session, personas.pat, project, data)

    item = session.scalars(
        select(projects.Item).where(projects.Item.project_id == project.id)
    ).one()
    assert (item.text, item.language, item.meta, item.severity, item.priority) == (
        "مرحبا",
        "ar",
        {"source": "x", "n": 2},
        "S3",
        7,
    )


def test_malformed_json_line_is_rejected_by_number(session, personas):
    project = make_project(session, personas.pat)
    data = b'{"external_id": "a", "text": "ok"}\n{"external_id": "b", "text": \n'

    result = run_import(session, personas.pat, project, data)

    assert result.imported == 1
    assert rejected(result) == [(2, "malformed_json")]


def test_line_without_text_is_rejected(session, personas):
    project = make_project(session, personas.pat)
    data = jsonl([{"external_id": "a"}, {"external_id": "b", "text": "   "}])

    result = run_import(session, personas.pat, project, data)

    assert rejected(result) == [(1, "missing_text"), (2, "missing_text")]


def test_over_long_text_is_rejected_with_the_limit(session, personas):
    project = make_project(session, personas.pat, max_text_chars=10)
    data = jsonl([{"external_id": "a", "text": "x" * 11}, {"external_id": "b", "text": "x" * 10}])

    result = run_import(session, personas.pat, project, data)

    assert result.imported == 1
    assert rejected(result) == [(1, "text_too_long")]
    assert "at most 10" in result.rejected[0].message


def test_duplicate_external_id_in_a_file_is_reported_not_stored(session, personas):
    project = make_project(session, personas.pat)
    data = jsonl([{"external_id": "a", "text": "one"}, {"external_id": "a", "text": "two"}])

    result = run_import(session, personas.pat, project, data)

    assert result.imported == 1
    assert rejected(result) == [(2, "duplicate_external_id")]
    assert "repeats line 1" in result.rejected[0].message
    assert item_count(session, project) == 1


def test_duplicate_of_an_earlier_import_is_reported_not_stored(session, personas):
    project = make_project(session, personas.pat)
    run_import(session, personas.pat, project, jsonl([{"external_id": "a", "text": "one"}]))

    result = run_import(session, personas.pat, project, jsonl([{"external_id": "a", "text": "2"}]))

    assert rejected(result) == [(1, "duplicate_external_id")]
    assert "already" in result.rejected[0].message
    assert item_count(session, project) == 1


def test_duplicate_across_chunks_of_one_file_is_reported(session, personas, monkeypatch):
    monkeypatch.setattr(projects.imports, "CHUNK_SIZE", 2)
    project = make_project(session, personas.pat)
    rows = [{"external_id": e, "text": "t"} for e in ("a", "b", "c", "a")]

    result = run_import(session, personas.pat, project, jsonl(rows))

    assert result.imported == 3
    assert rejected(result) == [(4, "duplicate_external_id")]
    assert "earlier in this file" in result.rejected[0].message


def test_line_in_a_wrong_encoding_is_rejected(session, personas):
    project = make_project(session, personas.pat)
    data = (
        b'{"external_id": "a", "text": "ok"}\n'
        + '{"external_id": "b", "text": "café"}\n'.encode("latin-1")
    )

    result = run_import(session, personas.pat, project, data)

    assert result.imported == 1
    assert rejected(result) == [(2, "invalid_encoding")]
    assert "UTF-8" in result.rejected[0].message


def test_utf16_file_imports_nothing(session, personas):
    project = make_project(session, personas.pat)
    data = '{"external_id": "a", "text": "ok"}\n'.encode("utf-16")

    with pytest.raises(projects.FileRejected) as error:
        run_import(session, personas.pat, project, data)

    assert error.value.code == "unsupported_encoding"


def test_empty_file_is_refused(session, personas):
    project = make_project(session, personas.pat)

    with pytest.raises(projects.FileRejected) as error:
        run_import(session, personas.pat, project, b"\n  \n")

    assert error.value.code == "empty_file"


def test_binary_file_is_refused(session, personas):
    project = make_project(session, personas.pat)

    with pytest.raises(projects.FileRejected) as error:
        run_import(session, personas.pat, project, b"PK\x03\x04\x00\x00binary", fmt="jsonl")

    assert error.value.code == "binary_file"


def test_json_array_is_refused_with_a_hint(session, personas):
    project = make_project(session, personas.pat)

    with pytest.raises(projects.FileRejected) as error:
        run_import(session, personas.pat, project, b'[{"external_id": "a", "text": "x"}]')

    assert error.value.code == "not_jsonl"


def test_csv_without_a_required_column_imports_nothing(session, personas):
    project = make_project(session, personas.pat)

    with pytest.raises(projects.FileRejected) as error:
        run_import(session, personas.pat, project, b"external_id,body\na,hello\n", fmt="csv")

    assert error.value.code == "missing_column"
    assert "'text'" in error.value.message


def test_csv_rows_import_with_extra_columns_in_meta(session, personas):
    project = make_project(session, personas.pat)
    data = b'external_id,text,platform\na,"hello, world",forum\nb,"two\nlines",chat\n'

    result = run_import(session, personas.pat, project, data, source="items.csv")

    items = session.scalars(
        select(projects.Item).where(projects.Item.project_id == project.id).order_by("id")
    ).all()
    assert result.imported == 2
    assert [(i.text, i.meta) for i in items] == [
        ("hello, world", {"platform": "forum"}),
        ("two\nlines", {"platform": "chat"}),
    ]


def test_csv_row_with_missing_fields_is_rejected_by_line(session, personas):
    project = make_project(session, personas.pat)
    data = b"external_id,text\na,hello\nb\nc,fine\n"

    result = run_import(session, personas.pat, project, data, fmt="csv")

    assert result.imported == 2
    assert rejected(result) == [(3, "wrong_column_count")]


def test_language_outside_the_project_is_rejected(session, personas):
    project = make_project(session, personas.pat, languages=("en", "es"))
    data = jsonl(
        [
            {"external_id": "a", "text": "x", "language": "fr"},
            {"external_id": "b", "text": "x"},
            {"external_id": "c", "text": "x", "language": "not a tag"},
        ]
    )

    result = run_import(session, personas.pat, project, data)

    assert rejected(result) == [
        (1, "language_not_in_project"),
        (2, "missing_language"),
        (3, "invalid_language"),
    ]


def test_unknown_field_is_rejected_with_the_allowed_ones(session, personas):
    project = make_project(session, personas.pat)

    result = run_import(
        session, personas.pat, project, jsonl([{"external_id": "a", "text": "x", "txt": "y"}])
    )

    assert rejected(result) == [(1, "unknown_field")]
    assert "'txt'" in result.rejected[0].message


def test_bad_severity_meta_and_priority_are_rejected(session, personas):
    project = make_project(session, personas.pat)
    data = jsonl(
        [
            {"external_id": "a", "text": "x", "severity": "S9"},
            {"external_id": "b", "text": "x", "meta": [1]},
            {"external_id": "c", "text": "x", "priority": 5000},
            {"external_id": "d", "text": "x", "priority": True},
        ]
    )

    result = run_import(session, personas.pat, project, data)

    assert rejected(result) == [
        (1, "invalid_severity"),
        (2, "invalid_meta"),
        (3, "invalid_priority"),
        (4, "invalid_priority"),
    ]


def test_a_file_level_error_midway_leaves_nothing_behind(db, monkeypatch):
    from tests.factories import make_personas

    with db.write() as session:
        people = make_personas(session)
        project = make_project(session, people.pat)
    monkeypatch.setattr(projects.imports, "CHUNK_SIZE", 2)
    data = b'external_id,text\na,one\nb,two\nc,three\nd,four\ne,"never closed\n'

    with pytest.raises(projects.FileRejected) as error, db.write() as session:
        run_import(session, people.pat, project, data, fmt="csv")

    assert error.value.code == "malformed_csv"
    with db.read() as session:
        assert item_count(session, project) == 0


def test_crash_during_import_rolls_everything_back(db, monkeypatch):
    from tests.factories import make_personas

    with db.write() as session:
        people = make_personas(session)
        project = make_project(session, people.pat)
    monkeypatch.setattr(projects.imports, "CHUNK_SIZE", 2)
    calls = {"n": 0}
    original = projects.imports._store_chunk

    def failing_store(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError("disk went away")
        return original(*args, **kwargs)

    monkeypatch.setattr(projects.imports, "_store_chunk", failing_store)
    rows = [{"external_id": f"x{i}", "text": "t"} for i in range(10)]

    with pytest.raises(OSError, match="disk went away"), db.write() as session:
        run_import(session, people.pat, project, jsonl(rows))

    with db.read() as session:
        assert item_count(session, project) == 0
        assert session.scalar(select(func.count()).select_from(distribution.QueueEntry)) == 0
        assert session.scalar(select(func.count()).select_from(projects.ImportBatch)) == 0


def test_only_a_pm_or_admin_imports(session, personas):
    project = make_project(session, personas.pat)

    with pytest.raises(PermissionDenied):
        run_import(session, personas.alice, project, jsonl([{"external_id": "a", "text": "x"}]))


def test_import_into_an_archived_project_is_refused(session, personas):
    project = make_project(session, personas.pat)
    for status in (projects.ProjectStatus.DELIVERED, projects.ProjectStatus.ARCHIVED):
        projects.update_project(
            session,
            actor=personas.pat,
            project_id=project.id,
            data=projects.ProjectUpdate(status=status),
        )

    with pytest.raises(Conflict) as error:
        run_import(session, personas.pat, project, jsonl([{"external_id": "a", "text": "x"}]))

    assert error.value.code == "project_closed"


def test_rejections_are_listed_up_to_a_thousand_and_counted_beyond(session, personas):
    project = make_project(session, personas.pat)
    data = b"".join(b'{"external_id": "a"}\n' for _ in range(1500))

    result = run_import(session, personas.pat, project, data)

    assert result.rejected_count == 1500
    assert len(result.rejected) == 1000
