"""What the KPI report and the public figures need to know of each incident, read from the log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from dispatch.center import DispatchCenter
from domain.incident import Incident
from domain.taxonomy import UnitStatus
from domain.unit import Unit
from replay.log import notifications
from replay.state import INCIDENT_TOPICS, UNIT_TOPICS

UNKNOWN_PLACE = "(tidak diketahui)"


@dataclass
class Facts:
    """What the KPI report needs to know about one incident."""

    number: str
    received_at: datetime
    category: str
    kecamatan: str
    priority: str
    routed_at: dict[str, datetime] = field(default_factory=dict)
    acknowledged_at: dict[str, datetime] = field(default_factory=dict)
    dispatched_at: dict[str, datetime] = field(default_factory=dict)
    on_scene_at: dict[str, datetime] = field(default_factory=dict)
    escalations: list[tuple[str, str | None]] = field(default_factory=list)
    flagged_at: datetime | None = None
    callback_first: bool = False
    verification_ended_at: datetime | None = None
    disposition: str | None = None
    closed_at: datetime | None = None
    band: str | None = None
    band_overridden: bool = False
    verified_genuine: bool | None = None


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
            event.priority.value,
        )
        return
    if isinstance(event, Unit.StatusChanged):
        facts = c.incidents.get(event.incident_id) if event.incident_id else None
        agency = c.unit_agency.get(event.originator_id)
        if facts and agency and event.status is UnitStatus.ON_SCENE:
            facts.on_scene_at.setdefault(agency, event.at)
        return
    facts = c.incidents.get(event.originator_id)
    if facts is not None:
        _note_incident(facts, event)


def _note_incident(facts: Facts, event: Any) -> None:
    if isinstance(event, Incident.Triaged):
        facts.category = event.category.value
        facts.priority = event.priority.value
    elif isinstance(event, Incident.Routed):
        for routed in event.agencies:
            facts.routed_at.setdefault(routed.value, event.at)
    elif isinstance(event, Incident.Acknowledged):
        facts.acknowledged_at.setdefault(event.agency.value, event.at)
    elif isinstance(event, Incident.UnitAssigned):
        facts.dispatched_at.setdefault(event.agency.value, event.at)
    elif isinstance(event, Incident.Escalated):
        facts.escalations.append((event.reason.value, event.agency.value if event.agency else None))
    elif isinstance(event, Incident.Scored):
        if not facts.band_overridden:
            facts.band = event.band.value
    elif isinstance(event, Incident.ScoreOverridden):
        facts.band, facts.band_overridden = event.band.value, True
    elif isinstance(event, Incident.FlaggedForVerification):
        facts.flagged_at = facts.flagged_at or event.at
        facts.callback_first = facts.callback_first or event.callback_first
    elif isinstance(event, Incident.Verified | Incident.Closed):
        if facts.flagged_at and facts.verification_ended_at is None:
            facts.verification_ended_at = event.at
        if isinstance(event, Incident.Verified):
            facts.verified_genuine = event.genuine
        if isinstance(event, Incident.Closed):
            facts.disposition = event.disposition.value
            facts.closed_at = event.at
    elif isinstance(event, Incident.Reopened):
        facts.disposition = None
        facts.closed_at = None
