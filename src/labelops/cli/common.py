"""What every command needs: settings, the database, and who the command acts as."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from pydantic import ValidationError
from rich.console import Console
from sqlalchemy import select

from labelops import migrate
from labelops.auth import SYSTEM, Actor, Role
from labelops.config import Settings
from labelops.db import Database
from labelops.errors import DomainError
from labelops.workforce import User, UserLanguage

console = Console()
err = Console(stderr=True)


@contextmanager
def connect(settings: Settings) -> Iterator[Database]:
    """The configured database, as it is (the data directory is created if needed)."""
    if settings.database_url is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database(
        settings.resolved_database_url(),
        sqlite_synchronous=settings.sqlite_synchronous,
        pool_size=settings.pool_size,
    )
    try:
        yield db
    finally:
        db.dispose()


@contextmanager
def open_database(settings: Settings) -> Iterator[Database]:
    """The configured database, brought to the latest schema if it is the embedded SQLite;
    a PostgreSQL database behind the latest schema is refused with the command to run."""
    with connect(settings) as db:
        if db.is_sqlite:
            migrate.upgrade(db)
        elif not migrate.is_at_head(db):
            err.print(
                "[red]The database schema is not up to date.[/red] "
                "Run [bold]labelops db upgrade[/bold] first."
            )
            raise typer.Exit(2)
        yield db


def resolve_actor(db: Database, username: str | None) -> Actor:
    """The user a command acts as (`--as`); the system actor when none is named."""
    if username is None:
        return SYSTEM
    with db.read() as session:
        user = session.scalars(select(User).where(User.username == username)).one_or_none()
        if user is None:
            err.print(f"[red]No user named {username!r}.[/red]")
            raise typer.Exit(2)
        languages = frozenset(
            session.scalars(select(UserLanguage.language).where(UserLanguage.user_id == user.id))
        )
        return Actor(user.id, user.username, Role(user.role), user.vendor_id, languages)


@contextmanager
def domain_errors() -> Iterator[None]:
    """Print a domain or input error as one clear line per problem and exit non-zero."""
    try:
        yield
    except ValidationError as error:
        for problem in error.errors():
            where = ".".join(str(part) for part in problem["loc"])
            err.print(f"[red]error[/red] invalid {where}: {problem['msg']}")
        raise typer.Exit(1) from None
    except DomainError as error:
        field = getattr(error, "field", None)
        where = f" ({field})" if field else ""
        err.print(f"[red]error[/red] {error.code}{where}: {error.message}")
        raise typer.Exit(1) from None
