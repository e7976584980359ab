"""No available unit silently leaves a recommendation: without a fresh position it is placed
at its home station (or last known place) with its position age and a less certain ETA; an
agency without any unit is said so once."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from adapters.routing import Recommendation, Router, UnitSnapshot
from adapters.routing.projection import haversine_m
from dispatch.advice import PositionSource, UnitGap
from domain.taxonomy import Agency, Category, UnitStatus
from entrypoints.cli.demo import demo_units
from tests.unit.routing.conftest import UnitMaker
from tests.unit.routing.samples import NOW, POSKO_III, RSUD_AWS, offset

FROM_POSKO_III = haversine_m(RSUD_AWS.lat, RSUD_AWS.lon, POSKO_III.lat, POSKO_III.lon)


@pytest.mark.parametrize(
    ("age", "said_id", "said_en"),
    [
        (timedelta(minutes=31), "31 menit lalu", "31 min old"),
        (timedelta(hours=26, minutes=5), "26 jam 5 menit lalu", "26 h 5 min old"),
    ],
)
def test_a_unit_with_a_stale_position_is_recommended_from_its_home_station_with_its_age(
    router: Router, make_unit: UnitMaker, age: timedelta, said_id: str, said_en: str
) -> None:
    stale = make_unit(offset(RSUD_AWS, 50), age=age, station_id="A-DAMKAR-P3")

    [chosen] = router.recommend_units(RSUD_AWS, [Agency.FIRE], [stale], NOW)

    assert chosen.position_source is PositionSource.STATION
    assert chosen.distance_m == pytest.approx(FROM_POSKO_III, rel=0.005)
    assert chosen.position_age_s == pytest.approx(age.total_seconds(), abs=0.1)
    assert chosen.eta_certain is False
    assert f"pos induk Pemadam Kebakaran Posko III (posisi terakhir {said_id}" in (
        chosen.explanation_id
    )
    assert "ETA kurang pasti" in chosen.explanation_id
    assert f"last position {said_en}; ETA less certain" in chosen.explanation_en


def test_a_fresh_position_is_used_as_reported_and_its_eta_is_certain(
    router: Router, make_unit: UnitMaker
) -> None:
    fresh = make_unit(offset(RSUD_AWS, 1500), age=timedelta(minutes=29))

    [chosen] = router.recommend_units(RSUD_AWS, [Agency.FIRE], [fresh], NOW)

    assert chosen.position_source is PositionSource.REPORTED
    assert chosen.eta_certain is True
    assert chosen.distance_m == pytest.approx(1500, rel=0.005)
    assert chosen.to_dict()["position_age_s"] == pytest.approx(29 * 60, abs=0.1)


def test_a_stale_unit_without_a_known_station_stands_at_its_last_known_place(
    router: Router, make_unit: UnitMaker
) -> None:
    lost = make_unit(offset(RSUD_AWS, 2000), age=timedelta(hours=3), station_id="NOT-IN-DATA")

    [chosen] = router.recommend_units(RSUD_AWS, [Agency.FIRE], [lost], NOW)

    assert chosen.position_source is PositionSource.LAST_KNOWN
    assert chosen.distance_m == pytest.approx(2000, rel=0.005)
    assert chosen.eta_certain is False
    assert "last known position, 3 h 0 min old" in chosen.explanation_en


def test_only_committed_or_out_of_service_units_leave_the_list_and_that_is_said_once(
    router: Router, make_unit: UnitMaker
) -> None:
    busy = [
        make_unit(offset(RSUD_AWS, 100), status=status)
        for status in (UnitStatus.EN_ROUTE, UnitStatus.ON_SCENE, UnitStatus.OUT_OF_SERVICE)
    ]

    advice = _recommend(router, Category.KEBAKARAN, busy)

    assert advice.units == ()
    [note] = advice.unit_notes
    assert (note.agency, note.gap, note.registered) == (Agency.FIRE, UnitGap.NONE_AVAILABLE, 3)
    assert note.explanation_en == "Fire and rescue: all 3 units committed or out of service"


def test_an_agency_without_any_unit_is_still_responsible_with_one_clear_note(
    router: Router, make_unit: UnitMaker
) -> None:
    fire = make_unit(offset(RSUD_AWS, 800))

    advice = _recommend(router, Category.BANJIR, [fire])

    assert advice.agencies == (Agency.BPBD, Agency.FIRE)
    assert {u.agency for u in advice.units} == {Agency.FIRE}
    [note] = advice.unit_notes
    assert (note.agency, note.gap, note.registered) == (Agency.BPBD, UnitGap.NONE_REGISTERED, 0)
    assert note.explanation_id == "BPBD: tidak ada unit terdaftar — hubungi instansi langsung"
    assert note.to_dict()["gap"] == "none_registered"


def test_without_a_location_the_agency_without_units_is_still_noted(
    router: Router, make_unit: UnitMaker
) -> None:
    advice = router.recommend(
        None,
        None,
        Category.BANJIR,
        injuries=None,
        hazards=(),
        at=NOW,
        units=[make_unit(None)],
        open_incidents=[],
    )

    assert [n.agency for n in advice.unit_notes] == [Agency.BPBD]


def test_an_available_unit_that_cannot_be_placed_at_all_is_named_not_dropped(
    router: Router, make_unit: UnitMaker
) -> None:
    placed = make_unit(offset(RSUD_AWS, 900), callsign="PLACED")
    nowhere = make_unit(None, station_id="NOT-IN-DATA", callsign="NOWHERE-1")

    advice = _recommend(router, Category.KEBAKARAN, [placed, nowhere])

    assert [u.callsign for u in advice.units] == ["PLACED"]
    [note] = advice.unit_notes
    assert note.gap is UnitGap.UNLOCATED
    assert "NOWHERE-1" in note.explanation_en


def test_the_demo_fleet_is_recommended_from_its_stations_hours_after_it_was_seeded(
    router: Router,
) -> None:
    seeded = NOW - timedelta(hours=5)
    fleet = [
        UnitSnapshot(
            unit_id=uuid4(),
            callsign=unit.callsign,
            agency=unit.agency,
            unit_type=unit.unit_type,
            status=UnitStatus.AVAILABLE,
            station_id=unit.station_id,
            location=unit.location,
            location_at=seeded,
        )
        for unit in demo_units()
    ]

    advice = _recommend(router, Category.KEBAKARAN, fleet, injuries=1)

    assert {u.agency for u in advice.units} == {Agency.FIRE, Agency.MEDICAL}
    assert all(u.position_source is PositionSource.STATION for u in advice.units)
    assert all(u.position_age_s == 5 * 3600 for u in advice.units)
    assert advice.unit_notes == ()


def _recommend(
    router: Router,
    category: Category,
    units: list[UnitSnapshot],
    injuries: int | None = None,
) -> Recommendation:
    return router.recommend(
        RSUD_AWS,
        None,
        category,
        injuries=injuries,
        hazards=(),
        at=NOW,
        units=units,
        open_incidents=[],
    )
