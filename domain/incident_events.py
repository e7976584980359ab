"""The Incident's events: what the log stores for an incident, field by field.

``Incident`` declares each again as a nested class (``class Scored(events.Scored): ...``), so
the stored topics stay ``domain.incident:Incident.<Name>``; ``tests/unit/
test_stored_incident_log.py`` loads a log written when the fields were declared there. A field
added later needs a default, so that older events still load.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.taxonomy import (
    Agency,
    Category,
    Channel,
    Disposition,
    EscalationReason,
    Priority,
    ScoreBand,
)
from domain.values import Location, Place


class Reported(Aggregate.Created):
    """A call was taken: the report as the call-taker recorded it."""

    report_id: UUID
    number: str
    received_at: datetime
    channel: Channel
    caller_number: str | None
    sim_present: bool | None
    call_duration_s: float | None
    first_speech_s: float | None
    silent: bool | None
    location: Location | None
    place: Place | None
    address_text: str | None
    category: Category
    priority: Priority
    description: str
    persons_involved: int | None
    injuries: int | None
    hazards: list[str]
    actor: str
    at: datetime
    disaster_context: bool = False
    #: The call-taker's "penelepon tertawa / mengaku bercanda" tick. Events recorded before
    #: it existed lack the field and read as False: unticked, never a hoax.
    hoax_observed: bool = False


class Scored(Aggregate.Event):
    """The live model scored the report (an annotation, never a verdict)."""

    model_version: str
    p_false: float
    band: ScoreBand
    reasons: list[dict[str, Any]]
    features: dict[str, Any]
    p_class: dict[str, float]
    safety_rule: str | None
    callback_first: bool
    actor: str
    at: datetime
    thresholds: dict[str, Any] | None = None


class ShadowScored(Aggregate.Event):
    """A candidate model's score, recorded beside the live one: never shown to operators,
    never used for the band or flags (see ``domain.model_registry``)."""

    model_version: str
    p_false: float
    band: ScoreBand
    safety_rule: str | None
    callback_first: bool
    actor: str
    at: datetime


class ScoreOverridden(Aggregate.Event):
    """An operator replaced the model's band, with a reason."""

    band: ScoreBand
    reason: str
    actor: str
    at: datetime


class FlaggedForVerification(Aggregate.Event):
    """The incident went to the call-back queue."""

    reason: str
    callback_first: bool
    actor: str
    at: datetime


class Verified(Aggregate.Event):
    """The call-back found the call genuine or not."""

    genuine: bool
    reason: str
    actor: str
    at: datetime


class Triaged(Aggregate.Event):
    """Priority and category were set or changed, with a reason."""

    priority: Priority
    category: Category
    reason: str
    actor: str
    at: datetime


class Routed(Aggregate.Event):
    """The incident was sent to agencies not routed before."""

    agencies: list[Agency]
    actor: str
    at: datetime


class Acknowledged(Aggregate.Event):
    """An agency confirmed it has taken the incident."""

    agency: Agency
    actor: str
    at: datetime


class UnitAssigned(Aggregate.Event):
    """A unit of a routed agency was dispatched to the incident."""

    unit_id: UUID
    agency: Agency
    callsign: str
    actor: str
    at: datetime


class UnitReleased(Aggregate.Event):
    """An assigned unit was released."""

    unit_id: UUID
    reason: str
    actor: str
    at: datetime


class Escalated(Aggregate.Event):
    """The watchdog escalated the incident, once per reason."""

    reason: EscalationReason
    detail: str
    agency: Agency | None
    actor: str
    at: datetime


class NoteAdded(Aggregate.Event):
    """Someone added a free-text note."""

    text: str
    actor: str
    at: datetime


class LinkedAsDuplicate(Aggregate.Event):
    """This report was linked to a primary incident as its duplicate."""

    primary_id: UUID
    primary_number: str
    actor: str
    at: datetime


class DuplicateLinked(Aggregate.Event):
    """A duplicate report was linked to this (primary) incident."""

    duplicate_id: UUID
    duplicate_number: str
    actor: str
    at: datetime


class StackedCallAdded(Aggregate.Event):
    """A further caller's information, recorded on the primary when its report is linked."""

    duplicate_id: UUID
    duplicate_number: str
    received_at: datetime
    caller_number: str | None
    category: Category
    description: str
    injuries: int | None
    persons_involved: int | None
    location: Location | None
    place: Place | None
    address_text: str | None
    hazards: list[str]
    actor: str
    at: datetime


class Closed(Aggregate.Event):
    """The incident was closed with a disposition."""

    disposition: Disposition
    reason: str
    actor: str
    at: datetime


class Reopened(Aggregate.Event):
    """A closed incident was reopened, with a reason."""

    reason: str
    actor: str
    at: datetime
