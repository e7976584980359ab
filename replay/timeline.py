"""An incident's timeline: every event with its log position, time, actor, type and data."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from dispatch.center import DispatchCenter
from formats.incident_json import event_out
from replay.lookup import known_incident
from replay.positions import event_positions

VALUE_WIDTH = 90


def timeline(center: DispatchCenter, reference: str) -> dict[str, Any]:
    """Every event of one incident (by id or radio number), oldest first, as JSON."""
    incident_id = known_incident(center, reference)
    events = center.incident_events(incident_id)
    positions = event_positions(center, incident_id)
    incident = center.get_incident(incident_id)
    return {
        "incident_id": str(incident_id),
        "number": incident.number,
        "status": incident.status.value,
        "version": incident.version,
        "timezone": str(center.local_zone),
        "events": [event_out(e, positions.get(e.originator_version)) for e in events],
    }


def render_text(document: dict[str, Any]) -> str:
    """The timeline as a text table (times in the center's local zone)."""
    zone = document["timezone"]
    lines = [
        f"Incident {document['number']}  {document['incident_id']}  "
        f"status {document['status']}, {len(document['events'])} events, times in {zone}",
        "",
    ]
    header = ("pos", "ver", "at", "type", "actor", "details")
    rows = [
        (
            str(e["position"] if e["position"] is not None else "?"),
            str(e["version"]),
            _local(e["at"] or e["recorded_at"], zone),
            e["type"],
            e["actor"] or "",
            details(e["data"]),
        )
        for e in document["events"]
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]
    for row in [header, *rows]:
        cells = [row[i].ljust(widths[i]) for i in range(5)]
        lines.append("  ".join([*cells, row[5]]).rstrip())
    lines += ["", "(values longer than 90 characters are cut with …; --json shows everything)"]
    return "\n".join(lines)


def details(data: dict[str, Any]) -> str:
    """One event's data as ``key=value`` pairs."""
    parts = []
    for key, value in data.items():
        if value is None or value == [] or value == {}:
            continue
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        if len(text) > VALUE_WIDTH:
            text = text[: VALUE_WIDTH - 1] + "…"
        parts.append(f"{key}={text}")
    return "  ".join(parts)


def _local(iso: str, zone: str) -> str:
    from zoneinfo import ZoneInfo

    return datetime.fromisoformat(iso).astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M:%S")
