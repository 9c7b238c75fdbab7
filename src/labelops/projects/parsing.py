"""Reading items from JSONL or CSV, line by line, with an error that names each bad line.

A bad line is reported and skipped; a file that cannot be read as a whole (empty, binary,
UTF-16, a CSV header without a required column, a JSON array instead of JSON lines) raises
`FileRejected`, and the import that reads it stores nothing.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any, Literal

import orjson

from labelops.errors import InvalidInput
from labelops.languages import normalize_language

Format = Literal["jsonl", "csv"]
FIELDS = ("external_id", "text", "language", "meta", "severity", "priority")
MAX_EXTERNAL_ID = 256
MAX_META_BYTES = 16_384
_SEVERITY = re.compile(r"^[sS]?([0-4])$")
_SURROGATE = re.compile("[\udc80-\udcff]")

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class FileRejected(InvalidInput):
    """The file as a whole cannot be imported; nothing of it is stored."""


@dataclass(frozen=True, slots=True)
class ImportRules:
    languages: frozenset[str]
    max_text_chars: int

    @property
    def default_language(self) -> str | None:
        return next(iter(self.languages)) if len(self.languages) == 1 else None


@dataclass(slots=True)
class ParsedItem:
    line: int
    external_id: str
    text: str
    language: str
    meta: dict[str, Any] | None
    severity: str | None
    priority: int


@dataclass(frozen=True, slots=True)
class LineError:
    line: int
    error: str
    message: str


class _Bad(Exception):
    def __init__(self, error: str, message: str) -> None:
        self.error = error
        self.message = message


def detect_format(head: bytes, *, filename: str | None = None) -> Format:
    """The format of an upload, from its name, else from its first bytes."""
    name = (filename or "").lower()
    if name.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if name.endswith(".csv"):
        return "csv"
    return "jsonl" if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")) else "csv"


def parse_items(
    stream: IO[bytes], fmt: Format, rules: ImportRules
) -> Iterator[ParsedItem | LineError]:
    """Every line of the file as a ParsedItem or a LineError, in order."""
    head = _check_head(stream)
    found = False
    lines = _jsonl(stream, head, rules) if fmt == "jsonl" else _csv(stream, head, rules)
    for result in lines:
        found = True
        yield result
    if not found:
        raise FileRejected("the file holds no items", code="empty_file")


def _check_head(stream: IO[bytes]) -> bytes:
    head = _peek(stream, 4096)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileRejected(
            "the file is UTF-16; save it as UTF-8 and import it again",
            code="unsupported_encoding",
        )
    if b"\x00" in head:
        raise FileRejected("this is not a text file (it contains NUL bytes)", code="binary_file")
    if not head.strip(b"\xef\xbb\xbf \t\r\n"):
        raise FileRejected("the file is empty", code="empty_file")
    return head


def _peek(stream: IO[bytes], size: int) -> bytes:
    if isinstance(stream, io.BufferedReader):
        return stream.peek(size)[:size]
    position = stream.tell()
    head = stream.read(size)
    stream.seek(position)
    return head


# --- JSON lines -------------------------------------------------------------------------------


def _jsonl(stream: IO[bytes], head: bytes, rules: ImportRules) -> Iterator[ParsedItem | LineError]:
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"["):
        raise FileRejected(
            "the file is a JSON array; JSONL wants one JSON object per line", code="not_jsonl"
        )
    for number, raw in enumerate(stream, start=1):
        if number == 1 and raw.startswith(codecs.BOM_UTF8):
            raw = raw[len(codecs.BOM_UTF8) :]
        if not raw.strip():
            continue
        try:
            yield _item(number, _load_json_line(raw), rules, strict_fields=True)
        except _Bad as bad:
            yield LineError(number, bad.error, bad.message)


def _load_json_line(raw: bytes) -> dict[str, Any]:
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as bad:
            raise _Bad("invalid_encoding", _encoding_message(raw, bad)) from None
        raise _Bad("malformed_json", f"not valid JSON: {error}") from None
    if not isinstance(value, dict):
        raise _Bad("not_an_object", f"expected a JSON object, found {_json_kind(value)}")
    return value


def _encoding_message(raw: bytes, error: UnicodeDecodeError) -> str:
    return (
        f"not valid UTF-8 (byte 0x{raw[error.start]:02x} at position {error.start + 1}); "
        "save the file as UTF-8"
    )


def _json_kind(value: Any) -> str:
    names = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")


# --- CSV --------------------------------------------------------------------------------------


def _csv(stream: IO[bytes], head: bytes, rules: ImportRules) -> Iterator[ParsedItem | LineError]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    # strict: a stray quote is an error, not a field that silently swallows the rest of the file
    reader = csv.reader(text, dialect=_sniff_dialect(head), strict=True)
    try:
        yield from _csv_records(reader, rules)
    except csv.Error as error:
        raise FileRejected(
            f"line {reader.line_num}: the CSV cannot be read ({error})", code="malformed_csv"
        ) from None
    finally:
        text.detach()


def _sniff_dialect(head: bytes) -> type[csv.Dialect]:
    first_line = head.split(b"\n", 1)[0]
    return csv.excel_tab if first_line.count(b"\t") > first_line.count(b",") else csv.excel


def _csv_header(reader: Any, rules: ImportRules) -> list[str]:
    header = [name.strip().lower() for name in next(reader, [])]
    required = ["external_id", "text"] + ([] if rules.default_language else ["language"])
    missing = [name for name in required if name not in header]
    if missing:
        raise FileRejected(
            f"the CSV header has no {missing[0]!r} column (found: {', '.join(header)})",
            code="missing_column",
        )
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise FileRejected(f"the CSV header names {duplicated[0]!r} twice", code="duplicate_column")
    return header


def _csv_records(reader: Any, rules: ImportRules) -> Iterator[ParsedItem | LineError]:
    header = _csv_header(reader, rules)
    line = reader.line_num + 1
    for record in reader:
        start, line = line, reader.line_num + 1
        if not record or record == [""]:
            continue
        try:
            yield _item(start, _csv_object(header, record), rules, strict_fields=False)
        except _Bad as bad:
            yield LineError(start, bad.error, bad.message)


def _csv_object(header: list[str], record: list[str]) -> dict[str, Any]:
    if len(record) != len(header):
        raise _Bad("wrong_column_count", f"expected {len(header)} fields, found {len(record)}")
    obj: dict[str, Any] = {}
    extra: dict[str, str] = {}
    for name, value in zip(header, record, strict=True):
        if _SURROGATE.search(value):
            raise _Bad(
                "invalid_encoding", f"column {name!r} is not valid UTF-8; save the file as UTF-8"
            )
        if name in FIELDS:
            obj[name] = value if value != "" or name in ("external_id", "text") else None
        elif value != "":
            extra[name] = value
    if obj.get("meta") is not None:
        obj["meta"] = _csv_meta(obj["meta"])
    if extra:  # columns beyond ours travel in meta
        meta = obj.get("meta")
        if meta is None or isinstance(meta, dict):
            obj["meta"] = {**extra, **(meta or {})}
    return obj


def _csv_meta(cell: str) -> Any:
    try:
        return orjson.loads(cell)
    except orjson.JSONDecodeError:
        raise _Bad("invalid_meta", "column 'meta' must hold a JSON object") from None


# --- one item ---------------------------------------------------------------------------------


def _item(line: int, obj: dict[str, Any], rules: ImportRules, *, strict_fields: bool) -> ParsedItem:
    if strict_fields:
        unknown = [key for key in obj if key not in FIELDS]
        if unknown:
            raise _Bad(
                "unknown_field",
                f"unknown field {unknown[0]!r} (fields: {', '.join(FIELDS)}; "
                "put anything else under 'meta')",
            )
    return ParsedItem(
        line=line,
        external_id=_external_id(obj.get("external_id")),
        text=_text(obj.get("text"), rules.max_text_chars),
        language=_language(obj.get("language"), rules),
        meta=_meta(obj.get("meta")),
        severity=_severity(obj.get("severity")),
        priority=_priority(obj.get("priority")),
    )


def _external_id(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise _Bad("missing_external_id", "external_id is missing")
    if not isinstance(value, str):
        raise _Bad("invalid_external_id", "external_id must be a string or an integer")
    if len(value) > MAX_EXTERNAL_ID:
        raise _Bad(
            "external_id_too_long", f"external_id is longer than {MAX_EXTERNAL_ID} characters"
        )
    return value


def _text(value: Any, limit: int) -> str:
    if value is None:
        raise _Bad("missing_text", "text is missing")
    if not isinstance(value, str):
        raise _Bad("invalid_text", "text must be a string")
    if not value.strip():
        raise _Bad("missing_text", "text is empty")
    if len(value) > limit:
        raise _Bad(
            "text_too_long",
            f"text has {len(value):,} characters; this project takes at most {limit:,}",
        )
    if "\x00" in value:
        raise _Bad("invalid_text", "text contains a NUL character")
    return value


def _language(value: Any, rules: ImportRules) -> str:
    if value is None or value == "":
        if rules.default_language is None:
            raise _Bad(
                "missing_language",
                "language is missing (the project has several languages: "
                f"{', '.join(sorted(rules.languages))})",
            )
        return rules.default_language
    if not isinstance(value, str):
        raise _Bad("invalid_language", "language must be a string such as 'en'")
    try:
        language = normalize_language(value)
    except ValueError as error:
        raise _Bad("invalid_language", str(error)) from None
    if language not in rules.languages:
        raise _Bad(
            "language_not_in_project",
            f"language {language!r} is not one of the project's "
            f"({', '.join(sorted(rules.languages))})",
        )
    return language


def _meta(value: Any) -> dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _Bad("invalid_meta", "meta must be a JSON object")
    if len(orjson.dumps(value)) > MAX_META_BYTES:
        raise _Bad("meta_too_large", f"meta is larger than {MAX_META_BYTES:,} bytes")
    return value


def _severity(value: Any) -> str | None:
    if value is None:
        return None
    match = _SEVERITY.match(str(value).strip()) if not isinstance(value, bool) else None
    if match is None:
        raise _Bad("invalid_severity", f"severity {value!r} is not one of S0, S1, S2, S3, S4")
    return f"S{match.group(1)}"


def _priority(value: Any) -> int:
    if value is None:
        return 0
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise _Bad("invalid_priority", f"priority {value!r} is not an integer") from None
    if not isinstance(value, int) or isinstance(value, bool) or not -1000 <= value <= 1000:
        raise _Bad("invalid_priority", "priority must be an integer from -1000 to 1000")
    return value
