"""`labelops risks scan | list`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from labelops import analytics, projects
from labelops.cli.common import console, domain_errors, open_database, resolve_actor
from labelops.config import Settings

app = typer.Typer(help="The risk register.", no_args_is_help=True)


@app.command("scan")
def scan(
    project_id: Annotated[
        int | None, typer.Argument(help="project id (default: every running project)")
    ] = None,
    as_user: Annotated[str | None, typer.Option("--as", help="act as this user")] = None,
) -> None:
    """Run the risk detectors now and record what they find in the register."""
    with open_database(Settings()) as db, domain_errors():
        actor = resolve_actor(db, as_user)
        if project_id is None:
            results = analytics.scan_running_projects(db)
        else:
            with db.write() as session:
                project = projects.require_manageable(session, actor=actor, project_id=project_id)
                results = [analytics.scan_risks(session, project.id)]
    for result in results:
        console.print(
            f"project {result.project_id}: {result.findings} finding(s), "
            f"{len(set(result.risk_ids))} open risk(s) updated or raised"
        )
    if not results:
        console.print("nothing found")


@app.command("list")
def list_risks(
    project_id: Annotated[int, typer.Argument(help="project id")],
    show_all: Annotated[bool, typer.Option("--all", help="resolved risks too")] = False,
    as_user: Annotated[str | None, typer.Option("--as", help="act as this user")] = None,
) -> None:
    """Print a project's register, the most severe first."""
    with open_database(Settings()) as db, domain_errors(), db.read() as session:
        actor = resolve_actor(db, as_user)
        risks = analytics.list_risks(session, actor=actor, project_id=project_id)
    table = Table("id", "severity", "status", "kind", "title", "assignee")
    for risk in risks:
        if show_all or risk.status != "resolved":
            table.add_row(
                str(risk.id),
                risk.severity,
                risk.status,
                risk.kind,
                risk.title,
                risk.assignee or "",
            )
    console.print(table)
