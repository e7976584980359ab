"""Each agency's record: its weeks against the targets, and the incidents behind every figure.

For one agency, over the last ``weeks`` ISO weeks (WITA): per week, the incidents routed to it,
acknowledgement and on-scene judged against their targets (``replay.kpi_targets``, the same
rules as the KPI report), and the escalations that named it; then the incidents it never
acknowledged and those escalated, each with the link to its events. Rebuilt from the log.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dispatch.center import DispatchCenter
from replay.kpi import collect_measures
from replay.kpi_facts import Facts
from replay.kpi_source import FactsRead, from_log
from replay.kpi_stats import judge
from replay.kpi_targets import Targets
from replay.public_figures import iso_week, period


def _link(incident_id: object) -> str:
    return f"/api/incidents/{incident_id}/events"


def _escalated_here(f: Facts, agency: str) -> list[str]:
    return [reason for reason, named in f.escalations if named in (agency, None)]


def agency_record(
    center: DispatchCenter,
    agency: str,
    *,
    weeks: int = 12,
    targets: Targets | None = None,
    read: Callable[[datetime, datetime], FactsRead] | None = None,
) -> dict[str, Any]:
    """The agency's record over the last ``weeks`` weeks, every figure traceable to events;
    the facts from ``read`` (``replay.kpi_source``; the whole log when not given)."""
    targets = targets or Targets.from_rules()
    zone: ZoneInfo = center.local_zone
    now = center.clock()
    start, end = period(now, zone, weeks)
    facts = read(start, end) if read else from_log(center)
    mine = {
        incident_id: f
        for incident_id, f in facts.collected.incidents.items()
        if agency in f.routed_at and start <= f.received_at < end
    }
    by_week: dict[str, list[Any]] = {
        iso_week(start + timedelta(weeks=i), zone): [] for i in range(weeks)
    }
    for incident_id, f in mine.items():
        by_week[iso_week(f.received_at, zone)].append(incident_id)
    rows = []
    for week, ids in by_week.items():
        calls = [mine[i] for i in ids]
        measured = collect_measures(calls, targets, now).get(agency)
        ack = measured.acknowledgement if measured else []
        scene = measured.on_scene if measured else []
        rows.append(
            {
                "week": week,
                "routed": len(calls),
                "acknowledgement": judge(ack, targets),
                "on_scene": judge(scene, targets),
                "escalated": sum(1 for f in calls if _escalated_here(f, agency)),
                "incidents": [
                    {"number": mine[i].number, "events": _link(i)}
                    for i in sorted(ids, key=lambda i: mine[i].received_at)
                ],
            }
        )
    return {
        "agency": agency,
        "source": facts.source,
        "period": {"from": start.isoformat(), "to": end.isoformat(), "timezone": str(zone)},
        "targets": targets.to_json(),
        "weeks": rows,
        "unacknowledged": _listed(mine, now, lambda f: agency not in f.acknowledged_at),
        "escalated": _listed(mine, now, lambda f: bool(_escalated_here(f, agency)), agency),
    }


def _listed(
    mine: dict[Any, Facts], now: datetime, keep: Any, agency: str | None = None
) -> list[dict[str, Any]]:
    return [
        {
            "number": f.number,
            "received_at": f.received_at.isoformat(),
            "priority": f.priority,
            "closed": f.disposition is not None,
            **({"reasons": _escalated_here(f, agency)} if agency else {}),
            "events": _link(i),
        }
        for i, f in sorted(mine.items(), key=lambda kv: kv[1].received_at)
        if keep(f)
    ]


def csv_rows(record: dict[str, Any]) -> list[tuple[str, str, str, Any]]:
    """The record's weekly figures in long form: week, measure, metric, value."""
    out: list[tuple[str, str, str, Any]] = []
    for row in record["weeks"]:
        out.append((row["week"], "", "routed", row["routed"]))
        out.append((row["week"], "", "escalated", row["escalated"]))
        for measure in ("acknowledgement", "on_scene"):
            for metric, value in row[measure].items():
                out.append((row["week"], measure, metric, value))
    return out
