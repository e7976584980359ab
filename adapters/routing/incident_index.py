"""Open incidents as arrays in metres, kept up to date one incident at a time.

Each incident has a slot; ``put`` writes its slot in place (a new incident takes a free slot,
the arrays double when full), ``drop`` empties it. Cost per change is constant, whatever the
number of open incidents; a search reads the arrays under the index's lock, so a change
applied by another thread never shows half done.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import overload
from uuid import UUID

import numpy as np

from adapters.routing.projection import LocalProjection
from dispatch.advice import OpenIncidentSnapshot
from domain.taxonomy import Category

CATEGORY_CODE = {category: code for code, category in enumerate(Category)}
INITIAL_CAPACITY = 64


class IncidentIndex(Sequence[OpenIncidentSnapshot]):
    """Open incidents by slot: ``x``, ``y``, ``accuracy``, ``t`` (NaN in an empty slot),
    ``category`` and ``routed`` arrays, ``by_caller`` slots; a Sequence of its snapshots in
    slot order."""

    def __init__(
        self,
        incidents: Iterable[OpenIncidentSnapshot],
        projection: LocalProjection,
        owner: object,
    ) -> None:
        self.owner = owner
        self.lock = threading.RLock()
        self._projection = projection
        self._snaps: list[OpenIncidentSnapshot | None] = []
        self._slot_of: dict[UUID, int] = {}
        self._free: list[int] = []
        self.x = np.empty(0, dtype=np.float64)
        self.y = np.empty(0, dtype=np.float64)
        self.accuracy = np.empty(0, dtype=np.float64)
        self.t = np.empty(0, dtype=np.float64)
        self.category = np.empty(0, dtype=np.intp)
        self.routed = np.empty(0, dtype=np.bool_)
        self.by_caller: dict[str, set[int]] = {}
        self._grow(INITIAL_CAPACITY)
        for incident in incidents:
            self.put(incident)

    def put(self, incident: OpenIncidentSnapshot) -> None:
        """Add the incident, or replace what the index holds of it."""
        with self.lock:
            slot = self._slot_of.get(incident.incident_id)
            if slot is None:
                if not self._free:
                    self._grow(2 * len(self._snaps))
                slot = self._free.pop()
                self._slot_of[incident.incident_id] = slot
            else:
                self._forget_caller(slot)
            self._snaps[slot] = incident
            location = incident.location
            if location is None:
                self.x[slot] = self.y[slot] = self.accuracy[slot] = math.nan
            else:
                self.x[slot], self.y[slot] = self._projection.xy(location.lat, location.lon)
                self.accuracy[slot] = location.accuracy_m or 0.0
            self.t[slot] = incident.received_at.timestamp()
            self.category[slot] = CATEGORY_CODE[incident.category]
            self.routed[slot] = bool(incident.agencies)
            if incident.caller_number:
                self.by_caller.setdefault(incident.caller_number, set()).add(slot)

    def drop(self, incident_id: UUID) -> None:
        """Leave the incident out from now on (closed, linked); unknown ids are ignored."""
        with self.lock:
            slot = self._slot_of.pop(incident_id, None)
            if slot is None:
                return
            self._forget_caller(slot)
            self._snaps[slot] = None
            self.x[slot] = self.y[slot] = self.accuracy[slot] = self.t[slot] = math.nan
            self._free.append(slot)

    def holds(self, incident_id: UUID) -> bool:
        """Whether the incident is in the index."""
        return incident_id in self._slot_of

    def slot(self, incident_id: UUID) -> int | None:
        """The incident's slot, or None when the index does not hold it."""
        return self._slot_of.get(incident_id)

    def at(self, slot: int) -> OpenIncidentSnapshot:
        """The incident in a slot the arrays point at (never an empty one)."""
        found = self._snaps[slot]
        assert found is not None, f"slot {slot} is empty"
        return found

    def _forget_caller(self, slot: int) -> None:
        old = self._snaps[slot]
        if old is not None and old.caller_number:
            slots = self.by_caller[old.caller_number]
            slots.discard(slot)
            if not slots:
                del self.by_caller[old.caller_number]

    def _grow(self, capacity: int) -> None:
        size = len(self._snaps)
        extra = capacity - size
        nan = np.full(extra, math.nan)
        self.x = np.concatenate([self.x, nan])
        self.y = np.concatenate([self.y, nan])
        self.accuracy = np.concatenate([self.accuracy, nan])
        self.t = np.concatenate([self.t, nan])
        self.category = np.concatenate([self.category, np.zeros(extra, dtype=np.intp)])
        self.routed = np.concatenate([self.routed, np.zeros(extra, dtype=np.bool_)])
        self._snaps.extend([None] * extra)
        self._free.extend(range(capacity - 1, size - 1, -1))  # lowest slot first

    def _alive(self) -> list[OpenIncidentSnapshot]:
        with self.lock:
            return [s for s in self._snaps if s is not None]

    def __len__(self) -> int:
        return len(self._slot_of)

    @overload
    def __getitem__(self, index: int) -> OpenIncidentSnapshot: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[OpenIncidentSnapshot]: ...
    def __getitem__(
        self, index: int | slice
    ) -> OpenIncidentSnapshot | Sequence[OpenIncidentSnapshot]:
        return self._alive()[index]

    def __iter__(self) -> Iterator[OpenIncidentSnapshot]:
        return iter(self._alive())
