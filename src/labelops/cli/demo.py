"""`labelops demo`: a fresh, populated instance in one command."""

from __future__ import annotations

import time
from typing import Annotated

import typer
from rich.table import Table

from labelops import migrate
from labelops.cli.common import console
from labelops.config import Settings
from labelops.db import Database
from labelops.demo.seed import PASSWORD, PEOPLE, build_demo


def demo(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    items: Annotated[
        int, typer.Option(min=20, max=100_000, help="items in the main project")
    ] = 300,
    serve: Annotated[bool, typer.Option(help="start the server once the demo is built")] = True,
) -> None:
    """Build a demo instance (its own SQLite file, recreated each time) and serve it."""
    settings = Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = settings.data_dir / "demo.sqlite3"
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    started = time.perf_counter()
    with console.status("building the demo instance…"):
        db = Database(url)
        try:
            migrate.upgrade(db)
            summary = build_demo(db, items=items)
        finally:
            db.dispose()
    console.print(
        f"demo built in {time.perf_counter() - started:.1f} s: {summary.items} items, "
        f"{summary.annotations} annotations, database {path}"
    )
    table = Table("login", "role", "vendor", "languages", title=f"password for all: {PASSWORD}")
    for person in PEOPLE:
        table.add_row(
            person.username, person.role.value, person.vendor or "", ", ".join(person.languages)
        )
    console.print(table)
    if serve:
        from labelops.cli.app import serve_app

        demo_settings = settings.model_copy(update={"database_url": url})
        console.print(f"open [bold]http://{host}:{port}/[/bold] and log in as pat (PM) or alice")
        serve_app(demo_settings, host=host, port=port, access_log=False)
