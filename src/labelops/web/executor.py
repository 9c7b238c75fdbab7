"""Where the labeling loop's database work runs.

SQLite has one writer at a time. The labeling endpoints (next, submit, skip, release) make one
short write transaction each, so when the writer is free they run it right on the event loop:
no hand-off to a worker thread and back, and no queue of threads waking one another to take the
lock (under load those switches cost more than the SQL). When the writer is busy (a large
import, a page's write) the request waits in the thread pool instead, so the event loop never
blocks on a lock; on PostgreSQL, where transactions overlap, requests always use the pool.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from starlette.concurrency import run_in_threadpool

from labelops.web.deps import RequestContext

P = ParamSpec("P")
R = TypeVar("R")


def short_write(handler: Callable[P, R]) -> Callable[P, R]:
    """Turn a sync handler whose `ctx` opens one short write transaction into an async one that
    runs inline while SQLite's writer is free."""

    @functools.wraps(handler)
    async def endpoint(*args: P.args, **kwargs: P.kwargs) -> R:
        ctx = kwargs["ctx"]
        assert isinstance(ctx, RequestContext)
        if ctx.db.claim_writer_now():
            try:
                return handler(*args, **kwargs)
            finally:
                ctx.db.release_writer()
        return await run_in_threadpool(handler, *args, **kwargs)

    return endpoint  # type: ignore[return-value]  # FastAPI awaits it; the signature is kept
