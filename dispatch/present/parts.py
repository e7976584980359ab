"""What a checkpoint is encoded from: the parts of a present's state a checkpoint holds.

The present writes its checkpoints from a copy of what changed since the last one
(``dispatch.present.increments``); ``CheckpointStore.encode`` takes any state with these parts
(a ``PresentState``, or a test's copy of one). ``totals_and_positions`` writes two of them
as both ways of encoding a checkpoint do.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from dispatch.present.calls import Call, Earlier
from domain.facility import Facility
from domain.incident import Incident
from domain.unit import Unit


class CheckpointParts(Protocol):
    """The parts of a present's state a checkpoint holds (a ``PresentState`` has them)."""

    @property
    def position(self) -> int: ...

    @property
    def horizon(self) -> datetime | None: ...

    @property
    def incidents(self) -> dict[UUID, Incident]: ...

    @property
    def units(self) -> dict[UUID, Unit]: ...

    @property
    def facilities(self) -> dict[UUID, Facility]: ...

    @property
    def calls(self) -> dict[str, list[Call]]: ...

    @property
    def earlier(self) -> dict[str, Earlier]: ...

    @property
    def positions(self) -> dict[UUID, int]: ...


def totals_and_positions(
    earlier: Mapping[str, Earlier], positions: Mapping[UUID, int]
) -> dict[str, Any]:
    """A checkpoint's last two entries: the totals of the calls that left the window, and the
    log position of each kept aggregate's latest event."""
    return {
        "earlier": [[n, e.false, e.genuine, e.silent] for n, e in earlier.items()],
        "positions": [[i, p] for i, p in positions.items()],
    }
