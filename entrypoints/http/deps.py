"""Request dependencies, typed: the process's services and background parts, the caller, the
actor context. Routes declare what they use (``CenterDep``, ``RouterDep``, …); nothing reads
untyped app state.

Every dependency here is ``async def`` although none awaits: FastAPI runs a plain ``def``
dependency in the thread pool, one hop (a queue put, a thread woken, a future resolved) per
dependency per request, for a few attribute reads. On the event loop they cost microseconds.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from adapters.auth import Principal, TokenRegistry
from adapters.routing import Router
from dispatch.center import DispatchCenter
from dispatch.context import set_actor
from dispatch.settings import Settings
from entrypoints.bootstrap import Background, Services
from entrypoints.http.rate_limit import IntakeRateLimit
from entrypoints.http.stopping import Stopping

bearer = HTTPBearer(auto_error=False, description="a token from `siaga112 demo` or `token add`")


async def get_services(request: Request) -> Services:
    """The process's services (built by ``bootstrap`` in the app's lifespan)."""
    services: Services | None = getattr(request.app.state, "services", None)
    if services is None:  # only before the lifespan ran: a server still starting
        raise HTTPException(503, "the server is starting", headers={"Retry-After": "1"})
    return services


async def get_background(request: Request) -> Background:
    """The process's background loops and the parts they expose (feed hub, projections)."""
    background: Background = request.app.state.background
    return background


async def get_center(services: Annotated[Services, Depends(get_services)]) -> DispatchCenter:
    """The process's DispatchCenter."""
    return services.center


async def get_router(services: Annotated[Services, Depends(get_services)]) -> Router:
    """The router over the bundled Samarinda data and rules."""
    return services.router


async def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


async def get_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    """Authenticate the bearer token and act as its principal for this request.

    Async on purpose: it runs in the request's own task, so the actor it sets is copied into
    the thread that runs the (sync) route. Each request is its own task: nothing leaks.
    """
    registry: TokenRegistry = request.app.state.tokens
    principal = registry.authenticate(credentials.credentials if credentials else None)
    set_actor(principal.actor)
    return principal


async def get_intake_limit(request: Request) -> IntakeRateLimit:
    """The process's intake rate limit (built with the app)."""
    limit: IntakeRateLimit = request.app.state.intake_limit
    return limit


async def get_stopping(request: Request) -> Stopping:
    """Whether the process is stopping (built with the app, set by the stop signal)."""
    stopping: Stopping = request.app.state.stopping
    return stopping


ServicesDep = Annotated[Services, Depends(get_services)]
BackgroundDep = Annotated[Background, Depends(get_background)]
CenterDep = Annotated[DispatchCenter, Depends(get_center)]
RouterDep = Annotated[Router, Depends(get_router)]
IntakeLimitDep = Annotated[IntakeRateLimit, Depends(get_intake_limit)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
StoppingDep = Annotated[Stopping, Depends(get_stopping)]
CurrentPrincipal = Annotated[Principal, Depends(get_principal)]
