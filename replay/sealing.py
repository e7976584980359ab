"""Sealing the log while the server runs: the checkpointer loop the serve lifespan starts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from eventsourcing.domain import DomainEvent

from dispatch.center import DispatchCenter
from dispatch.settings import Settings
from replay.chain import Signer
from replay.checkpointer import EVERY_EVENTS, EVERY_SECONDS, Checkpointer, CheckpointLoop
from replay.checkpoints import open_audit_store

#: A log whose first event is younger than this is a new deployment's (``demo`` then
#: ``serve``): the server may start its chain. An older one with no checkpoint means the
#: audit store was deleted or replaced, and only an auditor may seal it as it now is.
NEW_LOG_WINDOW = timedelta(minutes=15)


def checkpointer_for(
    center: DispatchCenter, settings: Settings, *, every: int = EVERY_EVENTS
) -> Checkpointer:
    """A checkpointer over this center's log, sealing into its audit store (the server's:
    it never starts a chain over a log that should have been sealed already)."""
    return Checkpointer(
        center.recorder,
        open_audit_store(settings, center.recorder),
        Signer(settings.audit_key.get_secret_value().encode()),
        every=every,
        may_start=lambda: log_is_new(center),
    )


def log_is_new(center: DispatchCenter, now: datetime | None = None) -> bool:
    """True when the log's first event was recorded within ``NEW_LOG_WINDOW``."""
    found = center.recorder.select_notifications(start=None, limit=1)
    if not found:
        return True
    first = center.mapper.to_domain_event(found[0])
    if not isinstance(first, DomainEvent):  # not one of ours: not a log this server began
        return False
    return first.timestamp >= (now or datetime.now(UTC)) - NEW_LOG_WINDOW


def start_sealing(
    center: DispatchCenter, settings: Settings, *, interval_s: float = EVERY_SECONDS
) -> Callable[[], None]:
    """Seal new events every ``interval_s`` s in a thread; returns the function that stops it."""
    loop = CheckpointLoop(lambda: checkpointer_for(center, settings), interval_s).start()
    return loop.stop
