"""Binary export formats: Parquet (typed columns, for analysts) and Excel (for people).

Both take the same rows as the JSONL and CSV exports. Parquet is written a row group at a time,
so memory stays bounded by one group whatever the project's size, and its bytes leave as each
group is done. An Excel file is a zip that can only be finished at the end: XlsxWriter's
constant-memory mode keeps one row in memory and the sheet in a temporary file, and the finished
file is sent when the last row is written. Excel holds at most 1,048,576 rows and 32,767
characters a cell: the export is refused beforehand when the rows would not fit (use CSV or
Parquet), and a longer text is cut, with the count of cut cells on the About sheet. Every
string is written as a string, never read as a formula or a link (item text is untrusted).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import xlsxwriter

EXCEL_MAX_ROWS = 1_048_576 - 1  # below the header
EXCEL_MAX_CHARS = 32_767
_ROW_GROUP = 50_000

_LABELS = pa.list_(pa.string())
_TIME = pa.timestamp("us", tz="UTC")
_TYPES: dict[str, pa.DataType] = {
    "item_id": pa.int64(),
    "annotation_id": pa.int64(),
    "external_id": pa.string(),
    "language": pa.string(),
    "text": pa.string(),
    "agreement": pa.float64(),
    "annotations": pa.int64(),
    "target": pa.int64(),
    "status": pa.string(),
    "meta": pa.string(),  # the item's meta object as JSON text
    "confidence": pa.float64(),
    "final_source": pa.string(),
    "labeler": pa.string(),
    "vendor": pa.string(),
    "labels": _LABELS,
    "duration_ms": pa.int64(),
    "guideline_version": pa.int64(),
    "leased_at": _TIME,
    "submitted_at": _TIME,
    "is_late": pa.bool_(),
}
_LABEL_COLUMNS = frozenset({"label", "aggregated_label", "final_label"})


def arrow_schema(columns: Sequence[str], *, multi: bool) -> pa.Schema:
    """The Parquet schema of an export: a label is a string, or a list of strings when the
    project is multi-choice."""
    label_type = _LABELS if multi else pa.string()
    return pa.schema(
        [(name, label_type if name in _LABEL_COLUMNS else _TYPES[name]) for name in columns]
    )


class _Sink(io.RawIOBase):
    """A write-only file whose bytes are taken out as they come."""

    def __init__(self) -> None:
        self.buffer = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.buffer += data
        return len(data)

    def drain(self) -> bytes:
        out = bytes(self.buffer)
        self.buffer.clear()
        return out


def parquet_chunks(
    rows: Iterator[dict[str, Any]], columns: Sequence[str], *, multi: bool
) -> Iterator[bytes]:
    schema = arrow_schema(columns, multi=multi)
    sink = _Sink()
    writer = pq.ParquetWriter(sink, schema, compression="zstd")
    try:
        batch: dict[str, list[Any]] = {name: [] for name in columns}
        size = 0
        for row in rows:
            for name in columns:
                value = row[name]
                batch[name].append(
                    orjson.dumps(value).decode() if name == "meta" and value else value
                )
            size += 1
            if size == _ROW_GROUP:
                writer.write_table(pa.Table.from_pydict(batch, schema=schema))
                batch, size = {name: [] for name in columns}, 0
                yield sink.drain()
        if size:
            writer.write_table(pa.Table.from_pydict(batch, schema=schema))
    finally:
        writer.close()
    yield sink.drain()


def xlsx_chunks(
    rows: Iterator[dict[str, Any]], columns: Sequence[str], *, title: str, sheet: str
) -> Iterator[bytes]:
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        output,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "remove_timezone": True,
        },
    )
    header = workbook.add_format({"bold": True, "bg_color": "#E8ECF2", "bottom": 1})
    when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    data = workbook.add_worksheet(sheet)
    data.freeze_panes(1, 0)
    for col, name in enumerate(columns):
        data.write_string(0, col, name, header)
        data.set_column(col, col, 60 if name == "text" else 16)
    written, cut = 0, 0
    for written, row in enumerate(rows, start=1):
        for col, name in enumerate(columns):
            cut += _write_cell(data, written, col, row[name], when)
    if written:
        data.autofilter(0, 0, written, len(columns) - 1)
    about = workbook.add_worksheet("About")
    for line, (key, value) in enumerate(
        (
            ("Export", title),
            ("Rows", str(written)),
            ("Exported at (UTC)", datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")),
            ("Cells cut to 32,767 characters", str(cut)),
            ("Lists", "labels are joined with |"),
        )
    ):
        about.write_string(line, 0, key, header)
        about.write_string(line, 1, value)
    about.set_column(0, 0, 32)
    about.set_column(1, 1, 60)
    workbook.close()
    yield output.getvalue()


def _write_cell(sheet: Any, row: int, col: int, value: Any, when: Any) -> int:
    """Write one typed cell; 1 when its text had to be cut to Excel's limit."""
    if value is None:
        return 0
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, int | float):
        sheet.write_number(row, col, value)
    elif isinstance(value, datetime):
        sheet.write_datetime(row, col, value, when)
    else:
        if isinstance(value, list):
            text = "|".join(value)
        elif isinstance(value, dict):
            text = orjson.dumps(value).decode()
        else:
            text = str(value)
        sheet.write_string(row, col, text[:EXCEL_MAX_CHARS])
        return int(len(text) > EXCEL_MAX_CHARS)
    return 0
