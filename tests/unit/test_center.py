"""DispatchCenter's verbs on in-memory persistence."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest

from adapters.center import build_center
from dispatch.center import DispatchCenter
from dispatch.context import acting_as
from dispatch.errors import IncidentNotFound, InvalidReport, UnitNotFound, VersionConflict
from dispatch.settings import Settings
from domain.errors import UnitNotAvailable
from domain.incident import Incident
from domain.taxonomy import (
    Agency,
    Disposition,
    IncidentStatus,
    Priority,
    UnitStatus,
    UnitType,
)
from domain.unit import Unit
from tests.support import AWS, FakeClock, a_report


def fire_unit(center: DispatchCenter, code: str = "P3-1") -> Unit:
    unit, _ = center.register_unit(
        code, f"Damkar {code}", Agency.FIRE, UnitType.FIRE_ENGINE, "A-DAMKAR-P3", AWS
    )
    return unit


def test_a_retried_report_returns_the_same_incident(center: DispatchCenter) -> None:
    report = a_report()
    first = center.report(report)
    again = center.report(report)
    assert first.created and not again.created
    assert again.incident.id == first.incident.id
    assert len(center.present.incidents()) == 1


@pytest.mark.timeshift
def test_incident_numbers_count_up_per_local_day(center: DispatchCenter, clock: FakeClock) -> None:
    numbers = [center.report(a_report()).incident.number for _ in range(3)]
    assert numbers == ["SMD-20261122-0001", "SMD-20261122-0002", "SMD-20261122-0003"]
    clock.advance(timedelta(days=1).total_seconds())
    assert center.report(a_report()).incident.number == "SMD-20261123-0001"


@pytest.mark.timeshift
def test_the_number_uses_local_time_in_samarinda(center: DispatchCenter, clock: FakeClock) -> None:
    # 17:30 UTC on the 22nd is 01:30 WITA on the 23rd.
    clock.now = clock.now.replace(hour=17)
    assert center.report(a_report()).incident.number.startswith("SMD-20261123-")


@pytest.mark.timeshift
def test_a_report_from_the_future_is_refused(center: DispatchCenter, clock: FakeClock) -> None:
    with pytest.raises(InvalidReport) as error:
        center.report(a_report(received_at=clock.now + timedelta(minutes=5)))
    assert error.value.field == "received_at"


def test_without_a_model_the_report_is_scored_as_genuine_and_says_why(
    memory_settings: Settings, tmp_path: Path
) -> None:
    settings = memory_settings.model_copy(update={"classifier_model_path": tmp_path / "gone.skops"})
    center = build_center(settings)
    incident = center.report(a_report(description="halo halo iseng")).incident
    center.close()
    assert incident.score is not None
    assert incident.score["band"] == "low"
    assert incident.score["safety_rule"] == "model_unavailable"
    assert incident.status is IncidentStatus.NEW


def test_every_event_carries_the_actor_and_time(center: DispatchCenter, clock: FakeClock) -> None:
    with acting_as("operator:rina"):
        incident = center.report(a_report()).incident
        center.route(incident.id, [Agency.FIRE])
    reported, scored, routed = center.incident_events(incident.id)
    assert isinstance(reported, Incident.Reported)
    assert isinstance(scored, Incident.Scored)
    assert isinstance(routed, Incident.Routed)
    assert [reported.actor, scored.actor, routed.actor] == [
        "operator:rina",
        "system:classifier",
        "operator:rina",
    ]
    assert reported.at == scored.at == routed.at == clock.now


def test_a_stale_version_is_a_conflict_naming_the_current_version(center: DispatchCenter) -> None:
    incident = center.report(a_report()).incident
    center.add_note(incident.id, "first", expected_version=incident.version)
    with pytest.raises(VersionConflict) as error:
        center.add_note(incident.id, "second", expected_version=incident.version)
    assert error.value.current == incident.version + 1


def test_assigning_a_unit_changes_incident_and_unit_together(center: DispatchCenter) -> None:
    unit = fire_unit(center)
    incident = center.report(a_report()).incident
    incident = center.route(incident.id, [Agency.FIRE], unit_ids=[unit.id])
    assert incident.unit_ids == [unit.id]
    assert center.get_unit(unit.id).status is UnitStatus.DISPATCHED
    assert center.get_unit(unit.id).incident_id == incident.id


def test_a_busy_unit_cannot_be_sent_to_a_second_incident_and_nothing_is_saved(
    center: DispatchCenter,
) -> None:
    unit = fire_unit(center)
    first = center.report(a_report()).incident
    second = center.report(a_report()).incident
    center.route(first.id, [Agency.FIRE], unit_ids=[unit.id])
    version = center.get_incident(second.id).version
    with pytest.raises(UnitNotAvailable):
        center.route(second.id, [Agency.FIRE], unit_ids=[unit.id])
    assert center.get_incident(second.id).version == version  # the route was not saved either


def test_closing_releases_the_units_still_assigned(center: DispatchCenter) -> None:
    unit = fire_unit(center)
    incident = center.report(a_report()).incident
    center.route(incident.id, [Agency.FIRE], unit_ids=[unit.id])
    closed = center.close_incident(incident.id, Disposition.GENUINE, "api padam")
    assert closed.status is IncidentStatus.CLOSED and closed.unit_ids == []
    assert center.get_unit(unit.id).status is UnitStatus.AVAILABLE


def test_a_unit_back_in_service_is_released_from_its_incident(center: DispatchCenter) -> None:
    unit = fire_unit(center)
    incident = center.report(a_report()).incident
    center.route(incident.id, [Agency.FIRE], unit_ids=[unit.id])
    center.update_unit_status(unit.id, UnitStatus.ON_SCENE)
    center.update_unit_status(unit.id, UnitStatus.AVAILABLE)
    assert center.get_incident(incident.id).unit_ids == []
    assert center.get_incident(incident.id).released_unit_ids == [unit.id]


def test_a_dismissed_call_back_closes_with_its_disposition(center: DispatchCenter) -> None:
    incident = center.report(a_report()).incident
    flagged = center.get_incident(incident.id)
    flagged.flag_for_verification("test", callback_first=False, actor="sys", at=flagged.received_at)
    center.save(flagged)
    with pytest.raises(InvalidReport):
        center.verify(incident.id, genuine=False, reason="anak iseng")
    closed = center.verify(
        incident.id, genuine=False, reason="anak iseng", disposition=Disposition.PRANK
    )
    assert closed.disposition is Disposition.PRANK and closed.verified is False


def test_linking_a_duplicate_records_it_on_the_primary(center: DispatchCenter) -> None:
    primary = center.report(a_report()).incident
    duplicate = center.report(a_report()).incident
    center.link_duplicate(duplicate.id, primary.id)
    assert center.get_incident(primary.id).duplicates[0]["number"] == duplicate.number
    assert center.get_incident(duplicate.id).primary_id == primary.id


def test_triage_changes_priority_and_keeps_history(center: DispatchCenter) -> None:
    incident = center.report(a_report()).incident
    center.triage(incident.id, Priority.P3, incident.category, "api sudah padam, cek saja")
    assert center.get_incident(incident.id).priority is Priority.P3
    assert center.get_incident(incident.id, version=incident.version).priority is Priority.P1


def test_unknown_ids_raise_not_found(center: DispatchCenter) -> None:
    with pytest.raises(IncidentNotFound):
        center.get_incident(uuid.uuid4())
    with pytest.raises(UnitNotFound):
        center.get_unit(uuid.uuid4())


def test_registering_a_unit_twice_returns_the_existing_one(center: DispatchCenter) -> None:
    first = fire_unit(center)
    again, created = center.register_unit(
        "p3-1", "other", Agency.POLICE, UnitType.POLICE_PATROL, "x"
    )
    assert not created and again.id == first.id and again.agency is Agency.FIRE


def test_caller_history_counts_calls_and_dispositions_as_of_a_moment(
    center: DispatchCenter, clock: FakeClock
) -> None:
    number = "+6285200000001"
    first = center.report(a_report(caller_number=number)).incident
    clock.advance(120)
    center.close_incident(first.id, Disposition.PRANK, "iseng")
    clock.advance(2 * 3600)
    center.report(a_report(caller_number=number))
    history = center.present.caller_history(number, clock.now + timedelta(seconds=1))
    assert (history.calls_1h, history.calls_24h, history.prior_false) == (1, 2, 1)
    before_closure = center.present.caller_history(number, first.received_at + timedelta(seconds=1))
    assert before_closure.prior_false == 0  # the prank was not known yet
