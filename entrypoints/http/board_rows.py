"""An agency's board from the boards projection's rows (``GET /api/boards/{agency}?source=
projection``): the persisted board, in the same shape as the live one, as of the position the
projection has applied (which may be behind the log: a failed projection's board stops there).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dispatch.permissions import Viewer, visible_to
from domain.taxonomy import Agency, Category, Priority
from projections.board_view import BoardsView
from projections.schema import Row
from projections.wiring import ProjectionReaders, ProjectionsUnavailable

Doc = dict[str, Any]


def projected_board(
    readers: ProjectionReaders | None, agency: Agency, viewer: Viewer, now: datetime
) -> Doc:
    """The agency's board as the boards projection holds it (ProjectionsUnavailable: none)."""
    if readers is None:
        raise ProjectionsUnavailable("the projections have not started yet")
    view = readers.view("boards")
    assert isinstance(view, BoardsView)
    position, incidents, units = view.board(agency.value)
    shown = (i for i in incidents if visible_to(viewer, RoutedRow.of(i)))
    return {
        "agency": agency.value,
        "position": position,
        "incidents": sorted((row_entry(i, now) for i in shown), key=urgency),
        "units": sorted((unit_row_entry(u) for u in units), key=lambda u: u["callsign"]),
    }


@dataclass(frozen=True)
class RoutedRow:
    """The agencies a board row's incident is routed to (what ``visible_to`` reads)."""

    agencies: frozenset[Agency]

    @classmethod
    def of(cls, row: Row) -> RoutedRow:
        """The routing of an incident row."""
        return cls(frozenset(Agency(a) for a in row["agencies"] or ()))


def row_entry(row: Row, now: datetime) -> Doc:
    """One incident row on a board."""
    category = Category(row["category"])
    return {
        "incident_id": row["incident_id"],
        "number": row["number"],
        "status": row["status"],
        "priority": row["priority"],
        "category": {
            "code": category.value,
            "label_id": category.label_id,
            "label_en": category.label_en,
        },
        "location": _location(row),
        "place": (
            {"kelurahan": row["kelurahan"], "kecamatan": row["kecamatan"]}
            if row["kelurahan"] or row["kecamatan"]
            else None
        ),
        "address_text": row["address_text"],
        "band": row["band_override"] or row["model_band"],
        "verification_pending": bool(row["verification_pending"]),
        "callback_first": bool(row["callback_first"]),
        "units": row["units"],
        "escalations": row["escalations"],
        "stacked_calls": row["stacked_calls"],
        "reported_at": row["received_at"],
        "routed_at": row["routed_at"],
        "acknowledged_at": row["acknowledged_at"],
        "first_unit_at": row["first_unit_at"],
        "since_report_s": _since(row["received_at"], now),
        "since_route_s": _since(row["routed_at"], now),
        "since_acknowledged_s": _since(row["acknowledged_at"], now),
        "version": row["version"],
        "position": row["position"],
    }


def unit_row_entry(row: Row) -> Doc:
    """One unit row on a board."""
    keys = ("unit_id", "code", "callsign", "unit_type", "station_id", "status", "status_at")
    return {
        **{k: row[k] for k in keys},
        "incident_id": row["incident_id"],
        "location": _location(row),
        "location_at": row["location_at"],
        "version": row["version"],
        "position": row["position"],
    }


def urgency(entry: Doc) -> tuple[int, str]:
    """Most urgent first: by priority, then the oldest report."""
    return Priority(entry["priority"]).rank, entry["reported_at"]


def _location(row: Row) -> Doc | None:
    if row["lat"] is None:
        return None
    return {
        "lat": row["lat"],
        "lon": row["lon"],
        "accuracy_m": row["accuracy_m"],
        "source": row["location_source"],
    }


def _since(moment: str | None, now: datetime) -> float | None:
    if moment is None:
        return None
    return round((now - datetime.fromisoformat(moment)).total_seconds(), 1)
