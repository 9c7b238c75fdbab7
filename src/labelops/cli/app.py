"""`labelops serve | demo | db | users | import | export`."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Annotated

import typer
import uvicorn
from fastapi import FastAPI

from labelops import analytics, migrate, projects, reporting, webhooks
from labelops.cli import aggregate as aggregate_command
from labelops.cli import demo as demo_command
from labelops.cli import risks as risks_command
from labelops.cli import users as users_command
from labelops.cli.common import (
    connect,
    console,
    domain_errors,
    err,
    open_database,
    resolve_actor,
)
from labelops.config import Settings
from labelops.db import Database
from labelops.web.app import create_app
from labelops.webhooks import Periodic

app = typer.Typer(
    name="labelops",
    help="Labeling operations for Trust & Safety data.",
    no_args_is_help=True,
    add_completion=False,
)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(users_command.app, name="users")
app.add_typer(risks_command.app, name="risks")
app.command("demo")(demo_command.demo)
app.command("aggregate")(aggregate_command.aggregate)

WEBHOOK_POLL_SECONDS = 5.0

AsUser = Annotated[
    str | None, typer.Option("--as", help="act as this user (default: the system, full rights)")
]


def serve_app(
    settings: Settings, *, host: str, port: int, access_log: bool, workers: int = 1
) -> None:
    with open_database(settings) as db:
        console.print(f"labelops on [bold]http://{host}:{port}/[/bold] — database {_where(db.url)}")
        if workers == 1:
            db.start_checkpointer()
            background = start_background_jobs(settings, db)
            app = create_app(settings, db)
            # Everything loaded so far lives as long as the server: keep it out of the
            # collector's full passes, whose pauses would otherwise land on requests.
            gc.freeze()
            # A request allocates thousands of short-lived objects; collect the young
            # generation less often (each pass stays small: the survivors are few).
            gc.set_threshold(20_000, 20, 20)
            try:
                _run(app, host, port, access_log)
            finally:
                for job in background:
                    job.stop()
    if workers > 1:  # each worker process opens the database itself, from the environment
        # The background jobs run once, in this supervising process, not in every worker.
        with connect(settings) as db:
            background = start_background_jobs(settings, db)
            try:
                _run(
                    "labelops.web.app:app_from_environment",
                    host,
                    port,
                    access_log,
                    workers=workers,
                )
            finally:
                for job in background:
                    job.stop()


def start_background_jobs(settings: Settings, db: Database) -> list[Periodic]:
    """The rollup refresh every `rollup_seconds`, the risk scan every `risk_scan_minutes`,
    and the webhook sender when a URL is set."""
    jobs = []
    if settings.rollup_seconds > 0:
        jobs.append(
            Periodic("rollup-refresh", settings.rollup_seconds, lambda: analytics.refresh_all(db))
        )
    if settings.risk_scan_minutes:
        jobs.append(
            Periodic(
                "risk-scan",
                settings.risk_scan_minutes * 60.0,
                lambda: analytics.scan_running_projects(db),
            )
        )
    url = settings.webhook_url
    if url:
        secret = settings.webhook_secret
        jobs.append(
            Periodic(
                "webhook-sender",
                WEBHOOK_POLL_SECONDS,
                lambda: webhooks.deliver_due(db, url=url, secret=secret),
            )
        )
    for job in jobs:
        job.start()
    return jobs


def _run(
    app: FastAPI | str, host: str, port: int, access_log: bool, *, workers: int | None = None
) -> None:
    uvicorn.run(
        app,
        host=host,
        port=port,
        factory=isinstance(app, str),
        workers=workers,
        log_level="warning",
        access_log=access_log,
        http="httptools",
        loop="uvloop",
        timeout_graceful_shutdown=5,
    )


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="app processes (worth it on PostgreSQL)")
    ] = 1,
    access_log: Annotated[bool, typer.Option(help="log every request")] = False,
) -> None:
    """Run the web app and API (SQLite by default; LABELOPS_DATABASE_URL for PostgreSQL)."""
    serve_app(Settings(), host=host, port=port, access_log=access_log, workers=workers)


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Option(help="target revision")] = "head",
) -> None:
    """Bring the database schema to the latest revision (or to --revision)."""
    with connect(Settings()) as db:
        migrate.upgrade(db, revision)
        console.print(f"database at revision [bold]{migrate.current_revision(db)}[/bold]")


@db_app.command("current")
def db_current() -> None:
    """Print the database's schema revision and whether it is the latest."""
    with connect(Settings()) as db:
        current = migrate.current_revision(db)
        latest = current == migrate.head_revision(db)
    state = "latest" if latest else "behind: run labelops db upgrade"
    console.print(f"{current or 'empty'} ({state})")


@app.command("import")
def import_items(
    project_id: Annotated[int, typer.Argument(help="project id")],
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="JSONL or CSV file")],
    format: Annotated[
        str | None, typer.Option(help="jsonl or csv (default: from the file name)")
    ] = None,
    as_user: AsUser = None,
) -> None:
    """Import items from a JSONL or CSV file, with a progress bar."""
    from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

    size = path.stat().st_size
    with (
        open_database(Settings()) as db,
        domain_errors(),
        Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=err,
        ) as bar,
        path.open("rb") as stream,
        db.write() as session,
    ):
        task = bar.add_task(f"importing {path.name}", total=size)
        result = projects.import_items(
            session,
            actor=resolve_actor(db, as_user),
            project_id=project_id,
            stream=stream,
            fmt=format,  # type: ignore[arg-type]
            source=path.name,
            on_progress=lambda done: bar.update(task, completed=done),
        )
        bar.update(task, completed=size)
    console.print(
        f"imported [bold]{result.imported:,}[/bold] items, rejected {result.rejected_count:,}"
    )
    for line in result.rejected[:50]:
        console.print(f"  line {line.line}: {line.error} — {line.message}")
    if result.rejected_count > 50:
        console.print(f"  … and {result.rejected_count - 50:,} more")


@app.command("export")
def export_items(
    project_id: Annotated[int, typer.Argument(help="project id")],
    out: Annotated[
        Path | None, typer.Option(help="file to write (default: standard output)")
    ] = None,
    format: Annotated[str, typer.Option(help="jsonl, csv, parquet or xlsx")] = "jsonl",
    raw: Annotated[bool, typer.Option(help="every annotation instead of one row per item")] = False,
    method: Annotated[
        str, typer.Option(help="mv, or ds / ods to add the aggregated label and confidence")
    ] = "mv",
    as_user: AsUser = None,
) -> None:
    """Export items with their majority label and agreement (or --raw annotations). A file is
    written under a temporary name and renamed when complete: never half-written."""
    import sys

    with open_database(Settings()) as db, domain_errors(), db.read() as session:
        plan = reporting.plan_export(
            session,
            actor=resolve_actor(db, as_user),
            project_id=project_id,
            fmt=format,
            raw=raw,
            method=method,
        )
        if out is None:
            for chunk in reporting.stream_export(session, plan):
                sys.stdout.buffer.write(chunk)
            return
        partial = out.with_name(f".{out.name}.partial")
        try:
            with partial.open("wb") as target:
                for chunk in reporting.stream_export(session, plan):
                    target.write(chunk)
            partial.replace(out)
        finally:
            partial.unlink(missing_ok=True)
    err.print(f"wrote {out}")


@app.command("report")
def report(
    project_id: Annotated[int, typer.Argument(help="project id")],
    out: Annotated[Path, typer.Option(help="the workbook to write (.xlsx)")],
    as_user: AsUser = None,
) -> None:
    """Write the project's status report: an Excel workbook with native charts (Summary,
    Progress, Quality, Vendors, Labelers, Risks). Written whole or not at all."""
    with open_database(Settings()) as db, domain_errors(), db.read() as session:
        data = reporting.project_report(
            session, actor=resolve_actor(db, as_user), project_id=project_id
        )
        content = reporting.write_workbook(data)
    partial = out.with_name(f".{out.name}.partial")
    try:
        partial.write_bytes(content)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    err.print(f"wrote {out} ({len(reporting.SHEETS)} sheets)")


def _where(url: str) -> str:
    return url.split("@")[-1] if "@" in url else url
