"""Request dependencies: the application, the caller, the actor context."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from dispatch.auth import Principal, TokenRegistry
from dispatch.center import DispatchCenter
from dispatch.context import set_actor
from dispatch.settings import Settings
from entrypoints.http.rate_limit import IntakeRateLimit

bearer = HTTPBearer(auto_error=False, description="a token from `siaga112 demo` or `token add`")


def get_center(request: Request) -> DispatchCenter:
    """The process's DispatchCenter (built in the lifespan)."""
    center: DispatchCenter = request.app.state.center
    return center


def get_settings(request: Request) -> Settings:
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


def get_intake_limit(request: Request) -> IntakeRateLimit:
    """The process's intake rate limit (built with the app)."""
    limit: IntakeRateLimit = request.app.state.intake_limit
    return limit


CenterDep = Annotated[DispatchCenter, Depends(get_center)]
IntakeLimitDep = Annotated[IntakeRateLimit, Depends(get_intake_limit)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
CurrentPrincipal = Annotated[Principal, Depends(get_principal)]
