"""What a checkpoint holds of the present, copied out from under the present's lock.

Encoding a checkpoint (the JSON transcoding of every incident, unit and call) takes hundreds
of milliseconds with a few thousand incidents; it falls due every 5,000 events (about 2,000
reports). Under the present's lock every report, read and feed waited for it: 794 ms (211 ms
of CPU, 1,271 incidents) in an intake open loop on 2 shared cores, p99 939 ms. So the lock is
held only for a copy made at C speed (``pickle``: 45-57 ms of CPU where the encoding took
160-290 ms), and the checkpoint is encoded from the copy with the lock released.

The pickled bytes live in memory between ``detach`` and ``Detached.of``: never stored, never
read from anywhere else.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from dispatch.present.calls import Call, Earlier
from dispatch.present.model import PresentState
from domain.facility import Facility
from domain.incident import Incident
from domain.unit import Unit


class CheckpointParts(Protocol):
    """What a checkpoint is encoded from: a ``PresentState`` or a ``Detached`` copy of one."""

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


@dataclass(frozen=True)
class Detached:
    """A present's state as a checkpoint holds it, sharing no object with the live state."""

    position: int
    horizon: datetime | None
    incidents: dict[UUID, Incident]
    units: dict[UUID, Unit]
    facilities: dict[UUID, Facility]
    calls: dict[str, list[Call]]
    earlier: dict[str, Earlier]
    positions: dict[UUID, int]

    @classmethod
    def of(cls, copied: bytes) -> Detached:
        """The copy ``detach`` made (without the present's lock: nothing else refers to it)."""
        return cls(*pickle.loads(copied))


def detach(state: PresentState) -> bytes:
    """A copy of what a checkpoint holds of ``state``: call under the present's lock."""
    parts = (
        state.position,
        state.horizon,
        state.incidents,
        state.units,
        state.facilities,
        state.calls,
        state.earlier,
        state.positions,
    )
    return pickle.dumps(parts, protocol=pickle.HIGHEST_PROTOCOL)
