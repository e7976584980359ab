"""KPI report for a period, computed from the event log (not from projections).

Every incident *received* in ``[from, to)`` is counted. Durations use the times the events
carry (``received_at`` and each event's ``at``: when the operator or agency acted), so they are
the operational times an auditor expects, independent of when a node wrote them.

NFPA 1225 (2022) measures, per agency and for the first unit of any agency ("all"), each judged
against its target (``replay.kpi_targets``) incident by incident:

* processing      — report received → first unit of the agency dispatched. Every incident
  whose priority expects a unit counts; one that never got a unit is a *miss* (unless it was
  closed as a false call, a duplicate or a test without one); one still inside its 60 s is
  *pending*, not judged yet;
* acknowledgement — routed to the agency → acknowledged, against the deadline of the
  incident's priority; never acknowledged past the deadline is a miss;
* on_scene        — first unit of the agency dispatched → a unit of the agency on scene; a
  unit with no arrival recorded is listed apart (the status may simply not have been set).

A measure passes when at least 90 % of what it counts is within target.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dispatch.center import DispatchCenter
from domain.taxonomy import Agency, Disposition
from replay.kpi_facts import UNKNOWN_PLACE, Facts
from replay.kpi_handoffs import handoffs
from replay.kpi_labels import LANGS, Lang, local_time, word
from replay.kpi_screening import screening
from replay.kpi_source import FactsRead, from_log
from replay.kpi_stats import Sample, judge, percentile, stats
from replay.kpi_targets import NO_UNIT_NEEDED, Targets

__all__ = [
    "ALL",
    "MEASURES",
    "UNKNOWN_PLACE",
    "Measures",
    "Sample",
    "collect_measures",
    "percentile",
    "report",
    "stats",
]

ALL = "all"
MEASURES = {
    "processing": "report received → first unit dispatched (NFPA 1225 call processing)",
    "acknowledgement": "incident routed to the agency → acknowledged by the agency",
    "on_scene": "first unit dispatched → first unit on scene",
}


@dataclass
class Measures:
    """One agency's samples on each measure, and what could not be judged yet."""

    processing: list[Sample]
    acknowledgement: list[Sample]
    on_scene: list[Sample]
    pending: Counter[str]
    no_arrival: int = 0
    routed: int = 0


def _seconds(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds()


def _due(started: datetime, target_s: float, closed_at: datetime | None, now: datetime) -> bool:
    """Whether the deadline passed before the incident was closed (or before now)."""
    deadline = started + timedelta(seconds=target_s)
    return (closed_at or now) >= deadline


def _processing(f: Facts, dispatched: datetime | None, t: Targets, now: datetime) -> Sample | str:
    """A sample, or why there is none: ``"not_expected"`` or ``"pending"``."""
    if dispatched is not None:
        return Sample(_seconds(f.received_at, dispatched), t.processing_s, f.priority)
    if f.priority not in t.unit_expected_for or f.disposition in NO_UNIT_NEEDED:
        return "not_expected"
    if not _due(f.received_at, t.processing_s, f.closed_at, now):
        return "pending" if f.closed_at is None else "not_expected"
    return Sample(None, t.processing_s, f.priority)


def _acknowledgement(f: Facts, agency: str, t: Targets, now: datetime) -> Sample | str:
    routed_at = f.routed_at[agency]
    target = t.ack_target(f.priority)
    acknowledged = f.acknowledged_at.get(agency)
    if acknowledged is not None:
        return Sample(_seconds(routed_at, acknowledged), target, f.priority)
    if not _due(routed_at, target, f.closed_at, now):
        return "pending" if f.closed_at is None else "not_expected"
    return Sample(None, target, f.priority)


def _on_scene(
    dispatched: datetime | None, arrived: datetime | None, f: Facts, t: Targets
) -> Sample | str:
    if dispatched is None:
        return "not_expected"
    if arrived is None:
        return "no_arrival"
    return Sample(_seconds(dispatched, arrived), t.on_scene_s, f.priority)


def _add(into: Measures, measure: str, outcome: Sample | str) -> None:
    if isinstance(outcome, Sample):
        getattr(into, measure).append(outcome)
    elif outcome == "pending":
        into.pending[measure] += 1
    elif outcome == "no_arrival":
        into.no_arrival += 1


def collect_measures(calls: list[Facts], t: Targets, now: datetime) -> dict[str, Measures]:
    """Every incident's outcome on every measure, per agency and for the first unit (``all``)."""
    by: dict[str, Measures] = {}

    def of(agency: str) -> Measures:
        return by.setdefault(agency, Measures([], [], [], Counter()))

    for f in calls:
        everyone = of(ALL)
        first = min(f.dispatched_at.values(), default=None)
        _add(everyone, "processing", _processing(f, first, t, now))
        arrived = min(f.on_scene_at.values(), default=None)
        _add(everyone, "on_scene", _on_scene(first, arrived, f, t))
        everyone.routed += 1 if f.routed_at else 0
        for agency in f.routed_at.keys() | f.dispatched_at.keys():
            mine = of(agency)
            dispatched = f.dispatched_at.get(agency)
            _add(mine, "processing", _processing(f, dispatched, t, now))
            if agency in f.routed_at:
                mine.routed += 1
                _add(mine, "acknowledgement", _acknowledgement(f, agency, t, now))
            _add(mine, "on_scene", _on_scene(dispatched, f.on_scene_at.get(agency), f, t))
    return by


def _measures(calls: list[Facts], t: Targets, now: datetime) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    collected = collect_measures(calls, t, now)
    for agency in sorted(collected, key=_agency_order):
        m = collected[agency]
        body: dict[str, Any] = {
            "routed": m.routed,
            "processing": judge(m.processing, t, pending=m.pending["processing"]),
        }
        if agency != ALL:
            ack = judge(m.acknowledgement, t, pending=m.pending["acknowledgement"])
            priorities = sorted({s.priority for s in m.acknowledgement})
            ack["by_priority"] = {
                p: judge([s for s in m.acknowledgement if s.priority == p], t) for p in priorities
            }
            body["acknowledgement"] = ack
        body["on_scene"] = judge(m.on_scene, t)
        body["on_scene"]["no_arrival_recorded"] = m.no_arrival
        out[agency] = body
    return out


def _agency_order(agency: str) -> tuple[int, str]:
    codes = [ALL, *(a.value for a in Agency)]
    return (codes.index(agency) if agency in codes else len(codes), agency)


def _escalations(calls: list[Facts]) -> dict[str, Any]:
    by_reason: Counter[str] = Counter()
    by_agency: dict[str, Counter[str]] = {}
    for f in calls:
        for reason, agency in f.escalations:
            by_reason[reason] += 1
            by_agency.setdefault(agency or "none", Counter())[reason] += 1
    return {
        "total": sum(by_reason.values()),
        "incidents": sum(1 for f in calls if f.escalations),
        "by_reason": dict(by_reason.most_common()),
        "by_agency": {
            a: dict(by_agency[a].most_common()) for a in sorted(by_agency, key=_agency_order)
        },
    }


def _verification(calls: list[Facts]) -> dict[str, Any]:
    flagged = [f for f in calls if f.flagged_at]
    waits = [
        _seconds(f.flagged_at, f.verification_ended_at)
        for f in flagged
        if f.flagged_at and f.verification_ended_at
    ]
    first = [
        _seconds(f.flagged_at, f.verification_ended_at)
        for f in flagged
        if f.callback_first and f.flagged_at and f.verification_ended_at
    ]
    return {
        "flagged": len(flagged),
        "resolved": len(waits),
        "still_waiting": len(flagged) - len(waits),
        "wait": stats(waits),
        "callback_first_wait": stats(first),
    }


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _dispositions(calls: list[Facts]) -> dict[str, Any]:
    closed = Counter(f.disposition for f in calls if f.disposition)
    total = sum(closed.values())
    return {
        "closed": total,
        "open": sum(1 for f in calls if not f.disposition),
        "shares": {
            d.value: {
                "count": closed.get(d.value, 0),
                "percent": _percent(closed.get(d.value, 0), total),
            }
            for d in Disposition
        },
    }


def _labels(codes: Iterable[str], lang: Lang) -> dict[str, str]:
    return {code: word(code, lang) for code in sorted(set(codes))}


def report(
    center: DispatchCenter,
    start: datetime,
    end: datetime,
    zone: ZoneInfo | None = None,
    *,
    targets: Targets | None = None,
    lang: Lang = "id",
    facts: FactsRead | None = None,
) -> dict[str, Any]:
    """The KPI report for incidents received in ``[start, end)``, judged against the targets,
    from ``facts`` (see ``replay.kpi_source``; the whole log when not given)."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    zone = zone or center.local_zone
    targets = targets or Targets.from_rules()
    read = facts or from_log(center)
    calls = sorted(
        (f for f in read.collected.incidents.values() if start <= f.received_at < end),
        key=lambda f: f.received_at,
    )
    hours = Counter(f.received_at.astimezone(zone).hour for f in calls)
    by_agency = _measures(calls, targets, center.clock())
    escalations = _escalations(calls)
    by_category = dict(Counter(f.category for f in calls).most_common())
    codes = [*by_category, *by_agency, *escalations["by_reason"], *(d.value for d in Disposition)]
    zone_name = "WITA" if str(zone) == "Asia/Makassar" else str(zone)
    return {
        "lang": lang,
        "period": {
            "from": start.isoformat(),
            "to": end.isoformat(),
            "timezone": str(zone),
            "from_local": f"{local_time(start.astimezone(zone), lang)} {zone_name}",
            "to_local": f"{local_time(end.astimezone(zone), lang)} {zone_name}",
        },
        "source": read.source,
        "calls": {
            "total": len(calls),
            "by_category": by_category,
            "by_kecamatan": dict(Counter(f.kecamatan for f in calls).most_common()),
            "by_hour": {f"{h:02d}": hours.get(h, 0) for h in range(24)},
        },
        "dispositions": _dispositions(calls),
        "nfpa1225": {
            "definitions": MEASURES,
            "percentiles": "nearest rank, over the incidents with a time (misses have none)",
            "targets": targets.to_json(),
            "by_agency": by_agency,
        },
        "escalations": escalations,
        "handoffs": handoffs(calls, zone),
        "screening": screening(calls, zone),
        "verification_queue": _verification(calls),
        "labels": _labels(codes, lang),
    }
