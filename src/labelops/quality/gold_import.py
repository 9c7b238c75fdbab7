"""Importing gold answers: JSONL (`{"external_id", "labels", "explanation"}` a line) or CSV
(`external_id,labels,explanation`, several labels separated by `|`). Each bad line is reported by
number; the good ones are all set in one go."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import orjson
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from labelops import projects
from labelops.auth import Actor
from labelops.errors import InvalidInput
from labelops.quality.gold import GoldEntry, set_gold_answers


@dataclass(frozen=True, slots=True)
class GoldImportResult:
    marked: int
    rejected: list[projects.RejectedLine]


def import_gold(
    session: Session, *, actor: Actor, project_id: int, data: bytes, fmt: str | None = None
) -> GoldImportResult:
    """Mark the items a file names as gold with their answers; bad lines are listed."""
    project = projects.require_manageable(session, actor=actor, project_id=project_id)
    schema = projects.label_schema(project)
    lines = list(_parse(data, fmt))
    named = {entry.external_id for _, entry in lines if isinstance(entry, GoldEntry)}
    known = set(
        session.scalars(
            select(projects.Item.external_id).where(
                projects.Item.project_id == project.id, projects.Item.external_id.in_(named)
            )
        )
    )
    good: list[GoldEntry] = []
    rejected: list[projects.RejectedLine] = []
    for number, entry in lines:
        if isinstance(entry, projects.RejectedLine):
            rejected.append(entry)
        elif entry.external_id not in known:
            rejected.append(_reject(number, "unknown_item", f"no item {entry.external_id!r}"))
        else:
            try:
                schema.check_selection(entry.labels)
            except InvalidInput as error:
                rejected.append(_reject(number, error.code, error.message))
                continue
            good.append(entry)
    marked = (
        set_gold_answers(session, actor=actor, project_id=project.id, entries=good) if good else 0
    )
    return GoldImportResult(marked=marked, rejected=rejected)


def _reject(line: int, code: str, message: str) -> projects.RejectedLine:
    return projects.RejectedLine(line=line, error=code, message=message)


def _parse(data: bytes, fmt: str | None) -> list[tuple[int, GoldEntry | projects.RejectedLine]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("the file is not UTF-8", code="unsupported_encoding") from None
    if not text.strip():
        raise InvalidInput("the file is empty", code="empty_file")
    if fmt is None:
        fmt = "jsonl" if text.lstrip().startswith("{") else "csv"
    return _jsonl(text) if fmt == "jsonl" else _csv(text)


def _entry(number: int, value: object) -> GoldEntry | projects.RejectedLine:
    try:
        return GoldEntry.model_validate(value)
    except ValidationError as error:
        problem = error.errors()[0]
        where = ".".join(str(part) for part in problem["loc"])
        return _reject(number, "invalid_gold", f"{where}: {problem['msg']}")


def _jsonl(text: str) -> list[tuple[int, GoldEntry | projects.RejectedLine]]:
    entries: list[tuple[int, GoldEntry | projects.RejectedLine]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as error:
            entries.append((number, _reject(number, "malformed_json", f"not valid JSON: {error}")))
            continue
        entries.append((number, _entry(number, value)))
    return entries


def _csv(text: str) -> list[tuple[int, GoldEntry | projects.RejectedLine]]:
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    missing = [c for c in ("external_id", "labels") if c not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInput(f"the CSV header has no {missing[0]!r} column", code="missing_column")
    entries: list[tuple[int, GoldEntry | projects.RejectedLine]] = []
    try:
        for row in reader:
            number = reader.line_num
            value = {
                "external_id": row.get("external_id") or "",
                "labels": [x for x in (row.get("labels") or "").split("|") if x],
                "explanation": row.get("explanation") or "",
            }
            entries.append((number, _entry(number, value)))
    except csv.Error as error:
        raise InvalidInput(
            f"line {reader.line_num}: the CSV cannot be read ({error})", code="malformed_csv"
        ) from None
    return entries
