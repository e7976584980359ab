"""The Incident aggregate: one emergency, from first report to closure."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain import incident_dispatch, incident_links, incident_scoring
from domain import incident_events as events
from domain.errors import IncidentClosed
from domain.taxonomy import (
    Agency,
    Category,
    Channel,
    Disposition,
    EscalationReason,
    IncidentStatus,
    Priority,
    ScoreBand,
)
from domain.values import Location, Place, StackedCall

INCIDENT_NAMESPACE = uuid5(NAMESPACE_URL, "https://siaga112.samarindakota.go.id/incident")


def incident_id_for(report_id: UUID) -> UUID:
    """The incident id a client report id maps to: a retried report finds the same incident."""
    return uuid5(INCIDENT_NAMESPACE, str(report_id))


class Incident(Aggregate):
    """One emergency, from first report to closure.

    Its verbs are written by concern in ``domain.incident_scoring``, ``incident_dispatch``
    and ``incident_links``, and bound below: each public one decides, each private one is the
    ``@event`` method that only assigns what its event says.
    """

    # Its events, as stored: fields in ``domain.incident_events``, topics stay
    # ``domain.incident:Incident.<Name>`` because they are declared here.
    class Reported(events.Reported): ...

    class Scored(events.Scored): ...

    class ShadowScored(events.ShadowScored): ...

    class ScoreOverridden(events.ScoreOverridden): ...

    class FlaggedForVerification(events.FlaggedForVerification): ...

    class Verified(events.Verified): ...

    class Triaged(events.Triaged): ...

    class Routed(events.Routed): ...

    class Acknowledged(events.Acknowledged): ...

    class UnitAssigned(events.UnitAssigned): ...

    class UnitReleased(events.UnitReleased): ...

    class Escalated(events.Escalated): ...

    class NoteAdded(events.NoteAdded): ...

    class LinkedAsDuplicate(events.LinkedAsDuplicate): ...

    class DuplicateLinked(events.DuplicateLinked): ...

    class StackedCallAdded(events.StackedCallAdded): ...

    class Closed(events.Closed): ...

    class Reopened(events.Reopened): ...

    @staticmethod
    def create_id(report_id: UUID) -> UUID:
        """Derive the id from the client's report id (idempotent intake)."""
        return incident_id_for(report_id)

    @event(Reported)
    def __init__(
        self,
        report_id: UUID,
        number: str,
        received_at: datetime,
        channel: Channel,
        caller_number: str | None,
        sim_present: bool | None,
        call_duration_s: float | None,
        first_speech_s: float | None,
        silent: bool | None,
        location: Location | None,
        place: Place | None,
        address_text: str | None,
        category: Category,
        priority: Priority,
        description: str,
        persons_involved: int | None,
        injuries: int | None,
        hazards: list[str],
        actor: str,
        at: datetime,
        disaster_context: bool = False,
        hoax_observed: bool = False,
    ) -> None:
        self.report_id = report_id
        self.number = number
        self.received_at = received_at
        self.channel = channel
        self.caller_number = caller_number
        self.sim_present = sim_present
        self.call_duration_s = call_duration_s
        self.first_speech_s = first_speech_s
        self.silent = silent
        self.location = location
        self.place = place
        self.address_text = address_text
        self.category = category
        self.priority = priority
        self.description = description
        self.persons_involved = persons_involved
        self.injuries = injuries
        self.hazards = list(hazards)
        self.disaster_context = disaster_context
        self.hoax_observed = hoax_observed
        self.reported_by = actor
        self.score: dict[str, Any] | None = None
        self.shadow_score: dict[str, Any] | None = None
        self.band_override: ScoreBand | None = None
        self.verification_pending = False
        self.callback_first = False
        self.flagged_at: datetime | None = None
        self.verified: bool | None = None
        self.agencies: list[Agency] = []
        self.routed_at: dict[Agency, datetime] = {}
        self.acknowledged_at: dict[Agency, datetime] = {}
        self.unit_ids: list[UUID] = []
        self.unit_callsigns: dict[UUID, str] = {}
        self.released_unit_ids: list[UUID] = []
        self.first_unit_at: datetime | None = None
        self.escalations: list[EscalationReason] = []
        self.notes: list[dict[str, Any]] = []
        self.primary_id: UUID | None = None
        self.primary_number: str | None = None
        self.duplicates: list[dict[str, Any]] = []
        self.stacked_calls: list[StackedCall] = []
        self.disposition: Disposition | None = None
        self.closed_at: datetime | None = None

    # ---- derived state -------------------------------------------------------------------

    @property
    def is_closed(self) -> bool:
        """True once the incident is closed (until it is reopened)."""
        return self.disposition is not None

    @property
    def band(self) -> ScoreBand | None:
        """The false-call band an operator sees: their override, else the model's."""
        if self.band_override is not None:
            return self.band_override
        return ScoreBand(self.score["band"]) if self.score else None

    @property
    def status(self) -> IncidentStatus:
        """Where the incident stands, derived from what has happened."""
        if self.is_closed:
            return IncidentStatus.CLOSED
        if self.unit_ids:
            return IncidentStatus.DISPATCHED
        if self.acknowledged_at:
            return IncidentStatus.ACKNOWLEDGED
        if self.agencies:
            return IncidentStatus.ROUTED
        if self.verification_pending:
            return IncidentStatus.VERIFYING
        return IncidentStatus.NEW

    def _check_open(self) -> None:
        if self.is_closed:
            raise IncidentClosed(self.id)

    # ---- scoring and verification (domain.incident_scoring) ------------------------------

    record_score = incident_scoring.record_score
    _shadow_scored = event(ShadowScored)(incident_scoring.shadow_scored)
    _scored = event(Scored)(incident_scoring.scored)
    override_score = incident_scoring.override_score
    _score_overridden = event(ScoreOverridden)(incident_scoring.score_overridden)
    flag_for_verification = incident_scoring.flag_for_verification
    _flagged = event(FlaggedForVerification)(incident_scoring.flagged)
    verify = incident_scoring.verify
    _verified = event(Verified)(incident_scoring.verified)

    # ---- triage, routing, units, escalation, closure (domain.incident_dispatch) -------------

    triage = incident_dispatch.triage
    _triaged = event(Triaged)(incident_dispatch.triaged)
    route = incident_dispatch.route
    _routed = event(Routed)(incident_dispatch.routed)
    acknowledge = incident_dispatch.acknowledge
    _acknowledged = event(Acknowledged)(incident_dispatch.acknowledged)
    assign_unit = incident_dispatch.assign_unit
    _unit_assigned = event(UnitAssigned)(incident_dispatch.unit_assigned)
    release_unit = incident_dispatch.release_unit
    _unit_released = event(UnitReleased)(incident_dispatch.unit_released)
    escalate = incident_dispatch.escalate
    _escalated = event(Escalated)(incident_dispatch.escalated)
    close = incident_dispatch.close
    _closed = event(Closed)(incident_dispatch.closed)
    reopen = incident_dispatch.reopen
    _reopened = event(Reopened)(incident_dispatch.reopened)

    # ---- notes and duplicates (domain.incident_links) ----------------------------------------

    add_note = incident_links.add_note
    _note_added = event(NoteAdded)(incident_links.note_added)
    link_as_duplicate_of = incident_links.link_as_duplicate_of
    _linked = event(LinkedAsDuplicate)(incident_links.linked)
    _duplicate_linked = event(DuplicateLinked)(incident_links.duplicate_linked)
    _stacked_call_added = event(StackedCallAdded)(incident_links.stacked_call_added)
