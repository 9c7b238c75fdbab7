"""Persistence plumbing shared by every context: the declarative base, column types that behave
the same on SQLite and PostgreSQL, and `Database`, which owns the engine and the transactions.

Transactions: a request or CLI command opens exactly one, through `Database.read()` or
`Database.write()`; service functions flush but never commit.

SQLite: a write transaction starts with `BEGIN IMMEDIATE` so that two writers never meet halfway
through (a deferred transaction that upgrades to a write lock fails instead of waiting), and the
writers of one process queue on a lock in Python rather than in SQLite's sleep-and-retry busy
handler, whose back-off would put tens of milliseconds on a labeler's request. Writers in other
processes (a CLI import beside the server) still wait through `busy_timeout`.
"""

from __future__ import annotations

import collections
import logging
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeAlias, cast

import orjson
from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Engine,
    Integer,
    MetaData,
    Select,
    Table,
    create_engine,
    event,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import DeclarativeBase, Session
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.types import TypeDecorator

log = logging.getLogger("labelops.db")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table(model: type[Base]) -> Table:
    """A model's Table, for Core statements on hot paths (no ORM unit-of-work overhead)."""
    return cast(Table, model.__table__)


AnySelect: TypeAlias = Select[*tuple[Any, ...]]


# A BIGINT primary key is not an alias of SQLite's rowid (and so is slower there).
IdType = BigInteger().with_variant(Integer(), "sqlite")
JsonType = JSON(none_as_null=True).with_variant(postgresql.JSONB(none_as_null=True), "postgresql")


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on both engines (SQLite stores them naive, in UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; labelops stores timezone-aware UTC only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _json_dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def make_engine(url: str, *, sqlite_synchronous: str = "NORMAL", pool_size: int = 20) -> Engine:
    """An engine tuned for labelops on either engine."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 30},
            pool_size=pool_size,
            # Every session ends its own transaction (commit, or rollback on close), so the
            # pool's extra rollback on each check-in would only cost time.
            pool_reset_on_return=None,
            max_overflow=pool_size,
            json_serializer=_json_dumps,
            json_deserializer=orjson.loads,
        )
        _tune_sqlite(engine, sqlite_synchronous)
        return engine
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        json_serializer=_json_dumps,
        json_deserializer=orjson.loads,
    )


def _tune_sqlite(engine: Engine, synchronous: str) -> None:
    if synchronous not in ("NORMAL", "FULL"):
        raise ValueError(f"sqlite synchronous must be NORMAL or FULL, not {synchronous!r}")

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy, not the sqlite3 module, decide where transactions begin (the
        # documented pysqlite recipe; it also makes SAVEPOINT work).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            f"synchronous={synchronous}",
            "foreign_keys=ON",
            "busy_timeout=30000",
            "cache_size=-65536",
            "temp_store=MEMORY",
            "journal_size_limit=67108864",
            # A safety net only: the server checkpoints in the background (see Checkpointer),
            # so a labeler's commit does not stop to copy the log into the database.
            "wal_autocheckpoint=10000",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        write = connection.get_execution_options().get("labelops_write", False)
        # Straight to the driver: this runs at the start of every transaction.
        connection.connection.driver_connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")


class Checkpointer:
    """Copies SQLite's write-ahead log into the database file every second, in a thread of its
    own. A PASSIVE checkpoint never blocks writers, and it keeps the copy (and its fsync) out of
    the requests, which would otherwise pay for it every thousand pages or so."""

    def __init__(self, engine: Engine, interval: float = 1.0) -> None:
        self._engine = engine
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpointer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            # A raw connection, outside any transaction: a checkpoint cannot run inside one.
            connection = self._engine.raw_connection()
            try:
                connection.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)")
            except Exception:
                log.warning("background WAL checkpoint failed; retrying", exc_info=True)
            finally:
                connection.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


class Database:
    """The engine and the two kinds of transaction a request or command can open."""

    def __init__(self, url: str, *, sqlite_synchronous: str = "NORMAL", pool_size: int = 20):
        self.url = url
        self.engine = make_engine(url, sqlite_synchronous=sqlite_synchronous, pool_size=pool_size)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self._write_engine = self.engine.execution_options(labelops_write=True)
        # Reentrant: a request that claimed the writer up front (see web/executor.py) then
        # opens its write transaction under the same lock.
        self._write_lock = threading.RLock() if self.is_sqlite else None
        self._checkpointer: Checkpointer | None = None

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A transaction for reading; anything written in it is rolled back."""
        with Session(self.engine, expire_on_commit=False) as session:
            yield session  # closing the session rolls its transaction back

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction, committed when the block ends without an exception."""
        with (
            self._write_lock or nullcontext(),
            Session(self._write_engine, expire_on_commit=False) as session,
            session.begin(),
        ):
            yield session

    def claim_writer_now(self) -> bool:
        """Take SQLite's in-process write lock if it is free at this instant (never waits);
        False on PostgreSQL, which has no such lock."""
        return self._write_lock is not None and self._write_lock.acquire(blocking=False)

    def release_writer(self) -> None:
        assert self._write_lock is not None
        self._write_lock.release()

    def start_checkpointer(self) -> None:
        """For a long-running SQLite server: checkpoint in the background (no-op elsewhere)."""
        if self.is_sqlite and self._checkpointer is None:
            self._checkpointer = Checkpointer(self.engine)

    def dispose(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None
        self.engine.dispose()


# --- The labeling loop's statements, executed on the driver's cursor ---------------------------


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    positional: tuple[str, ...] | None  # parameter names in order (qmark); None: by name
    defaults: dict[str, Any]  # values the statement carries itself (a literal in a WHERE)
    converters: dict[str, Callable[[Any], Any]]
    row: Any  # a namedtuple class
    columns: tuple[Any, ...]  # the statement's result columns, for their types
    # Built at the first execution: some drivers' result processors need the column type code
    # that only the cursor's description gives.
    readers: list[tuple[Callable[[Any], Any] | None, ...]]


class FastStatement:
    """A Core statement compiled once per dialect and run straight on the driver's cursor.

    The labeling loop runs a handful of small statements per request; SQLAlchemy's execution
    path (context, events, result objects) costs about 35 µs for each, the statement itself a few.
    Values still cross exactly as SQLAlchemy would convert them: each bind and each result column
    goes through its type's own `bind_processor` / `result_processor` for the dialect. Statements
    whose SQL changes at execution (expanding IN lists) are refused when compiled.
    """

    def __init__(self, statement: Any, *, insert_columns: Sequence[str] = ()) -> None:
        self._statement = statement
        self._insert_columns = list(insert_columns) or None
        self._by_dialect: dict[str, _Compiled] = {}

    def run(self, connection: Connection, params: Mapping[str, Any]) -> FastResult:
        sql, arguments = self.bind(connection.dialect, params)
        driver = connection.connection.driver_connection
        assert driver is not None, "the connection was closed"
        cursor = driver.cursor()
        cursor.execute(sql, arguments)
        compiled = self._by_dialect[connection.dialect.name]
        if not compiled.readers and cursor.description is not None:
            compiled.readers.append(
                tuple(
                    column.type.dialect_impl(connection.dialect).result_processor(
                        connection.dialect, description[1]
                    )
                    for column, description in zip(
                        compiled.columns, cursor.description, strict=True
                    )
                )
            )
        return FastResult(cursor, compiled)

    def bind(self, dialect: Dialect, params: Mapping[str, Any]) -> tuple[str, Any]:
        """The SQL for this dialect and the driver's arguments for `params` (a tuple in order,
        or a mapping for drivers that take parameters by name)."""
        compiled = self._by_dialect.get(dialect.name) or self._compile(dialect)
        values = {**compiled.defaults, **params}
        for name, convert in compiled.converters.items():
            value = values.get(name)
            if value is not None:
                values[name] = convert(value)
        if compiled.positional is None:
            return compiled.sql, values
        return compiled.sql, tuple(values[name] for name in compiled.positional)

    def _compile(self, dialect: Dialect) -> _Compiled:
        compiled = self._statement.compile(dialect=dialect, column_keys=self._insert_columns)
        sql = str(compiled)
        if "POSTCOMPILE" in sql:
            raise ValueError("a FastStatement cannot hold parameters expanded at execution")
        binds = compiled.binds
        converters = {}
        defaults = {}
        for name, bind in binds.items():
            processor = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None:
                converters[name] = processor
            if not bind.required and bind.value is not None:
                defaults[name] = bind.value
        columns = list(self._statement.exported_columns)
        result = _Compiled(
            sql=sql,
            positional=tuple(compiled.positiontup) if compiled.positiontup else None,
            defaults=defaults,
            converters=converters,
            row=collections.namedtuple("Row", [c.key for c in columns], rename=True),
            columns=tuple(columns),
            readers=[],
        )
        self._by_dialect[dialect.name] = result
        return result


class FastResult:
    """The rows (converted) and row count of a FastStatement's execution."""

    def __init__(self, cursor: Any, compiled: _Compiled) -> None:
        self._cursor = cursor
        self._compiled = compiled

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)

    def all(self) -> list[Any]:
        return [self._convert(raw) for raw in self._cursor.fetchall()]

    def one_or_none(self) -> Any:
        raw = self._cursor.fetchone()
        return None if raw is None else self._convert(raw)

    def one(self) -> Any:
        row = self.one_or_none()
        if row is None:
            raise LookupError("the statement returned no row")
        return row

    def scalar(self) -> Any:
        row = self.one_or_none()
        return None if row is None else row[0]

    def _convert(self, raw: Sequence[Any]) -> Any:
        readers = self._compiled.readers[0]
        return self._compiled.row._make(
            value if reader is None or value is None else reader(value)
            for reader, value in zip(readers, raw, strict=True)
        )
