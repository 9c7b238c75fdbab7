"""`labelops users create | list`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from labelops import workforce
from labelops.auth import Role
from labelops.cli.common import console, domain_errors, open_database, resolve_actor
from labelops.config import Settings

app = typer.Typer(help="Users and their roles.", no_args_is_help=True)


@app.command("create")
def create(
    username: Annotated[str, typer.Argument()],
    role: Annotated[Role, typer.Option(help="the user's role")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    vendor: Annotated[str | None, typer.Option(help="vendor name (created if new)")] = None,
    language: Annotated[
        list[str] | None, typer.Option(help="a language the user reads; repeat for more")
    ] = None,
    as_user: Annotated[str | None, typer.Option("--as", help="act as this user")] = None,
) -> None:
    """Create a user (the first admin, say)."""
    with open_database(Settings()) as db, domain_errors(), db.write() as session:
        actor = resolve_actor(db, as_user)
        data = workforce.NewUser(
            username=username,
            password=password,
            role=role,
            vendor=vendor,
            languages=language or [],
        )
        user = workforce.create_user(session, actor=actor, data=data)
    console.print(f"created {role.value} [bold]{user.username}[/bold] (id {user.id})")


@app.command("list")
def list_users(
    role: Annotated[Role | None, typer.Option(help="only this role")] = None,
) -> None:
    """List users with their role, vendor and languages."""
    with open_database(Settings()) as db, db.read() as session:
        rows = workforce.list_users(session, actor=resolve_actor(db, None), role=role)
    table = Table("id", "username", "role", "vendor", "languages", "active")
    for user in rows:
        table.add_row(
            str(user.id),
            user.username,
            user.role.value,
            user.vendor or "",
            ", ".join(user.languages),
            "yes" if user.is_active else "no",
        )
    console.print(table)
