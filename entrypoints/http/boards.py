"""Agency boards, read from the boards projection (not from the present)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import APIRouter, HTTPException

from dispatch.center import storage_errors
from dispatch.permissions import Action, visible_to
from domain.taxonomy import Agency, Category, Priority
from entrypoints.http.deps import BackgroundDep, CenterDep, CurrentPrincipal
from entrypoints.http.responses import BoardJSON
from projections.boards import BoardsView
from projections.schema import Row
from projections.wiring import ProjectionsUnavailable

router = APIRouter(prefix="/api/boards", tags=["boards"])


@router.get("/{agency}", response_model=BoardJSON)
def get_board(
    agency: Agency, background: BackgroundDep, center: CenterDep, principal: CurrentPrincipal
) -> dict[str, Any]:
    """An agency's active incidents (most urgent first) with timers, its units, and the
    log position the board reflects. Agencies read only their own board."""
    principal.allow(Action.READ_BOARD)
    principal.require_agency(agency)
    readers = background.readers
    try:
        if readers is None:
            raise ProjectionsUnavailable("the projections have not started yet")
        view = readers.view("boards")
    except ProjectionsUnavailable as error:
        raise HTTPException(503, str(error)) from error
    assert isinstance(view, BoardsView)
    with storage_errors():
        position, incidents, units = view.board(agency.value)
    now = center.clock()  # the center's clock (injected in tests)
    shown = (i for i in incidents if visible_to(principal, RoutedRow.of(i)))
    entries = sorted((board_entry(i, now) for i in shown), key=_urgency)
    return {
        "agency": agency.value,
        "position": position,
        "incidents": entries,
        "units": sorted((unit_entry(u) for u in units), key=lambda u: u["callsign"]),
    }


@dataclass(frozen=True)
class RoutedRow:
    """The agencies a board row's incident is routed to (what ``visible_to`` reads)."""

    agencies: frozenset[Agency]

    @classmethod
    def of(cls, row: Row) -> RoutedRow:
        """The routing of an incident row."""
        return cls(frozenset(Agency(a) for a in row["agencies"] or ()))


def board_entry(row: Row, now: datetime) -> dict[str, Any]:
    """One incident on a board."""
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


def unit_entry(row: Row) -> dict[str, Any]:
    """One unit on a board."""
    keys = ("unit_id", "code", "callsign", "unit_type", "station_id", "status", "status_at")
    return {
        **{k: row[k] for k in keys},
        "incident_id": row["incident_id"],
        "location": _location(row),
        "location_at": row["location_at"],
        "version": row["version"],
        "position": row["position"],
    }


def _location(row: Row) -> dict[str, Any] | None:
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


def _urgency(entry: dict[str, Any]) -> tuple[int, str]:
    return Priority(entry["priority"]).rank, entry["reported_at"]
