"""Fresh, migrated test databases on either engine.

SQLite (default): a migrated template file, copied for each new database.
PostgreSQL (`LABELOPS_TEST_DATABASE_URL` = a URL of a server database we may create databases
from, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres): a migrated template
database, cloned with CREATE DATABASE … TEMPLATE, dropped at the end of the run.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from labelops import migrate
from labelops.db import Database

SERVER_URL = os.environ.get("LABELOPS_TEST_DATABASE_URL")
ENGINE = "postgresql" if SERVER_URL else "sqlite"


class DatabaseFactory:
    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.created: list[str] = []
        self._prefix = f"labelops_test_{uuid.uuid4().hex[:8]}"
        self._template = self._make_template()

    def new_url(self) -> str:
        """The URL of a new database holding the latest schema and no rows."""
        name = f"{self._prefix}_{len(self.created) + 1}"
        self.created.append(name)
        if SERVER_URL is None:
            path = self.workdir / f"{name}.sqlite3"
            shutil.copyfile(self._template, path)
            return f"sqlite:///{path}"
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self._template}"')
        return self._url_for(name)

    def new(self) -> Database:
        return Database(self.new_url(), pool_size=40)

    def cleanup(self) -> None:
        if SERVER_URL is None:
            return
        for name in [*self.created, self._template]:
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _make_template(self) -> str:
        if SERVER_URL is None:
            path = self.workdir / "template.sqlite3"
            db = Database(f"sqlite:///{path}")
            migrate.upgrade(db)
            with db.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            db.dispose()
            return str(path)
        name = f"{self._prefix}_template"
        self._admin(f'CREATE DATABASE "{name}"')
        db = Database(self._url_for(name))
        migrate.upgrade(db)
        db.dispose()
        return name

    def _url_for(self, name: str) -> str:
        assert SERVER_URL is not None
        return make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)

    def _admin(self, statement: str) -> None:
        assert SERVER_URL is not None
        engine = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(statement))
        finally:
            engine.dispose()
