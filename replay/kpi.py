"""KPI report for a period, computed from the event log (not from projections).

Calls are the incidents *received* in ``[from, to)``. Durations use the times the events carry
(``received_at`` and each event's ``at``: when the operator or agency acted), so they are the
operational times an auditor expects, independent of when a node wrote them.

NFPA 1225 (2022) measures, per agency and for the first unit of any agency ("all"):

* processing      — report received → first unit of the agency dispatched (target: 60 s for 90 %);
* acknowledgement — incident routed to the agency → the agency acknowledged it;
* on_scene        — first unit of the agency dispatched → a unit of the agency on scene.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from dispatch.center import DispatchCenter
from domain.incident import Incident
from domain.taxonomy import Agency, Disposition, UnitStatus
from domain.unit import Unit
from replay.log import head, notifications
from replay.state import INCIDENT_TOPICS, UNIT_TOPICS

PROCESSING_TARGET_S = 60.0
ALL = "all"
MEASURES = {
    "processing": "report received → first unit dispatched (NFPA 1225 call processing)",
    "acknowledgement": "incident routed to the agency → acknowledged by the agency",
    "on_scene": "first unit dispatched → first unit on scene",
}
UNKNOWN_PLACE = "(tidak diketahui)"


@dataclass
class Facts:
    """What the KPI report needs to know about one incident."""

    number: str
    received_at: datetime
    category: str
    kecamatan: str
    routed_at: dict[str, datetime] = field(default_factory=dict)
    acknowledged_at: dict[str, datetime] = field(default_factory=dict)
    dispatched_at: dict[str, datetime] = field(default_factory=dict)
    on_scene_at: dict[str, datetime] = field(default_factory=dict)
    flagged_at: datetime | None = None
    callback_first: bool = False
    verification_ended_at: datetime | None = None
    disposition: str | None = None


@dataclass
class Collected:
    """Facts of every incident in the log, and how much of the log was read."""

    incidents: dict[UUID, Facts] = field(default_factory=dict)
    unit_agency: dict[UUID, str] = field(default_factory=dict)
    events_read: int = 0


def collect(center: DispatchCenter) -> Collected:
    """Read the whole log once and keep the facts the report needs."""
    collected = Collected()
    topics = (INCIDENT_TOPICS, UNIT_TOPICS)
    for n in notifications(center.recorder):
        collected.events_read += 1
        if n.topic.startswith(topics):
            _note(collected, center.mapper.to_domain_event(n))
    return collected


def _note(c: Collected, event: Any) -> None:
    if isinstance(event, Unit.Registered):
        c.unit_agency[event.originator_id] = event.agency.value
        return
    if isinstance(event, Incident.Reported):
        kecamatan = event.place.kecamatan if event.place and event.place.kecamatan else None
        c.incidents[event.originator_id] = Facts(
            event.number,
            event.received_at,
            event.category.value,
            kecamatan or UNKNOWN_PLACE,
        )
        return
    if isinstance(event, Unit.StatusChanged):
        facts = c.incidents.get(event.incident_id) if event.incident_id else None
        agency = c.unit_agency.get(event.originator_id)
        if facts and agency and event.status is UnitStatus.ON_SCENE:
            facts.on_scene_at.setdefault(agency, event.at)
        return
    facts = c.incidents.get(event.originator_id)
    if facts is None:
        return
    if isinstance(event, Incident.Triaged):
        facts.category = event.category.value
    elif isinstance(event, Incident.Routed):
        for routed in event.agencies:
            facts.routed_at.setdefault(routed.value, event.at)
    elif isinstance(event, Incident.Acknowledged):
        facts.acknowledged_at.setdefault(event.agency.value, event.at)
    elif isinstance(event, Incident.UnitAssigned):
        facts.dispatched_at.setdefault(event.agency.value, event.at)
    elif isinstance(event, Incident.FlaggedForVerification):
        facts.flagged_at = facts.flagged_at or event.at
        facts.callback_first = facts.callback_first or event.callback_first
    elif isinstance(event, Incident.Verified | Incident.Closed):
        if facts.flagged_at and facts.verification_ended_at is None:
            facts.verification_ended_at = event.at
        if isinstance(event, Incident.Closed):
            facts.disposition = event.disposition.value
    elif isinstance(event, Incident.Reopened):
        facts.disposition = None


def percentile(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least p % of values at or below."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def stats(values: list[float], target: float | None = None) -> dict[str, Any]:
    """Count, p50, p90, max (seconds) and, with a target, the share within it."""
    body: dict[str, Any] = {
        "count": len(values),
        "p50_s": percentile(values, 50),
        "p90_s": percentile(values, 90),
        "max_s": max(values) if values else None,
    }
    if target is not None:
        within = sum(1 for v in values if v <= target)
        body["target_s"] = target
        body["within_target"] = within
        body["share_within_target"] = round(within / len(values), 4) if values else None
    return body


def _seconds(start: datetime | None, end: datetime | None) -> float | None:
    return (end - start).total_seconds() if start and end else None


def _measures(calls: list[Facts]) -> dict[str, dict[str, Any]]:
    durations: dict[str, dict[str, list[float]]] = {}
    routed: Counter[str] = Counter()

    def add(agency: str, measure: str, value: float | None) -> None:
        if value is not None:
            durations.setdefault(agency, {m: [] for m in MEASURES})[measure].append(value)

    for f in calls:
        for agency, routed_at in f.routed_at.items():
            routed[agency] += 1
            durations.setdefault(agency, {m: [] for m in MEASURES})
            add(agency, "processing", _seconds(f.received_at, f.dispatched_at.get(agency)))
            add(agency, "acknowledgement", _seconds(routed_at, f.acknowledged_at.get(agency)))
            add(
                agency, "on_scene", _seconds(f.dispatched_at.get(agency), f.on_scene_at.get(agency))
            )
        routed[ALL] += 1 if f.routed_at else 0
        first = min(f.dispatched_at.values(), default=None)
        add(ALL, "processing", _seconds(f.received_at, first))
        add(ALL, "on_scene", _seconds(first, min(f.on_scene_at.values(), default=None)))
    return {
        agency: {
            "routed": routed[agency],
            "processing": stats(by["processing"], PROCESSING_TARGET_S),
            "acknowledgement": stats(by["acknowledgement"]),
            "on_scene": stats(by["on_scene"]),
        }
        for agency, by in sorted(durations.items(), key=lambda kv: _agency_order(kv[0]))
    }


def _agency_order(agency: str) -> tuple[int, str]:
    codes = [a.value for a in Agency]
    return (codes.index(agency) if agency in codes else len(codes), agency)


def _verification(calls: list[Facts]) -> dict[str, Any]:
    flagged = [f for f in calls if f.flagged_at]
    waits = [_seconds(f.flagged_at, f.verification_ended_at) for f in flagged]
    first = [_seconds(f.flagged_at, f.verification_ended_at) for f in flagged if f.callback_first]
    return {
        "flagged": len(flagged),
        "resolved": sum(1 for w in waits if w is not None),
        "still_waiting": sum(1 for w in waits if w is None),
        "wait": stats([w for w in waits if w is not None]),
        "callback_first_wait": stats([w for w in first if w is not None]),
    }


def _dispositions(calls: list[Facts]) -> dict[str, Any]:
    closed = Counter(f.disposition for f in calls if f.disposition)
    total = sum(closed.values())
    return {
        "closed": total,
        "open": sum(1 for f in calls if not f.disposition),
        "shares": {
            d.value: {
                "count": closed.get(d.value, 0),
                "share": round(closed.get(d.value, 0) / total, 4) if total else None,
            }
            for d in Disposition
        },
    }


def report(
    center: DispatchCenter, start: datetime, end: datetime, zone: ZoneInfo | None = None
) -> dict[str, Any]:
    """The KPI report for incidents received in ``[start, end)``."""
    zone = zone or center.local_zone
    collected = collect(center)
    calls = sorted(
        (f for f in collected.incidents.values() if start <= f.received_at < end),
        key=lambda f: f.received_at,
    )
    hours = Counter(f.received_at.astimezone(zone).hour for f in calls)
    return {
        "period": {"from": start.isoformat(), "to": end.isoformat(), "timezone": str(zone)},
        "source": {"log_head": head(center.recorder), "events_read": collected.events_read},
        "calls": {
            "total": len(calls),
            "by_category": dict(Counter(f.category for f in calls).most_common()),
            "by_kecamatan": dict(Counter(f.kecamatan for f in calls).most_common()),
            "by_hour": {f"{h:02d}": hours.get(h, 0) for h in range(24)},
        },
        "dispositions": _dispositions(calls),
        "nfpa1225": {
            "definitions": MEASURES,
            "percentiles": "nearest rank",
            "by_agency": _measures(calls),
        },
        "verification_queue": _verification(calls),
    }
