"""One call for the intake response, and the console map layers."""

from __future__ import annotations

import json
from typing import Literal

import pytest
import shapely

from adapters.routing import Router
from domain.taxonomy import Agency, Category, Priority, UnitStatus, UnitType
from tests.unit.routing.conftest import IncidentMaker, UnitMaker
from tests.unit.routing.samples import NOW, RSUD_AWS, offset


def test_a_fire_with_injuries_gets_everything_the_intake_response_needs(
    router: Router, make_unit: UnitMaker, make_incident: IncidentMaker
) -> None:
    engine = make_unit(offset(RSUD_AWS, 800), callsign="DAMKAR-03")
    ambulance = make_unit(
        offset(RSUD_AWS, -400),
        agency=Agency.MEDICAL,
        unit_type=UnitType.AMBULANCE,
        callsign="PSC-119-1",
    )
    patrol = make_unit(
        offset(RSUD_AWS, 100), agency=Agency.POLICE, unit_type=UnitType.POLICE_PATROL
    )
    earlier_call = make_incident(offset(RSUD_AWS, 120), Category.KEBAKARAN)

    recommendation = router.recommend(
        RSUD_AWS,
        None,
        Category.KEBAKARAN,
        injuries=2,
        hazards=["asap"],
        at=NOW,
        units=[engine, ambulance, patrol],
        open_incidents=[earlier_call],
    )

    assert recommendation.place == router.locate(RSUD_AWS)
    assert recommendation.agencies == (Agency.FIRE, Agency.MEDICAL)
    assert recommendation.priority is Priority.P1
    assert recommendation.ack_timeout_s == 60
    assert [s.station_id for s in recommendation.stations] == ["A-DAMKAR-P3", "A-RS-AWS"]
    assert [u.callsign for u in recommendation.units] == ["DAMKAR-03", "PSC-119-1"]
    assert [d.incident_id for d in recommendation.duplicates] == [earlier_call.incident_id]
    payload = json.loads(json.dumps(recommendation.to_dict()))
    assert payload["agencies"] == ["fire", "medical"]
    assert payload["units"][0]["unit_type"] == "fire_engine"
    assert payload["duplicates"][0]["incident_id"] == str(earlier_call.incident_id)
    assert payload["place"]["kelurahan"] == "Sidodadi"


def test_without_a_location_the_agencies_priority_and_police_sector_still_come(
    router: Router, make_unit: UnitMaker, make_incident: IncidentMaker
) -> None:
    place = router.find_kelurahan("Kel. Sidodadi").place

    recommendation = router.recommend(
        None,
        place,
        Category.KEKERASAN,
        injuries=1,
        hazards=(),
        at=NOW,
        units=[make_unit(RSUD_AWS, agency=Agency.POLICE, status=UnitStatus.AVAILABLE)],
        open_incidents=[make_incident(RSUD_AWS, Category.KEKERASAN)],
    )

    assert recommendation.agencies == (Agency.POLICE, Agency.MEDICAL)
    assert recommendation.priority is Priority.P1
    assert [(s.station_id, s.distance_m) for s in recommendation.stations] == [
        ("C-POL-SMDULU", None)
    ]
    assert recommendation.units == () and recommendation.duplicates == ()


@pytest.mark.parametrize(
    ("layer", "count"), [("kecamatan", 10), ("kelurahan", 59), ("stations", 39)]
)
def test_each_map_layer_is_small_valid_geojson_with_its_attribution(
    router: Router, layer: Literal["kecamatan", "kelurahan", "stations"], count: int
) -> None:
    collection = router.geojson(layer)

    assert len(json.dumps(collection, separators=(",", ":"))) < 150_000
    assert len(collection["features"]) == count
    assert ("Badan Informasi Geospasial" if layer != "stations" else "OpenStreetMap") in (
        collection["attribution"]
    )
    for feature in collection["features"]:
        assert {"name", "code", "kecamatan"} <= feature["properties"].keys()
        assert shapely.geometry.shape(feature["geometry"]).is_valid


def test_a_map_layer_handed_out_cannot_change_the_routers_copy(router: Router) -> None:
    router.geojson("kecamatan")["features"].clear()

    assert len(router.geojson("kecamatan")["features"]) == 10
