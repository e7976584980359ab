"""River-aware distances: across the Mahakam a unit drives through the best bridge."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from adapters.routing import Router, RoutingDataError
from adapters.routing.geodata import DEFAULT_DATA_DIR
from adapters.routing.projection import haversine_m
from adapters.routing.river import BRIDGES_FILE
from domain.taxonomy import Agency
from domain.values import Location
from tests.unit.routing.conftest import UnitMaker
from tests.unit.routing.samples import NOW

# Real places (adapters/routing/data): fire posts on each bank, and an incident on the north
# bank of the Mahakam, in Jawa (Samarinda Ulu), about 800 m across the water from Posko V.
POSKO_V_BAQA = Location(-0.51041, 117.13843)  # Samarinda Seberang, south bank
POSKO_III_AIR_PUTIH = Location(-0.48608, 117.12259)  # Samarinda Ulu, north bank
POSKO_PALARAN = Location(-0.56772, 117.18042)  # Rawa Makmur, Palaran, south bank
RIVERSIDE_JAWA = Location(-0.5035, 117.1400)
SUNGAI_KAPIH = Location(-0.5270, 117.1700)  # Sambutan, north bank


def test_a_unit_just_across_the_river_ranks_below_a_farther_unit_on_the_same_bank(
    router: Router, make_unit: UnitMaker
) -> None:
    across = make_unit(POSKO_V_BAQA, callsign="ACROSS", station_id="A-DAMKAR-P5")
    same_bank = make_unit(POSKO_III_AIR_PUTIH, callsign="SAME-BANK")
    straight_across = haversine_m(*_latlon(POSKO_V_BAQA), *_latlon(RIVERSIDE_JAWA))
    straight_same = haversine_m(*_latlon(POSKO_III_AIR_PUTIH), *_latlon(RIVERSIDE_JAWA))
    assert straight_across < 1000 < straight_same  # straight lines would pick ACROSS

    first, second = router.recommend_units(RIVERSIDE_JAWA, [Agency.FIRE], [across, same_bank], NOW)

    assert (first.callsign, second.callsign) == ("SAME-BANK", "ACROSS")
    assert first.via_bridge is None
    assert first.distance_m == pytest.approx(straight_same, rel=0.005)
    assert second.via_bridge == "Jembatan Mahakam"
    assert second.distance_m > 4 * straight_across
    assert "via Jembatan Mahakam" in second.explanation_id
    assert "via Jembatan Mahakam" in second.explanation_en


def test_the_best_of_the_bridges_is_taken_palaran_to_sambutan_over_achmad_amins(
    router: Router, make_unit: UnitMaker
) -> None:
    unit = make_unit(POSKO_PALARAN, station_id="B-OSM-514070259")

    [chosen] = router.recommend_units(SUNGAI_KAPIH, [Agency.FIRE], [unit], NOW)

    assert chosen.via_bridge == "Jembatan Achmad Amins"
    straight = haversine_m(*_latlon(POSKO_PALARAN), *_latlon(SUNGAI_KAPIH))
    # Through Achmad Amins is a detour of a few km, far shorter than via Jembatan Mahakam.
    assert straight < chosen.distance_m < straight + 4000


def test_each_bridge_end_lies_in_the_kelurahan_its_sources_name(router: Router) -> None:
    raw = json.loads((DEFAULT_DATA_DIR / BRIDGES_FILE).read_text(encoding="utf-8"))

    for feature in raw["features"]:
        (lon_n, lat_n), (lon_s, lat_s) = feature["geometry"]["coordinates"]
        props = feature["properties"]
        assert router.locate(Location(lat_n, lon_n)).kelurahan == props["north_kelurahan"]
        assert router.locate(Location(lat_s, lon_s)).kelurahan == props["south_kelurahan"]
    assert [b.name for b in router.river.bridges] == [
        "Jembatan Mahakam",
        "Jembatan Mahakam Ulu",
        "Jembatan Achmad Amins",
    ]


def test_a_bridge_whose_ends_are_on_one_bank_is_refused_naming_the_feature(
    tmp_path: Path,
) -> None:
    for path in DEFAULT_DATA_DIR.glob("*.geojson"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    raw = json.loads((tmp_path / BRIDGES_FILE).read_text(encoding="utf-8"))
    north_end = raw["features"][1]["geometry"]["coordinates"][0]
    raw["features"][1]["geometry"]["coordinates"] = [north_end, north_end]
    (tmp_path / BRIDGES_FILE).write_text(json.dumps(raw), encoding="utf-8")

    with pytest.raises(RoutingDataError) as caught:
        Router.load(data_dir=tmp_path)

    assert caught.value.key == "features[1].geometry"
    assert "north bank to the south bank" in caught.value.reason


def _latlon(location: Location) -> tuple[float, float]:
    return location.lat, location.lon
