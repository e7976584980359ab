"""An in-process read model of incidents, units and caller history, tailing the event log.

Intake needs, within a millisecond or two, the open incidents (duplicate check), the units
(recommendation) and the caller's history (classifier). This index is rebuilt from the
notification log at start-up and catches up (``> last position``, gap-tolerant) before each
read, so every node sees what every other node wrote.
"""

from __future__ import annotations

import collections
import copy
import itertools
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.application import Application

from classifier import CallerHistory
from domain.facility import Facility
from domain.incident import Incident
from domain.taxonomy import Disposition
from domain.unit import Unit

log = logging.getLogger("siaga112.index")
PAGE = 500
CHANGES_KEPT = 50_000
FALSE_DISPOSITIONS = frozenset({Disposition.PRANK, Disposition.ACCIDENTAL, Disposition.TEST})
NON_EMERGENCY = frozenset({Disposition.NON_EMERGENCY})


@dataclass
class _Call:
    incident_id: UUID
    received_at: datetime
    disposition: Disposition | None = None
    closed_at: datetime | None = None


class LiveIndex:
    """Current incidents, units and caller history, kept in memory from the log."""

    def __init__(self, app: Application[UUID]) -> None:
        self._app = app
        self._lock = threading.RLock()
        self.position = 0
        self._incidents: dict[UUID, Incident] = {}
        self._units: dict[UUID, Unit] = {}
        self._calls: dict[str, list[_Call]] = {}
        self._facilities: dict[UUID, Facility] = {}
        # (position, aggregate id) of recent events, so readers can update incrementally.
        self._changes: collections.deque[tuple[int, UUID]] = collections.deque(maxlen=CHANGES_KEPT)
        self._observers: list[Callable[[Any, int], None]] = []

    def observe(self, observer: Callable[[Any, int], None]) -> int:
        """Call ``observer(event, position)`` for every event applied from now on, after the
        index holds it; returns the position it starts after. An observer that fails is
        logged and the index goes on: nothing it does can stop this read model."""
        with self._lock:
            self._observers.append(observer)
            return self.position

    def refresh(self) -> int:
        """Apply every event recorded since the last refresh; returns the log position."""
        with self._lock:
            while True:
                notifications = self._app.recorder.select_notifications(
                    start=self.position, limit=PAGE, inclusive_of_start=False
                )
                for notification in notifications:
                    event = self._app.mapper.to_domain_event(notification)
                    self._apply(event)
                    self.position = notification.id
                    self._changes.append((notification.id, UUID(str(notification.originator_id))))
                    self._tell(event, notification.id)
                if len(notifications) < PAGE:
                    return self.position

    def _tell(self, event: Any, position: int) -> None:
        for observer in self._observers:
            try:
                observer(event, position)
            except Exception:
                log.exception("observer %r failed on the event at position %d", observer, position)

    def _apply(self, event: Any) -> None:
        if isinstance(event, Incident.Reported):
            incident = event.mutate(None)
            assert isinstance(incident, Incident)
            self._incidents[incident.id] = incident
            if incident.caller_number:
                call = _Call(incident.id, incident.received_at)
                self._calls.setdefault(incident.caller_number, []).append(call)
        elif isinstance(event, Unit.Registered):
            unit = event.mutate(None)
            assert isinstance(unit, Unit)
            self._units[unit.id] = unit
        elif isinstance(event, Facility.CapacityChanged | Facility.Listed):
            facility = event.mutate(self._facilities.get(event.originator_id))
            assert isinstance(facility, Facility)
            self._facilities[facility.id] = facility
        elif event.originator_id in self._incidents:
            incident = self._incidents[event.originator_id]
            event.mutate(incident)
            self._track_disposition(incident)
        elif event.originator_id in self._units:
            event.mutate(self._units[event.originator_id])

    def _track_disposition(self, incident: Incident) -> None:
        if not incident.caller_number:
            return
        for call in self._calls.get(incident.caller_number, []):
            if call.incident_id == incident.id:
                call.disposition = incident.disposition
                call.closed_at = incident.closed_at

    def incidents(
        self,
        *,
        include_closed: bool = False,
        where: Callable[[Incident], bool] | None = None,
    ) -> list[Incident]:
        """Shallow copies of the incidents (open ones unless asked), newest first; with
        ``where``, only those it accepts (it is given the live incident: it must only read)."""
        self.refresh()
        with self._lock:
            found = [
                copy.copy(i)
                for i in self._incidents.values()
                if (include_closed or not i.is_closed) and (where is None or where(i))
            ]
        return sorted(found, key=lambda i: i.received_at, reverse=True)

    def changes_since(self, position: int) -> set[UUID] | None:
        """Ids of aggregates changed after ``position``; None when that is too far back."""
        self.refresh()
        with self._lock:
            if len(self._changes) == self._changes.maxlen and self._changes[0][0] > position + 1:
                return None
            recent = itertools.takewhile(lambda c: c[0] > position, reversed(self._changes))
            return {aggregate_id for _, aggregate_id in recent}

    def incident(self, incident_id: UUID) -> Incident | None:
        """A shallow copy of one incident, if known."""
        with self._lock:
            found = self._incidents.get(incident_id)
            return copy.copy(found) if found else None

    def unit(self, unit_id: UUID) -> Unit | None:
        """A shallow copy of one unit, if known."""
        with self._lock:
            found = self._units.get(unit_id)
            return copy.copy(found) if found else None

    def full_facilities(self) -> set[str]:
        """Station ids of facilities marked full (e.g. hospitals whose IGD cannot take more)."""
        self.refresh()
        with self._lock:
            return {f.station_id for f in self._facilities.values() if f.full}

    def units(self) -> list[Unit]:
        """Shallow copies of every registered unit."""
        self.refresh()
        with self._lock:
            return [copy.copy(u) for u in self._units.values()]

    def calls_from(self, number: str) -> list[Incident]:
        """Shallow copies of every incident reported from a number, newest first."""
        self.refresh()
        with self._lock:
            found = [
                copy.copy(self._incidents[c.incident_id])
                for c in self._calls.get(number, [])
                if c.incident_id in self._incidents
            ]
        return sorted(found, key=lambda i: i.received_at, reverse=True)

    def caller_history(self, number: str | None, at: datetime) -> CallerHistory:
        """Calls from a number before ``at`` and the dispositions known at that moment."""
        if not number:
            return CallerHistory()
        self.refresh()
        with self._lock:
            calls = list(self._calls.get(number, []))
        return caller_counts(calls, at)


class CallRecord(Protocol):
    """One call of a caller number: when it came and how (and when) it was closed."""

    @property
    def received_at(self) -> datetime: ...

    @property
    def disposition(self) -> Disposition | None: ...

    @property
    def closed_at(self) -> datetime | None: ...


def caller_counts(calls: Iterable[CallRecord], at: datetime) -> CallerHistory:
    """A number's history as of ``at``: calls before it, and dispositions known by then.

    The one definition of the counts: the live index and the caller-history projection
    both use it, so the classifier sees the same numbers from either.
    """
    before = [c for c in calls if c.received_at < at]
    closed = [c for c in before if c.closed_at is not None and c.closed_at <= at]

    def within(span: timedelta) -> int:
        return sum(1 for c in before if at - c.received_at <= span)

    return CallerHistory(
        calls_1h=within(timedelta(hours=1)),
        calls_24h=within(timedelta(days=1)),
        calls_30d=within(timedelta(days=30)),
        prior_false=sum(1 for c in closed if c.disposition in FALSE_DISPOSITIONS),
        prior_genuine=sum(1 for c in closed if c.disposition is Disposition.GENUINE),
        prior_silent=sum(1 for c in closed if c.disposition is Disposition.SILENT),
    )
