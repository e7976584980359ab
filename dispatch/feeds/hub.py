"""The feed hub: ONE subscription to the event log per process, fanned out to every client.

A thread follows the log (``recorder.subscribe``: LISTEN/NOTIFY on PostgreSQL, commit
wake-ups and polling on SQLite), applies each event to the hub's ``FeedState`` and hands the
rendered deltas to the event loop (``call_soon_threadsafe``), which offers them to each
client's bounded queue without ever waiting: a client whose queue is full is dropped with a
"resync" reason, and nobody else notices.

A client that reconnects with ``after=P`` is registered first (so nothing newer is lost),
then sent the deltas of events in (P, head] read from the log with the same ``FeedState``
rules, whose aggregates are loaded as they were just before that window.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Notification, Subscription
from starlette.concurrency import run_in_threadpool

from dispatch.center import DispatchCenter
from dispatch.feeds.state import (
    FEED_TOPICS,
    Audience,
    Change,
    FeedState,
    heartbeat_message,
    render,
    snapshot_message,
)

log = logging.getLogger("siaga112.feeds")
TOO_SLOW = 4000  # the close code of a client whose queue overflowed


@dataclass
class FeedConfig:
    """Feed tuning (tests shorten the heartbeat and the queue)."""

    heartbeat_s: float = 15.0
    queue_size: int = 1000
    max_catchup_events: int = 10_000
    page: int = 500


class Client:
    """One connected feed: who it is for, its bounded queue, and how far it has been sent."""

    def __init__(self, audience: Audience, floor: int, size: int) -> None:
        self.audience = audience
        self.queue: asyncio.Queue[str] = asyncio.Queue(maxsize=size)
        self.floor = floor  # every relevant delta up to here is sent or queued
        self.kicked = asyncio.Event()
        self.close_code = 1000
        self.close_reason = ""
        self.resync = False

    def offer(self, position: int, text: str) -> None:
        """Queue a delta unless it is already covered (de-duplication by position)."""
        if position <= self.floor:
            return
        self.floor = position
        self.put(text)

    def put(self, text: str) -> None:
        """Queue a message now, or drop the client if it cannot keep up."""
        if self.kicked.is_set():
            return
        try:
            self.queue.put_nowait(text)
        except asyncio.QueueFull:
            self.kick(TOO_SLOW, "client too slow", resync=True)

    def kick(self, code: int, reason: str, *, resync: bool = False) -> None:
        """Ask the client's session to close (with a resync message first when asked)."""
        if not self.kicked.is_set():
            self.close_code, self.close_reason, self.resync = code, reason, resync
            self.kicked.set()


class FeedHub:
    """Follows the log once per process and serves every feed of this process."""

    def __init__(self, center: DispatchCenter, config: FeedConfig | None = None) -> None:
        self.center = center
        self.config = config or FeedConfig()
        self.state = FeedState(self._load_latest)
        self.clients: set[Client] = set()
        self.published = 0
        self.slow_dropped = 0  # clients closed because their queue overflowed
        self.error: str | None = None
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._subscription: Subscription[Any] | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    # ---- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Load the state up to the head of the log, then follow it in a thread."""
        self._loop = asyncio.get_running_loop()
        await run_in_threadpool(self._load)
        self.published = self.state.position
        self._thread = threading.Thread(target=self._follow, name="feed-hub", daemon=True)
        self._thread.start()

    async def stop(self) -> None:
        """Stop following and close every client (1001: going away)."""
        self._stopping.set()
        if self._subscription is not None:
            self._subscription.stop()
        if self._thread is not None:
            await run_in_threadpool(self._thread.join, 10)
        for client in list(self.clients):
            client.kick(1001, "server shutting down")

    def health(self) -> tuple[bool, dict[str, Any]]:
        """(healthy, detail) for /healthz."""
        detail = {"position": self.published, "clients": len(self.clients), "error": self.error}
        return self.error is None, detail

    # ---- clients -------------------------------------------------------------------------------

    def attach_with_snapshot(self, audience: Audience) -> tuple[Client, str]:
        """Register a client and make its snapshot, atomically with respect to new events."""
        with self._lock:
            position = self.state.position
            incidents, units = self.state.snapshot(audience)
            client = self._register(audience, position)
        return client, snapshot_message(position, incidents, units)

    def attach_at_head(self, audience: Audience) -> Client:
        """Register a client that will be caught up from the log up to ``client.floor``."""
        with self._lock:
            return self._register(audience, self.state.position)

    def _register(self, audience: Audience, floor: int) -> Client:
        client = Client(audience, floor, self.config.queue_size)
        self.clients.add(client)
        return client

    def detach(self, client: Client) -> None:
        """Forget a client (counting it when it was dropped for being too slow)."""
        if client in self.clients and client.kicked.is_set() and client.close_code == TOO_SLOW:
            self.slow_dropped += 1
        self.clients.discard(client)

    def heartbeat(self, client: Client) -> str:
        """A heartbeat for a client: everything up to its position has been queued."""
        return heartbeat_message(max(self.published, client.floor), datetime.now(UTC))

    def catch_up(self, audience: Audience, after: int, upto: int) -> list[str] | None:
        """Deltas for events in (after, upto], read from the log; None when too far behind."""
        if upto - after > self.config.max_catchup_events:
            return None
        notifications = self._read(after, upto)
        first_version: dict[UUID, int] = {}
        for n in notifications:
            first_version.setdefault(_uuid(n.originator_id), n.originator_version)

        def as_before_window(aggregate_id: UUID) -> Aggregate | None:
            version = first_version.get(aggregate_id)
            return self._get(aggregate_id, version - 1 if version else None)

        state = FeedState(as_before_window)
        texts = []
        for n in notifications:
            change = state.apply(self.center.mapper.to_domain_event(n), n.id)
            if change is not None and audience.wants(change):
                texts.append(render(change)[audience.kind])
        return texts

    # ---- following the log (thread) ------------------------------------------------------------

    def _load(self) -> None:
        for n in self._read(0, None):
            self.state.apply(self.center.mapper.to_domain_event(n), n.id)

    def _read(self, after: int, upto: int | None) -> list[Notification]:
        found: list[Notification] = []
        while True:
            page = self.center.recorder.select_notifications(
                start=after,
                limit=self.config.page,
                stop=upto,
                topics=FEED_TOPICS,
                inclusive_of_start=False,
            )
            found.extend(page)
            if len(page) < self.config.page:
                return found
            after = page[-1].id

    def _follow(self) -> None:
        while not self._stopping.is_set():
            try:
                with self.center.recorder.subscribe(
                    gt=self.state.position, topics=FEED_TOPICS
                ) as subscription:
                    self._subscription = subscription
                    if self._stopping.is_set():
                        return
                    self.error = None
                    for notification in subscription:
                        self._receive(notification)
            except Exception as error:
                self.error = f"feed subscription lost: {error!r}"
                log.error("%s; retrying", self.error)
                self._stopping.wait(1.0)
            finally:
                self._subscription = None

    def sync(self) -> None:
        """Apply and publish what the log holds beyond this hub's position, so that a client
        connecting now sees every write committed before it connected."""
        with self._lock:
            for notification in self._read(self.state.position, None):
                self._apply(notification, self.center.mapper.to_domain_event(notification))

    def _receive(self, notification: Notification) -> None:
        event = self.center.mapper.to_domain_event(notification)
        with self._lock:
            self._apply(notification, event)

    def _apply(self, notification: Notification, event: Any) -> None:
        # Under the lock, in log order; publishing is scheduled here too, so that the loop
        # publishes in the same order (clients drop positions they already have).
        if notification.id <= self.state.position:
            return  # already applied by a sync
        change = self.state.apply(event, notification.id)
        if change is not None and self._loop is not None:
            self._loop.call_soon_threadsafe(self._publish, change, render(change))

    def _publish(self, change: Change, texts: dict[str, str]) -> None:
        self.published = change.position
        for client in list(self.clients):
            if client.audience.wants(change):
                client.offer(change.position, texts[client.audience.kind])

    # ---- aggregates as they were -----------------------------------------------------------------

    def _load_latest(self, aggregate_id: UUID) -> Aggregate | None:
        return self._get(aggregate_id, None)

    def _get(self, aggregate_id: UUID, version: int | None) -> Aggregate | None:
        try:
            found: Aggregate = self.center.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            return None
        return found


def _uuid(value: Any) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))
