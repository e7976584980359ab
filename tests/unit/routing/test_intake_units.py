"""The recommendation's JSON as the console reads it, through the real API and a moved clock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.support import FakeClock, Tokens, auth, report_json, services_of

# Posko III (A-DAMKAR-P3) in Air Putih, and a fire about 1.6 km east of it near RSUD AWS.
POSKO_III = {"lat": -0.48608, "lon": 117.12259, "accuracy_m": 10}
NEAR_AWS = {"lat": -0.4906, "lon": 117.1442, "accuracy_m": 15, "source": "device"}


def register(client: TestClient, tokens: Tokens, code: str, **fields: Any) -> None:
    unit = {
        "code": code,
        "callsign": f"Damkar {code}",
        "agency": "fire",
        "unit_type": "fire_engine",
        "station_id": "A-DAMKAR-P3",
        "location": POSKO_III,
    } | fields
    response = client.post("/api/units", json=unit, headers=auth(tokens, "supervisor"))
    assert response.status_code == 201, response.text


def recommend(client: TestClient, tokens: Tokens, **fields: Any) -> dict[str, Any]:
    body = report_json(location=NEAR_AWS, **fields)
    response = client.post("/api/reports", json=body, headers=auth(tokens, "operator"))
    assert response.status_code == 201, response.text
    recommendation: dict[str, Any] = response.json()["recommendation"]
    return recommendation


def test_a_unit_silent_for_hours_is_still_recommended_from_its_station_with_its_age(
    client: TestClient, tokens: Tokens
) -> None:
    # Given a fire engine registered at its station, then no position for 31 min, then 5 h
    clock = FakeClock()
    services_of(client).center.clock = clock
    register(client, tokens, "P3-1")
    registered_at = clock.now

    for silent_s in (31 * 60, 5 * 3600):
        clock.now = registered_at + timedelta(seconds=silent_s)
        # When a fire is reported
        recommendation = recommend(client, tokens, injuries=0)

        # Then the console's first fire unit is that engine, from its station, age shown
        [unit] = [u for u in recommendation["units"] if u["agency"] == "fire"]
        assert unit["callsign"] == "Damkar P3-1"
        assert unit["position_source"] == "station"
        assert unit["position_age_s"] == silent_s
        assert unit["eta_certain"] is False
        assert "ETA kurang pasti" in unit["explanation_id"]
        assert recommendation["unit_notes"] == []


def test_a_flood_names_bpbd_once_as_having_no_unit_and_recommends_only_real_units(
    client: TestClient, tokens: Tokens
) -> None:
    register(client, tokens, "P3-2")

    recommendation = recommend(client, tokens, category="banjir", injuries=0)

    assert recommendation["agencies"] == ["bpbd", "fire"]
    assert {u["agency"] for u in recommendation["units"]} == {"fire"}
    assert recommendation["unit_notes"] == [
        {
            "agency": "bpbd",
            "gap": "none_registered",
            "registered": 0,
            "explanation_id": "BPBD: tidak ada unit terdaftar — hubungi instansi langsung",
            "explanation_en": "Disaster management: no unit registered — contact the agency"
            " directly",
        }
    ]


def test_a_unit_across_the_mahakam_says_which_bridge_it_takes(
    client: TestClient, tokens: Tokens
) -> None:
    register(
        client,
        tokens,
        "P5-1",
        station_id="A-DAMKAR-P5",
        location={"lat": -0.51041, "lon": 117.13843, "accuracy_m": 10},
    )

    [unit] = recommend(client, tokens, injuries=0)["units"]

    assert unit["via_bridge"] == "Jembatan Mahakam"
    assert unit["position_source"] == "reported"
    assert unit["eta_certain"] is True


def test_a_report_located_as_sei_pinang_lands_in_sungai_pinang_dalam(
    client: TestClient, tokens: Tokens
) -> None:
    body = report_json(location=None, kelurahan="sei pinang")
    response = client.post("/api/reports", json=body, headers=auth(tokens, "operator"))

    assert response.status_code == 201, response.text
    assert response.json()["incident"]["place"]["kelurahan"] == "Sungai Pinang Dalam"
