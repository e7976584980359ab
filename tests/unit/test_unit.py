"""The Unit aggregate's status machine."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from domain.errors import InvalidStatusChange, UnitNotAvailable
from domain.taxonomy import Agency, UnitStatus, UnitType
from domain.unit import Unit, unit_id_for
from domain.values import Location

AT = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)


def a_unit() -> Unit:
    return Unit(
        code="P3-1",
        callsign="Damkar P3-1",
        agency=Agency.FIRE,
        unit_type=UnitType.FIRE_ENGINE,
        station_id="A-DAMKAR-P3",
        location=None,
        actor="sys",
        at=AT,
    )


def test_the_unit_id_derives_from_its_code_whatever_the_case() -> None:
    assert unit_id_for("p3-1") == unit_id_for(" P3-1 ") == a_unit().id


def test_a_unit_goes_through_its_duty_cycle() -> None:
    unit = a_unit()
    incident_id = uuid.uuid4()
    unit.dispatch_to(incident_id, actor="op", at=AT)
    for status in (UnitStatus.EN_ROUTE, UnitStatus.ON_SCENE, UnitStatus.TRANSPORTING):
        unit.change_status(status, location=None, actor="agency:fire", at=AT)
        assert unit.incident_id == incident_id
    unit.change_status(UnitStatus.AT_HOSPITAL, location=None, actor="agency:fire", at=AT)
    unit.change_status(UnitStatus.AVAILABLE, location=None, actor="agency:fire", at=AT)
    assert unit.status is UnitStatus.AVAILABLE
    assert unit.incident_id is None


def test_a_busy_unit_cannot_be_dispatched() -> None:
    unit = a_unit()
    unit.dispatch_to(uuid.uuid4(), actor="op", at=AT)
    with pytest.raises(UnitNotAvailable):
        unit.dispatch_to(uuid.uuid4(), actor="op", at=AT)


def test_skipping_states_is_refused_with_a_message_naming_both() -> None:
    unit = a_unit()
    with pytest.raises(InvalidStatusChange, match="available to on_scene"):
        unit.change_status(UnitStatus.ON_SCENE, location=None, actor="x", at=AT)
    with pytest.raises(InvalidStatusChange):
        unit.change_status(UnitStatus.DISPATCHED, location=None, actor="x", at=AT)


def test_out_of_service_is_reachable_from_any_state_and_clears_the_incident() -> None:
    unit = a_unit()
    unit.dispatch_to(uuid.uuid4(), actor="op", at=AT)
    unit.change_status(UnitStatus.OUT_OF_SERVICE, location=None, actor="x", at=AT)
    assert unit.incident_id is None
    unit.change_status(UnitStatus.AVAILABLE, location=None, actor="x", at=AT)


def test_a_position_report_updates_location_and_its_time() -> None:
    unit = a_unit()
    unit.report_position(Location(-0.5, 117.15, 8.0), actor="agency:fire", at=AT)
    assert unit.location == Location(-0.5, 117.15, 8.0)
    assert unit.location_at == AT
