"""Webhook delivery from the outbox to a real HTTP receiver started by the test: signed
bodies, retries with exponential backoff after a failure, at least once."""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import orjson
import pytest
import time_machine

from labelops import analytics, notify, webhooks
from labelops.auth import SYSTEM
from tests.factories import make_project

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SECRET = "s3cret"


class Receiver:
    """A local HTTP server that records what it receives and fails the first `failures`."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.received: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                failing = receiver.failures > 0
                receiver.failures -= 1
                self.send_response(503 if failing else 204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    yield found
    found.close()


def _raise_risk(db) -> int:
    with db.write() as session:
        project = make_project(session, SYSTEM)
        risk = analytics.record_risk(
            session,
            project_id=project.id,
            kind="quality_below_target",
            subject="gold",
            severity="high",
            title="Gold accuracy 50 % is below the target 90 %",
            evidence={"accuracy": 0.5},
        )
        return risk.id


def _messages(db) -> list[notify.WebhookMessage]:
    from sqlalchemy import select

    with db.read() as session:
        return list(
            session.scalars(select(notify.WebhookMessage).order_by(notify.WebhookMessage.id))
        )


def test_a_committed_risk_reaches_the_webhook_signed(db, receiver):
    with time_machine.travel(T0, tick=False):
        risk_id = _raise_risk(db)

        report = webhooks.deliver_due(db, url=receiver.url, secret=SECRET)

    assert (report.delivered, report.failed) == (1, 0)
    [(headers, body)] = receiver.received
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Labelops-Signature"] == expected
    assert headers["X-Labelops-Event"] == "risk.raised"
    sent = orjson.loads(body)
    assert sent["event"] == "risk.raised"
    assert sent["payload"]["risk_id"] == risk_id
    assert sent["payload"]["severity"] == "high"
    assert headers["X-Labelops-Delivery"] == str(sent["id"])
    [message] = _messages(db)
    assert (message.attempts, message.delivered_at, message.last_error) == (1, T0, None)


def test_a_failing_receiver_is_retried_with_backoff_until_it_answers(db, receiver):
    receiver.failures = 2
    with time_machine.travel(T0, tick=False):
        _raise_risk(db)
        first = webhooks.deliver_due(db, url=receiver.url)
    with time_machine.travel(T0 + timedelta(seconds=29), tick=False):
        too_early = webhooks.deliver_due(db, url=receiver.url)
    with time_machine.travel(T0 + timedelta(seconds=30), tick=False):
        second = webhooks.deliver_due(db, url=receiver.url)
        [after_two] = _messages(db)
    with time_machine.travel(T0 + timedelta(seconds=90), tick=False):
        third = webhooks.deliver_due(db, url=receiver.url)

    assert [(r.delivered, r.failed) for r in (first, too_early, second, third)] == [
        (0, 1),
        (0, 0),
        (0, 1),
        (1, 0),
    ]
    assert after_two.attempts == 2
    assert after_two.last_error == "HTTP 503 Service Unavailable"
    assert after_two.next_attempt_at == T0 + timedelta(seconds=30) + timedelta(minutes=1)
    [message] = _messages(db)
    assert message.attempts == 3
    assert message.delivered_at == T0 + timedelta(seconds=90)
    assert len(receiver.received) == 3
    assert len({body for _, body in receiver.received}) == 1  # the same message each time


def test_an_unreachable_receiver_keeps_the_message_with_its_error(db, receiver):
    url = receiver.url
    receiver.close()
    with time_machine.travel(T0, tick=False):
        _raise_risk(db)

        report = webhooks.deliver_due(db, url=url)

    [message] = _messages(db)
    assert report.failed == 1
    assert message.delivered_at is None
    assert "Connection refused" in (message.last_error or "")
    assert message.next_attempt_at == T0 + timedelta(seconds=30)


def _record_then_fail(db) -> None:
    with db.write() as session:
        project = make_project(session, SYSTEM)
        analytics.record_risk(
            session,
            project_id=project.id,
            kind="manual",
            subject="x",
            severity="low",
            title="t",
            evidence={},
        )
        raise RuntimeError("the request failed after recording")


def test_a_rolled_back_change_sends_nothing(db, receiver):
    with pytest.raises(RuntimeError):
        _record_then_fail(db)

    report = webhooks.deliver_due(db, url=receiver.url)

    assert (report.delivered, report.failed, receiver.received) == (0, 0, [])


def test_backoff_doubles_up_to_an_hour():
    waits = [webhooks.backoff(n) for n in (1, 2, 3, 7, 8, 20)]

    assert waits == [
        timedelta(seconds=30),
        timedelta(minutes=1),
        timedelta(minutes=2),
        timedelta(minutes=32),
        timedelta(hours=1),
        timedelta(hours=1),
    ]
