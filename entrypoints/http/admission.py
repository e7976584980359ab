"""Admission control for writes: a bounded number in progress, the rest refused promptly.

Offered more reports than it can save, the server used to queue them all for a worker thread.
The request deadline answered each late one 503, but the work went on: reports answered 503
were still scored, located and saved later, using the capacity the next ones needed, and the
queue only grew (PostgreSQL at 100 reports/s on a loaded machine: p50 84 s).

Now a write (POST, PUT, PATCH, DELETE under ``/api/``, reports first of all) takes one of a
bounded number of slots before the application sees it, waiting at most a short while for one.
Without a slot by then it gets 503 with Retry-After, and the route never ran: nothing was
begun, nothing saved, so a retry with the same ``report_id`` makes one incident. A write that
the request deadline answered keeps its slot until its work truly ends: capacity in use is
never handed out twice. Reads are not gated (they do not write and cost little).
"""

from __future__ import annotations

import asyncio
import math
import os
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson
from prometheus_client import CollectorRegistry, Counter

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
GATED_PREFIX = "/api/"
REPORTS = "/api/reports"
#: Long audit runs have their own rules (no deadline); they are reads in effect.
EXEMPT_PREFIXES = ("/api/audit/",)


def default_slots(cpus: int | None = None) -> int:
    """Writes in progress at once when the setting is 0: six per core, at least 4, at most 32.

    Measured on 2 shared cores (16 clients, SQLite): 12 threads for intake took 134.7 and
    156.5 reports/s where anyio's default 40 took 107.5 and 127.1: past a few per core, more
    at once only lengthens each one (the work holds the GIL) and the queue behind it."""
    count = cpus if cpus is not None else os.cpu_count() or 1
    return max(4, min(32, 6 * count))


class Overloaded(Exception):
    """No slot for a write within the admission wait."""


class AdmissionGate:
    """At most ``slots`` holders at once; a newcomer waits at most ``wait_s`` for a slot.

    Lives on one event loop (the server's); ``admit`` is async, ``release`` is not."""

    def __init__(self, slots: int, wait_s: float) -> None:
        if slots < 1:
            raise ValueError("an admission gate needs at least one slot")
        self.slots, self.wait_s = slots, wait_s
        self._semaphore = asyncio.Semaphore(slots)
        self.in_progress = 0

    @property
    def retry_after_s(self) -> int:
        """Seconds a refused client should wait before it retries (at least 1)."""
        return max(1, math.ceil(self.wait_s))

    async def admit(self) -> None:
        """Take a slot, or raise Overloaded once ``wait_s`` has passed without one."""
        if self._semaphore.locked():
            try:
                await asyncio.wait_for(self._semaphore.acquire(), self.wait_s)
            except TimeoutError:
                raise Overloaded from None
        else:  # a free slot: no timer, no task
            await self._semaphore.acquire()
        self.in_progress += 1

    def release(self) -> None:
        """Give back a slot taken by ``admit``."""
        self.in_progress -= 1
        self._semaphore.release()


class Admission:
    """ASGI middleware: writes under /api/ pass the gate, or get 503 with nothing begun."""

    def __init__(self, app: ASGIApp, gate: AdmissionGate, registry: CollectorRegistry) -> None:
        self.app, self.gate = app, gate
        self.shed = Counter(
            "siaga112_writes_shed",
            "Writes refused with 503 before they began (no slot within the admission wait), "
            "by kind: 'report' (POST /api/reports) or 'command' (every other write)",
            ["write"],
            registry=registry,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _gated(scope):
            await self.app(scope, receive, send)
            return
        try:
            await self.gate.admit()
        except Overloaded:
            self.shed.labels("report" if scope["path"] == REPORTS else "command").inc()
            await _refuse(send, self.gate)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self.gate.release()


def _gated(scope: Scope) -> bool:
    if scope["type"] != "http" or scope["method"] not in WRITES:
        return False
    path: str = scope["path"]
    return path.startswith(GATED_PREFIX) and not path.startswith(EXEMPT_PREFIXES)


async def _refuse(send: Send, gate: AdmissionGate) -> None:
    retry = gate.retry_after_s
    body = orjson.dumps(
        {
            "error": "overloaded",
            "detail": f"the server is taking all the writes it can ({gate.slots} at once); "
            f"nothing was saved: retry in {retry} s (the same report_id makes one incident)",
            "retry_after_s": retry,
        }
    )
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", b"%d" % len(body)),
        (b"retry-after", b"%d" % retry),
    ]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": body})
