"""Finding an incident by what an auditor has in hand: its UUID or its radio number."""

from __future__ import annotations

import re
from datetime import date
from uuid import UUID

from eventsourcing.utils import get_topic

from dispatch.center import DispatchCenter
from dispatch.errors import IncidentNotFound
from domain.incident import Incident
from domain.ledger import DayLedger, format_number, ledger_id_for
from replay.errors import UnknownReference
from replay.log import notifications

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
    ledger_id = ledger_id_for(prefix, day)
    reserved = False
    for event in center.events.get(ledger_id):
        if isinstance(event, DayLedger.NumberIssued) and event.seq == seq:
            return event.incident_id
        if isinstance(event, DayLedger.BlockReserved):
            reserved = reserved or event.first_seq <= seq < event.first_seq + event.size
    return _reported_as(center, ledger_id, format_number(prefix, day, seq)) if reserved else None


def _reported_as(center: DispatchCenter, ledger_id: UUID, number: str) -> UUID | None:
    """A number handed out from a reserved block is written in its incident's first event
    only: read the reports logged since the day's ledger opened (the log, not a projection)."""
    opened = next(
        (
            n.id
            for n in notifications(center.recorder, topics=[get_topic(DayLedger.Opened)])
            if n.originator_id == ledger_id
        ),
        None,
    )
    if opened is None:
        return None
    for notification in notifications(
        center.recorder, after=opened, topics=[get_topic(Incident.Reported)]
    ):
        reported = center.mapper.to_domain_event(notification)
        if isinstance(reported, Incident.Reported) and reported.number == number:
            return reported.originator_id
    return None


def known_incident(center: DispatchCenter, reference: str) -> UUID:
    """Like ``resolve_incident``, but the incident must exist (IncidentNotFound otherwise)."""
    incident_id = resolve_incident(center, reference)
    center.get_incident(incident_id)  # raises IncidentNotFound
    return incident_id


__all__ = ["IncidentNotFound", "known_incident", "resolve_incident"]
