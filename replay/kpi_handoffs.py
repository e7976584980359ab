"""Hand-offs: incidents passed on from the agency first routed to another that took them.

An incident is handed off when an agency *not* in its first routing later acknowledged it (the
call was "thrown from one agency to the next"). Each pair (an agency of the first routing →
the agency that acknowledged) counts once per incident, in the ISO week (WITA) the incident
was received; the *time lost* runs from the first routing to that acknowledgement. Routing only
ever adds agencies (there is no un-routing event), so a bounce back to an agency already routed
cannot happen in the log and is not counted.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from replay.kpi_facts import Facts
from replay.kpi_stats import stats

DEFINITION = (
    "an agency not in the first routing acknowledged later; time lost = first routing → "
    "that acknowledgement"
)


def handoffs(calls: list[Facts], zone: ZoneInfo) -> dict[str, Any]:
    """Hand-offs per pair of agencies and ISO week, with the time lost (p50, p90, max)."""
    lost: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    incidents = 0
    for f in calls:
        if not f.routed_at:
            continue
        first_at = min(f.routed_at.values())
        first = sorted(a for a, at in f.routed_at.items() if at == first_at)
        took = [
            (agency, at)
            for agency, at in f.acknowledged_at.items()
            if agency not in first and agency in f.routed_at
        ]
        if not took:
            continue
        incidents += 1
        year, week, _ = f.received_at.astimezone(zone).isocalendar()
        for to, acknowledged in took:
            for source in first:
                key = (f"{year}-W{week:02d}", source, to)
                lost[key].append((acknowledged - first_at).total_seconds())
    return {
        "definition": DEFINITION,
        "incidents": incidents,
        "by_pair": [
            {"week": week, "from": source, "to": to, **_renamed(stats(values))}
            for (week, source, to), values in sorted(lost.items())
        ],
    }


def _renamed(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "count": body["count"],
        "time_lost_p50_s": body["p50_s"],
        "time_lost_p90_s": body["p90_s"],
        "time_lost_max_s": body["max_s"],
    }
