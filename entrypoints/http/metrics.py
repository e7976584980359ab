"""Prometheus metrics of this process: HTTP by route template, intake latency, and the floor.

Gauges are read from the live in-process state when /metrics is scraped (one collector, no
numbers pushed from many places); counters and histograms of what happens on the floor come
from the event log (``entrypoints.http.event_metrics``). Which families there are: README,
*Metrics*.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence

from fastapi import FastAPI
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dispatch.feeds.hub import FeedHub
from domain.taxonomy import Agency, Priority
from entrypoints.bootstrap import Background
from entrypoints.http.event_metrics import EventMetrics
from entrypoints.worker_slot import WorkerSlot
from projections.catalog import CATALOG
from replay.chain import AuditStore
from replay.checkpoints import open_audit_store

log = logging.getLogger("siaga112.metrics")
INTAKE_ROUTE = "/api/reports"
UNROUTED = "none"
LAG_COUNTED = 10_000  # a projection further behind shows this many (it is rebuilding)


def route_template(app: FastAPI, scope: Scope) -> str:
    """The route's template (``/api/incidents/{incident_id}``), never the raw path: FastAPI
    routes name themselves in the scope, the others (``/openapi.json``) are matched here."""
    route = scope.get("route")
    if route is not None:
        return str(route.path)
    for candidate in app.router.routes:
        match, _ = candidate.matches(scope)
        if match is Match.FULL:
            return str(getattr(candidate, "path", "unmatched"))
    return "unmatched"


def metrics_registries(slot: WorkerSlot) -> tuple[CollectorRegistry, CollectorRegistry]:
    """(what ``/metrics`` shows, where this process's counters register).

    A lone process shows its own registry. A worker of ``serve --workers N`` shows the
    counters and histograms of every worker of the node, summed from their files
    (``MultiProcessCollector``), so its own are kept out of what it shows (they would be
    counted twice)."""
    shown = CollectorRegistry()
    if not slot.shares_metrics:
        return shown, shown
    multiprocess.MultiProcessCollector(shown)  # type: ignore[no-untyped-call]
    return shown, CollectorRegistry()


def install_metrics(app: FastAPI, registry: CollectorRegistry) -> None:
    """HTTP requests and latency by route template, and intake latency."""
    app.add_middleware(HttpMetrics, fastapi=app, registry=registry)


class HttpMetrics:
    """Pure ASGI middleware: counts each HTTP request and times it until its answer starts.

    (``BaseHTTPMiddleware`` spawned a task per body read and streamed every answer through a
    memory channel: a few hundred microseconds of event-loop time per request.)"""

    def __init__(self, app: ASGIApp, fastapi: FastAPI, registry: CollectorRegistry) -> None:
        self.app, self.fastapi = app, fastapi
        self.requests = Counter(
            "siaga112_http_requests",
            "HTTP requests",
            ["method", "route", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "siaga112_http_seconds", "HTTP request latency", ["route"], registry=registry
        )
        self.intake = Histogram(
            "siaga112_intake_seconds",
            "POST /api/reports from request to answer (score, locate, advise, save), by status",
            ["status"],
            registry=registry,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def measured(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._count(scope, message["status"], time.perf_counter() - started)
            await send(message)

        await self.app(scope, receive, measured)

    def _count(self, scope: Scope, status: int, elapsed: float) -> None:
        route, method = route_template(self.fastapi, scope), scope["method"]
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(route).observe(elapsed)
        if route == INTAKE_ROUTE and method == "POST":
            self.intake.labels(str(status)).observe(elapsed)


class FloorCollector(Collector):
    """The floor as it is now, read at scrape time from the present, the feed hub, the
    projection host and the audit store of this process.

    Every worker's present holds the whole floor, so each shows the same floor. The counts of
    the log's events (``EventMetrics``) are kept by the first worker only, and the feed
    clients of a worker sharing the node's metrics go to its files (``FeedGauges``), summed
    over the live workers."""

    def __init__(self, background: Background, slot: WorkerSlot | None = None) -> None:
        self.background = background
        self.center = background.services.center
        self.settings = background.services.settings
        slot = slot or WorkerSlot()
        self.events = EventMetrics(self.center.present) if slot.counts_the_log else None
        self.shared = slot.shares_metrics
        self.feeds = FeedGauges(background.hub) if self.shared and background.hub else None
        self._audit: AuditStore | None = None

    def close(self) -> None:
        """Close the audit store this collector opened."""
        if self.feeds is not None:
            self.feeds.close()
        if self._audit is not None:
            self._audit.close()

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            "siaga112_floor_up", "1 when the floor metrics could be read from the event store"
        )
        try:
            head = self.center.present.refresh()
            feeds = [] if self.shared else self._feeds()
            families = [*self._incidents(), *feeds, *self._log(head)]
        except Exception as error:  # a scrape must answer even while the store is down
            log.warning("floor metrics unavailable: %s", error)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families
        if self.events is not None and not self.shared:  # shared: in the files
            yield from self.events.collect()

    def _incidents(self) -> list[Metric]:
        open_ = GaugeMetricFamily(
            "siaga112_open_incidents",
            "Open incidents by priority and routed agency (one per agency; 'none': not routed)",
            labels=["priority", "agency"],
        )
        counts = {(p.value, a): 0 for p in Priority for a in [*(x.value for x in Agency), UNROUTED]}
        waiting = []
        for incident in self.center.present.incidents():
            for agency in [a.value for a in incident.agencies] or [UNROUTED]:
                counts[incident.priority.value, agency] += 1
            if incident.verification_pending and incident.flagged_at is not None:
                waiting.append(incident.flagged_at)
        for labels, count in counts.items():
            open_.add_metric(list(labels), count)
        now = self.center.clock()
        oldest = max(((now - at).total_seconds() for at in waiting), default=0.0)
        return [
            open_,
            GaugeMetricFamily(
                "siaga112_verification_queue_size",
                "Incidents waiting for a call-back verification",
                value=len(waiting),
            ),
            GaugeMetricFamily(
                "siaga112_verification_oldest_wait_seconds",
                "How long the oldest incident in the verification queue has waited (0: none)",
                value=max(oldest, 0.0),
            ),
        ]

    def _feeds(self) -> list[Metric]:
        clients = GaugeMetricFamily(
            "siaga112_feed_clients",
            "Websocket feed clients connected to this process, by agency ('console': call-takers)",
            labels=["agency"],
        )
        hub = self.background.hub
        connected = clients_by_audience(hub)
        for label, count in connected.items():
            clients.add_metric([label], count)
        dropped = CounterMetricFamily(
            "siaga112_feed_slow_clients_dropped",
            "Feed clients closed (4000, resync) because they could not keep up",
            value=hub.slow_dropped if hub is not None else 0,
        )
        return [clients, dropped]

    def _log(self, head: int) -> list[Metric]:
        lag = GaugeMetricFamily(
            "siaga112_projection_lag_events",
            f"Events a projection still has to handle (of its topics, after its position; "
            f"counted up to {LAG_COUNTED:,})",
            labels=["projection"],
        )
        host = self.background.host
        if host is not None:
            _, detail = host.health()
            for name, spec in CATALOG.items():
                position = (detail.get(name) or {}).get("position")
                if position is not None:
                    lag.add_metric([name], self._behind(int(position), spec.projection.topics))
        if self._audit is None:
            self._audit = open_audit_store(self.settings, self.center.recorder)
        last = self._audit.last_checkpoint()
        unsealed = GaugeMetricFamily(
            "siaga112_audit_unsealed_events",
            "Log positions recorded after the last signed audit checkpoint (not yet sealed)",
            value=max(head - (last.position if last else 0), 0),
        )
        return [lag, unsealed]

    def _behind(self, position: int, topics: Sequence[str]) -> int:
        later = self.center.recorder.select_notifications(
            start=position, limit=LAG_COUNTED, topics=topics, inclusive_of_start=False
        )
        return len(later)


def clients_by_audience(hub: FeedHub | None) -> dict[str, int]:
    """The hub's feed clients by agency, 'console' for call-takers (every label, zeros too)."""
    connected = {a: 0 for a in [*(x.value for x in Agency), "console"]}
    for client in list(hub.clients if hub is not None else ()):
        audience = client.audience.agency
        connected[audience.value if audience is not None else "console"] += 1
    return connected


class FeedGauges:
    """A worker's feed clients in the node's shared metrics: set when a client comes or goes,
    summed over the live workers at each scrape."""

    def __init__(self, hub: FeedHub) -> None:
        self.hub = hub
        self.clients = Gauge(
            "siaga112_feed_clients",
            "Websocket feed clients connected to this node, by agency ('console': call-takers)",
            ["agency"],
            registry=None,
            multiprocess_mode="livesum",
        )
        self.dropped = Counter(
            "siaga112_feed_slow_clients_dropped",
            "Feed clients closed (4000, resync) because they could not keep up",
            registry=None,
        )
        self._dropped_seen = 0
        self._lock = threading.Lock()
        hub.clients_changed = self.update
        self.update()

    def update(self) -> None:
        """Count this worker's clients again (the hub calls it as clients come and go)."""
        connected = clients_by_audience(self.hub)
        with self._lock:
            for label, count in connected.items():
                self.clients.labels(label).set(count)
            dropped = self.hub.slow_dropped
            if dropped > self._dropped_seen:
                self.dropped.inc(dropped - self._dropped_seen)
                self._dropped_seen = dropped

    def close(self) -> None:
        """Stop following the hub."""
        self.hub.clients_changed = None
