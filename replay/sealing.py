"""Sealing the log while the server runs: the checkpointer loop the serve lifespan starts."""

from __future__ import annotations

from collections.abc import Callable

from dispatch.center import DispatchCenter
from dispatch.settings import Settings
from replay.chain import EVERY_EVENTS, EVERY_SECONDS, Checkpointer, CheckpointLoop, Signer
from replay.checkpoints import open_audit_store


def checkpointer_for(
    center: DispatchCenter, settings: Settings, *, every: int = EVERY_EVENTS
) -> Checkpointer:
    """A checkpointer over this center's log, sealing into its audit store."""
    return Checkpointer(
        center.recorder,
        open_audit_store(settings, center.recorder),
        Signer(settings.audit_key.get_secret_value().encode()),
        every=every,
    )


def start_sealing(
    center: DispatchCenter, settings: Settings, *, interval_s: float = EVERY_SECONDS
) -> Callable[[], None]:
    """Seal new events every ``interval_s`` s in a thread; returns the function that stops it."""
    loop = CheckpointLoop(lambda: checkpointer_for(center, settings), interval_s).start()
    return loop.stop
