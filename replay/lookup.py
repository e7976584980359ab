"""Finding an incident by what an auditor has in hand: its UUID or its radio number."""

from __future__ import annotations

import re
from datetime import date
from uuid import UUID

from dispatch.center import DispatchCenter
from dispatch.errors import IncidentNotFound
from domain.ledger import DayLedger, ledger_id_for
from replay.errors import UnknownReference

NUMBER = re.compile(r"^(?P<prefix>[A-Z]{2,5})-(?P<day>\d{8})-(?P<seq>\d{4,})$")


def resolve_incident(center: DispatchCenter, reference: str) -> UUID:
    """The incident id of a UUID or a radio number such as ``SMD-20261122-0042``."""
    text = reference.strip()
    try:
        return UUID(text)
    except ValueError:
        pass
    match = NUMBER.match(text.upper())
    if match is None:
        raise UnknownReference(reference)
    incident_id = _issued(center, match["prefix"], match["day"], int(match["seq"]))
    if incident_id is None:
        raise UnknownReference(reference)
    return incident_id


def _issued(center: DispatchCenter, prefix: str, day_text: str, seq: int) -> UUID | None:
    """Read the day ledger's events (the log, not a projection) for the number's incident."""
    try:
        day = date(int(day_text[:4]), int(day_text[4:6]), int(day_text[6:]))
    except ValueError:
        return None
    for event in center.events.get(ledger_id_for(prefix, day)):
        if isinstance(event, DayLedger.NumberIssued) and event.seq == seq:
            return event.incident_id
    return None


def known_incident(center: DispatchCenter, reference: str) -> UUID:
    """Like ``resolve_incident``, but the incident must exist (IncidentNotFound otherwise)."""
    incident_id = resolve_incident(center, reference)
    center.get_incident(incident_id)  # raises IncidentNotFound
    return incident_id


__all__ = ["IncidentNotFound", "known_incident", "resolve_incident"]
