"""Who is acting: set once per request at the edge, read when events are made and logged."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

_actor: ContextVar[str] = ContextVar("siaga112_actor", default="system:unknown")


@dataclass
class RequestLog:
    """What every log line of one request names: its id, who acts, the incident (when known).

    One object per request, shared by reference: what the route learns (the actor) is seen by
    the access log line written after it, in another task's copy of the context.
    """

    request_id: str
    actor: str | None = None
    incident_id: str | None = None


_request: ContextVar[RequestLog | None] = ContextVar("siaga112_request", default=None)


def current_actor() -> str:
    """The actor of the command being handled (operator id, agency id or system:<part>)."""
    return _actor.get()


@contextmanager
def acting_as(actor: str) -> Iterator[None]:
    """Run a block of commands on behalf of an actor."""
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def set_actor(actor: str) -> None:
    """Set the actor for the rest of the current context (one request's task)."""
    _actor.set(actor)
    request = _request.get()
    if request is not None:
        request.actor = actor


def begin_request(request_id: str) -> RequestLog:
    """Start naming one request in the log lines of the current context."""
    request = RequestLog(request_id)
    _request.set(request)
    return request


def current_request() -> RequestLog | None:
    """The request being handled in this context, if any."""
    return _request.get()
