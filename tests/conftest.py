"""Fixtures: real databases (SQLite, or PostgreSQL with LABELOPS_TEST_DATABASE_URL), a
savepoint-isolated session for service tests, and a live HTTP server for API tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import argon2
import httpx
import pytest
import uvicorn
from sqlalchemy.orm import Session

from labelops import workforce
from labelops.config import Settings
from labelops.db import Database
from labelops.web.app import create_app
from tests.databases import ENGINE, DatabaseFactory
from tests.factories import PASSWORD, Personas, make_personas


def pytest_report_header() -> str:
    return f"labelops test database engine: {ENGINE}"


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> Iterator[None]:
    # Still argon2id, with the library's cheapest parameters: hashing a persona's password in
    # every test would otherwise dominate the run.
    original = workforce.service.password_hasher
    workforce.service.password_hasher = argon2.PasswordHasher.from_parameters(
        argon2.profiles.CHEAPEST
    )
    yield
    workforce.service.password_hasher = original


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(tmp_path_factory.mktemp("databases"))
    yield factory
    factory.cleanup()


@pytest.fixture
def db(databases: DatabaseFactory) -> Iterator[Database]:
    """A fresh database of its own, for tests that commit (HTTP, concurrency)."""
    database = databases.new()
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def shared_db(databases: DatabaseFactory) -> Iterator[Database]:
    database = databases.new()
    yield database
    database.dispose()


@pytest.fixture
def session(shared_db: Database) -> Iterator[Session]:
    """A session whose work is rolled back after the test (its commits become savepoints)."""
    with shared_db.engine.connect() as connection:
        transaction = connection.begin()
        with Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        ) as test_session:
            yield test_session
        transaction.rollback()


@pytest.fixture
def personas(session: Session) -> Personas:
    return make_personas(session)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class LiveServer:
    """The real app on a real socket, in a thread of the test process."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        app = create_app(Settings(data_dir=Path("/nonexistent")), db)
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._clients: list[httpx.Client] = []

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("test server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        for client in self._clients:
            client.close()
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def client(self, username: str | None = None) -> httpx.Client:
        """An HTTP client, with an API token for `username` when one is given."""
        client = httpx.Client(base_url=self.url, timeout=30)
        self._clients.append(client)
        if username is not None:
            response = client.post(
                "/api/v1/tokens", json={"username": username, "password": PASSWORD}
            )
            response.raise_for_status()
            client.headers["Authorization"] = f"Bearer {response.json()['token']}"
        return client


@pytest.fixture
def server(db: Database) -> Iterator[LiveServer]:
    live = LiveServer(db)
    live.start()
    yield live
    live.stop()


@pytest.fixture
def people(db: Database) -> Personas:
    """The personas, committed in the fresh database (for HTTP tests)."""
    with db.write() as write_session:
        return make_personas(write_session)
