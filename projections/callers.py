"""Caller history: every call per caller number, with its disposition and when it was closed.

The counts a classifier reads are made by ``dispatch.present.calls.caller_counts``, the same
function the present uses, so the projection and the present never disagree.

``lines`` holds a number's whole history as the caller-history API lists it (incident number,
category, priority, where it stands): the in-process model of the present keeps only a window
of it, this table keeps every call a number ever made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from classifier import CallerHistory
from dispatch.present.calls import caller_counts
from domain.incident import Incident
from domain.taxonomy import Disposition, IncidentStatus
from projections.base import RowProjection, handles
from projections.events import EventData
from projections.postgres_views import PostgresRowView
from projections.schema import Row, Table, columns
from projections.sqlite_views import SQLiteRowView
from projections.tables import RowView

CALLS = Table(
    "calls",
    key=("incident_id",),
    columns=columns(
        "incident_id", "number", "received_at", "disposition", "closed_at", ("position", "integer")
    ),
    indexes=(("number",),),
)

LINES = Table(
    "lines",
    key=("incident_id",),
    columns=columns(
        "incident_id",
        "caller_number",
        "number",
        "received_at",
        "category",
        "priority",
        ("routed", "integer"),
        ("acknowledged", "integer"),
        ("units", "json"),
        ("verifying", "integer"),
        "disposition",
        "closed_at",
        ("position", "integer"),
    ),
    indexes=(("caller_number",),),
)


def status_of(line: Row) -> IncidentStatus:
    """Where the incident stands, by the rule of ``Incident.status``."""
    if line["disposition"] is not None:
        return IncidentStatus.CLOSED
    if line["units"]:
        return IncidentStatus.DISPATCHED
    if line["acknowledged"]:
        return IncidentStatus.ACKNOWLEDGED
    if line["routed"]:
        return IncidentStatus.ROUTED
    if line["verifying"]:
        return IncidentStatus.VERIFYING
    return IncidentStatus.NEW


@dataclass(frozen=True)
class Call:
    """One call from a number, as the history knows it."""

    received_at: datetime
    disposition: Disposition | None
    closed_at: datetime | None


class CallersView(RowView):
    """Calls per caller number."""

    tables = (CALLS, LINES)

    def lines(self, number: str) -> tuple[int | None, list[Row]]:
        """The view's position and every incident from a number, newest first."""
        position, (rows,) = self.read((LINES, {"caller_number": number}))
        return position, sorted(rows, key=lambda r: r["received_at"], reverse=True)

    def predates_lines(self) -> bool:
        """True when the view recorded calls before it kept ``lines`` (rebuild it first)."""
        return self.is_empty(LINES) and not self.is_empty(CALLS)

    def calls(self, number: str) -> list[Call]:
        """Every call from a number, oldest first."""
        rows = self.select(CALLS, number=number)
        calls = [
            Call(
                datetime.fromisoformat(r["received_at"]),
                Disposition(r["disposition"]) if r["disposition"] else None,
                datetime.fromisoformat(r["closed_at"]) if r["closed_at"] else None,
            )
            for r in rows
        ]
        return sorted(calls, key=lambda c: c.received_at)

    def history(self, number: str | None, at: datetime) -> CallerHistory:
        """The counts the classifier sees for a number at a moment."""
        return caller_counts(self.calls(number), at) if number else CallerHistory()


class SQLiteCallersView(CallersView, SQLiteRowView):
    """Caller history in its own SQLite file."""


class PostgresCallersView(CallersView, PostgresRowView):
    """Caller history in ``caller_history_*`` PostgreSQL tables."""


class CallersProjection(RowProjection[CallersView]):
    """Records each call with a number, and its disposition as it is closed and reopened."""

    name = "caller_history"

    @handles(Incident.Reported)
    def _reported(self, e: EventData) -> None:
        if not e["caller_number"]:
            return
        row = {
            "incident_id": e.aggregate_id,
            "number": e["caller_number"],
            "received_at": e["received_at"],
            "disposition": None,
            "closed_at": None,
            "position": e.position,
        }
        self.view.put(CALLS, row)
        line = {
            "incident_id": e.aggregate_id,
            "caller_number": e["caller_number"],
            "number": e["number"],
            "received_at": e["received_at"],
            "category": e["category"],
            "priority": e["priority"],
            "routed": 0,
            "acknowledged": 0,
            "units": [],
            "verifying": 0,
            "disposition": None,
            "closed_at": None,
            "position": e.position,
        }
        self.view.put(LINES, line)

    @handles(Incident.Closed)
    def _closed(self, e: EventData) -> None:
        self._set(e, disposition=e["disposition"], closed_at=e["at"])
        self._line(e, disposition=e["disposition"], closed_at=e["at"], verifying=0)

    @handles(Incident.Reopened)
    def _reopened(self, e: EventData) -> None:
        self._set(e, disposition=None, closed_at=None)
        self._line(e, disposition=None, closed_at=None)

    @handles(Incident.Triaged)
    def _triaged(self, e: EventData) -> None:
        self._line(e, category=e["category"], priority=e["priority"])

    @handles(Incident.Routed)
    def _routed(self, e: EventData) -> None:
        self._line(e, routed=1)

    @handles(Incident.Acknowledged)
    def _acknowledged(self, e: EventData) -> None:
        self._line(e, acknowledged=1)

    @handles(Incident.UnitAssigned)
    def _unit_assigned(self, e: EventData) -> None:
        self._line(e, units=lambda units: [*units, e["unit_id"]])

    @handles(Incident.UnitReleased)
    def _unit_released(self, e: EventData) -> None:
        self._line(e, units=lambda units: [u for u in units if u != e["unit_id"]])

    @handles(Incident.FlaggedForVerification)
    def _flagged(self, e: EventData) -> None:
        self._line(e, verifying=1)

    @handles(Incident.Verified)
    def _verified(self, e: EventData) -> None:
        self._line(e, verifying=0)

    def _set(self, e: EventData, **changes: Any) -> None:
        row = self.view.get(CALLS, (e.aggregate_id,))
        if row is not None:  # calls without a number are not in the history
            self.view.put(CALLS, {**row, **changes, "position": e.position})

    def _line(self, e: EventData, **changes: Any) -> None:
        """Change the line of the incident (a callable is given the value it replaces)."""
        line = self.view.get(LINES, (e.aggregate_id,))
        if line is None:  # calls without a number are not in the history
            return
        new = {k: v(line[k]) if callable(v) else v for k, v in changes.items()}
        self.view.put(LINES, {**line, **new, "position": e.position})
