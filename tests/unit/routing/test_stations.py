"""The responsible station per agency: Polsek by kecamatan, nearest fire post and hospital."""

from __future__ import annotations

import pytest

from adapters.routing import Router
from adapters.routing.projection import haversine_m
from domain.taxonomy import Agency
from domain.values import Location
from tests.unit.routing.samples import POSKO_III, RSUD_AWS

PALARAN = Location(-0.5677, 117.1800)  # near Damkar Posko VI, kecamatan Palaran
AIRPORT_FIRE_STATION = Location(-0.3755334, 117.2519882)  # APT Pranoto, Sungai Siring
BALAKARCANA = Location(-0.4588971, 117.1485137)  # volunteer brigade, Sempaja Selatan


def test_police_is_the_polsek_whose_jurisdiction_covers_the_kecamatan(router: Router) -> None:
    [police] = router.stations_for(RSUD_AWS, router.locate(RSUD_AWS), [Agency.POLICE])

    assert police.station_id == "C-POL-SMDULU"
    assert police.basis == "jurisdiction"
    assert "Samarinda Ulu" in police.explanation_en
    assert police.distance_m == pytest.approx(
        haversine_m(RSUD_AWS.lat, RSUD_AWS.lon, police.lat, police.lon), rel=0.005
    )


def test_police_falls_back_to_polresta_where_no_polsek_is_on_record(router: Router) -> None:
    place = router.locate(PALARAN)

    [police] = router.stations_for(PALARAN, place, [Agency.POLICE])

    assert place.kecamatan == "Palaran"
    assert (police.station_id, police.basis) == ("C-POL-POLRESTA", "fallback")
    assert "Palaran" in police.explanation_id


def test_fire_is_the_nearest_fire_post(router: Router) -> None:
    [fire] = router.stations_for(POSKO_III, router.locate(POSKO_III), [Agency.FIRE])

    assert fire.station_id == "A-DAMKAR-P3"
    assert fire.distance_m is not None and fire.distance_m < 1


@pytest.mark.parametrize("where", [AIRPORT_FIRE_STATION, BALAKARCANA])
def test_airport_and_volunteer_brigades_are_not_chosen_as_the_fire_post(
    router: Router, where: Location
) -> None:
    [fire] = router.stations_for(where, router.locate(where), [Agency.FIRE])

    chosen = {s.id: s for s in router.stations()}[fire.station_id]
    assert chosen.operator_type in ("municipal", "unknown")
    assert fire.distance_m is not None and fire.distance_m > 100


def test_medical_is_the_nearest_hospital_not_marked_full(router: Router) -> None:
    place = router.locate(RSUD_AWS)

    [nearest] = router.stations_for(RSUD_AWS, place, [Agency.MEDICAL])
    [next_one] = router.stations_for(RSUD_AWS, place, [Agency.MEDICAL], full_hospitals={"A-RS-AWS"})

    assert nearest.station_id == "A-RS-AWS"
    assert next_one.station_id == "A-RS-RAMANIA"  # ~0.6 km north
    assert 500 < (next_one.distance_m or 0) < 700


def test_without_data_on_emergency_departments_every_hospital_counts_as_having_one(
    router: Router,
) -> None:
    hospitals = [s for s in router.stations() if s.kind == "hospital"]

    assert len(hospitals) == 19
    assert all(h.has_emergency_department for h in hospitals)


def test_bpbd_and_sar_get_no_station_because_the_data_has_none(router: Router) -> None:
    choices = router.stations_for(
        RSUD_AWS, router.locate(RSUD_AWS), [Agency.BPBD, Agency.SAR, Agency.FIRE]
    )

    assert [c.agency for c in choices] == [Agency.FIRE]
