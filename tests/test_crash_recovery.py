"""A server killed with SIGKILL while labelers submit loses no submission it acknowledged."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from labelops import annotation
from labelops.auth import Role
from labelops.db import Database
from tests.conftest import free_port
from tests.factories import PASSWORD, make_items, make_project, make_user
from tests.invariants import queue_violations

pytestmark = pytest.mark.slow


class ServerProcess:
    def __init__(self, url: str, workdir: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "LABELOPS_DATABASE_URL": url, "LABELOPS_DATA_DIR": str(workdir)}
        self.log = workdir / f"server-{self.port}.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "labelops", "serve", "--port", str(self.port)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)
        self.process.kill()
        raise RuntimeError(f"server did not start: {self.log.read_text()}")

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def labeler_loop(base: str, username: str, project_id: int, acknowledged: list[int]) -> None:
    """Label until the server goes away; remember every submission answered 2xx."""
    with httpx.Client(base_url=base, timeout=5) as client:
        token = client.post("/api/v1/tokens", json={"username": username, "password": PASSWORD})
        client.headers["Authorization"] = f"Bearer {token.json()['token']}"
        while True:
            try:
                lease = client.get(f"/api/v1/projects/{project_id}/next")
                if lease.status_code != 200:
                    return
                answer = client.post(
                    f"/api/v1/assignments/{lease.json()['assignment_id']}/submit",
                    json={"labels": ["ok"], "duration_ms": 50},
                )
            except httpx.TransportError:
                return  # the server was killed
            if answer.is_success:
                acknowledged.append(answer.json()["id"])


def test_every_acknowledged_submission_survives_sigkill(databases, tmp_path):
    url = databases.new_url()
    db = Database(url)
    with db.write() as session:
        pat = make_user(session, "pat", Role.PM)
        project = make_project(session, pat, overlap=2)
        make_items(session, pat, project, 3000)
        names = [make_user(session, f"labeler{i}").username for i in range(8)]
    server = ServerProcess(url, tmp_path)
    acknowledged: list[int] = []
    threads = [
        threading.Thread(target=labeler_loop, args=(server.base, name, project.id, acknowledged))
        for name in names
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while len(acknowledged) < 200 and time.monotonic() < deadline:
        time.sleep(0.05)

    server.kill()
    for thread in threads:
        thread.join(timeout=30)
    restarted = ServerProcess(url, tmp_path)

    try:
        with db.read() as session:
            stored = set(session.scalars(select(annotation.Annotation.id)))
            problems = queue_violations(session, project.id)
        assert len(acknowledged) >= 200, "the labelers should have been busy when the kill came"
        assert set(acknowledged) <= stored
        assert problems == []
        labeler = httpx.Client(base_url=restarted.base, timeout=5)
        token = labeler.post("/api/v1/tokens", json={"username": names[0], "password": PASSWORD})
        labeler.headers["Authorization"] = f"Bearer {token.json()['token']}"
        assert labeler.get(f"/api/v1/projects/{project.id}/next").status_code == 200
        labeler.close()
    finally:
        restarted.stop()
        db.dispose()
