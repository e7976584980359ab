"""Who is acting: set once per request at the edge, read when events are made."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_actor: ContextVar[str] = ContextVar("siaga112_actor", default="system:unknown")


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
