"""A deadline per request: an answer within seconds, whatever the network does.

A database behind a silent partition (the connection open, no byte coming back) blocks a
query for as long as the partition lasts: no timeout of the driver fires, since the kernel
acknowledges what it sends. A call-taker must know within seconds that the report was not
confirmed. Past the deadline the client gets a 503 saying the outcome is unknown and that a
retry with the same ``report_id`` (or ``expected_version``) is safe: writes are idempotent, so
a request still blocked in the store that commits when the network heals is never recorded
twice. What the late handler answers is dropped, and logged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("siaga112.api")
#: Long audit reports (KPIs over a year, a rebuild check) are not held to the deadline.
EXEMPT_PREFIXES = ("/api/audit/",)


class RequestDeadline:
    """ASGI middleware: a 503 "outcome unknown" when a request has not answered in time."""

    def __init__(
        self, app: ASGIApp, seconds: float, exempt: tuple[str, ...] = EXEMPT_PREFIXES
    ) -> None:
        self.app, self.seconds, self.exempt = app, seconds, exempt
        self._late: set[asyncio.Task[None]] = set()  # kept referenced until they finish

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.seconds <= 0 or scope["path"].startswith(self.exempt):
            await self.app(scope, receive, send)
            return
        started = answered = False

        async def guarded(message: Message) -> None:
            nonlocal started
            if answered:  # the client already has its 503
                return
            started = True
            await send(message)

        async def handle() -> None:
            await self.app(scope, receive, guarded)

        task = asyncio.create_task(handle())
        done, _ = await asyncio.wait({task}, timeout=self.seconds)
        if done or started:  # answered in time, or already answering: let it finish
            await task
            return
        answered = True
        await _outcome_unknown(send, self.seconds)
        log.error(
            "%s %s: no answer within %.0f s (a store that does not answer?); answered 503",
            scope["method"],
            scope["path"],
            self.seconds,
        )
        self._late.add(task)
        task.add_done_callback(self._finished_late)

    def _finished_late(self, task: asyncio.Task[None]) -> None:
        self._late.discard(task)
        error = None if task.cancelled() else task.exception()
        log.warning("a request answered 503 at its deadline finished later: %r", error)


async def _outcome_unknown(send: Send, seconds: float) -> None:
    body = orjson.dumps(
        {
            "error": "deadline",
            "detail": f"the store did not answer within {seconds:.0f} s; the outcome is unknown: "
            "retry with the same report_id (or expected_version): a retry never records "
            "anything twice",
        }
    )
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", b"%d" % len(body)),
        (b"retry-after", b"2"),
    ]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": body})
