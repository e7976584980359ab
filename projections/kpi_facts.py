"""Per-incident fact rows of the ``kpis`` projection: what the KPI report and ``/publik`` need
to know of each incident, each row with the log positions of the events it was made from.

The same facts, by the same rules, as the replay path (``replay.kpi_facts``), which folds the
log: a field set once keeps its first value (``setdefault``), a reopened incident loses its
disposition, the band is the model's until an operator overrides it. Times stay the ISO text
the events hold. ``positions`` lists every event that changed the row, so every figure drawn
from it can be traced back to events.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from domain.incident import Incident
from domain.taxonomy import UnitStatus
from domain.unit import Unit
from projections.events import EventData
from projections.schema import Row, Table, columns
from projections.tables import RowView

UNKNOWN_PLACE = "(tidak diketahui)"
FACTS = Table(
    "facts",
    key=("incident_id",),
    columns=columns(
        "incident_id",
        "day",  # the UTC day received, to read a period without reading every row
        "number",
        "received_at",
        "category",
        "kecamatan",
        "priority",
        ("routed_at", "json"),
        ("acknowledged_at", "json"),
        ("dispatched_at", "json"),
        ("on_scene_at", "json"),
        ("escalations", "json"),
        "flagged_at",
        ("callback_first", "integer"),
        "verification_ended_at",
        "disposition",
        "closed_at",
        "band",
        ("band_overridden", "integer"),
        ("verified_genuine", "json"),
        ("positions", "json"),
        ("position", "integer"),
    ),
    indexes=(("day",),),
)
UNITS = Table(
    "units", key=("unit_id",), columns=columns("unit_id", "agency", ("position", "integer"))
)
#: Every event class the facts are made from.
FACT_EVENTS: tuple[type, ...] = (
    Incident.Reported,
    Incident.Triaged,
    Incident.Routed,
    Incident.Acknowledged,
    Incident.UnitAssigned,
    Incident.Escalated,
    Incident.Scored,
    Incident.ScoreOverridden,
    Incident.FlaggedForVerification,
    Incident.Verified,
    Incident.Closed,
    Incident.Reopened,
    Unit.Registered,
    Unit.StatusChanged,
)


def utc_day(received_at: str) -> str:
    """The UTC day of an ISO time (the ``day`` column)."""
    return datetime.fromisoformat(received_at).astimezone(UTC).date().isoformat()


def note_fact(view: RowView, e: EventData) -> None:
    """Keep the facts this event changes (for any event class of ``FACT_EVENTS``)."""
    kind = e.event_class
    if kind is Unit.Registered:
        view.put(UNITS, {"unit_id": e.aggregate_id, "agency": e["agency"], "position": e.position})
        return
    if kind is Incident.Reported:
        view.put(FACTS, _reported(e))
        return
    if kind is Unit.StatusChanged:
        incident_id = e["incident_id"]
        if incident_id is None or e["status"] != UnitStatus.ON_SCENE.value:
            return
        unit = view.get(UNITS, (e.aggregate_id,))
        row = view.get(FACTS, (incident_id,))
        if unit is not None and row is not None:
            _change(view, row, e, on_scene_at=_first(row["on_scene_at"], unit["agency"], e["at"]))
        return
    row = view.get(FACTS, (e.aggregate_id,))
    if row is not None:
        _change(view, row, e, **_CHANGES[kind](row, e))


def _reported(e: EventData) -> Row:
    place = e["place"]
    return {
        "incident_id": e.aggregate_id,
        "day": utc_day(e["received_at"]),
        "number": e["number"],
        "received_at": e["received_at"],
        "category": e["category"],
        "kecamatan": (place or {}).get("kecamatan") or UNKNOWN_PLACE,
        "priority": e["priority"],
        **{name: {} for name in ("routed_at", "acknowledged_at", "dispatched_at", "on_scene_at")},
        "escalations": [],
        "flagged_at": None,
        "callback_first": 0,
        "verification_ended_at": None,
        "disposition": None,
        "closed_at": None,
        "band": None,
        "band_overridden": 0,
        "verified_genuine": None,
        "positions": [e.position],
        "position": e.position,
    }


def _change(view: RowView, row: Row, e: EventData, **changes: Any) -> None:
    if all(row[name] == value for name, value in changes.items()):
        return  # nothing this event says is new: it is not one the row comes from
    positions = [*row["positions"], e.position]
    view.put(FACTS, {**row, **changes, "positions": positions, "position": e.position})


def _first(times: dict[str, str], agency: str, at: str) -> dict[str, str]:
    return times if agency in times else {**times, agency: at}


def _routed(row: Row, e: EventData) -> dict[str, Any]:
    routed = row["routed_at"]
    for agency in e["agencies"]:
        routed = _first(routed, agency, e["at"])
    return {"routed_at": routed}


def _verification(row: Row, e: EventData) -> dict[str, Any]:
    """Verified and Closed both end a pending verification."""
    if row["flagged_at"] and row["verification_ended_at"] is None:
        return {"verification_ended_at": e["at"]}
    return {}


def _flagged(row: Row, e: EventData) -> dict[str, Any]:
    return {
        "flagged_at": row["flagged_at"] or e["at"],
        "callback_first": int(bool(row["callback_first"] or e["callback_first"])),
    }


_CHANGES: dict[type, Callable[[Row, EventData], dict[str, Any]]] = {
    Incident.Triaged: lambda row, e: {"category": e["category"], "priority": e["priority"]},
    Incident.Routed: _routed,
    Incident.Acknowledged: lambda row, e: {
        "acknowledged_at": _first(row["acknowledged_at"], e["agency"], e["at"])
    },
    Incident.UnitAssigned: lambda row, e: {
        "dispatched_at": _first(row["dispatched_at"], e["agency"], e["at"])
    },
    Incident.Escalated: lambda row, e: {
        "escalations": [*row["escalations"], [e["reason"], e["agency"]]]
    },
    Incident.Scored: lambda row, e: {} if row["band_overridden"] else {"band": e["band"]},
    Incident.ScoreOverridden: lambda row, e: {"band": e["band"], "band_overridden": 1},
    Incident.FlaggedForVerification: _flagged,
    Incident.Verified: lambda row, e: {**_verification(row, e), "verified_genuine": e["genuine"]},
    Incident.Closed: lambda row, e: {
        **_verification(row, e),
        "disposition": e["disposition"],
        "closed_at": e["at"],
    },
    Incident.Reopened: lambda row, e: {"disposition": None, "closed_at": None},
}
