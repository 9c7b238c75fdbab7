"""The webhook sender: delivers the outbox (`notify.WebhookMessage`) to the configured URL.

Each due message is POSTed as JSON `{"id", "event", "created_at", "payload"}` with the headers
`X-Labelops-Event`, `X-Labelops-Delivery` (the message id: a receiver drops repeats by it) and,
with a secret, `X-Labelops-Signature: sha256=<hex HMAC-SHA256 of the body>`. A 2xx answer marks
the message delivered; anything else (an error status, a refused connection, a timeout) counts
an attempt, keeps the error and schedules the next try after an exponential backoff (30 s,
1 min, 2 min… at most an hour), forever: delivery is at least once. The request is made outside
any transaction, so a slow receiver never holds the database; a crash between the answer and
the bookkeeping sends the message again.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import orjson
from sqlalchemy import select

from labelops.db import Database, utcnow
from labelops.notify import WebhookMessage

log = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Labelops-Signature"
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)
BATCH = 50
TIMEOUT_SECONDS = 10.0


def sign(secret: str, body: bytes) -> str:
    """The signature header's value for `body`: what a receiver recomputes to trust it."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def backoff(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed try (30 s doubling, at most an hour)."""
    wait: timedelta = FIRST_RETRY * 2 ** max(0, attempts - 1)
    return min(wait, LONGEST_RETRY)


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    delivered: int
    failed: int


def deliver_due(
    db: Database,
    *,
    url: str,
    secret: str | None = None,
    now: datetime | None = None,
    batch: int = BATCH,
) -> DeliveryReport:
    """Send every message that is due (oldest first), and record each outcome."""
    now = now or utcnow()
    with db.read() as session:
        due = session.execute(
            select(
                WebhookMessage.id,
                WebhookMessage.event,
                WebhookMessage.created_at,
                WebhookMessage.payload,
            )
            .where(WebhookMessage.delivered_at.is_(None), WebhookMessage.next_attempt_at <= now)
            .order_by(WebhookMessage.id)
            .limit(batch)
        ).all()
    delivered = failed = 0
    for message_id, event, created_at, payload in due:
        body = orjson.dumps(
            {"id": message_id, "event": event, "created_at": created_at, "payload": payload}
        )
        error = _post(url, secret, body, event, message_id)
        _record(db, message_id, error)
        if error is None:
            delivered += 1
        else:
            failed += 1
    return DeliveryReport(delivered=delivered, failed=failed)


def _post(url: str, secret: str | None, body: bytes, event: str, message_id: int) -> str | None:
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "labelops-webhook",
        "X-Labelops-Event": event,
        "X-Labelops-Delivery": str(message_id),
    }
    if secret:
        headers[SIGNATURE_HEADER] = sign(secret, body)
    if not url.startswith(("http://", "https://")):
        return f"not an http(s) URL: {url!r}"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            status = int(response.status)
    except urllib.error.HTTPError as refused:
        return f"HTTP {refused.code} {refused.reason}"
    except (urllib.error.URLError, OSError, ValueError) as broken:
        return f"{type(broken).__name__}: {broken}"
    return None if 200 <= status < 300 else f"HTTP {status}"


def _record(db: Database, message_id: int, error: str | None) -> None:
    with db.write() as session:
        message = session.get(WebhookMessage, message_id)
        if message is None or message.delivered_at is not None:
            return  # another sender got there first
        now = utcnow()
        message.attempts += 1
        if error is None:
            message.delivered_at, message.last_error = now, None
        else:
            message.last_error = error[:2000]
            message.next_attempt_at = now + backoff(message.attempts)


class Periodic:
    """Runs `job` every `interval` seconds in a daemon thread until stopped; a failing run is
    logged and the next one comes on time (a background duty must not stop the server)."""

    def __init__(self, name: str, interval: float, job: Callable[[], object]) -> None:
        self._job = job
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    @property
    def name(self) -> str:
        return self._thread.name

    def start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self._job()
            except Exception:
                log.exception("background job %s failed; it will run again", self._thread.name)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=15)
