"""The present as of a log position: open incidents, a window of closed ones, units, caller calls.

``PresentState`` applies events in log order and forgets what no reader needs any more: an
incident closed longer than ``Windows.closed`` ago, a call older than ``Windows.calls`` (its
disposition folded into the number's totals). Memory is bounded by open work and the windows,
not by the length of the log. It never reads the store itself: an event on an incident that
already left comes with a ``loader`` that fetches the incident as it was just before it.

The times the windows are measured in are the incidents' own (``received_at``, ``closed_at``):
the newest seen is the ``horizon``. No wall clock is read here.
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from dispatch.advice import OpenIncidentSnapshot, UnitSnapshot
from dispatch.present.calls import Call, Earlier
from domain.facility import Facility
from domain.incident import Incident
from domain.taxonomy import Agency
from domain.unit import Unit

Loader = Callable[[UUID, int | None], Aggregate | None]
"""(aggregate id, version or None for the latest) -> the aggregate then, or None."""
CHANGES_KEPT = 50_000
PRUNE_STEP = timedelta(minutes=1)


@dataclass(frozen=True)
class Windows:
    """How long what is no longer open stays in the present (None: for ever)."""

    closed: timedelta | None = timedelta(hours=24)
    """closed incidents: the console's and API's "recently closed", late notes and reopens."""
    calls: timedelta | None = timedelta(days=30)
    """a number's calls: the classifier's longest window (``calls_30d``)."""


KEEP_ALL = Windows(closed=None, calls=None)
DEFAULT_WINDOWS = Windows()


@dataclass(frozen=True)
class Applied:
    """What one event changed: the aggregate after it and the agencies it concerns.

    ``aggregate`` is the live object: a listener reads it only while it is being told.
    """

    event: Any
    position: int
    aggregate: Incident | Unit | Facility
    agencies: frozenset[Agency]
    """an incident's routed agencies; a unit's own and those of its incident before and after."""


class PresentState:
    """Incidents, units, facilities and caller calls as of ``position`` (not thread-safe)."""

    def __init__(self, windows: Windows = DEFAULT_WINDOWS, loader: Loader | None = None) -> None:
        self.windows = windows
        self.loader = loader
        self.position = 0
        self.horizon: datetime | None = None
        self.incidents: dict[UUID, Incident] = {}
        self.units: dict[UUID, Unit] = {}
        self.facilities: dict[UUID, Facility] = {}
        self.calls: dict[str, list[Call]] = {}
        self.earlier: dict[str, Earlier] = {}
        self.positions: dict[UUID, int] = {}
        """the log position of each kept incident's and unit's latest event"""
        self.before_change: Callable[[Aggregate], None] | None = None
        """told of an aggregate an event is about to change (a checkpoint being written keeps
        it as it was: ``dispatch.present.increments``)"""
        self.incident_snaps: dict[UUID, OpenIncidentSnapshot] = {}
        self.unit_snaps: dict[UUID, UnitSnapshot] = {}
        # (position, id) of routing snapshots that changed, so advice updates incrementally.
        self.routing_changes: collections.deque[tuple[int, UUID]] = collections.deque(
            maxlen=CHANGES_KEPT
        )
        self._call_of: dict[UUID, Call] = {}
        self._closed: collections.deque[tuple[datetime, UUID]] = collections.deque()
        self._received: collections.deque[tuple[datetime, UUID]] = collections.deque()
        self._pruned_at: datetime | None = None

    # ---- applying ------------------------------------------------------------------------------

    def apply(self, event: Any, position: int) -> Applied | None:
        """Apply one event (in log order); what it changed, or None if nothing here."""
        self.position = position
        if isinstance(event, Incident.Event | Unit.Event):
            applied = (
                self._incident(event, position)
                if isinstance(event, Incident.Event)
                else self._unit(event, position)
            )
            if applied is not None:
                self.positions[applied.aggregate.id] = position
            return applied
        if isinstance(event, Facility.Event):
            facility = event.mutate(self._changing(self.facilities.get(event.originator_id)))
            assert isinstance(facility, Facility)
            self.facilities[facility.id] = facility
            return Applied(event, position, facility, frozenset())
        return None

    def _incident(self, event: Any, position: int) -> Applied | None:
        found = self.incidents.get(event.originator_id)
        if found is None and not isinstance(event, Incident.Reported):
            found = self._load(event, Incident)
            if found is None:
                return None
        incident = event.mutate(self._changing(found))
        assert isinstance(incident, Incident)
        self.incidents[incident.id] = incident
        self._track_call(incident)
        self._snap_incident(incident, position)
        self._advance(incident.received_at)
        if incident.closed_at is not None and incident.is_closed:
            self._closed.append((incident.closed_at, incident.id))
            self._advance(incident.closed_at)
        return Applied(event, position, incident, frozenset(incident.agencies))

    def _unit(self, event: Any, position: int) -> Applied | None:
        found = self.units.get(event.originator_id)
        if found is None and not isinstance(event, Unit.Registered):
            found = self._load(event, Unit)
            if found is None:
                return None
        before = found.incident_id if found is not None else None
        unit = event.mutate(self._changing(found))
        assert isinstance(unit, Unit)
        self.units[unit.id] = unit
        snap = unit_snapshot(unit)
        if self.unit_snaps.get(unit.id) != snap:
            self.unit_snaps[unit.id] = snap
            self.routing_changes.append((position, unit.id))
        agencies = {unit.agency} | self._routed(before) | self._routed(unit.incident_id)
        return Applied(event, position, unit, frozenset(agencies))

    def _changing(self, found: Any) -> Any:
        """``found``, after telling ``before_change`` that an event is about to change it."""
        if found is not None and self.before_change is not None:
            self.before_change(found)
        return found

    def _routed(self, incident_id: UUID | None) -> set[Agency]:
        if incident_id is None:
            return set()
        found: Aggregate | None = self.incidents.get(incident_id)
        if found is None and self.loader is not None:  # one that left: as it is now
            found = self.loader(incident_id, None)
        return set(found.agencies) if isinstance(found, Incident) else set()

    def _load(self, event: Any, kind: type[Aggregate]) -> Any:
        found = (
            self.loader(event.originator_id, event.originator_version - 1) if self.loader else None
        )
        return found if isinstance(found, kind) else None

    def _track_call(self, incident: Incident) -> None:
        call = self._call_of.get(incident.id)
        if call is not None:
            call.follow(incident)
        elif incident.caller_number and incident.version == 1:
            call = Call.of(incident)
            self._call_of[incident.id] = call
            self.calls.setdefault(incident.caller_number, []).append(call)
            self._received.append((call.received_at, incident.id))

    def _snap_incident(self, incident: Incident, position: int) -> None:
        old = self.incident_snaps.get(incident.id)
        if incident.is_closed or incident.primary_id is not None:  # linked: see its primary
            if old is not None:
                del self.incident_snaps[incident.id]
                self.routing_changes.append((position, incident.id))
            return
        snap = incident_snapshot(incident)
        if old != snap:
            self.incident_snaps[incident.id] = snap
            self.routing_changes.append((position, incident.id))

    # ---- forgetting ----------------------------------------------------------------------------

    def _advance(self, moment: datetime) -> None:
        if self.horizon is None or moment > self.horizon:
            self.horizon = moment
            if self._pruned_at is None or moment - self._pruned_at >= PRUNE_STEP:
                self.prune()

    def prune(self) -> None:
        """Forget closed incidents and calls that left their windows (as of the horizon)."""
        if self.horizon is None:
            return
        self._pruned_at = self.horizon
        if self.windows.closed is not None:
            self._prune_closed(self.horizon - self.windows.closed)
        if self.windows.calls is not None:
            self._prune_calls(self.horizon - self.windows.calls)

    def _prune_closed(self, before: datetime) -> None:
        while self._closed and self._closed[0][0] < before:
            _, incident_id = self._closed.popleft()
            incident = self.incidents.get(incident_id)
            # Still closed, and not reopened and closed again since:
            if incident is not None and incident.is_closed and _before(incident.closed_at, before):
                del self.incidents[incident_id]
                self.positions.pop(incident_id, None)

    def _prune_calls(self, before: datetime) -> None:
        while self._received and self._received[0][0] < before:
            _, incident_id = self._received.popleft()
            call = self._call_of.get(incident_id)
            if call is None or call.closed_at is None:
                continue  # still open after the window: it stays until it is closed
            del self._call_of[incident_id]
            number = call.caller_number
            calls = self.calls[number]
            calls.remove(call)
            self.earlier[number] = self.earlier.get(number, Earlier()).plus(call.disposition)
            if not calls:
                del self.calls[number]

    def restore(
        self,
        position: int,
        horizon: datetime | None,
        calls: dict[str, list[Call]],
        positions: dict[UUID, int],
    ) -> None:
        """After loading aggregates and calls from a checkpoint: rebuild what is derived."""
        self.position, self.horizon, self.calls = position, horizon, calls
        self.positions = positions
        for found in calls.values():
            for call in found:
                self._call_of[call.incident_id] = call
                self._received.append((call.received_at, call.incident_id))
        self._received = collections.deque(sorted(self._received))
        closed = [
            (i.closed_at, i.id) for i in self.incidents.values() if i.closed_at and i.is_closed
        ]
        self._closed = collections.deque(sorted(closed))
        for incident in self.incidents.values():
            self._snap_incident(incident, position)
        self.unit_snaps = {u.id: unit_snapshot(u) for u in self.units.values()}
        self.routing_changes.clear()


def _before(moment: datetime | None, limit: datetime) -> bool:
    return moment is not None and moment < limit


def unit_snapshot(unit: Unit) -> UnitSnapshot:
    """A unit as the router needs it."""
    return UnitSnapshot(
        unit_id=unit.id,
        callsign=unit.callsign,
        agency=unit.agency,
        unit_type=unit.unit_type,
        status=unit.status,
        station_id=unit.station_id,
        location=unit.location,
        location_at=unit.location_at,
    )


def incident_snapshot(incident: Incident) -> OpenIncidentSnapshot:
    """An open incident as the duplicate check needs it."""
    return OpenIncidentSnapshot(
        incident_id=incident.id,
        number=incident.number,
        category=incident.category,
        location=incident.location,
        received_at=incident.received_at,
        caller_number=incident.caller_number,
        agencies=tuple(incident.agencies),
    )
