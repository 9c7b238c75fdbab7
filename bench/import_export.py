"""Import and export at scale: items/s and peak memory of an import (CLI and HTTP), and the time
to export 100,000 annotated items over HTTP.

    .venv/bin/python bench/import_export.py --serve
    .venv/bin/python bench/import_export.py --serve --sizes 100000 --export-items 20000
    .venv/bin/python bench/import_export.py --url http://127.0.0.1:8000 --server-pid 1234 \\
        --data-dir ~/.labelops            # the CLI import and the bulk loader need the database

1. Synthetic JSONL files (texts of 50–400 characters in six languages, some meta, severity and
   priority) are written to a work directory.
2. Each file is imported into a fresh project twice: by `python -m labelops import` in a child
   process (peak RSS from wait4's rusage), and by `POST /api/v1/projects/{id}/items` (peak RSS of
   the server process, polled from /proc every 20 ms).
3. A project with overlap 3 gets `--export-items` items over HTTP, then a bench-only bulk loader
   writes 3 submitted assignments and annotations per item (and fills the queue counters)
   straight into the server's database with SQLAlchemy Core; then the JSONL, CSV and raw
   exports are downloaded end to end and timed.

Figures only: nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from sqlalchemy import create_engine, func, insert, select, text, update

if __package__ in (None, ""):  # run as a file: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (
    ADMIN_PASSWORD,
    ADMIN_USER,
    Api,
    MachineLoad,
    RssSampler,
    Server,
    cpu_seconds,
    create_labelers,
    machine_summary,
    run_id,
    server_for,
)
from labelops.annotation.models import Annotation
from labelops.db import table
from labelops.distribution.models import Assignment, QueueEntry
from labelops.projects.models import Item
from labelops.workforce.models import User

LANGUAGES = ("en", "es", "ar", "hi", "id", "pt-br")
_WORDS = {
    "en": "the this account post keeps sending threats to people in the group chat and nobody "
    "reports it they said click here for free money scam again hate speech is not allowed "
    "please review my comment was removed unfairly go back where you came from idiots",
    "es": "hola este mensaje contiene amenazas contra mi familia por favor revisen la cuenta "
    "que publica estafas todos los días gana dinero fácil aquí odio a los vecinos del barrio "
    "no es justo que borren mi comentario",
    "ar": "هذا الحساب ينشر رسائل تهديد ضد الناس في المجموعة ولا أحد يبلغ عنه اضغط هنا للحصول "
    "على المال مجانا خطاب كراهية غير مسموح به أرجو مراجعة تعليقي",
    "hi": "यह खाता समूह में लोगों को धमकी भरे संदेश भेजता है कोई रिपोर्ट नहीं करता मुफ्त पैसे "
    "के लिए यहां क्लिक करें नफरत भरी बातें मना हैं कृपया मेरी टिप्पणी देखें",
    "id": "akun ini terus mengirim ancaman ke orang orang di grup dan tidak ada yang melapor "
    "klik di sini untuk uang gratis ujaran kebencian tidak diizinkan tolong tinjau komentar saya",
    "pt-br": "essa conta manda ameaças para as pessoas do grupo e ninguém denuncia clique aqui "
    "para ganhar dinheiro fácil discurso de ódio não é permitido por favor revisem meu comentário",
}
_SOURCES = ("twitter", "forum", "chat", "reviews", "comments")
LABELS = ("ok", "abuse")


# --- synthetic files ---------------------------------------------------------------------------


def _text_pool(rng: random.Random, language: str, size: int) -> list[str]:
    words = _WORDS[language].split()
    pool = []
    for _ in range(size):
        length = int(min(400, max(50, rng.lognormvariate(5.0, 0.55))))
        parts: list[str] = []
        total = 0
        while total < length:
            word = rng.choice(words)
            parts.append(word)
            total += len(word) + 1
        pool.append(" ".join(parts)[:length].rstrip())
    return pool


def _lines(count: int, seed: int) -> Iterator[bytes]:
    rng = random.Random(seed)
    pools = {language: _text_pool(rng, language, 4_000) for language in LANGUAGES}
    weights = (40, 20, 12, 12, 8, 8)
    started = datetime(2026, 1, 1, tzinfo=UTC)
    for number in range(count):
        language = rng.choices(LANGUAGES, weights)[0]
        text = rng.choice(pools[language])
        if rng.random() < 0.3:  # a mention makes many texts unique
            text = f"@user{rng.randrange(1_000_000)} {text}"[:400]
        item: dict[str, Any] = {
            "external_id": f"post-{seed}-{number:08d}",
            "text": text,
            "language": language,
        }
        if rng.random() < 0.7:
            item["meta"] = {
                "source": rng.choice(_SOURCES),
                "author_id": rng.randrange(10_000_000),
                "posted_at": (started + timedelta(seconds=number * 7)).isoformat(),
                "reports": rng.randrange(20),
            }
        if rng.random() < 0.2:
            item["severity"] = f"s{rng.randrange(5)}"
        if rng.random() < 0.05:
            item["priority"] = rng.randrange(1, 10)
        yield orjson.dumps(item) + b"\n"


def synthetic_file(directory: Path, count: int) -> Path:
    """A JSONL file of `count` items (reused if it is already there)."""
    path = directory / f"items-{count}.jsonl"
    if path.exists():
        return path
    partial = path.with_suffix(".partial")
    with partial.open("wb") as out:
        buffer = bytearray()
        for line in _lines(count, seed=count):
            buffer += line
            if len(buffer) > 1 << 20:
                out.write(buffer)
                buffer.clear()
        out.write(buffer)
    partial.rename(path)
    return path


def _file_chunks(path: Path, size: int = 1 << 20) -> Iterator[bytes]:
    with path.open("rb") as stream:
        while chunk := stream.read(size):
            yield chunk


# --- imports ----------------------------------------------------------------------------------


@dataclass
class ImportFigures:
    way: str
    items: int
    file_mib: float
    imported: int
    seconds: float
    items_per_s: float
    peak_rss_mib: float
    baseline_rss_mib: float | None
    cpu_s: float  # CPU time of the importing process (CLI child, or the server) meanwhile
    machine_cpu_pct: float  # the whole machine, all processes: 100% = every core busy


def cli_import(server: Server, admin: Api, path: Path, count: int) -> ImportFigures | None:
    """`python -m labelops import` in a child; its peak RSS from wait4's rusage."""
    if server.sqlalchemy_url() is None:
        print("  (CLI import skipped: give --data-dir or --database-url)")
        return None
    project_id = admin.create_project(f"bench import cli {run_id()} {count}", languages=LANGUAGES)
    with tempfile.TemporaryFile() as output, MachineLoad() as load:
        started = time.monotonic()
        child = subprocess.Popen(
            [sys.executable, "-m", "labelops", "import", str(project_id), str(path)],
            env=server.cli_env(),
            stdout=output,
            stderr=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.monotonic() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        said = output.read().decode(errors="replace")
    if child.returncode != 0:
        raise RuntimeError(f"labelops import failed ({child.returncode}): {said}")
    imported = int("".join(ch for ch in said.split("items")[0] if ch.isdigit()) or 0)
    return ImportFigures(
        way="CLI",
        items=count,
        file_mib=round(path.stat().st_size / 2**20, 1),
        imported=imported,
        seconds=round(seconds, 2),
        items_per_s=round(imported / seconds),
        peak_rss_mib=round(usage.ru_maxrss / 1024, 1),  # KiB on Linux
        baseline_rss_mib=None,
        cpu_s=round(usage.ru_utime + usage.ru_stime, 2),
        machine_cpu_pct=load.pct,
    )


def http_import(server: Server, admin: Api, path: Path, count: int) -> ImportFigures:
    """POST the file (chunked upload); the server's peak RSS polled from /proc."""
    project_id = admin.create_project(f"bench import http {run_id()} {count}", languages=LANGUAGES)
    sampler = RssSampler(server.pid) if server.pid else None
    cpu_before = cpu_seconds(server.pid) if server.pid else float("nan")
    with MachineLoad() as load:
        started = time.monotonic()
        if sampler is not None:
            with sampler:
                result = admin.import_jsonl(project_id, _file_chunks(path))
        else:
            result = admin.import_jsonl(project_id, _file_chunks(path))
        seconds = time.monotonic() - started
    cpu = (cpu_seconds(server.pid) if server.pid else float("nan")) - cpu_before
    if result["rejected_count"]:
        print(f"  rejected {result['rejected_count']:,}: {result['rejected'][:3]}")
    return ImportFigures(
        way="HTTP",
        items=count,
        file_mib=round(path.stat().st_size / 2**20, 1),
        imported=int(result["imported"]),
        seconds=round(seconds, 2),
        items_per_s=round(result["imported"] / seconds),
        peak_rss_mib=round(sampler.peak / 2**20, 1) if sampler else float("nan"),
        baseline_rss_mib=round(sampler.baseline / 2**20, 1) if sampler else None,
        cpu_s=round(cpu, 2),
        machine_cpu_pct=load.pct,
    )


# --- the annotated project and its exports ----------------------------------------------------


def bulk_annotate(url: str, project_id: int, labeler_names: list[str], per_item: int) -> int:
    """Bench-only: `per_item` submitted assignments + annotations for every item of the project,
    written with SQLAlchemy Core into the server's database; the queue counters follow."""
    rng = random.Random(7)
    engine = create_engine(url, connect_args={"timeout": 60} if url.startswith("sqlite") else {})
    assignments, annotations, queue = table(Assignment), table(Annotation), table(QueueEntry)
    with engine.begin() as connection:
        users = dict(
            connection.execute(
                select(User.username, User.id).where(User.username.in_(labeler_names))
            ).all()
        )
        labeler_ids = [users[name] for name in labeler_names]
        item_ids = (
            connection.execute(
                select(Item.id).where(Item.project_id == project_id).order_by(Item.id)
            )
            .scalars()
            .all()
        )
        next_id = (connection.execute(select(func.max(assignments.c.id))).scalar() or 0) + 1
        next_annotation = (connection.execute(select(func.max(annotations.c.id))).scalar() or 0) + 1
        base = datetime.now(UTC) - timedelta(days=3)
        batch_a: list[dict[str, Any]] = []
        batch_n: list[dict[str, Any]] = []
        written = 0
        for number, item_id in enumerate(item_ids):
            truth = LABELS[0] if rng.random() < 0.8 else LABELS[1]
            for labeler_id in rng.sample(labeler_ids, per_item):
                leased = base + timedelta(seconds=number * 2 + rng.random())
                submitted = leased + timedelta(milliseconds=rng.randrange(2_000, 60_000))
                label = truth if rng.random() < 0.85 else rng.choice(LABELS)
                batch_a.append(
                    {
                        "id": next_id,
                        "project_id": project_id,
                        "item_id": item_id,
                        "labeler_id": labeler_id,
                        "status": "submitted",
                        "leased_at": leased,
                        "lease_expires_at": leased + timedelta(minutes=10),
                        "ended_at": submitted,
                    }
                )
                batch_n.append(
                    {
                        "id": next_annotation,
                        "assignment_id": next_id,
                        "project_id": project_id,
                        "item_id": item_id,
                        "labeler_id": labeler_id,
                        "vendor_id": None,
                        "labels": [label],
                        "duration_ms": int((submitted - leased).total_seconds() * 1000),
                        "guideline_version": None,
                        "leased_at": leased,
                        "submitted_at": submitted,
                        "is_late": False,
                    }
                )
                next_id += 1
                next_annotation += 1
            if len(batch_a) >= 30_000:
                written += _flush(connection, assignments, annotations, batch_a, batch_n)
        written += _flush(connection, assignments, annotations, batch_a, batch_n)
        connection.execute(
            update(queue)
            .where(queue.c.project_id == project_id)
            .values(open_slots=0, submitted=per_item)
        )
        if connection.dialect.name == "postgresql":  # explicit ids: move the sequences on
            for name in ("assignments", "annotations"):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608
                        f"(SELECT max(id) FROM {name}))"
                    )
                )
    engine.dispose()
    return written


def _flush(
    connection: Any,
    assignments: Any,
    annotations: Any,
    batch_a: list[dict[str, Any]],
    batch_n: list[dict[str, Any]],
) -> int:
    if not batch_a:
        return 0
    connection.execute(insert(assignments), batch_a)
    connection.execute(insert(annotations), batch_n)
    count = len(batch_n)
    batch_a.clear()
    batch_n.clear()
    return count


@dataclass
class ExportFigures:
    query: str
    rows: int
    mib: float
    first_byte_s: float
    seconds: float
    rows_per_s: float
    server_peak_rss_mib: float
    server_cpu_s: float
    machine_cpu_pct: float


def timed_export(server: Server, admin: Api, project_id: int, **params: str) -> ExportFigures:
    sampler = RssSampler(server.pid) if server.pid else None
    size = newlines = 0
    first_byte = 0.0
    load = MachineLoad().__enter__()
    cpu_before = cpu_seconds(server.pid) if server.pid else float("nan")
    started = time.monotonic()
    with admin.export(project_id, **params) as response:
        if sampler is not None:
            sampler.__enter__()
        for chunk in response.iter_raw():
            if not size:
                first_byte = time.monotonic() - started
            size += len(chunk)
            newlines += chunk.count(b"\n")
    seconds = time.monotonic() - started
    cpu = (cpu_seconds(server.pid) if server.pid else float("nan")) - cpu_before
    load.__exit__(None, None, None)
    if sampler is not None:
        sampler.__exit__(None, None, None)
    rows = newlines - (1 if params.get("format") == "csv" else 0)  # CSV: minus the header
    return ExportFigures(
        query="&".join(f"{k}={v}" for k, v in params.items()),
        rows=rows,
        mib=round(size / 2**20, 1),
        first_byte_s=round(first_byte, 3),
        seconds=round(seconds, 2),
        rows_per_s=round(rows / seconds),
        server_peak_rss_mib=round(sampler.peak / 2**20, 1) if sampler else float("nan"),
        server_cpu_s=round(cpu, 2),
        machine_cpu_pct=load.pct,
    )


def export_bench(server: Server, admin: Api, path: Path, count: int) -> list[ExportFigures]:
    url = server.sqlalchemy_url()
    if url is None:
        print("  (export benchmark skipped: the bulk loader needs --data-dir or --database-url)")
        return []
    project_id = admin.create_project(
        f"bench export {run_id()} {count}", languages=LANGUAGES, overlap=3
    )
    admin.import_jsonl(project_id, _file_chunks(path))
    labelers = create_labelers(admin, 12, f"bench-{run_id()}")
    started = time.monotonic()
    written = bulk_annotate(url, project_id, [name for name, _ in labelers], per_item=3)
    print(
        f"  project {project_id}: {count:,} items, {written:,} annotations bulk-loaded in "
        f"{time.monotonic() - started:.1f} s"
    )
    figures = []
    for params in ({"format": "jsonl"}, {"format": "csv"}, {"format": "jsonl", "raw": "true"}):
        figures.append(timed_export(server, admin, project_id, **params))
        print_export(figures[-1])
    return figures


# --- output and main ----------------------------------------------------------------------------


def _known(value: float, unit: str, digits: int = 0) -> str:
    return "n/a (no --server-pid)" if math.isnan(value) else f"{value:,.{digits}f} {unit}"


def print_import(f: ImportFigures) -> None:
    base = f" (server before: {f.baseline_rss_mib:,.0f} MiB)" if f.baseline_rss_mib else ""
    print(
        f"  {f.way:<5} {f.items:>9,} items ({f.file_mib:,.0f} MiB file): {f.seconds:7.2f} s, "
        f"{f.items_per_s:>8,.0f} items/s, peak RSS {_known(f.peak_rss_mib, 'MiB')}{base}; "
        f"CPU {_known(f.cpu_s, 's', 1)}; machine {f.machine_cpu_pct:.0f}% busy",
        flush=True,
    )


def print_export(f: ExportFigures) -> None:
    print(
        f"  export {f.query:<22} {f.rows:>8,} rows {f.mib:7.1f} MiB  first byte "
        f"{f.first_byte_s:.2f} s  total {f.seconds:6.2f} s  ({f.rows_per_s:,.0f} rows/s, "
        f"server peak RSS {_known(f.server_peak_rss_mib, 'MiB')}, "
        f"CPU {_known(f.server_cpu_s, 's', 1)}; "
        f"machine {f.machine_cpu_pct:.0f}% busy)",
        flush=True,
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="a running labelops server")
    where.add_argument("--serve", action="store_true", help="start a fresh server here")
    parser.add_argument("--server-pid", type=int, help="with --url: the server's pid (for RSS)")
    parser.add_argument("--data-dir", type=Path, help="with --url: the server's data directory")
    parser.add_argument("--database-url", help="the server's database (PostgreSQL)")
    parser.add_argument("--sizes", default="100000,1000000", help="items per file")
    parser.add_argument("--export-items", type=int, default=100_000, help="0: skip the export")
    parser.add_argument("--workdir", type=Path, help="keep (and reuse) the generated files here")
    parser.add_argument("--skip-cli", action="store_true", help="HTTP import only")
    parser.add_argument("--user", default=ADMIN_USER)
    parser.add_argument("--password", default=ADMIN_PASSWORD)
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--keep", action="store_true", help="with --serve: keep the data dir")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    sizes = [int(n) for n in args.sizes.split(",") if n.strip()]
    print(f"# import/export — {machine_summary()}; python {sys.version.split()[0]}")
    scratch = tempfile.TemporaryDirectory(prefix="labelops-bench-files-")
    workdir = args.workdir or Path(scratch.name)
    workdir.mkdir(parents=True, exist_ok=True)
    files = {}
    for count in sorted({*sizes, *([args.export_items] if args.export_items else [])}):
        started = time.monotonic()
        files[count] = synthetic_file(workdir, count)
        print(
            f"# {files[count]}: {files[count].stat().st_size / 2**20:,.0f} MiB "
            f"({time.monotonic() - started:.1f} s)",
            flush=True,
        )
    results: dict[str, Any] = {"imports": [], "exports": []}
    try:
        with server_for(
            url=args.url,
            serve=args.serve,
            database_url=args.database_url,
            server_pid=args.server_pid,
            keep=args.keep,
        ) as server:
            if args.data_dir is not None:
                server.data_dir = args.data_dir
            admin = Api(server.url).as_user(args.user, args.password)
            print("\n== imports")
            for count in sizes:
                if not args.skip_cli and (cli := cli_import(server, admin, files[count], count)):
                    print_import(cli)
                    results["imports"].append(asdict(cli))
                http = http_import(server, admin, files[count], count)
                print_import(http)
                results["imports"].append(asdict(http))
            if args.export_items:
                print(f"\n== export of {args.export_items:,} items with 3 annotations each")
                exports = export_bench(server, admin, files[args.export_items], args.export_items)
                results["exports"] = [asdict(f) for f in exports]
            admin.close()
    finally:
        scratch.cleanup()
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
