"""The feed hub: every feed of this process, fed by the process's one ``Present``.

The present follows the log (one subscription per process) and tells the hub of each event it
applies, under its lock and in log order. The hub renders the delta once per audience kind
(console, agency), and only when a connected audience may see it (EIDO only when an agency
feed is connected), and hands the texts to the event loop (``call_soon_threadsafe``), which
offers them to the clients of each audience that wants the change (one ``wants`` per audience,
not per client): each client's bounded queue takes the same text without waiting; a client
whose queue is full is dropped with a "resync" reason, and nobody else notices. A snapshot is
made from the present under the same lock (in a worker thread), so no delta falls between.

A client that reconnects with ``after=P`` is registered first (so nothing newer is lost),
then sent the deltas of events in (P, head] read from the log and applied to a
``PresentState`` whose aggregates are loaded as they were just before that window.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import Notification
from starlette.concurrency import run_in_threadpool

from dispatch.center import DispatchCenter
from dispatch.feeds.state import (
    FEED_TOPICS,
    Audience,
    Change,
    change_of,
    heartbeat_message,
    render,
    snapshot,
    snapshot_message,
)
from dispatch.permissions import visible_to
from dispatch.present import KEEP_ALL, Applied, PresentState

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
    """Serves every feed of this process from the process's present."""

    def __init__(self, center: DispatchCenter, config: FeedConfig | None = None) -> None:
        self.center = center
        self.present = center.present
        self.config = config or FeedConfig()
        self.clients: set[Client] = set()
        self._audiences: dict[Audience, set[Client]] = {}  # the clients, by audience
        self._listening: tuple[Audience, ...] = ()  # the audiences with a client, for _applied
        # Clients attach in worker threads (a snapshot is made there, not on the event loop)
        # and leave on the loop: the registry changes under this lock (held for a few dict
        # operations, never across I/O).
        self._registry = threading.Lock()
        self.published = 0
        self.slow_dropped = 0  # clients closed because their queue overflowed
        # Called after a client comes or goes (a worker's metrics count them: FeedGauges).
        self.clients_changed: Callable[[], None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    # ---- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen to the present, bring it up to the head of the log, and have it follow."""
        self._loop = asyncio.get_running_loop()
        self.present.observe(self._applied)
        self.published = await run_in_threadpool(self.present.refresh)
        self.present.follow()

    async def stop(self) -> None:
        """Stop listening and close every client (1001: going away)."""
        self.present.unobserve(self._applied)
        await run_in_threadpool(self.present.unfollow)
        for client in list(self.clients):
            client.kick(1001, "server shutting down")

    def health(self) -> tuple[bool, dict[str, Any]]:
        """(healthy, detail) for /healthz."""
        healthy, detail = self.present.health()
        return healthy, {**detail, "position": self.published, "clients": len(self.clients)}

    # ---- clients -------------------------------------------------------------------------------

    def attach_with_snapshot(self, audience: Audience) -> tuple[Client, str]:
        """Register a client and make its snapshot, atomically with respect to new events
        (blocking: call it in a worker thread)."""
        with self.present.locked() as state:
            position = state.position
            incidents, units = snapshot(state, audience)
            client = self._register(audience, position)
        return client, snapshot_message(position, incidents, units)

    def attach_at_head(self, audience: Audience) -> Client:
        """Register a client that will be caught up from the log up to ``client.floor``."""
        with self.present.locked() as state:
            return self._register(audience, state.position)

    def _register(self, audience: Audience, floor: int) -> Client:
        # Under the present's lock: the next event applied sees the audience listening.
        client = Client(audience, floor, self.config.queue_size)
        with self._registry:
            self.clients.add(client)
            self._audiences.setdefault(audience, set()).add(client)
            self._listening = tuple(self._audiences)
        self._changed()
        return client

    def detach(self, client: Client) -> None:
        """Forget a client (counting it when it was dropped for being too slow)."""
        with self._registry:
            if client in self.clients and client.kicked.is_set() and client.close_code == TOO_SLOW:
                self.slow_dropped += 1
            self.clients.discard(client)
            same = self._audiences.get(client.audience)
            if same is not None:
                same.discard(client)
                if not same:
                    del self._audiences[client.audience]
                    self._listening = tuple(self._audiences)  # _applied may read the old one
        self._changed()

    def _changed(self) -> None:
        changed = self.clients_changed
        if changed is not None:
            changed()

    def heartbeat(self, client: Client) -> str:
        """A heartbeat for a client: everything up to its position has been queued."""
        return heartbeat_message(max(self.published, client.floor), datetime.now(UTC))

    def catch_up(self, audience: Audience, after: int, upto: int) -> list[str] | None:
        """Deltas for events in (after, upto], read from the log; None when too far behind."""
        if upto - after > self.config.max_catchup_events:
            return None
        state = PresentState(KEEP_ALL, self._get)  # aggregates as just before their first event
        texts = []
        with_eido = audience.kind == "agency"
        for n in self._read(after, upto):
            applied = state.apply(self.center.mapper.to_domain_event(n), n.id)
            change = change_of(applied, with_eido=with_eido) if applied is not None else None
            if change is not None and audience.wants(change):
                texts.append(render(change)[audience.kind])
        return texts

    def sync(self) -> None:
        """Bring the present (and so the feeds) up to the head of the log, so that a client
        connecting now sees every write committed before it connected."""
        self.present.refresh()

    # ---- deltas ----------------------------------------------------------------------------------

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

    def _applied(self, applied: Applied) -> None:
        # Told by the present under its lock, in log order; publishing is scheduled here too,
        # so that the loop publishes in the same order (clients drop positions they have).
        # An event no connected audience may see is not rendered; its position still goes
        # through the loop, so that heartbeats never claim a position ahead of a queued delta.
        if self._loop is None:
            return
        audiences = [a for a in self._listening if visible_to(a, applied)]
        change = None
        if audiences:
            with_eido = any(a.kind == "agency" for a in audiences)
            change = change_of(applied, with_eido=with_eido)
        texts = render(change) if change is not None else {}
        self._loop.call_soon_threadsafe(self._publish, applied.position, change, texts)

    def _publish(self, position: int, change: Change | None, texts: dict[str, str]) -> None:
        self.published = position
        if change is None:
            return
        with self._registry:
            audiences = [(a, list(cs)) for a, cs in self._audiences.items()]
        for audience, clients in audiences:
            # No text for its kind: the audience came after the event, its clients' floors
            # are past it.
            text = texts.get(audience.kind)
            if text is not None and audience.wants(change):
                for client in clients:
                    client.offer(position, text)

    def _get(self, aggregate_id: UUID, version: int | None) -> Aggregate | None:
        try:
            found: Aggregate = self.center.repository.get(aggregate_id, version=version)
        except AggregateNotFoundError:
            return None
        return found
