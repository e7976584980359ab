"""Recommending the nearest available units with an ETA and an explanation."""

from __future__ import annotations

from datetime import datetime

import pytest

from adapters.routing import Router
from adapters.routing.projection import haversine_m
from domain.taxonomy import Agency, UnitStatus, UnitType
from domain.values import Location
from tests.unit.routing.conftest import UnitMaker
from tests.unit.routing.samples import NOW, POSKO_III, RSUD_AWS, offset


def test_the_nearest_available_fire_unit_is_chosen_over_a_nearer_busy_one(
    router: Router, make_unit: UnitMaker
) -> None:
    busy = make_unit(offset(RSUD_AWS, 100), status=UnitStatus.ON_SCENE, callsign="BUSY")
    near = make_unit(offset(RSUD_AWS, 1500), callsign="NEAR")
    far = make_unit(offset(RSUD_AWS, -3000), callsign="FAR")

    chosen = router.recommend_units(RSUD_AWS, [Agency.FIRE], [far, busy, near], NOW)

    assert [u.callsign for u in chosen] == ["NEAR", "FAR"]
    assert chosen[0].distance_m == pytest.approx(1500, rel=0.005)


def test_a_unit_without_a_position_stands_at_its_home_station_and_says_so(
    router: Router, make_unit: UnitMaker
) -> None:
    at_home = make_unit(None, station_id="A-DAMKAR-P3")
    homeless = make_unit(None, station_id="NOT-A-STATION", callsign="LOST")

    [chosen] = router.recommend_units(RSUD_AWS, [Agency.FIRE], [at_home, homeless], NOW)

    assert chosen.from_home_station
    assert chosen.distance_m == pytest.approx(
        haversine_m(RSUD_AWS.lat, RSUD_AWS.lon, POSKO_III.lat, POSKO_III.lon), rel=0.005
    )
    assert "home station Pemadam Kebakaran Posko III" in chosen.explanation_en
    assert "pos induk Pemadam Kebakaran Posko III" in chosen.explanation_id


def test_eta_is_road_factor_times_distance_over_the_unit_types_speed(
    router: Router, make_unit: UnitMaker
) -> None:
    ambulance = make_unit(
        offset(RSUD_AWS, 3000), agency=Agency.MEDICAL, unit_type=UnitType.AMBULANCE
    )

    [chosen] = router.recommend_units(RSUD_AWS, [Agency.MEDICAL], [ambulance], NOW)

    expected = 1.4 * chosen.distance_m / (35 / 3.6)  # rules.toml: road factor, 35 km/h
    assert chosen.eta_s == pytest.approx(expected, abs=0.1)
    assert "ETA ~7 min" in chosen.explanation_en
    assert "tiba ±7 menit" in chosen.explanation_id


@pytest.mark.parametrize(
    "far_end",
    [
        Location(-0.3300, 117.1443),  # ~16.5 km north
        Location(-0.4790, 117.2900),  # ~16.3 km east
        Location(-0.3300, 117.2900),  # ~23 km north-east, same bank
        Location(-0.4795, 117.1450),  # ~60 m
    ],
)
def test_metric_distance_agrees_with_haversine_within_half_a_percent(
    router: Router, make_unit: UnitMaker, far_end: Location
) -> None:
    [chosen] = router.recommend_units(RSUD_AWS, [Agency.FIRE], [make_unit(far_end)], NOW)

    reference = haversine_m(RSUD_AWS.lat, RSUD_AWS.lon, far_end.lat, far_end.lon)
    assert chosen.distance_m == pytest.approx(reference, rel=0.005)


def test_each_agency_gets_its_own_nearest_units_up_to_the_limit(
    router: Router, make_unit: UnitMaker
) -> None:
    fire = [make_unit(offset(RSUD_AWS, 100 * (k + 1)), callsign=f"F{k}") for k in range(5)]
    police = [
        make_unit(
            offset(RSUD_AWS, -200 * (k + 1)),
            agency=Agency.POLICE,
            unit_type=UnitType.POLICE_PATROL,
            callsign=f"P{k}",
        )
        for k in range(2)
    ]

    chosen = router.recommend_units(
        RSUD_AWS, [Agency.POLICE, Agency.FIRE], [*fire, *police], NOW, per_agency=3
    )

    assert [u.callsign for u in chosen] == ["P0", "P1", "F0", "F1", "F2"]


def test_a_prebuilt_unit_index_gives_the_same_answer_as_a_plain_list(
    router: Router, make_unit: UnitMaker
) -> None:
    units = [make_unit(offset(RSUD_AWS, 300 * k, 170 * k), callsign=f"U{k}") for k in range(6)]

    from_list = router.recommend_units(RSUD_AWS, [Agency.FIRE], units, NOW)
    from_index = router.recommend_units(RSUD_AWS, [Agency.FIRE], router.index_units(units), NOW)

    assert from_index == from_list


def test_a_clock_without_a_time_zone_is_refused(router: Router, make_unit: UnitMaker) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        router.recommend_units(
            RSUD_AWS, [Agency.FIRE], [make_unit(RSUD_AWS)], datetime(2026, 11, 22, 9, 30)
        )
