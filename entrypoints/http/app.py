"""create_app(settings): the FastAPI application, built in its lifespan, never at import."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool

from adapters.auth import TokenRegistry
from adapters.center import build_center
from console_ui import routes as console
from dispatch.feeds.hub import FeedConfig
from dispatch.settings import Settings
from entrypoints.bootstrap import Background, CenterFactory, bootstrap, freeze_start_up_heap
from entrypoints.http import agencies as agency_api
from entrypoints.http import (
    audit,
    boards,
    callers,
    docs,
    feeds,
    geo,
    incidents,
    stations,
    status_links,
    system,
    units,
)
from entrypoints.http import public as public_api
from entrypoints.http.admission import Admission, AdmissionGate, default_slots
from entrypoints.http.deadline import RequestDeadline
from entrypoints.http.errors import install_error_handlers
from entrypoints.http.limits import BodyLimits
from entrypoints.http.metrics import FloorCollector, install_metrics, metrics_registries
from entrypoints.http.rate_limit import IntakeRateLimit
from entrypoints.http.request_log import RequestLogMiddleware
from entrypoints.http.stopping import Stopping
from entrypoints.worker_slot import WorkerSlot


def create_app(
    settings: Settings,
    *,
    center_factory: CenterFactory = build_center,
    tokens: TokenRegistry | None = None,
    feed_config: FeedConfig | None = None,
    stopping: Stopping | None = None,
    freeze_start_up: bool = False,
    started: Callable[[], None] | None = None,
    worker: WorkerSlot | None = None,
) -> FastAPI:
    """The Siaga112 HTTP application for these settings: its services are built by
    ``bootstrap`` and its background loops run (``Background``) while the app is up. Reports
    are refused (503) once ``stopping`` is set (``serve`` sets it on SIGINT/SIGTERM). With
    ``freeze_start_up`` (``serve``), what start-up built is kept out of garbage collections
    (``freeze_start_up_heap``): never in a process that builds many apps, like the tests.
    ``started`` is called once everything is up, before the first request is served.
    ``worker``: which worker of ``serve --workers N`` this is (the workers' counters are summed
    in ``/metrics``)."""
    slot = worker or WorkerSlot()
    registry_of_tokens = tokens or TokenRegistry.load(settings.resolved_tokens_file)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = await run_in_threadpool(
            bootstrap, settings, center_factory=center_factory, tokens=registry_of_tokens
        )
        # One worker of a node writes the present's checkpoints (each reads them at start)
        services.center.present.writes_checkpoints = slot.writes_checkpoints
        background = Background(
            services, feed_config=app.state.feed_config, seals=slot.seals_the_log
        )
        app.state.services, app.state.background = services, background
        await background.start()
        if freeze_start_up:
            freeze_start_up_heap()
        floor = FloorCollector(background, slot)
        registry.register(floor)
        if started is not None:
            started()
        try:
            yield
        finally:
            registry.unregister(floor)
            await run_in_threadpool(floor.close)
            await background.stop()
            await run_in_threadpool(services.center.close)

    app = FastAPI(
        title="Siaga112",
        version="0.1.0",
        summary="Event-sourced emergency dispatch core for Samarinda Siaga 112",
        lifespan=lifespan,
        docs_url=None,  # served by entrypoints.http.docs, from this server only
        redoc_url=None,
    )
    app.state.settings = settings  # for the parts that answer before the lifespan (errors)
    app.state.tokens = registry_of_tokens  # requests are authenticated from the first one
    app.state.feed_config = feed_config
    app.state.stopping = stopping or Stopping()
    app.state.intake_limit = IntakeRateLimit(settings.intake_rate_per_s, settings.intake_burst)
    registry, own = metrics_registries(slot)
    app.state.metrics = registry
    slots = settings.write_slots or default_slots()
    app.state.admission = AdmissionGate(slots, settings.admission_wait_s)
    # Added before the metrics: inside them, so a write refused here is counted as a 503 too.
    app.add_middleware(Admission, gate=app.state.admission, registry=own)
    install_metrics(app, own)
    install_error_handlers(app)
    for router in (
        incidents.router,
        callers.router,
        units.router,
        geo.router,
        stations.router,
        system.router,
        docs.router,
        console.router,
        status_links.router,
    ):
        app.include_router(router)
    app.include_router(audit.router)
    app.include_router(public_api.router)
    app.include_router(agency_api.router)
    app.include_router(boards.router)
    app.include_router(feeds.router)
    app.add_middleware(BodyLimits)
    app.add_middleware(RequestDeadline, seconds=settings.request_deadline_s)
    app.add_middleware(RequestLogMiddleware)  # added last: outermost, so every line is named
    return app
