"""The labeling loop under load: N labelers lease (`/next`) and submit with no think time.

    .venv/bin/python bench/labeling_loop.py --serve --labelers 1,8,32 --seconds 30 --overlap 1
    .venv/bin/python bench/labeling_loop.py --url http://127.0.0.1:8000 --user admin --password …

For each labeler count: a fresh project with `--items` items, a short warm-up, then `--seconds`
of measurement. Prints annotations/s, latency percentiles of /next and /submit, errors by
status, how busy the client and the server were, and correctness checks computed afterwards
from the raw export. Figures only: nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import aiohttp
import orjson

if __package__ in (None, ""):  # run as a file: make `bench` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (
    ADMIN_PASSWORD,
    ADMIN_USER,
    API,
    Api,
    cpu_seconds,
    create_labelers,
    machine_cpu,
    machine_summary,
    percentile,
    postgres_backends,
    postgres_cpu_between,
    run_id,
    server_for,
)

NEXT, SUBMIT = "next", "submit"
CONNECTION_ERROR = 0  # status recorded when the request failed below HTTP


# --- one client process -----------------------------------------------------------------------


@dataclass
class Plan:
    """What every client process is told: where, who, and when (CLOCK_MONOTONIC, shared by all
    processes on the machine)."""

    base_url: str
    project_id: int
    labelers: list[tuple[str, str]]
    start: float
    measure_from: float
    measure_to: float


@dataclass
class ClientResult:
    # (kind, started, ended, status) of every request
    samples: list[tuple[str, float, float, int]] = field(default_factory=list)
    # (labeler, item id, assignment id) of every 200 from /next
    served: list[tuple[str, int, int]] = field(default_factory=list)
    # (labeler, item id, assignment id, annotation id) of every 2xx from /submit
    submitted: list[tuple[str, int, int, int]] = field(default_factory=list)
    cpu_in_window: float = 0.0
    loop_lag_ms: list[float] = field(default_factory=list)
    drained: int = 0  # labelers that got a 204


async def _labeler(plan: Plan, name: str, token: str, result: ClientResult) -> None:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    next_url = f"{plan.base_url}{API}/projects/{plan.project_id}/next"
    body = orjson.dumps({"labels": ["ok"], "duration_ms": 1000})
    connector = aiohttp.TCPConnector(limit=1, force_close=False)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(
        headers=headers, connector=connector, timeout=timeout
    ) as session:
        while time.monotonic() < plan.measure_to:
            lease = await _request(session, "GET", next_url, None, NEXT, result)
            if lease is None:
                continue
            if lease == {}:  # 204: nothing left for this labeler
                result.drained += 1
                return
            assignment_id, item_id = int(lease["assignment_id"]), int(lease["item"]["id"])
            result.served.append((name, item_id, assignment_id))
            submit_url = f"{plan.base_url}{API}/assignments/{assignment_id}/submit"
            stored = await _request(session, "POST", submit_url, body, SUBMIT, result)
            if stored:
                result.submitted.append((name, item_id, assignment_id, int(stored["id"])))


async def _request(
    session: aiohttp.ClientSession,
    method: str,
    url: str,
    body: bytes | None,
    kind: str,
    result: ClientResult,
) -> dict[str, Any] | None:
    """The JSON answer ({} for a 204), or None after an error (recorded by status)."""
    started = time.monotonic()
    try:
        async with session.request(method, url, data=body) as response:
            payload = await response.read()
            status = response.status
    except (aiohttp.ClientError, TimeoutError):
        result.samples.append((kind, started, time.monotonic(), CONNECTION_ERROR))
        await asyncio.sleep(0.05)
        return None
    result.samples.append((kind, started, time.monotonic(), status))
    if status == 204:
        return {}
    if 200 <= status < 300:
        answer: dict[str, Any] = orjson.loads(payload)
        return answer
    await asyncio.sleep(0.01)  # an error: do not spin on it
    return None


async def _watch(plan: Plan, result: ClientResult) -> None:
    """Event-loop lag (how late a 5 ms sleep wakes up) and CPU time over the window."""
    await asyncio.sleep(max(0.0, plan.measure_from - time.monotonic()))
    cpu_from = time.process_time()
    while (now := time.monotonic()) < plan.measure_to:
        await asyncio.sleep(0.005)
        result.loop_lag_ms.append((time.monotonic() - now - 0.005) * 1000)
    result.cpu_in_window = time.process_time() - cpu_from


async def _drive(plan: Plan) -> ClientResult:
    result = ClientResult()
    await asyncio.sleep(max(0.0, plan.start - time.monotonic()))
    watcher = asyncio.create_task(_watch(plan, result))
    await asyncio.gather(*(_labeler(plan, name, token, result) for name, token in plan.labelers))
    await watcher
    return result


def client_process(plan: Plan, use_uvloop: bool) -> ClientResult:
    """One client process: its share of the labelers, each with its own keep-alive session."""
    if use_uvloop:
        import uvloop

        return uvloop.run(_drive(plan))
    return asyncio.run(_drive(plan))


# --- one run: a labeler count ----------------------------------------------------------------


@dataclass
class RunFigures:
    labelers: int
    overlap: int
    client_processes: int
    seconds: float
    annotations: int
    annotations_per_s: float
    next_ms: dict[str, float]
    next_p50_by_fifth: list[float]  # p50 of /next in each fifth of the window: does it drift?
    submit_ms: dict[str, float]
    errors: dict[str, int]
    client_cpu_pct: float
    client_loop_lag_p99_ms: float
    server_cpu_pct: float | None
    server_cpu_ms_per_annotation: float | None  # server CPU time over the window / annotations
    # the local PostgreSQL backends of the server's database (a backend that exits within the
    # window takes its CPU time with it: low when the pool churns connections)
    postgres_cpu_pct: float | None
    machine_cpu_pct: float
    drained_labelers: int
    checks: dict[str, int]


def synthetic_items(count: int) -> bytes:
    lines = []
    for number in range(count):
        words = (number * 7919) % 40 + 8
        text = " ".join(f"word{(number + k) % 997}" for k in range(words))
        lines.append(orjson.dumps({"external_id": f"item-{number:07d}", "text": text}))
    return b"\n".join(lines) + b"\n"


def run_once(
    admin: Api,
    server_pid: int | None,
    labelers: list[tuple[str, str]],
    items: bytes,
    args: argparse.Namespace,
) -> RunFigures:
    count = len(labelers)
    project_id = admin.create_project(
        f"bench loop {run_id()} x{count} overlap {args.overlap}", overlap=args.overlap
    )
    if args.max_overlap is not None:  # dynamic overlap: each submit also decides its item
        admin._check(
            admin.client.patch(f"/projects/{project_id}", json={"max_overlap": args.max_overlap})
        )
    imported = admin.import_jsonl(project_id, items)
    print(f"  project {project_id}: {imported['imported']:,} items imported", flush=True)
    procs = max(1, min(args.client_procs, count))
    start = time.monotonic() + (2.0 if procs > 1 else 0.1)  # spawned processes need to import
    plan = Plan(
        base_url=admin.base_url,
        project_id=project_id,
        labelers=labelers,
        start=start,
        measure_from=start + args.warmup,
        measure_to=start + args.warmup + args.seconds,
    )
    merged, window = _run_clients(plan, procs, not args.no_uvloop, server_pid, args.postgres_url)
    figures = _figures(plan, merged, window, args, procs)
    figures.checks = _checks(admin, project_id, args.max_overlap or args.overlap, merged)
    return figures


def _run_clients(
    plan: Plan, procs: int, use_uvloop: bool, server_pid: int | None, postgres_url: str | None
) -> tuple[ClientResult, dict[str, float]]:
    shares = [replace(plan, labelers=plan.labelers[k::procs]) for k in range(procs)]
    window: dict[str, float] = {}

    async def sample_machine() -> None:
        await asyncio.sleep(max(0.0, plan.measure_from - time.monotonic()))
        busy, total = machine_cpu()
        server = cpu_seconds(server_pid) if server_pid else 0.0
        postgres = postgres_backends(postgres_url) if postgres_url else {}
        await asyncio.sleep(max(0.0, plan.measure_to - time.monotonic()))
        busy_end, total_end = machine_cpu()
        seconds = plan.measure_to - plan.measure_from
        window["machine"] = (busy_end - busy) / max(total_end - total, 1e-9)
        if postgres_url:
            after = postgres_backends(postgres_url)
            window["postgres"] = postgres_cpu_between(postgres, after) / seconds
        if server_pid:
            window["server"] = (cpu_seconds(server_pid) - server) / seconds

    if procs == 1:

        async def both() -> ClientResult:
            sampler = asyncio.create_task(sample_machine())
            result = await _drive(shares[0])
            await sampler
            return result

        if use_uvloop:
            import uvloop

            return uvloop.run(both()), window
        return asyncio.run(both()), window
    with ProcessPoolExecutor(max_workers=procs, mp_context=get_context("spawn")) as pool:
        futures = [pool.submit(client_process, share, use_uvloop) for share in shares]
        asyncio.run(sample_machine())
        parts = [future.result() for future in futures]
    merged = ClientResult()
    for part in parts:
        merged.samples += part.samples
        merged.served += part.served
        merged.submitted += part.submitted
        merged.cpu_in_window += part.cpu_in_window
        merged.loop_lag_ms += part.loop_lag_ms
        merged.drained += part.drained
    return merged, window


def _figures(
    plan: Plan,
    result: ClientResult,
    window: dict[str, float],
    args: argparse.Namespace,
    procs: int,
) -> RunFigures:
    lo, hi = plan.measure_from, plan.measure_to
    latencies: dict[str, list[float]] = {NEXT: [], SUBMIT: []}
    fifths: list[list[float]] = [[] for _ in range(5)]
    errors: Counter[str] = Counter()
    done = 0
    for kind, started, ended, status in result.samples:
        if kind == SUBMIT and 200 <= status < 300 and lo <= ended <= hi:
            done += 1
        if not lo <= started < hi:
            continue
        latencies[kind].append((ended - started) * 1000)
        if kind == NEXT:
            fifths[min(4, int(5 * (started - lo) / (hi - lo)))].append((ended - started) * 1000)
        if status == CONNECTION_ERROR or status >= 300:
            label = "connection" if status == CONNECTION_ERROR else str(status)
            errors[f"{kind} {label}"] += 1

    def summary(values: list[float]) -> dict[str, float]:
        values.sort()
        return {f"p{q}": round(percentile(values, q), 1) for q in (50, 95, 99)} | {"n": len(values)}

    lags = sorted(result.loop_lag_ms)
    return RunFigures(
        labelers=len(plan.labelers),
        overlap=args.overlap,
        client_processes=procs,
        seconds=args.seconds,
        annotations=done,
        annotations_per_s=round(done / args.seconds, 1),
        next_ms=summary(latencies[NEXT]),
        next_p50_by_fifth=[round(percentile(sorted(part), 50), 1) for part in fifths],
        submit_ms=summary(latencies[SUBMIT]),
        errors=dict(sorted(errors.items())),
        client_cpu_pct=round(100 * result.cpu_in_window / args.seconds, 1),
        client_loop_lag_p99_ms=round(percentile(lags, 99), 1),
        server_cpu_pct=round(100 * window["server"], 1) if "server" in window else None,
        server_cpu_ms_per_annotation=(
            round(1000 * window["server"] * args.seconds / done, 2)
            if "server" in window and done
            else None
        ),
        postgres_cpu_pct=round(100 * window["postgres"], 1) if "postgres" in window else None,
        machine_cpu_pct=round(100 * window.get("machine", float("nan")), 1),
        drained_labelers=result.drained,
        checks={},
    )


def _checks(admin: Api, project_id: int, overlap: int, result: ClientResult) -> dict[str, int]:
    """Correctness, from what the clients saw and from the raw export."""
    served: defaultdict[int, set[str]] = defaultdict(set)
    assignments_of: defaultdict[tuple[int, str], set[int]] = defaultdict(set)
    for labeler, item_id, assignment_id in result.served:
        served[item_id].add(labeler)
        assignments_of[(item_id, labeler)].add(assignment_id)
    per_item: Counter[int] = Counter()
    per_pair: Counter[tuple[int, str]] = Counter()
    exported: set[int] = set()
    rows = 0
    with admin.export(project_id, raw="true", format="jsonl") as response:
        buffer = b""
        for chunk in response.iter_bytes():
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                if line:
                    row = orjson.loads(line)
                    rows += 1
                    per_item[row["item_id"]] += 1
                    per_pair[(row["item_id"], row["labeler"])] += 1
                    exported.add(row["annotation_id"])
    acknowledged = {annotation_id for *_, annotation_id in result.submitted}
    return {
        "export_rows": rows,
        "acknowledged_submits": len(acknowledged),
        "acknowledged_missing_from_export": len(acknowledged - exported),
        "items_served_beyond_overlap": sum(1 for who in served.values() if len(who) > overlap),
        "items_annotated_beyond_overlap": sum(1 for n in per_item.values() if n > overlap),
        "labeler_twice_on_item_served": sum(1 for ids in assignments_of.values() if len(ids) > 1),
        "labeler_twice_on_item_export": sum(1 for n in per_pair.values() if n > 1),
    }


# --- output ------------------------------------------------------------------------------------


def print_figures(figures: RunFigures) -> None:
    f = figures
    server = "n/a" if f.server_cpu_pct is None else f"{f.server_cpu_pct:.0f}%"
    print(
        f"\n== {f.labelers} labelers, overlap {f.overlap}, {f.seconds:.0f} s measured, "
        f"{f.client_processes} client process(es)"
    )
    print(f"  annotations/s      {f.annotations_per_s:,.1f}  ({f.annotations:,} submits 2xx)")
    for name, values in (("next", f.next_ms), ("submit", f.submit_ms)):
        print(
            f"  {name:<7} ms        p50 {values['p50']:.1f}  p95 {values['p95']:.1f}  "
            f"p99 {values['p99']:.1f}  (n={values['n']:,.0f})"
        )
    print(f"  next p50 by fifth  {' → '.join(f'{v:.1f}' for v in f.next_p50_by_fifth)} ms")
    print(f"  errors             {f.errors or 'none'}")
    cores = os.cpu_count() or 1
    other = postgres = ""
    if f.postgres_cpu_pct is not None:
        postgres = f"  postgres {f.postgres_cpu_pct:.0f}%"
    if f.server_cpu_pct is not None:
        rest = f.machine_cpu_pct * cores - f.server_cpu_pct - f.client_cpu_pct
        rest -= f.postgres_cpu_pct or 0.0
        other = f" (anything else ≈ {max(rest, 0):.0f}% of a core)"
    print(
        f"  CPU (100% = 1 core) client {f.client_cpu_pct:.0f}%  server {server}{postgres}; "
        f"machine {f.machine_cpu_pct:.0f}% of its {cores} cores busy{other}"
    )
    if f.server_cpu_ms_per_annotation is not None:
        print(
            f"  server CPU         {f.server_cpu_ms_per_annotation:.2f} ms per annotation "
            "(one /next + one /submit)"
        )
    print(f"  client loop lag    p99 {f.client_loop_lag_p99_ms:.1f} ms (a 5 ms sleep's overshoot)")
    if f.drained_labelers:
        print(f"  {f.drained_labelers} labeler(s) got 204 (nothing left) before the end")
    print("  checks             " + ", ".join(f"{k}={v:,}" for k, v in f.checks.items()))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="a running labelops server")
    where.add_argument("--serve", action="store_true", help="start a fresh server here")
    parser.add_argument("--database-url", help="with --serve: use this database (PostgreSQL)")
    parser.add_argument("--server-pid", type=int, help="with --url: the server's pid, for CPU")
    parser.add_argument(
        "--postgres-url",
        help="with --url: the server's local PostgreSQL database, to count its backends' CPU",
    )
    parser.add_argument("--labelers", default="1,8,32", help="labeler counts, comma-separated")
    parser.add_argument("--seconds", type=float, default=30.0, help="measured seconds per count")
    parser.add_argument("--warmup", type=float, default=3.0, help="warm-up seconds per count")
    parser.add_argument("--items", type=int, default=100_000, help="items per project")
    parser.add_argument("--overlap", type=int, default=1, help="labelers per item")
    parser.add_argument(
        "--max-overlap", type=int, help="dynamic overlap up to this many (--overlap: the minimum)"
    )
    parser.add_argument("--user", default=ADMIN_USER, help="an admin or PM")
    parser.add_argument("--password", default=ADMIN_PASSWORD)
    parser.add_argument("--client-procs", type=int, default=1, help="client processes")
    parser.add_argument("--no-uvloop", action="store_true", help="plain asyncio in the client")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--keep", action="store_true", help="with --serve: keep the data dir")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.database_url and args.database_url.startswith("postgresql"):
        args.postgres_url = args.postgres_url or args.database_url
    counts = [int(n) for n in args.labelers.split(",") if n.strip()]
    print(
        f"# labeling loop — {machine_summary()}; python {sys.version.split()[0]}; pid {os.getpid()}"
    )
    all_figures: list[RunFigures] = []
    with server_for(
        url=args.url,
        serve=args.serve,
        database_url=args.database_url,
        server_pid=args.server_pid,
        keep=args.keep,
    ) as server:
        admin = Api(server.url).as_user(args.user, args.password)
        prefix = f"bench-{run_id()}"
        setup = time.monotonic()
        labelers = create_labelers(admin, max(counts), prefix)
        items = synthetic_items(args.items)
        print(f"# setup: {len(labelers)} labelers in {time.monotonic() - setup:.1f} s")
        for count in counts:
            figures = run_once(admin, server.pid, labelers[:count], items, args)
            print_figures(figures)
            all_figures.append(figures)
        admin.close()
    if args.json:
        args.json.write_text(json.dumps([asdict(f) for f in all_figures], indent=2))


if __name__ == "__main__":
    main()
