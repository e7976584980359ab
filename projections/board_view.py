"""The agency boards' rows: the tables the boards projection writes and the board of one agency.

``incidents`` holds every incident's board fields (closed ones too: a reopened or later
routed incident needs them), ``routes`` one row per (agency, incident) with that agency's
timers, ``stacked_calls`` what further callers said, and ``units`` every unit. A board is the
active routes of an agency joined with the open incidents, plus the agency's units.
"""

from __future__ import annotations

from domain.taxonomy import IncidentStatus
from projections.postgres_views import PostgresRowView
from projections.schema import Row, Table, columns
from projections.sqlite_views import SQLiteRowView
from projections.tables import RowView

INCIDENTS = Table(
    "incidents",
    key=("incident_id",),
    columns=columns(
        "incident_id",
        "number",
        "received_at",
        "category",
        "priority",
        ("lat", "real"),
        ("lon", "real"),
        ("accuracy_m", "real"),
        "location_source",
        "kelurahan",
        "kecamatan",
        "address_text",
        "model_band",
        "band_override",
        ("verification_pending", "integer"),
        ("callback_first", "integer"),
        ("agencies", "json"),
        ("acknowledged_by", "json"),
        ("units", "json"),
        "first_unit_at",
        ("escalations", "json"),
        "status",
        "disposition",
        "closed_at",
        ("version", "integer"),
        ("position", "integer"),
        "updated_at",
    ),
    indexes=(("closed_at",),),
)
ROUTES = Table(
    "routes",
    key=("agency", "incident_id"),
    columns=columns(
        "agency",
        "incident_id",
        "routed_at",
        "acknowledged_at",
        ("active", "integer"),
        ("position", "integer"),
    ),
)
STACKED_CALLS = Table(
    "stacked_calls",
    key=("incident_id",),
    columns=columns(
        "incident_id",
        ("calls", "json"),
        ("active", "integer"),
        ("position", "integer"),
    ),
    indexes=(("active",),),
)
"""Per primary incident, what further callers said (reports linked to it as duplicates);
``active`` while the incident is open. The caller number is left out, as the incident's own
is: boards are read on wall screens."""
UNITS = Table(
    "units",
    key=("unit_id",),
    columns=columns(
        "unit_id",
        "agency",
        "code",
        "callsign",
        "unit_type",
        "station_id",
        "status",
        "status_at",
        "incident_id",
        ("lat", "real"),
        ("lon", "real"),
        ("accuracy_m", "real"),
        "location_source",
        "location_at",
        ("version", "integer"),
        ("position", "integer"),
    ),
    indexes=(("agency",),),
)


class BoardsView(RowView):
    """Rows of the agency boards, and the board of one agency."""

    tables = (INCIDENTS, ROUTES, UNITS, STACKED_CALLS)

    def board(self, agency: str) -> tuple[int | None, list[Row], list[Row]]:
        """Position, the agency's active incidents (with its own timers) and its units."""
        position, (incidents, routes, units, stacked) = self.read(
            (INCIDENTS, {"closed_at": None}),
            (ROUTES, {"agency": agency, "active": 1}),
            (UNITS, {"agency": agency}),
            (STACKED_CALLS, {"active": 1}),
        )
        by_id = {i["incident_id"]: i for i in incidents}
        calls = {s["incident_id"]: list(s["calls"]) for s in stacked}
        entries = [
            {
                **by_id[r["incident_id"]],
                "routed_at": r["routed_at"],
                "acknowledged_at": r["acknowledged_at"],
                "stacked_calls": calls.get(r["incident_id"], []),
            }
            for r in routes
            if r["incident_id"] in by_id
        ]
        return position, entries, units


class SQLiteBoardsView(BoardsView, SQLiteRowView):
    """Agency boards in their own SQLite file."""


class PostgresBoardsView(BoardsView, PostgresRowView):
    """Agency boards in ``boards_*`` PostgreSQL tables."""


CLOSED: str = IncidentStatus.CLOSED.value
DISPATCHED: str = IncidentStatus.DISPATCHED.value
ACKNOWLEDGED: str = IncidentStatus.ACKNOWLEDGED.value
ROUTED: str = IncidentStatus.ROUTED.value
VERIFYING: str = IncidentStatus.VERIFYING.value
NEW: str = IncidentStatus.NEW.value


def board_status(row: Row) -> str:
    """The incident's status from its row (the same rule as ``Incident.status``)."""
    if row["closed_at"] is not None:
        return CLOSED
    if row["units"]:
        return DISPATCHED
    if row["acknowledged_by"]:
        return ACKNOWLEDGED
    if row["agencies"]:
        return ROUTED
    if row["verification_pending"]:
        return VERIFYING
    return NEW
