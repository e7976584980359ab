"""The present's reads: each applies what the log holds beyond its position (``refresh``),
then copies what it returns under the lock (``locked``), so a caller never holds a live object
the follower changes, and a writer's next read sees its own write."""

from __future__ import annotations

import contextlib
import copy
import itertools
from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from classifier import CallerHistory
from dispatch.advice import OpenIncidentSnapshot, UnitSnapshot
from dispatch.present.calls import Call, Earlier, caller_counts
from dispatch.present.model import PresentState
from domain.incident import Incident
from domain.unit import Unit


class Reads:
    """What readers ask the present (intake, the APIs, advice); see ``Present``."""

    def refresh(self) -> int:
        """Apply every event recorded beyond this position; returns the position."""
        raise NotImplementedError

    def locked(self) -> contextlib.AbstractContextManager[PresentState]:
        """The state, with no event applied meanwhile (read only; keep it short)."""
        raise NotImplementedError

    def incidents(
        self, *, include_closed: bool = False, where: Callable[[Incident], bool] | None = None
    ) -> list[Incident]:
        """Shallow copies of the open incidents (and the recently closed, if asked), newest
        first; with ``where``, only those it accepts (given the live incident: read only)."""
        self.refresh()
        with self.locked() as state:
            found = [
                copy.copy(i)
                for i in state.incidents.values()
                if (include_closed or not i.is_closed) and (where is None or where(i))
            ]
        return sorted(found, key=lambda i: i.received_at, reverse=True)

    def incident(self, incident_id: UUID) -> Incident | None:
        """A shallow copy of one incident, if it is in the present."""
        self.refresh()
        with self.locked() as state:
            found = state.incidents.get(incident_id)
            return copy.copy(found) if found else None

    def unit(self, unit_id: UUID) -> Unit | None:
        """A shallow copy of one unit, if known."""
        self.refresh()
        with self.locked() as state:
            found = state.units.get(unit_id)
            return copy.copy(found) if found else None

    def units(self) -> list[Unit]:
        """Shallow copies of every registered unit."""
        self.refresh()
        with self.locked() as state:
            return [copy.copy(u) for u in state.units.values()]

    def full_facilities(self) -> set[str]:
        """Station ids of facilities marked full (e.g. hospitals whose IGD cannot take more)."""
        self.refresh()
        with self.locked() as state:
            return {f.station_id for f in state.facilities.values() if f.full}

    def calls_from(self, number: str) -> list[Call]:
        """The calls from a number within the calls window, newest first."""
        self.refresh()
        with self.locked() as state:
            found = [copy.copy(c) for c in state.calls.get(number, [])]
        return sorted(found, key=lambda c: c.received_at, reverse=True)

    def caller_history(self, number: str | None, at: datetime) -> CallerHistory:
        """Calls from a number before ``at`` and the dispositions known at that moment."""
        if not number:
            return CallerHistory()
        self.refresh()
        with self.locked() as state:
            calls = [copy.copy(c) for c in state.calls.get(number, [])]
            earlier = state.earlier.get(number, Earlier())
        return caller_counts(calls, at, earlier)

    # ---- what advice reads ----------------------------------------------------------------------

    def routing_changes(self, since: int) -> tuple[int, set[UUID]] | None:
        """(position, ids whose routing snapshot changed after ``since``); None: too far back."""
        self.refresh()
        with self.locked() as state:
            changes = state.routing_changes
            if len(changes) == changes.maxlen and changes[0][0] > since + 1:
                return None
            recent = itertools.takewhile(lambda c: c[0] > since, reversed(changes))
            return state.position, {aggregate_id for _, aggregate_id in recent}

    def routing_snapshots(
        self,
    ) -> tuple[int, list[UnitSnapshot], list[OpenIncidentSnapshot]]:
        """(position, every unit, every open unlinked incident) as the router needs them."""
        self.refresh()
        with self.locked() as state:
            return (
                state.position,
                list(state.unit_snaps.values()),
                list(state.incident_snaps.values()),
            )

    def unit_snapshot(self, unit_id: UUID) -> UnitSnapshot | None:
        """One unit as the router needs it, if known."""
        with self.locked() as state:
            return state.unit_snaps.get(unit_id)

    def incident_snapshot(self, incident_id: UUID) -> OpenIncidentSnapshot | None:
        """One incident as the duplicate check needs it, if open and unlinked."""
        with self.locked() as state:
            return state.incident_snaps.get(incident_id)
