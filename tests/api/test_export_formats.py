"""Parquet and Excel exports over real HTTP, read back with pyarrow and openpyxl."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq

from labelops.reporting import formats
from tests.factories import SIMPLE_LABELS, jsonl


def project_with_answers(server, *, kind="single"):
    pat = server.client("pat")
    project = pat.post(
        "/api/v1/projects",
        json={
            "name": "Formats",
            "languages": ["en"],
            "label_schema": {**SIMPLE_LABELS, "kind": kind},
            "overlap": 2,
            "vendors": ["Acme", "Babel"],
        },
    ).json()
    rows: list[dict[str, Any]] = [
        {"external_id": "e0", "text": '=HYPERLINK("http://x")', "meta": {"source": "forum"}},
        {"external_id": "e1", "text": "plain words"},
        {"external_id": "e2", "text": "not labeled yet"},
    ]
    pat.post(f"/api/v1/projects/{project['id']}/items", content=jsonl(rows))
    answers = {"alice": ["ok"], "bruno": ["abuse.insult"]}
    for name, labels in answers.items():
        client = server.client(name)
        for _ in range(2):
            lease = client.get(f"/api/v1/projects/{project['id']}/next").json()
            if lease["item"]["external_id"] == "e2":
                continue
            client.post(
                f"/api/v1/assignments/{lease['assignment_id']}/submit",
                json={"labels": labels, "duration_ms": 1200},
            )
    return project["id"]


def export(server, project_id, **params):
    response = server.client("pat").get(f"/api/v1/projects/{project_id}/export", params=params)
    assert response.status_code == 200, response.text
    return response


def test_parquet_items_have_typed_columns(server, people):
    project_id = project_with_answers(server)

    response = export(server, project_id, format="parquet")

    table = pq.read_table(io.BytesIO(response.content))
    assert response.headers["content-type"] == "application/vnd.apache.parquet"
    assert table.schema.field("item_id").type == pa.int64()
    assert table.schema.field("agreement").type == pa.float64()
    assert table.schema.field("label").type == pa.string()
    rows = {row["external_id"]: row for row in table.to_pylist()}
    assert set(rows) == {"e0", "e1", "e2"}
    labeled = [rows[key] for key in ("e0", "e1") if rows[key]["annotations"] == 2]
    assert all(row["agreement"] == 0.5 for row in labeled)
    assert rows["e2"]["label"] is None
    assert rows["e2"]["status"] == "unlabeled"
    assert rows["e0"]["meta"] == '{"source":"forum"}'


def test_parquet_of_a_multi_choice_project_has_label_lists(server, people):
    project_id = project_with_answers(server, kind="multi")

    table = pq.read_table(io.BytesIO(export(server, project_id, format="parquet").content))

    assert table.schema.field("label").type == pa.list_(pa.string())
    assert table.schema.field("final_label").type == pa.list_(pa.string())


def test_parquet_raw_annotations_keep_times_in_utc(server, people):
    project_id = project_with_answers(server)

    response = export(server, project_id, format="parquet", raw="true")

    table = pq.read_table(io.BytesIO(response.content))
    assert table.schema.field("submitted_at").type == pa.timestamp("us", tz="UTC")
    assert table.schema.field("labels").type == pa.list_(pa.string())
    rows = table.to_pylist()
    assert sorted((row["labeler"], row["labels"][0]) for row in rows) == [
        ("alice", "ok"),
        ("alice", "ok"),
        ("bruno", "abuse.insult"),
        ("bruno", "abuse.insult"),
    ]
    assert all(row["submitted_at"].tzinfo is not None for row in rows)
    assert all(row["duration_ms"] == 1200 for row in rows)


def test_xlsx_items_open_in_a_spreadsheet_with_text_kept_as_text(server, people):
    project_id = project_with_answers(server)

    response = export(server, project_id, format="xlsx")

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["items", "About"]
    sheet = workbook["items"]
    header = [cell.value for cell in sheet[1]]
    assert header[:5] == ["item_id", "external_id", "language", "text", "label"]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(2)]
    by_id = {row["external_id"]: row for row in rows}
    formula = sheet.cell(row=rows.index(by_id["e0"]) + 2, column=4)
    assert formula.data_type == "s"
    assert formula.value == '=HYPERLINK("http://x")'
    assert by_id["e2"]["label"] is None
    assert by_id["e1"]["annotations"] == 2
    about = {row[0].value: row[1].value for row in workbook["About"].iter_rows()}
    assert about["Rows"] == "3"
    assert sheet.freeze_panes == "A2"


def test_xlsx_raw_annotations_have_real_dates(server, people):
    project_id = project_with_answers(server)

    response = export(server, project_id, format="xlsx", raw="true")

    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["annotations"]
    header = [cell.value for cell in sheet[1]]
    submitted = [row[header.index("submitted_at")].value for row in sheet.iter_rows(2)]
    assert len(submitted) == 4
    assert all(isinstance(value, datetime) for value in submitted)
    assert all(
        abs((datetime.now(UTC).replace(tzinfo=None) - v).total_seconds()) < 600 for v in submitted
    )


def test_an_export_too_big_for_excel_is_refused_before_any_byte(server, people, monkeypatch):
    project_id = project_with_answers(server)
    monkeypatch.setattr(formats, "EXCEL_MAX_ROWS", 2)

    response = server.client("pat").get(
        f"/api/v1/projects/{project_id}/export", params={"format": "xlsx"}
    )

    assert response.status_code == 422
    assert response.json()["error"] == "too_many_rows"
    assert "csv or parquet" in response.json()["message"]


def test_text_beyond_excels_cell_limit_is_cut_and_counted():
    long = "x" * (formats.EXCEL_MAX_CHARS + 10)
    rows = iter([{"text": long, "labels": ["a", "b"]}, {"text": "short", "labels": []}])

    content = b"".join(formats.xlsx_chunks(rows, ["text", "labels"], title="t", sheet="s"))

    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert len(workbook["s"]["A2"].value) == formats.EXCEL_MAX_CHARS
    assert workbook["s"]["B2"].value == "a|b"
    about = {row[0].value: row[1].value for row in workbook["About"].iter_rows()}
    assert about["Cells cut to 32,767 characters"] == "1"
