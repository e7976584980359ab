"""Fixtures for the routing tests: one Router over the real Samarinda data, snapshot makers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from uuid import uuid4

import pytest

from adapters.routing import OpenIncidentSnapshot, Router, UnitSnapshot
from domain.taxonomy import Agency, Category, UnitStatus, UnitType
from domain.values import Location
from tests.unit.routing.samples import NOW


@pytest.fixture(scope="session")
def router() -> Router:
    return Router.load()


UnitMaker = Callable[..., UnitSnapshot]
IncidentMaker = Callable[..., OpenIncidentSnapshot]


@pytest.fixture
def make_unit() -> UnitMaker:
    def make(
        location: Location | None,
        *,
        agency: Agency = Agency.FIRE,
        unit_type: UnitType = UnitType.FIRE_ENGINE,
        status: UnitStatus = UnitStatus.AVAILABLE,
        age: timedelta = timedelta(minutes=2),
        station_id: str = "A-DAMKAR-P3",
        callsign: str = "DAMKAR-01",
    ) -> UnitSnapshot:
        return UnitSnapshot(
            unit_id=uuid4(),
            callsign=callsign,
            agency=agency,
            unit_type=unit_type,
            status=status,
            station_id=station_id,
            location=location,
            location_at=None if location is None else NOW - age,
        )

    return make


@pytest.fixture
def make_incident() -> IncidentMaker:
    def make(
        location: Location | None,
        category: Category = Category.KEBAKARAN,
        *,
        age: timedelta = timedelta(minutes=5),
    ) -> OpenIncidentSnapshot:
        return OpenIncidentSnapshot(
            incident_id=uuid4(),
            number=f"SMD-20261122-{uuid4().int % 10_000:04d}",
            category=category,
            location=location,
            received_at=NOW - age,
        )

    return make
