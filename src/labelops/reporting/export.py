"""Streaming exports of a project's items and annotations, as JSONL, CSV, Parquet or Excel.

Items and annotations are read in item order and merged as they stream, so memory stays flat
however large the project. A vendor lead's export holds only their vendor's annotations. With
`method="ds"` or `"ods"` each item also carries its Dawid–Skene (or one-coin) label and posterior
confidence: that fit needs every answer at once, so it is made before the first row is sent.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Generator, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import orjson
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from labelops import projects, quality
from labelops.annotation import Annotation
from labelops.auth import Action, Actor, Role
from labelops.db import AnySelect
from labelops.distribution import QueueEntry
from labelops.errors import InvalidInput
from labelops.reporting import formats
from labelops.workforce import User, Vendor

ExportFormat = Literal["jsonl", "csv", "parquet", "xlsx"]
FORMATS: tuple[ExportFormat, ...] = ("jsonl", "csv", "parquet", "xlsx")
MEDIA_TYPES = {
    "jsonl": "application/x-ndjson",
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_BATCH = 2_000
_FLUSH_BYTES = 256 * 1024

ITEM_COLUMNS = (
    "item_id",
    "external_id",
    "language",
    "text",
    "label",
    "agreement",
    "annotations",
    "target",
    "status",
    "meta",
)
AGGREGATED_COLUMNS = ("aggregated_label", "confidence")
# The label to use: a reviewer's decision (escalation or audit) when there is one, else the
# aggregated label (method ds/ods) or the majority label; and where it came from.
FINAL_COLUMNS = ("final_label", "final_source")
RAW_COLUMNS = (
    "annotation_id",
    "item_id",
    "external_id",
    "language",
    "text",
    "labeler",
    "vendor",
    "labels",
    "duration_ms",
    "guideline_version",
    "leased_at",
    "submitted_at",
    "is_late",
)


@dataclass(frozen=True, slots=True)
class ExportPlan:
    """What an export will contain, fixed (and authorized) before the first byte is sent."""

    project_id: int
    project_name: str
    multi: bool
    fmt: ExportFormat
    raw: bool
    vendor_id: int | None  # set: only this vendor's annotations
    method: str = "mv"  # ds, ods: add the aggregated label and its posterior confidence

    @property
    def filename(self) -> str:
        kind = "annotations" if self.raw else "items"
        return f"project-{self.project_id}-{kind}.{self.fmt}"


def plan_export(
    session: Session, *, actor: Actor, project_id: int, fmt: str, raw: bool, method: str = "mv"
) -> ExportPlan:
    """Check the actor may export this project in this form, and fix what will be sent."""
    actor.require(Action.EXPORT_RAW if raw else Action.EXPORT)
    if fmt not in FORMATS:
        raise InvalidInput(
            f"format {fmt!r} is not one of {', '.join(FORMATS)}", code="bad_format", field="format"
        )
    quality.check_method(method)
    if raw and method != "mv":
        raise InvalidInput(
            "an aggregation method applies to the items export, not to raw annotations",
            code="bad_method",
            field="method",
        )
    project = projects.get_project(session, actor=actor, project_id=project_id)
    plan = ExportPlan(
        project_id=project.id,
        project_name=project.name,
        multi=projects.label_schema(project).kind == "multi",
        fmt=fmt,
        raw=raw,
        vendor_id=actor.vendor_id if actor.role is Role.VENDOR_LEAD else None,
        method=method,
    )
    if fmt == "xlsx":
        rows = _row_count(session, plan)
        if rows > formats.EXCEL_MAX_ROWS:
            raise InvalidInput(
                f"{rows:,} rows do not fit in an Excel sheet (at most "
                f"{formats.EXCEL_MAX_ROWS:,}): export as csv or parquet",
                code="too_many_rows",
                field="format",
            )
    return plan


def _row_count(session: Session, plan: ExportPlan) -> int:
    if plan.raw:
        query = select(func.count()).where(Annotation.project_id == plan.project_id)
        if plan.vendor_id is not None:
            query = query.where(Annotation.vendor_id == plan.vendor_id)
    else:
        query = select(func.count()).where(projects.Item.project_id == plan.project_id)
    return session.execute(query).scalar_one()


def stream_export(session: Session, plan: ExportPlan) -> Iterator[bytes]:
    """The export's bytes, in chunks of about 256 KiB."""
    rows = _raw_rows(session, plan) if plan.raw else _item_rows(session, plan)
    columns: tuple[str, ...] = RAW_COLUMNS if plan.raw else ITEM_COLUMNS
    if not plan.raw and plan.method != "mv":
        columns += AGGREGATED_COLUMNS
    if not plan.raw:
        columns += FINAL_COLUMNS
    if plan.fmt == "parquet":
        yield from formats.parquet_chunks(rows, columns, multi=plan.multi)
    elif plan.fmt == "xlsx":
        kind = "annotations" if plan.raw else "items"
        title = f"{plan.project_name} (project {plan.project_id}): {kind}"
        yield from formats.xlsx_chunks(rows, columns, title=title, sheet=kind)
    else:
        encode = _jsonl_chunks if plan.fmt == "jsonl" else _csv_chunks
        yield from encode(rows, columns)


def _annotations_query(plan: ExportPlan) -> AnySelect:
    query = (
        select(
            Annotation.id,
            Annotation.item_id,
            Annotation.labels,
            Annotation.duration_ms,
            Annotation.guideline_version,
            Annotation.leased_at,
            Annotation.submitted_at,
            Annotation.is_late,
            User.username,
            Vendor.name.label("vendor"),
        )
        .join(User, User.id == Annotation.labeler_id)
        .outerjoin(Vendor, Vendor.id == Annotation.vendor_id)
        .where(Annotation.project_id == plan.project_id)
        .order_by(Annotation.item_id, Annotation.id)
    )
    if plan.vendor_id is not None:
        query = query.where(Annotation.vendor_id == plan.vendor_id)
    return query


def _labels_query(plan: ExportPlan) -> AnySelect:
    """Only what a vote needs: the item and its labels, in item order."""
    query = (
        select(Annotation.item_id, Annotation.labels)
        .where(Annotation.project_id == plan.project_id)
        .order_by(Annotation.item_id, Annotation.id)
    )
    if plan.vendor_id is not None:
        query = query.where(Annotation.vendor_id == plan.vendor_id)
    return query


def _items_query(plan: ExportPlan) -> AnySelect:
    item = projects.Item
    return (
        select(
            item.id,
            item.external_id,
            item.language,
            item.text,
            item.meta,
            QueueEntry.target,
            QueueEntry.submitted,
        )
        .join(QueueEntry, QueueEntry.item_id == item.id)
        .where(item.project_id == plan.project_id)
        .order_by(item.id)
    )


def _stream(session: Session, query: AnySelect) -> Generator[Any, None, None]:
    """Rows through a server-side cursor, closed even when the reader stops early."""
    connection = session.connection().execution_options(stream_results=True, yield_per=_BATCH)
    result = connection.execute(query)
    try:
        yield from result
    finally:
        result.close()


def _item_rows(session: Session, plan: ExportPlan) -> Iterator[dict[str, Any]]:
    by_item: dict[int, tuple[str, float]] | None = None
    if plan.method != "mv":
        fit = quality.fit_project(
            session, project_id=plan.project_id, vendor_id=plan.vendor_id, method=plan.method
        )
        by_item = fit.by_item() if fit is not None else {}
    reviewed = quality.reviewed_labels(session, plan.project_id)
    with closing(_stream(session, _labels_query(plan))) as labels:
        rows = _merge_items(session, plan, labels)
        if by_item is not None:
            rows = _with_aggregate(plan, rows, by_item)
        yield from _with_final(plan, rows, reviewed)


def _with_final(
    plan: ExportPlan, rows: Iterator[dict[str, Any]], reviewed: dict[int, quality.ReviewedLabel]
) -> Iterator[dict[str, Any]]:
    for row in rows:
        decision = reviewed.get(row["item_id"])
        if decision is not None:
            labels, source = decision
            row["final_label"] = labels if plan.multi else labels[0]
            row["final_source"] = source
        elif plan.method != "mv":
            row["final_label"] = row["aggregated_label"]
            row["final_source"] = None if row["aggregated_label"] is None else plan.method
        else:
            row["final_label"] = row["label"]
            row["final_source"] = None if row["label"] is None else "majority"
        yield row


def _with_aggregate(
    plan: ExportPlan, rows: Iterator[dict[str, Any]], by_item: dict[int, tuple[str, float]]
) -> Iterator[dict[str, Any]]:
    for row in rows:
        label, confidence = by_item.get(row["item_id"], (None, None))
        row["aggregated_label"] = label.split("|") if plan.multi and label is not None else label
        row["confidence"] = None if confidence is None else round(confidence, 4)
        yield row


def _merge_items(
    session: Session, plan: ExportPlan, labels: Iterator[Any]
) -> Iterator[dict[str, Any]]:
    pending = next(labels, None)
    for item_id, external_id, language, text, meta, target, submitted in _stream(
        session, _items_query(plan)
    ):
        answers: list[list[str]] = []
        while pending is not None and pending[0] < item_id:
            pending = next(labels, None)
        while pending is not None and pending[0] == item_id:
            answers.append(pending[1])
            pending = next(labels, None)
        vote = quality.majority_vote(answers, multi=plan.multi)
        label: Any = None
        if vote.labels is not None:
            label = list(vote.labels) if plan.multi else vote.labels[0]
        yield {
            "item_id": item_id,
            "external_id": external_id,
            "language": language,
            "text": text,
            "label": label,
            "agreement": None if vote.agreement is None else round(vote.agreement, 4),
            "annotations": vote.annotations,
            "target": target,
            "status": _status(submitted, target),
            "meta": meta,
        }


def _status(submitted: int, target: int) -> str:
    if submitted >= target:
        return "done"
    return "partial" if submitted else "unlabeled"


def _raw_rows(session: Session, plan: ExportPlan) -> Iterator[dict[str, Any]]:
    item = projects.Item
    query = (
        select(item.id, item.external_id, item.language, item.text)
        .where(item.project_id == plan.project_id)
        .order_by(item.id)
    )
    with closing(_stream(session, query)) as items:
        yield from _merge_annotations(session, plan, items)


def _merge_annotations(
    session: Session, plan: ExportPlan, items: Iterator[Any]
) -> Iterator[dict[str, Any]]:
    current = next(items, None)
    for row in _stream(session, _annotations_query(plan)):
        while current is not None and current.id < row.item_id:
            current = next(items, None)
        assert current is not None
        assert current.id == row.item_id
        yield {
            "annotation_id": row.id,
            "item_id": row.item_id,
            "external_id": current.external_id,
            "language": current.language,
            "text": current.text,
            "labeler": row.username,
            "vendor": row.vendor,
            "labels": row.labels,
            "duration_ms": row.duration_ms,
            "guideline_version": row.guideline_version,
            "leased_at": row.leased_at,
            "submitted_at": row.submitted_at,
            "is_late": row.is_late,
        }


def _jsonl_chunks(rows: Iterator[dict[str, Any]], columns: tuple[str, ...]) -> Iterator[bytes]:
    del columns
    buffer = bytearray()
    for row in rows:
        buffer += orjson.dumps(row)
        buffer += b"\n"
        if len(buffer) >= _FLUSH_BYTES:
            yield bytes(buffer)
            buffer.clear()
    if buffer:
        yield bytes(buffer)


_PLAIN = (str, int, float, bool, type(None))


def _csv_cell(value: Any) -> Any:
    if type(value) in _PLAIN:
        return value
    if isinstance(value, list):
        return "|".join(value)
    if isinstance(value, dict):
        return orjson.dumps(value).decode()
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _csv_chunks(rows: Iterator[dict[str, Any]], columns: tuple[str, ...]) -> Iterator[bytes]:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row[name]) for name in columns])
        if text.tell() >= _FLUSH_BYTES:
            yield text.getvalue().encode()
            text.seek(0)
            text.truncate()
    yield text.getvalue().encode()
