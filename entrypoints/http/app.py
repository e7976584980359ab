"""create_app(settings): the FastAPI application, built in its lifespan, never at import."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import FastAPI
from prometheus_client import CollectorRegistry
from starlette.concurrency import run_in_threadpool

from console_ui import routes as console
from dispatch.auth import TokenRegistry
from dispatch.center import DispatchCenter
from dispatch.settings import Settings
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
from entrypoints.http.deadline import RequestDeadline
from entrypoints.http.errors import install_error_handlers
from entrypoints.http.limits import BodyLimits
from entrypoints.http.metrics import FloorCollector, install_metrics
from entrypoints.http.rate_limit import IntakeRateLimit
from entrypoints.http.request_log import RequestLogMiddleware
from replay.sealing import start_sealing

CenterFactory = Callable[[Settings], DispatchCenter]


def default_center_factory(settings: Settings) -> DispatchCenter:
    """Build the center with routing and scoring wired in."""
    from dispatch.bootstrap import build_center

    return build_center(settings)


def start_watchdog(center: DispatchCenter, settings: Settings) -> Callable[[], None]:
    """Run the escalation watchdog in a thread; returns the function that stops it."""
    from dispatch.bootstrap import default_router
    from dispatch.routing import EscalationPolicy
    from dispatch.watchdog import EscalationWatchdog

    stop = threading.Event()
    if not settings.watchdog_enabled:
        return stop.set
    watchdog = EscalationWatchdog(center, EscalationPolicy(default_router().rules))
    thread = threading.Thread(
        target=watchdog.run, args=(stop, settings.watchdog_interval_s), name="watchdog", daemon=True
    )
    thread.start()

    def stop_it() -> None:
        stop.set()
        thread.join(timeout=10)

    return stop_it


def create_app(
    settings: Settings,
    *,
    center_factory: CenterFactory = default_center_factory,
    tokens: TokenRegistry | None = None,
) -> FastAPI:
    """The Siaga112 HTTP application for these settings."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.center = await run_in_threadpool(center_factory, settings)
        stop_watchdog = start_watchdog(app.state.center, settings)
        stop_sealing = start_sealing(app.state.center, settings)
        stop_live = await feeds.start_live(app, settings)
        floor = FloorCollector(app, app.state.center, settings)
        registry.register(floor)
        try:
            yield
        finally:
            registry.unregister(floor)
            await run_in_threadpool(floor.close)
            await stop_live()
            await run_in_threadpool(stop_sealing)
            await run_in_threadpool(stop_watchdog)
            await run_in_threadpool(app.state.center.close)

    app = FastAPI(
        title="Siaga112",
        version="0.1.0",
        summary="Event-sourced emergency dispatch core for Samarinda Siaga 112",
        lifespan=lifespan,
        docs_url=None,  # served by entrypoints.http.docs, from this server only
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.tokens = tokens or TokenRegistry.load(settings.resolved_tokens_file)
    app.state.intake_limit = IntakeRateLimit(settings.intake_rate_per_s, settings.intake_burst)
    registry = CollectorRegistry()
    app.state.metrics = registry
    install_metrics(app, registry)
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
