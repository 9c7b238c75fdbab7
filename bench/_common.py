"""What the benchmarks share: a labelops server in a subprocess, setup over the public HTTP API,
and process figures read from /proc (Linux)."""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson

ADMIN_USER = "benchadmin"
ADMIN_PASSWORD = "bench-admin-password"
LABELER_PASSWORD = "bench-labeler-password"
API = "/api/v1"
_CLK_TCK = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


# --- a server of our own ----------------------------------------------------------------------


@dataclass
class Server:
    """A labelops server: one we started (process set) or one given by URL."""

    url: str
    process: subprocess.Popen[bytes] | None = None
    pid: int | None = None
    data_dir: Path | None = None
    database_url: str | None = None
    log_path: Path | None = None
    _tempdir: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)

    def cli_env(self) -> dict[str, str]:
        """Environment for `python -m labelops …` on this server's database."""
        env = dict(os.environ)
        if self.data_dir is not None:
            env["LABELOPS_DATA_DIR"] = str(self.data_dir)
        if self.database_url is not None:
            env["LABELOPS_DATABASE_URL"] = self.database_url
        return env

    def sqlalchemy_url(self) -> str | None:
        """The database URL the server uses, when we know it."""
        if self.database_url:
            return self.database_url
        if self.data_dir is not None:
            return f"sqlite:///{self.data_dir / 'labelops.sqlite3'}"
        return None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._tempdir is not None:
            self._tempdir.cleanup()
            self._tempdir = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def labelops_cli(*args: str, env: dict[str, str], check: bool = True) -> str:
    """Run `python -m labelops ARGS` and return its output."""
    done = subprocess.run(
        [sys.executable, "-m", "labelops", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if check and done.returncode != 0:
        raise RuntimeError(f"labelops {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout + done.stderr


def start_server(
    *,
    database_url: str | None = None,
    data_dir: Path | None = None,
    keep: bool = False,
) -> Server:
    """A fresh `labelops serve` on a free port, with its first admin (benchadmin) created through
    the CLI. SQLite in a temporary data directory unless `database_url` is given (then the
    schema is upgraded first, and an existing benchadmin is reused)."""
    tempdir = None
    if data_dir is None:
        tempdir = tempfile.TemporaryDirectory(prefix="labelops-bench-")
        data_dir = Path(tempdir.name)
    server = Server(url="", data_dir=data_dir, database_url=database_url, _tempdir=tempdir)
    if keep:
        server._tempdir = None
        print(f"# server data directory (kept): {data_dir}")
    env = server.cli_env()
    if database_url is not None:
        labelops_cli("db", "upgrade", env=env)
    out = labelops_cli(
        "users",
        "create",
        ADMIN_USER,
        "--role",
        "admin",
        "--password",
        ADMIN_PASSWORD,
        env=env,
        check=False,
    )
    if "created" not in out and "taken" not in out:  # taken: a database used before
        print(f"# warning: creating {ADMIN_USER} said: {out.strip()}")
    port = free_port()
    server.url = f"http://127.0.0.1:{port}"
    server.log_path = data_dir / "server.log"
    log = server.log_path.open("wb")
    server.process = subprocess.Popen(
        [sys.executable, "-m", "labelops", "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    server.pid = server.process.pid
    _wait_until_up(server)
    return server


def _wait_until_up(server: Server, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    assert server.process is not None
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            log = server.log_path.read_text() if server.log_path else ""
            raise RuntimeError(f"the server exited with {server.process.returncode}:\n{log}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{server.url}{API}/health", timeout=1).status_code == 200:
                return
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"the server did not answer within {timeout:.0f} s")


@contextlib.contextmanager
def server_for(
    *,
    url: str | None,
    serve: bool,
    database_url: str | None = None,
    server_pid: int | None = None,
    keep: bool = False,
) -> Iterator[Server]:
    """The server a benchmark runs against: started here (`serve`) or given by URL."""
    if serve:
        server = start_server(database_url=database_url, keep=keep)
        print(
            f"# started labelops serve at {server.url} (pid {server.pid}), "
            f"database {server.database_url or 'SQLite in ' + str(server.data_dir)}"
        )
        try:
            yield server
        finally:
            server.stop()
        return
    if url is None:
        raise SystemExit("give --url URL of a running server, or --serve")
    yield Server(url=url.rstrip("/"), pid=server_pid, database_url=database_url)


# --- the public API, synchronously (setup and checks) -----------------------------------------


class ApiError(RuntimeError):
    pass


class Api:
    """The few calls of the Core API the benchmarks set things up with."""

    def __init__(self, base_url: str, token: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.client = httpx.Client(
            base_url=self.base_url + API,
            headers=headers,
            timeout=httpx.Timeout(3600.0, connect=10.0),
        )

    def close(self) -> None:
        self.client.close()

    def _check(self, response: httpx.Response) -> Any:
        if response.status_code >= 400:
            raise ApiError(
                f"{response.request.method} {response.request.url} → {response.status_code}: "
                f"{response.text[:500]}"
            )
        return orjson.loads(response.content) if response.content else None

    def token(self, username: str, password: str) -> str:
        body = self._check(
            self.client.post("/tokens", json={"username": username, "password": password})
        )
        return str(body["token"])

    def as_user(self, username: str, password: str) -> Api:
        return Api(self.base_url, self.token(username, password))

    def create_user(
        self,
        username: str,
        role: str = "labeler",
        languages: Sequence[str] = ("en",),
        password: str = LABELER_PASSWORD,
    ) -> dict[str, Any]:
        body = {
            "username": username,
            "password": password,
            "role": role,
            "languages": list(languages),
        }
        result: dict[str, Any] = self._check(self.client.post("/users", json=body))
        return result

    def create_project(
        self,
        name: str,
        *,
        languages: Sequence[str] = ("en",),
        overlap: int = 1,
        labels: Sequence[str] = ("ok", "abuse"),
    ) -> int:
        body = {
            "name": name,
            "languages": list(languages),
            "overlap": overlap,
            "label_schema": {"kind": "single", "labels": list(labels)},
        }
        return int(self._check(self.client.post("/projects", json=body))["id"])

    def import_jsonl(self, project_id: int, content: bytes | Iterable[bytes]) -> dict[str, Any]:
        response = self.client.post(
            f"/projects/{project_id}/items",
            content=content,
            headers={"Content-Type": "application/x-ndjson"},
        )
        result: dict[str, Any] = self._check(response)
        return result

    @contextlib.contextmanager
    def export(self, project_id: int, **params: str) -> Iterator[httpx.Response]:
        with self.client.stream("GET", f"/projects/{project_id}/export", params=params) as resp:
            if resp.status_code >= 400:
                resp.read()
                self._check(resp)
            yield resp


def run_id() -> str:
    """A short tag that keeps names unique when a benchmark runs twice against one server."""
    return secrets.token_hex(3)


def create_labelers(admin: Api, count: int, prefix: str) -> list[tuple[str, str]]:
    """`count` labelers reading English, as (username, token)."""
    labelers = []
    for number in range(1, count + 1):
        name = f"{prefix}-l{number:03d}"
        admin.create_user(name)
        labelers.append((name, admin.token(name, LABELER_PASSWORD)))
    return labelers


# --- /proc figures -----------------------------------------------------------------------------


def rss_bytes(pid: int) -> int:
    """Resident set size of a process now; 0 if it is gone."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads) so far."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _CLK_TCK


def postgres_backends(database_url: str) -> dict[int, float]:
    """CPU seconds so far of every local PostgreSQL backend serving the URL's database, by pid
    (found by their process title, `postgres: … <user> <database> …`)."""
    database = database_url.rsplit("/", 1)[-1].split("?")[0].encode()
    found: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                title = cmdline.read()
        except OSError:
            continue
        if title.startswith(b"postgres:") and database in title.split():
            found[int(entry)] = cpu_seconds(int(entry))
    return found


def postgres_cpu_between(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds the backends used between two `postgres_backends` readings."""
    return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine, summed over its cores."""
    with open("/proc/stat", "rb") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    idle = values[3] + values[4]
    total = sum(values[:8])
    return (total - idle) / _CLK_TCK, total / _CLK_TCK


class MachineLoad:
    """How busy the whole machine was between enter and exit: 100% = every core busy."""

    def __init__(self) -> None:
        self.pct = float("nan")
        self._start = (0.0, 0.0)

    def __enter__(self) -> MachineLoad:
        self._start = machine_cpu()
        return self

    def __exit__(self, *exc: object) -> None:
        busy, total = machine_cpu()
        self.pct = round(100 * (busy - self._start[0]) / max(total - self._start[1], 1e-9), 1)


class RssSampler:
    """Polls a process's RSS in a thread and keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        self.pid = pid
        self.interval = interval
        self.baseline = rss_bytes(pid)
        self.peak = self.baseline
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_bytes(self.pid))
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_bytes(self.pid))


# --- figures -----------------------------------------------------------------------------------


def percentile(ordered: Sequence[float], q: float) -> float:
    """Nearest-rank percentile of an ascending sequence (nan if empty)."""
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def mib(value: float) -> str:
    return f"{value / 2**20:,.0f} MiB"


def machine_summary() -> str:
    cores = os.cpu_count() or 0
    model = ""
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    mem = 0
    with contextlib.suppress(OSError), open("/proc/meminfo") as info:
        mem = int(info.readline().split()[1]) * 1024
    return f"{cores} cores ({model or 'unknown CPU'}), {mem / 2**30:.0f} GiB RAM"
