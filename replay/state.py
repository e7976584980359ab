"""State as at a log position or a time, rebuilt by folding the notification log.

Nothing here reads a projection: incidents and units are rebuilt from their events, in log
order, exactly as the aggregates were built when the events happened. "As at a time" means the
events *recorded* at or before that time (each event's ``timestamp``, set by the library when
the event was made, just before its transaction commits).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification
from eventsourcing.utils import get_topic

from dispatch.center import DispatchCenter
from dispatch.errors import IncidentNotFound
from domain.incident import Incident
from domain.taxonomy import Agency
from domain.unit import Unit
from formats.incident_json import incident_out, unit_out
from replay.errors import InvalidQuery
from replay.log import head, notifications
from replay.lookup import resolve_incident

INCIDENT_TOPICS = get_topic(Incident) + "."
UNIT_TOPICS = get_topic(Unit) + "."
LIFECYCLE = (get_topic(Incident.Closed), get_topic(Incident.Reopened))
# Events reach the log in commit order; their timestamps are taken a moment before commit,
# possibly on another node with its own clock. Past ``at`` plus this margin, stop reading.
CLOCK_MARGIN = timedelta(minutes=2)


@dataclass(frozen=True)
class AsOf:
    """A point in the log: a position, a recording time, or (neither) the present."""

    position: int | None = None
    at: datetime | None = None

    def __post_init__(self) -> None:
        if self.position is not None and self.at is not None:
            raise InvalidQuery("position", "give a time or a position, not both")
        if self.position is not None and self.position < 0:
            raise InvalidQuery("position", "must be 0 or more")
        if self.at is not None and self.at.tzinfo is None:
            raise InvalidQuery("at", "needs a time zone")

    def to_json(self) -> dict[str, Any]:
        """The question, as asked."""
        return {"position": self.position, "at": self.at.isoformat() if self.at else None}


@dataclass
class Folded:
    """Incidents and units rebuilt from the log up to a point."""

    incidents: dict[UUID, Incident] = field(default_factory=dict)
    units: dict[UUID, Unit] = field(default_factory=dict)
    position: int = 0  # the log position the state is as at
    applied: int = 0
    read: int = 0


def fold(
    center: DispatchCenter,
    as_of: AsOf,
    *,
    only: UUID | None = None,
    with_units: bool = True,
    skip: set[UUID] | frozenset[UUID] = frozenset(),
) -> Folded:
    """Apply every Incident (and Unit) event up to ``as_of``, in log order (except ``skip``)."""
    folded = Folded()
    held: set[UUID] = set()  # aggregates with an event after ``at``: later ones wait too
    for notification in notifications(center.recorder, upto=as_of.position):
        folded.read += 1
        if as_of.at is None:
            folded.position = notification.id
        if notification.originator_id in skip or not _wanted(notification, only, with_units):
            continue
        event: Any = center.mapper.to_domain_event(notification)
        if as_of.at is not None:
            if event.timestamp > as_of.at:
                held.add(notification.originator_id)  # type: ignore[arg-type]
                if event.timestamp > as_of.at + CLOCK_MARGIN:
                    break
                continue
            if notification.originator_id in held:
                continue
        _apply(folded, event)
        folded.position = notification.id
        folded.applied += 1
    return folded


def closed_incidents(center: DispatchCenter, as_of: AsOf) -> set[UUID]:
    """Incidents closed as at ``as_of``, read from the Closed and Reopened events alone.

    Topics are stored in clear, so this reads a few rows and decodes none (for a time, only
    those rows): folding the open incidents then skips every event of the closed ones.
    """
    closed: set[UUID] = set()
    held: set[object] = set()
    for n in notifications(center.recorder, upto=as_of.position, topics=LIFECYCLE):
        if as_of.at is not None:
            if n.originator_id in held:
                continue
            timestamp = center.mapper.to_domain_event(n).timestamp  # type: ignore[attr-defined]
            if timestamp > as_of.at:
                held.add(n.originator_id)
                continue
        incident_id = (
            n.originator_id if isinstance(n.originator_id, UUID) else UUID(n.originator_id)
        )
        if n.topic == LIFECYCLE[0]:
            closed.add(incident_id)
        else:
            closed.discard(incident_id)
    return closed


def _wanted(notification: Notification, only: UUID | None, with_units: bool) -> bool:
    if only is not None and notification.originator_id != only:
        return False
    topic = notification.topic
    return topic.startswith(INCIDENT_TOPICS) or (with_units and topic.startswith(UNIT_TOPICS))


def _apply(folded: Folded, event: Any) -> None:
    if isinstance(event, Incident.Reported | Unit.Registered):
        created = event.mutate(None)
        if isinstance(created, Incident):
            folded.incidents[created.id] = created
        elif isinstance(created, Unit):
            folded.units[created.id] = created
    elif event.originator_id in folded.incidents:
        event.mutate(folded.incidents[event.originator_id])
    elif event.originator_id in folded.units:
        event.mutate(folded.units[event.originator_id])


def open_incidents(folded: Folded, agency: Agency | None = None) -> list[Incident]:
    """Open incidents (routed to ``agency`` if given), most urgent first, then oldest first."""
    found = [
        i
        for i in folded.incidents.values()
        if not i.is_closed and (agency is None or agency in i.agencies)
    ]
    return sorted(found, key=lambda i: (i.priority.rank, i.received_at))


def state(
    center: DispatchCenter,
    as_of: AsOf,
    *,
    incident: str | None = None,
    board: str | None = None,
) -> dict[str, Any]:
    """One incident, one agency's board, or (neither) every open incident, as at ``as_of``."""
    if incident is not None and board is not None:
        raise InvalidQuery("board", "ask for an incident or a board, not both")
    if incident is not None:
        incident_id = resolve_incident(center, incident)
        folded = fold(center, as_of, only=incident_id, with_units=False)
        if incident_id not in folded.incidents:
            raise IncidentNotFound(incident_id)
        return _answer(center, as_of, folded) | {
            "incident": incident_out(folded.incidents[incident_id])
        }
    agency = _agency(board) if board is not None else None
    folded = fold(
        center, as_of, with_units=agency is not None, skip=closed_incidents(center, as_of)
    )
    body: dict[str, Any] = {"incidents": [incident_out(i) for i in open_incidents(folded, agency)]}
    if agency is not None:
        units = sorted((u for u in folded.units.values() if u.agency is agency), key=_code)
        body = {"board": {"agency": agency.value, **body, "units": [unit_out(u) for u in units]}}
    else:
        body = {"open": body}
    return _answer(center, as_of, folded) | body


def _answer(center: DispatchCenter, as_of: AsOf, folded: Folded) -> dict[str, Any]:
    return {
        "as_of": as_of.to_json(),
        "position": folded.position,
        "events_applied": folded.applied,
        "events_read": folded.read,
        "log_head": head(center.recorder),
    }


def _agency(value: str) -> Agency:
    try:
        return Agency(value)
    except ValueError:
        known = ", ".join(a.value for a in Agency)
        raise InvalidQuery("board", f"unknown agency {value!r} (one of {known})") from None


def _code(unit: Unit) -> str:
    return unit.code
