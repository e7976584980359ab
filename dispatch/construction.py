"""Building one of the library's applications so that a failure leaves nothing open."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from eventsourcing.application import Application


@contextmanager
def closed_if_it_fails(app: Application[Any]) -> Iterator[None]:
    """Around an application's constructor: if it fails, close what it had opened.

    The library's constructor makes the factory (on PostgreSQL, a pool that connects in threads
    of its own) before the recorder, which fails when the server does not answer. No one holds
    the half-built application to close it: the garbage collector did, later, in whatever thread
    it ran; in one of that pool's own, closing it raised "cannot join current thread".
    """
    try:
        yield
    except BaseException:
        factory = getattr(app, "factory", None)  # none when making the factory failed
        if factory is not None:
            factory.close()
        raise
