"""Caller history: every call per caller number, with its disposition and when it was closed.

The counts a classifier reads are made by ``dispatch.live_index.caller_counts``, the same
function the live index uses, so the projection and the index never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from classifier import CallerHistory
from dispatch.live_index import caller_counts
from domain.incident import Incident
from domain.taxonomy import Disposition
from projections.base import RowProjection, handles
from projections.events import EventData
from projections.postgres_views import PostgresRowView
from projections.schema import Table, columns
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


@dataclass(frozen=True)
class Call:
    """One call from a number, as the history knows it."""

    received_at: datetime
    disposition: Disposition | None
    closed_at: datetime | None


class CallersView(RowView):
    """Calls per caller number."""

    tables = (CALLS,)

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

    @handles(Incident.Closed)
    def _closed(self, e: EventData) -> None:
        self._set(e, disposition=e["disposition"], closed_at=e["at"])

    @handles(Incident.Reopened)
    def _reopened(self, e: EventData) -> None:
        self._set(e, disposition=None, closed_at=None)

    def _set(self, e: EventData, **changes: Any) -> None:
        row = self.view.get(CALLS, (e.aggregate_id,))
        if row is not None:  # calls without a number are not in the history
            self.view.put(CALLS, {**row, **changes, "position": e.position})
