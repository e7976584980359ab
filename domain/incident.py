"""The Incident aggregate: one emergency, from first report to closure."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain import incident_events as events
from domain.errors import (
    AgencyNotRouted,
    IncidentClosed,
    IncidentNotClosed,
    InvalidLink,
    NoAgencies,
    NotVerifying,
    ReasonRequired,
    UnitAlreadyAssigned,
    UnitNotAssigned,
)
from domain.score import Score
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
    """One emergency, from first report to closure."""

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

    # ---- scoring and verification ---------------------------------------------------------

    def record_score(
        self, score: Score, *, shadow: Score | None = None, actor: str, at: datetime
    ) -> None:
        """Record the classifier's annotation (never a verdict).

        A ``shadow`` score (a candidate model's) is recorded as ``ShadowScored``, apart: it
        changes neither the band nor the flags.
        """
        self._scored(
            model_version=score.model_version,
            p_false=float(score.p_false),
            band=score.band,
            reasons=[asdict(r) for r in score.reasons],
            features=dict(score.features),
            p_class=dict(score.p_class),
            safety_rule=score.safety_rule,
            callback_first=score.callback_first,
            actor=actor,
            at=at,
            thresholds=None if score.thresholds is None else dict(score.thresholds),
        )
        if shadow is not None:
            self._shadow_scored(
                model_version=shadow.model_version,
                p_false=float(shadow.p_false),
                band=shadow.band,
                safety_rule=shadow.safety_rule,
                callback_first=shadow.callback_first,
                actor=actor,
                at=at,
            )

    @event(ShadowScored)
    def _shadow_scored(
        self,
        model_version: str,
        p_false: float,
        band: ScoreBand,
        safety_rule: str | None,
        callback_first: bool,
        actor: str,
        at: datetime,
    ) -> None:
        # Kept apart from ``score``: nothing that bands, flags or shows reads it.
        self.shadow_score = {"model_version": model_version, "p_false": p_false, "band": band.value}

    @event(Scored)
    def _scored(
        self,
        model_version: str,
        p_false: float,
        band: ScoreBand,
        reasons: list[dict[str, Any]],
        features: dict[str, Any],
        p_class: dict[str, float],
        safety_rule: str | None,
        callback_first: bool,
        actor: str,
        at: datetime,
        thresholds: dict[str, Any] | None = None,
    ) -> None:
        self.score = {
            "model_version": model_version,
            "p_false": p_false,
            "band": band.value,
            "reasons": reasons,
            "safety_rule": safety_rule,
            "callback_first": callback_first,
            "thresholds": thresholds,
        }
        self.callback_first = self.callback_first or callback_first

    def override_score(self, band: ScoreBand, reason: str, *, actor: str, at: datetime) -> None:
        """An operator overrides the classifier's band; a reason is required."""
        if not reason.strip():
            raise ReasonRequired("overriding the false-call score needs a reason")
        self._score_overridden(band=band, reason=reason.strip(), actor=actor, at=at)

    @event(ScoreOverridden)
    def _score_overridden(self, band: ScoreBand, reason: str, actor: str, at: datetime) -> None:
        self.band_override = band

    def flag_for_verification(
        self, reason: str, *, callback_first: bool, actor: str, at: datetime
    ) -> None:
        """Put the incident in the call-back queue (it stays visible and can still be routed)."""
        self._check_open()
        self._flagged(reason=reason, callback_first=callback_first, actor=actor, at=at)

    @event(FlaggedForVerification)
    def _flagged(self, reason: str, callback_first: bool, actor: str, at: datetime) -> None:
        self.verification_pending = True
        self.callback_first = self.callback_first or callback_first
        self.flagged_at = at

    def verify(self, *, genuine: bool, reason: str, actor: str, at: datetime) -> None:
        """Record the call-back outcome of a flagged incident."""
        self._check_open()
        if not self.verification_pending:
            raise NotVerifying(f"incident {self.number} is not waiting for verification")
        if not reason.strip():
            raise ReasonRequired("a verification outcome needs a reason")
        self._verified(genuine=genuine, reason=reason.strip(), actor=actor, at=at)

    @event(Verified)
    def _verified(self, genuine: bool, reason: str, actor: str, at: datetime) -> None:
        self.verification_pending = False
        self.verified = genuine

    # ---- triage, routing, acknowledgement --------------------------------------------------

    def triage(
        self, priority: Priority, category: Category, reason: str, *, actor: str, at: datetime
    ) -> None:
        """Set or change priority and category, with the operator's reason."""
        self._check_open()
        if not reason.strip():
            raise ReasonRequired("triage needs a reason")
        self._triaged(priority=priority, category=category, reason=reason, actor=actor, at=at)

    @event(Triaged)
    def _triaged(
        self, priority: Priority, category: Category, reason: str, actor: str, at: datetime
    ) -> None:
        self.priority = priority
        self.category = category

    def route(self, agencies: list[Agency], *, actor: str, at: datetime) -> bool:
        """Route to agencies not yet routed; returns False when nothing was new."""
        self._check_open()
        if not agencies:
            raise NoAgencies("routing needs at least one agency")
        new = [a for a in dict.fromkeys(agencies) if a not in self.agencies]
        if new:
            self._routed(agencies=new, actor=actor, at=at)
        return bool(new)

    @event(Routed)
    def _routed(self, agencies: list[Agency], actor: str, at: datetime) -> None:
        for agency in agencies:
            self.agencies.append(agency)
            self.routed_at[agency] = at

    def acknowledge(self, agency: Agency, *, actor: str, at: datetime) -> bool:
        """An agency confirms it has taken the incident; repeating it changes nothing."""
        self._check_open()
        if agency not in self.agencies:
            raise AgencyNotRouted(f"incident {self.number} is not routed to {agency.value}")
        if agency in self.acknowledged_at:
            return False
        self._acknowledged(agency=agency, actor=actor, at=at)
        return True

    @event(Acknowledged)
    def _acknowledged(self, agency: Agency, actor: str, at: datetime) -> None:
        self.acknowledged_at[agency] = at

    # ---- units ---------------------------------------------------------------------------

    def assign_unit(
        self, unit_id: UUID, agency: Agency, callsign: str, *, actor: str, at: datetime
    ) -> None:
        """Assign a unit of a routed agency (the Unit is saved in the same transaction)."""
        self._check_open()
        if agency not in self.agencies:
            raise AgencyNotRouted(f"incident {self.number} is not routed to {agency.value}")
        if unit_id in self.unit_ids:
            raise UnitAlreadyAssigned(f"unit {callsign} is already assigned to {self.number}")
        self._unit_assigned(unit_id=unit_id, agency=agency, callsign=callsign, actor=actor, at=at)

    @event(UnitAssigned)
    def _unit_assigned(
        self, unit_id: UUID, agency: Agency, callsign: str, actor: str, at: datetime
    ) -> None:
        self.unit_ids.append(unit_id)
        self.unit_callsigns[unit_id] = callsign
        if self.first_unit_at is None:
            self.first_unit_at = at

    def release_unit(self, unit_id: UUID, reason: str, *, actor: str, at: datetime) -> None:
        """Release an assigned unit (it went back to service or was cancelled)."""
        if unit_id not in self.unit_ids:
            raise UnitNotAssigned(f"unit {unit_id} is not assigned to {self.number}")
        self._unit_released(unit_id=unit_id, reason=reason, actor=actor, at=at)

    @event(UnitReleased)
    def _unit_released(self, unit_id: UUID, reason: str, actor: str, at: datetime) -> None:
        self.unit_ids.remove(unit_id)
        self.released_unit_ids.append(unit_id)

    # ---- escalation, notes, duplicates ---------------------------------------------------

    def escalate(
        self,
        reason: EscalationReason,
        detail: str,
        *,
        agency: Agency | None = None,
        actor: str,
        at: datetime,
    ) -> bool:
        """Record an escalation once per reason; returns False when already escalated."""
        if self.is_closed or reason in self.escalations:
            return False
        self._escalated(reason=reason, detail=detail, agency=agency, actor=actor, at=at)
        return True

    @event(Escalated)
    def _escalated(
        self,
        reason: EscalationReason,
        detail: str,
        agency: Agency | None,
        actor: str,
        at: datetime,
    ) -> None:
        self.escalations.append(reason)

    def add_note(self, text: str, *, actor: str, at: datetime) -> None:
        """Add a free-text note (allowed after closure: late information matters to auditors)."""
        if not text.strip():
            raise ReasonRequired("a note cannot be empty")
        self._note_added(text=text.strip(), actor=actor, at=at)

    @event(NoteAdded)
    def _note_added(self, text: str, actor: str, at: datetime) -> None:
        self.notes.append({"text": text, "actor": actor, "at": at.isoformat()})

    def link_as_duplicate_of(self, primary: Incident, *, actor: str, at: datetime) -> None:
        """Link this report to the primary incident; both record it (save both together)."""
        self._check_open()
        if primary.id == self.id or primary.is_closed or primary.primary_id is not None:
            raise InvalidLink(f"{self.number} cannot be linked to {primary.number}")
        self._linked(primary_id=primary.id, primary_number=primary.number, actor=actor, at=at)
        primary._duplicate_linked(
            duplicate_id=self.id, duplicate_number=self.number, actor=actor, at=at
        )
        # The second caller's words go to the primary: that is where the agencies look.
        primary._stacked_call_added(
            duplicate_id=self.id,
            duplicate_number=self.number,
            received_at=self.received_at,
            caller_number=self.caller_number,
            category=self.category,
            description=self.description,
            injuries=self.injuries,
            persons_involved=self.persons_involved,
            location=self.location,
            place=self.place,
            address_text=self.address_text,
            hazards=list(self.hazards),
            actor=actor,
            at=at,
        )

    @event(LinkedAsDuplicate)
    def _linked(self, primary_id: UUID, primary_number: str, actor: str, at: datetime) -> None:
        self.primary_id = primary_id
        self.primary_number = primary_number

    @event(DuplicateLinked)
    def _duplicate_linked(
        self, duplicate_id: UUID, duplicate_number: str, actor: str, at: datetime
    ) -> None:
        self.duplicates.append({"incident_id": str(duplicate_id), "number": duplicate_number})

    @event(StackedCallAdded)
    def _stacked_call_added(
        self,
        duplicate_id: UUID,
        duplicate_number: str,
        received_at: datetime,
        caller_number: str | None,
        category: Category,
        description: str,
        injuries: int | None,
        persons_involved: int | None,
        location: Location | None,
        place: Place | None,
        address_text: str | None,
        hazards: list[str],
        actor: str,
        at: datetime,
    ) -> None:
        self.stacked_calls.append(
            StackedCall(
                duplicate_id=duplicate_id,
                duplicate_number=duplicate_number,
                received_at=received_at,
                caller_number=caller_number,
                category=category,
                description=description,
                injuries=injuries,
                persons_involved=persons_involved,
                location=location,
                place=place,
                address_text=address_text,
                hazards=tuple(hazards),
                actor=actor,
                at=at,
            )
        )

    # ---- closure -------------------------------------------------------------------------

    def close(self, disposition: Disposition, reason: str, *, actor: str, at: datetime) -> None:
        """Close with a disposition (the classifier's future training label)."""
        self._check_open()
        self._closed(disposition=disposition, reason=reason.strip(), actor=actor, at=at)

    @event(Closed)
    def _closed(self, disposition: Disposition, reason: str, actor: str, at: datetime) -> None:
        self.disposition = disposition
        self.closed_at = at
        self.verification_pending = False

    def reopen(self, reason: str, *, actor: str, at: datetime) -> None:
        """Reopen a closed incident, with a reason."""
        if not self.is_closed:
            raise IncidentNotClosed(self.id)
        if not reason.strip():
            raise ReasonRequired("reopening needs a reason")
        self._reopened(reason=reason.strip(), actor=actor, at=at)

    @event(Reopened)
    def _reopened(self, reason: str, actor: str, at: datetime) -> None:
        self.disposition = None
        self.closed_at = None
