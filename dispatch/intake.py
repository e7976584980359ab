"""Intake's pure steps: where a report is, the incident it opens, and whether to flag it.

``DispatchCenter.report`` runs them; numbering is ``dispatch.numbers``, saving is
``dispatch.group_commit``.
"""

from __future__ import annotations

from datetime import datetime

from dispatch.errors import InvalidReport
from dispatch.ports import Geography, ReportRequest
from domain.incident import Incident
from domain.score import Score
from domain.taxonomy import Priority, ScoreBand
from domain.values import Location, Place

# Reasons the system itself writes into events (clients translate these codes).
FLAG_HIGH_BAND = "high_false_call_likelihood"
FLAG_CALLBACK_FIRST = "callback_first"


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
