"""Intake: a report located, scored, advised, numbered and saved as a new incident.

``Intake.report`` is ``DispatchCenter.report``; the pure steps (where a report is, the
incident it opens, whether to flag it, auto-routing) are functions below. Numbering is
``dispatch.numbers``, saving is ``dispatch.group_commit``.
"""

from __future__ import annotations

import contextlib
import functools
from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from dispatch.advice import Recommendation
from dispatch.center_core import CenterCore
from dispatch.context import current_actor
from dispatch.errors import IncidentNotFound, InvalidReport
from dispatch.ports import Geography, IntakeResult, ReportRequest, ScoredReport, unscored
from dispatch.present import Present, PresentState
from dispatch.present.reads import Reads
from domain.incident import Incident, incident_id_for
from domain.ledger import ledger_id_for
from domain.score import Score
from domain.taxonomy import Priority, ScoreBand
from domain.values import Location, Place

# Reasons the system itself writes into events (clients translate these codes).
FLAG_HIGH_BAND = "high_false_call_likelihood"
FLAG_CALLBACK_FIRST = "callback_first"
FUTURE_TOLERANCE = timedelta(seconds=30)
DEFAULT_PRIORITY = Priority.P2


class Intake(CenterCore):
    """The center's intake: ``report``, and the advice around an incident."""

    def report(self, request: ReportRequest) -> IntakeResult:
        """Take a report: locate, score and advise, then record it (idempotent by report id)."""
        incident_id = incident_id_for(request.report_id)
        # A retried report is almost always still in the present: only then is it read from
        # the store. A new report costs no read; a retry the present does not hold (yet) is
        # caught by the save, which the store refuses (the incident's first event exists).
        existing = self._existing(incident_id) if self._in_present(incident_id) else None
        # The report's one read of the log: what intake reads next (the caller's history,
        # what advice looks at) is the present as of now, read through ``Settled``.
        self.present.refresh()
        if existing is not None:
            return IntakeResult(existing, created=False, recommendation=self._advise(existing))
        now = self.clock()
        received_at = request.received_at or now
        if received_at > now + FUTURE_TOLERANCE:
            raise InvalidReport("received_at", "is in the future")
        location, place = resolve_location(self.geography, request)
        history = self._settled.caller_history(request.caller_number, received_at)
        score = (
            self.scoring.score_report(request, location, history, now)
            if self.scoring
            else ScoredReport(unscored("model_unavailable"))
        )
        priority = request.priority or (
            self.advisor.default_priority(request.category, injuries=request.injuries)
            if self.advisor
            else DEFAULT_PRIORITY
        )
        return self._record_report(
            request, incident_id, received_at, now, location, place, priority, score
        )

    def _record_report(
        self,
        request: ReportRequest,
        incident_id: UUID,
        received_at: datetime,
        now: datetime,
        location: Location | None,
        place: Place | None,
        priority: Priority,
        score: ScoredReport,
    ) -> IntakeResult:
        actor = current_actor()
        day = received_at.astimezone(self.local_zone).date()

        def attempt() -> IntakeResult:
            # No lock across the commit: the number comes from this node's block (see
            # dispatch.numbers) and the save joins whatever other saves are being committed.
            with self.numbers.issue(day) as ticket:
                incident = new_incident(
                    request, ticket.number, received_at, location, place, priority, actor, now
                )
                incident.record_score(
                    score.live, shadow=score.shadow, actor="system:classifier", at=now
                )
                flag_if_needed(incident, score.live, now)
                # Advice, once, from the incident about to be saved: what it reads (units,
                # other open incidents) does not include the incident itself.
                advice = self._advise(incident, now)
                if self.auto_route:
                    auto_route(incident, advice, now)
                try:
                    self._save(*ticket.aggregates, incident)
                    ticket.saved()
                except IntegrityError:
                    existing = self._existing(incident_id)
                    if existing is None:
                        raise  # another node reserved the same block first: take the next one
                    incident, advice = existing, self._advise(existing)  # stored before: a retry
            return IntakeResult(incident, ticket.stored, advice)

        ledger_id = ledger_id_for(self.number_prefix, day)
        return self._retrying(attempt, ledger_id, lambda: self._ledger_version(day))

    def _in_present(self, incident_id: UUID) -> bool:
        with self.present.locked() as state:
            return incident_id in state.incidents

    def _existing(self, incident_id: UUID) -> Incident | None:
        try:
            return self.get_incident(incident_id)
        except IncidentNotFound:
            return None

    @functools.cached_property
    def _settled(self) -> Settled:
        return Settled(self.present)

    def _advise(self, incident: Incident, at: datetime | None = None) -> Recommendation | None:
        # Over the present as its caller last refreshed it (one read of the log per report,
        # not one per thing advice looks at); always the same Fleet object, so the advisor
        # keeps its indexes and updates them from what changed.
        if self.advisor is None:
            return None
        return self.advisor.advise(incident, fleet=self._settled, at=at or self.clock())

    def advise(self, incident_id: UUID) -> Recommendation | None:
        """The current recommendation (agencies, stations, units, duplicates) for an incident."""
        incident = self.get_incident(incident_id)
        self.present.refresh()
        return self._advise(incident)


class Settled(Reads):
    """The present's reads without a read of the log first, for a caller that has just
    refreshed the present and reads several things of it (a report's history, then advice)."""

    def __init__(self, present: Present) -> None:
        self._present = present

    def refresh(self) -> int:
        """No read of the log: the position as last refreshed."""
        return self._present.position

    def locked(self) -> contextlib.AbstractContextManager[PresentState]:
        """The present's state under its lock."""
        return self._present.locked()


def resolve_location(
    geography: Geography | None, request: ReportRequest
) -> tuple[Location | None, Place | None]:
    """The report's location and place: given, parsed from AML, or looked up by kelurahan."""

    def geo(field: str) -> Geography:
        if geography is None:
            raise InvalidReport(field, "place lookup is not configured on this server")
        return geography

    location = request.location
    if request.aml and location is None:
        location = geo("aml").parse_aml(request.aml)
    if location is not None:
        return location, geography.locate(location) if geography else None
    if request.kelurahan:
        return geo("kelurahan").resolve_kelurahan(request.kelurahan)
    return None, None


def new_incident(
    request: ReportRequest,
    number: str,
    received_at: datetime,
    location: Location | None,
    place: Place | None,
    priority: Priority,
    actor: str,
    now: datetime,
) -> Incident:
    """The incident a report opens, numbered ``number`` (not yet scored nor saved)."""
    return Incident(
        report_id=request.report_id,
        number=number,
        received_at=received_at,
        channel=request.channel,
        caller_number=request.caller_number,
        sim_present=request.sim_present,
        call_duration_s=request.call_duration_s,
        first_speech_s=request.first_speech_s,
        silent=request.silent,
        location=location,
        place=place,
        address_text=request.address_text,
        category=request.category,
        priority=priority,
        description=request.description,
        persons_involved=request.persons_involved,
        injuries=request.injuries,
        hazards=list(request.hazards),
        actor=actor,
        at=now,
        disaster_context=request.disaster_context,
        hoax_observed=request.hoax_observed,
    )


def flag_if_needed(incident: Incident, score: Score, now: datetime) -> None:
    """Flag for verification a call the classifier finds likely false, or one to call back."""
    callback_first = score.callback_first
    if score.band is ScoreBand.HIGH or callback_first:
        reason = FLAG_CALLBACK_FIRST if callback_first else FLAG_HIGH_BAND
        incident.flag_for_verification(
            reason, callback_first=callback_first, actor="system:classifier", at=now
        )


def auto_route(incident: Incident, advice: Recommendation | None, now: datetime) -> None:
    """Route a new incident to the agencies its advice names (when the center auto-routes)."""
    if advice and advice.agencies:
        incident.route(list(advice.agencies), actor="system:auto-route", at=now)
