"""Where a report is: point to kelurahan/kecamatan, outside the city, coordinates, AML."""

from __future__ import annotations

import json
import math

import pytest
import shapely

from adapters.routing import InvalidAML, InvalidCoordinates, Router, check_coordinates
from adapters.routing.geodata import DEFAULT_DATA_DIR, STATIONS_FILE
from adapters.routing.projection import haversine_m
from domain.taxonomy import LocationSource
from domain.values import Location
from tests.unit.routing.samples import BALIKPAPAN, RSUD_AWS


def test_rsud_abdoel_wahab_sjahranie_lies_in_sidodadi_samarinda_ulu(router: Router) -> None:
    place = router.locate(RSUD_AWS)

    assert (place.kelurahan, place.kecamatan) == ("Sidodadi", "Samarinda Ulu")
    assert (place.kelurahan_code, place.kecamatan_code) == ("64.72.03.1005", "64.72.03")
    assert place.inside_jurisdiction and place.distance_outside_m is None


def test_every_station_is_located_where_the_data_says_it_is(router: Router) -> None:
    raw = json.loads((DEFAULT_DATA_DIR / STATIONS_FILE).read_text(encoding="utf-8"))
    expected = {
        f["properties"]["id"]: (f["properties"]["kelurahan"], f["properties"]["kecamatan"])
        for f in raw["features"]
    }

    located = {s.id: (s.kelurahan, s.kecamatan) for s in router.stations()}

    assert located == expected
    assert len(located) == 39


def test_a_point_in_balikpapan_is_outside_with_the_distance_to_palaran(router: Router) -> None:
    place = router.locate(BALIKPAPAN)

    assert not place.inside_jurisdiction
    assert place.kelurahan is None
    assert place.kecamatan == "Palaran"  # the city's southern kecamatan
    # Independent check: haversine to the nearest vertex of the city's outline.
    raw = json.loads((DEFAULT_DATA_DIR / "samarinda_kecamatan.geojson").read_text())
    city = shapely.union_all([shapely.geometry.shape(f["geometry"]) for f in raw["features"]])
    to_vertex = min(
        haversine_m(BALIKPAPAN.lat, BALIKPAPAN.lon, lat, lon) for lon, lat in city.exterior.coords
    )
    assert place.distance_outside_m is not None
    assert 66_000 < place.distance_outside_m < 69_000
    assert place.distance_outside_m == pytest.approx(to_vertex, rel=0.002)


def test_swapped_latitude_and_longitude_are_rejected_with_a_message_saying_so() -> None:
    with pytest.raises(InvalidCoordinates, match="lat/lon look swapped") as caught:
        check_coordinates(117.1, -0.5)

    assert caught.value.field == "lat"
    assert "lat=-0.5, lon=117.1" in str(caught.value)


@pytest.mark.parametrize(
    ("lat", "lon", "field", "reason"),
    [
        (math.nan, 117.1, "lat", "NaN"),
        (-0.5, math.inf, "lon", "NaN or infinity"),
        (-0.5, 181.0, "lon", "±180"),
        (-95.0, 117.1, "lat", "±90"),
        (0.0, 0.0, "lat", "without a fix"),
    ],
)
def test_unusable_coordinates_are_rejected_naming_the_field(
    lat: float, lon: float, field: str, reason: str
) -> None:
    with pytest.raises(InvalidCoordinates, match=reason) as caught:
        check_coordinates(lat, lon)

    assert caught.value.field == field


def test_valid_coordinates_become_a_location_with_their_source_and_accuracy() -> None:
    location = check_coordinates(-0.5, 117.15, accuracy_m=25, source=LocationSource.DEVICE)

    assert location == Location(-0.5, 117.15, accuracy_m=25, source=LocationSource.DEVICE)


def test_an_aml_sms_gives_its_position_with_the_radius_as_accuracy(router: Router) -> None:
    sms = (
        'A"ML=1;lt=-0.524588;lg=+117.150177;rd=12;top=20261122093012;lc=90;pm=G;'
        "si=510101234567890;ei=356938035643809;mcc=510;mnc=10;ml=128"
    )

    location = router.parse_aml(sms)

    assert location == Location(-0.524588, 117.150177, accuracy_m=12.0, source=LocationSource.AML)
    # Jl. Tanjung Aru, kelurahan Mesjid (the spot check in SOURCES.md)
    assert router.locate(location).kelurahan == "Mesjid"


@pytest.mark.parametrize(
    ("sms", "reason"),
    [
        ('A"ML=1;lg=117.15342;rd=12;pm=G', "missing lt"),
        ('A"ML=1;lt=-0.50221;lg=117.15342;pm=G', "missing rd"),
        ('A"ML=1;lt=;lg=;rd=;pm=N', "no position"),
        ('A"ML=1;lt=117.15342;lg=-0.50221;rd=12;pm=G', "lt: lat/lon look swapped"),
        ('A"ML=1;lt=abc;lg=117.15342;rd=12', "not a number"),
        ('A"ML=1;lt=-0.5;lt=-0.6;lg=117.1;rd=12', "appears twice"),
        ('A"ML=2;lt=-0.5;lg=117.1;rd=12', "unsupported AML version"),
        ("hello 112", 'does not start with A"ML'),
    ],
)
def test_an_unusable_aml_sms_is_rejected_with_the_reason(sms: str, reason: str) -> None:
    with pytest.raises(InvalidAML, match=reason):
        Router.parse_aml(sms)
