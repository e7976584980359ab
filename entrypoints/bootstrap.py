"""The one place that wires a process: ``bootstrap(settings) -> Services``, then its background
loops started and stopped together (``Background``).

``serve`` (through the HTTP app's lifespan), the CLI and the tests build the same way: the
application over the event store with routing and scoring, the token registry, the router of
the bundled Samarinda data. Routes receive these through typed dependencies
(``entrypoints.http.deps``), never through untyped app state. The loops of a serving process
start in one order and stop in the reverse one: the escalation watchdog, the audit sealing,
the feed hub (following the log for the websockets) and the projection host.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.concurrency import run_in_threadpool

from adapters.auth import TokenRegistry
from adapters.center import build_center, default_router
from adapters.routing import EscalationPolicy, Router
from dispatch.center import DispatchCenter
from dispatch.feeds.hub import FeedConfig, FeedHub
from dispatch.settings import Settings
from dispatch.watchdog import EscalationWatchdog
from projections.host import ProjectionHost
from projections.wiring import ProjectionReaders
from replay.sealing import start_sealing

CenterFactory = Callable[[Settings], DispatchCenter]
#: A part's health check: () -> (healthy, detail shown in /healthz).
HealthCheck = Callable[[], tuple[bool, object]]


@dataclass(frozen=True)
class Services:
    """What one process runs on, built once from its settings."""

    settings: Settings
    center: DispatchCenter
    router: Router
    tokens: TokenRegistry


def bootstrap(
    settings: Settings,
    *,
    center_factory: CenterFactory = build_center,
    tokens: TokenRegistry | None = None,
) -> Services:
    """Build the services of a process for these settings (opens the event store)."""
    router = default_router()
    tokens = tokens or TokenRegistry.load(settings.resolved_tokens_file)
    # Last: the one part that opens something, so nothing after it can fail and leave it open.
    return Services(
        settings=settings, center=center_factory(settings), router=router, tokens=tokens
    )


@dataclass
class Background:
    """The background loops of a serving process, and the parts they expose to requests."""

    services: Services
    feed_config: FeedConfig | None = None
    seals: bool = True
    """False in the workers of a node that leave the log's sealing to its first worker"""
    hub: FeedHub | None = None
    readers: ProjectionReaders | None = None
    host: ProjectionHost | None = None
    health_checks: dict[str, HealthCheck] = field(default_factory=dict)
    _stops: list[Callable[[], None]] = field(default_factory=list)

    async def start(self) -> None:
        """Start the watchdog, the sealing, the feed hub and the projection host, in order."""
        services = self.services
        self._stops.append(await run_in_threadpool(start_watchdog, services))
        if self.seals:
            self._stops.append(
                await run_in_threadpool(start_sealing, services.center, services.settings)
            )
        self.hub = FeedHub(services.center, self.feed_config)
        await self.hub.start()
        self.health_checks["feeds"] = self.hub.health
        self.readers = ProjectionReaders(services.settings)
        if services.settings.backend != "memory":
            self.host = ProjectionHost(
                services.settings, readers=self.readers, tail=services.center.present.tail
            )
            self.host.start()
            self.health_checks["projections"] = self.host.health

    async def stop(self) -> None:
        """Stop everything started, in the reverse order."""
        if self.hub is not None:
            await self.hub.stop()
        if self.host is not None:
            await run_in_threadpool(self.host.stop)
        if self.readers is not None:
            await run_in_threadpool(self.readers.close)
        while self._stops:
            await run_in_threadpool(self._stops.pop())


def start_watchdog(services: Services) -> Callable[[], None]:
    """Run the escalation watchdog in a thread; returns the function that stops it."""
    settings = services.settings
    stop = threading.Event()
    if not settings.watchdog_enabled:
        return stop.set
    watchdog = EscalationWatchdog(services.center, EscalationPolicy(services.router.rules))
    thread = threading.Thread(
        target=watchdog.run, args=(stop, settings.watchdog_interval_s), name="watchdog", daemon=True
    )
    thread.start()

    def stop_it() -> None:
        stop.set()
        thread.join(timeout=10)

    return stop_it


#: Full collections after this many collections of the middle generation (CPython: 10).
FULL_COLLECTION_EVERY = 100


def freeze_start_up_heap() -> int:
    """Collect once, then leave every object alive now out of all later collections (the
    classifier, the geodata, the present loaded at start-up, the libraries); returns how many.

    A full collection looks at every object it tracks and holds the GIL throughout: with the
    start-up heap in sight each took 130-170 ms of CPU in a serving process on 2 shared cores,
    every request stopping meanwhile, and they come back each time the heap has grown by a
    quarter. What is frozen here lives as long as the process (or is freed by its reference
    count); what comes later is collected as before, except that full collections come after
    ``FULL_COLLECTION_EVERY`` collections of the middle generation instead of 10 (still only
    once the heap has grown by a quarter). In a surge (open loop at 100 reports/s, SQLite, one
    worker, 2026-12-07) they came every few seconds, 10-45 ms each, four in a run; with 100,
    one of 28-35 ms; p99 38.4 / 12.9 / 18.9 / 98.7 ms against 38.9 / 59.2 / 109.7 / 184.4 ms,
    runs alternated. Young cycles are still collected as often as before.
    """
    gc.collect()
    gc.freeze()
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_EVERY)
    return gc.get_freeze_count()
