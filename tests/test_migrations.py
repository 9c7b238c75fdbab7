"""Migrations: one head, upgrade from empty, and the models say what the migrations build."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from labelops import migrate
from labelops.registry import metadata


def test_there_is_exactly_one_head(shared_db):
    script = ScriptDirectory.from_config(migrate.alembic_config(shared_db))

    assert len(script.get_heads()) == 1


def test_upgrade_from_an_empty_database_reaches_head(databases):
    from tests.databases import SERVER_URL

    if SERVER_URL is None:
        import tempfile
        from pathlib import Path

        from labelops.db import Database

        db = Database(f"sqlite:///{Path(tempfile.mkdtemp()) / 'empty.sqlite3'}")
    else:
        db = databases.new()  # a clone of the migrated template: downgrade it to empty first
        from alembic import command

        command.downgrade(migrate.alembic_config(db), "base")
    assert migrate.current_revision(db) is None

    migrate.upgrade(db)

    assert migrate.is_at_head(db)
    db.dispose()


# Alembic cannot compare an index with an expression (priority DESC) on either engine; its
# presence is checked by name below instead.
EXPRESSION_INDEXES = {"ix_queue_entries_open"}


def _comparable(obj, name, type_, reflected, compare_to):
    return not (type_ == "index" and name in EXPRESSION_INDEXES)


def test_the_models_match_the_migrated_schema(shared_db):
    with shared_db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"compare_type": True, "include_object": _comparable},
        )
        differences = compare_metadata(context, metadata)

    assert differences == []


def test_the_queue_index_holds_only_items_with_open_slots(shared_db):
    with shared_db.engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            sql = connection.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE name = 'ix_queue_entries_open'"
            ).scalar_one()
        else:
            sql = connection.exec_driver_sql(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_queue_entries_open'"
            ).scalar_one()

    assert "priority DESC" in sql
    assert "open_slots > 0" in sql
