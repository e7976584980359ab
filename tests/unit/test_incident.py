"""The Incident aggregate's rules, without any persistence."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from domain.errors import (
    AgencyNotRouted,
    IncidentClosed,
    IncidentNotClosed,
    InvalidLink,
    NoAgencies,
    ReasonRequired,
    UnitAlreadyAssigned,
)
from domain.incident import Incident, incident_id_for
from domain.taxonomy import (
    Agency,
    Category,
    Channel,
    Disposition,
    EscalationReason,
    IncidentStatus,
    LocationSource,
    Priority,
    ScoreBand,
)
from domain.values import Location

AT = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


def an_incident(number: str = "SMD-20261122-0001", **overrides: Any) -> Incident:
    fields: dict[str, Any] = dict(
        report_id=uuid.uuid4(),
        number=number,
        received_at=AT,
        channel=Channel.VOICE,
        caller_number=None,
        sim_present=True,
        call_duration_s=40.0,
        first_speech_s=1.0,
        silent=False,
        location=None,
        place=None,
        address_text="Jl. Juanda",
        category=Category.KEBAKARAN,
        priority=Priority.P1,
        description="rumah terbakar",
        persons_involved=3,
        injuries=1,
        hazards=["gas"],
        actor="operator:rina",
        at=AT,
    )
    return Incident(**{**fields, **overrides})


def test_the_incident_id_derives_from_the_report_id() -> None:
    report_id = uuid.uuid4()
    assert incident_id_for(report_id) == incident_id_for(report_id)
    assert incident_id_for(report_id) != incident_id_for(uuid.uuid4())


def test_a_new_incident_is_new_and_records_who_reported_it() -> None:
    incident = an_incident()
    assert incident.status is IncidentStatus.NEW
    assert incident.reported_by == "operator:rina"
    assert incident.hazards == ["gas"]


def test_routing_then_acknowledging_moves_the_status_forward() -> None:
    incident = an_incident()
    incident.route([Agency.FIRE, Agency.MEDICAL], actor="op", at=AT)
    after_routing = incident.status
    incident.acknowledge(Agency.FIRE, actor="agency:fire", at=AT)
    after_acknowledging = incident.status
    assert after_routing is IncidentStatus.ROUTED
    assert after_acknowledging is IncidentStatus.ACKNOWLEDGED
    assert incident.acknowledged_at == {Agency.FIRE: AT}


def test_routing_again_to_the_same_agency_records_nothing() -> None:
    incident = an_incident()
    assert incident.route([Agency.FIRE], actor="op", at=AT)
    version = incident.version
    assert not incident.route([Agency.FIRE], actor="op", at=AT)
    assert incident.version == version


def test_routing_needs_an_agency() -> None:
    with pytest.raises(NoAgencies):
        an_incident().route([], actor="op", at=AT)


def test_an_agency_cannot_acknowledge_an_incident_not_routed_to_it() -> None:
    incident = an_incident()
    incident.route([Agency.FIRE], actor="op", at=AT)
    with pytest.raises(AgencyNotRouted):
        incident.acknowledge(Agency.POLICE, actor="agency:police", at=AT)


def test_a_closed_incident_cannot_be_routed_or_given_units() -> None:
    incident = an_incident()
    incident.route([Agency.FIRE], actor="op", at=AT)
    incident.close(Disposition.GENUINE, "extinguished", actor="op", at=AT)
    with pytest.raises(IncidentClosed):
        incident.route([Agency.POLICE], actor="op", at=AT)
    with pytest.raises(IncidentClosed):
        incident.assign_unit(uuid.uuid4(), Agency.FIRE, "P-III-1", actor="op", at=AT)


def test_a_unit_cannot_be_assigned_twice_or_for_an_agency_not_routed() -> None:
    incident = an_incident()
    unit_id = uuid.uuid4()
    with pytest.raises(AgencyNotRouted):
        incident.assign_unit(unit_id, Agency.FIRE, "P-III-1", actor="op", at=AT)
    incident.route([Agency.FIRE], actor="op", at=AT)
    incident.assign_unit(unit_id, Agency.FIRE, "P-III-1", actor="op", at=AT)
    with pytest.raises(UnitAlreadyAssigned):
        incident.assign_unit(unit_id, Agency.FIRE, "P-III-1", actor="op", at=AT)
    assert incident.status is IncidentStatus.DISPATCHED
    assert incident.first_unit_at == AT


def test_overriding_the_classifier_needs_a_reason() -> None:
    incident = an_incident()
    with pytest.raises(ReasonRequired):
        incident.override_score(ScoreBand.LOW, "  ", actor="op", at=AT)
    incident.override_score(ScoreBand.LOW, "caller confirmed on call-back", actor="op", at=AT)
    assert incident.band is ScoreBand.LOW


def test_escalation_is_recorded_once_per_reason() -> None:
    incident = an_incident()
    assert incident.escalate(EscalationReason.NOT_ACKNOWLEDGED, "60 s", actor="sys", at=AT)
    assert not incident.escalate(EscalationReason.NOT_ACKNOWLEDGED, "again", actor="sys", at=AT)
    assert incident.escalations == [EscalationReason.NOT_ACKNOWLEDGED]


def test_reopening_needs_a_closed_incident_and_a_reason() -> None:
    incident = an_incident()
    with pytest.raises(IncidentNotClosed):
        incident.reopen("why", actor="op", at=AT)
    incident.close(Disposition.PRANK, "", actor="op", at=AT)
    with pytest.raises(ReasonRequired):
        incident.reopen("", actor="op", at=AT)
    incident.reopen("caller called back: real fire", actor="op", at=AT)
    assert not incident.is_closed


def test_linking_records_on_both_incidents_and_refuses_self_links() -> None:
    primary, duplicate = an_incident("SMD-1"), an_incident("SMD-2")
    with pytest.raises(InvalidLink):
        primary.link_as_duplicate_of(primary, actor="op", at=AT)
    duplicate.link_as_duplicate_of(primary, actor="op", at=AT)
    assert duplicate.primary_number == "SMD-1"
    assert primary.duplicates == [{"incident_id": str(duplicate.id), "number": "SMD-2"}]


def test_linking_carries_the_second_callers_information_onto_the_primary() -> None:
    primary = an_incident("SMD-1")
    second = an_incident(
        "SMD-2",
        caller_number="+6281350009999",
        location=Location(-0.4907, 117.1443, 12.0, LocationSource.AML),
        description="anak di dalam tidak bernapas",
        persons_involved=4,
        injuries=2,
        hazards=["asap"],
    )
    later = AT.replace(minute=3)

    second.link_as_duplicate_of(primary, actor="operator:budi", at=later)

    [event] = [e for e in primary.collect_events() if isinstance(e, Incident.StackedCallAdded)]
    assert (event.description, event.injuries, event.caller_number) == (
        "anak di dalam tidak bernapas",
        2,
        "+6281350009999",
    )
    [call] = primary.stacked_calls
    assert call.duplicate_number == "SMD-2"
    assert call.location == second.location
    assert (call.persons_involved, call.hazards, call.at) == (4, ("asap",), later)
    assert primary.description == "rumah terbakar"  # the first caller's words stay as they were


def test_replaying_the_events_rebuilds_the_same_state() -> None:
    incident = an_incident()
    incident.route([Agency.FIRE], actor="op", at=AT)
    incident.add_note("tetangga membantu memadamkan", actor="op", at=AT)
    events = incident.collect_events()
    replayed = None
    for event in events:
        replayed = event.mutate(replayed)
    assert isinstance(replayed, Incident)
    assert replayed.agencies == incident.agencies
    assert replayed.notes == incident.notes
    assert replayed.version == incident.version
