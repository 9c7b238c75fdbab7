"""Schema migrations (Alembic, shipped inside the package): upgrade, and where a database is."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from labelops.db import Database


def alembic_config(db: Database) -> Config:
    config = Config()
    config.set_main_option("script_location", "labelops:migrations")
    config.attributes["engine"] = db.engine
    return config


def upgrade(db: Database, revision: str = "head") -> None:
    """Bring the database to `revision` (default: the latest)."""
    command.upgrade(alembic_config(db), revision)


def head_revision(db: Database) -> str:
    heads = ScriptDirectory.from_config(alembic_config(db)).get_heads()
    if len(heads) != 1:
        raise RuntimeError(f"migrations have {len(heads)} heads; there must be exactly one")
    return heads[0]


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_at_head(db: Database) -> bool:
    return current_revision(db) == head_revision(db)
