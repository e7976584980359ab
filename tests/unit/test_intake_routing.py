"""Intake with the real Samarinda geography: location sources, advice, duplicates."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.support import Tokens, auth, report_json

AWS_HOSPITAL = {"lat": -0.4906, "lon": 117.1442, "accuracy_m": 15, "source": "device"}
BALIKPAPAN = {"lat": -1.2379, "lon": 116.8529, "accuracy_m": 30, "source": "device"}


def report(client: TestClient, tokens: Tokens, **fields: Any) -> dict[str, Any]:
    response = client.post(
        "/api/reports", json=report_json(**fields), headers=auth(tokens, "operator")
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def seed_fire_unit(client: TestClient, tokens: Tokens) -> str:
    unit = {
        "code": "P3-1",
        "callsign": "Damkar P3-1",
        "agency": "fire",
        "unit_type": "fire_engine",
        "station_id": "A-DAMKAR-P3",
        "location": {"lat": -0.4870, "lon": 117.1460, "accuracy_m": 10},
    }
    response = client.post("/api/units", json=unit, headers=auth(tokens, "supervisor"))
    assert response.status_code == 201
    unit_id: str = response.json()["id"]
    return unit_id


def test_a_point_near_rsud_aws_is_placed_in_samarinda_ulu(
    shared_client: TestClient, shared_tokens: Tokens
) -> None:
    body = report(shared_client, shared_tokens, location=AWS_HOSPITAL)
    assert body["incident"]["place"]["kecamatan"] == "Samarinda Ulu"
    assert body["recommendation"]["place"]["kecamatan"] == "Samarinda Ulu"


def test_a_point_in_balikpapan_is_outside_jurisdiction_with_its_distance(
    shared_client: TestClient, shared_tokens: Tokens
) -> None:
    place = report(shared_client, shared_tokens, location=BALIKPAPAN)["incident"]["place"]
    assert place["inside_jurisdiction"] is False
    assert 60_000 < place["distance_outside_m"] < 75_000


def test_a_kelurahan_name_with_a_typo_is_located(
    shared_client: TestClient, shared_tokens: Tokens
) -> None:
    body = report(shared_client, shared_tokens, location=None, kelurahan="kel. sidodadi")
    incident = body["incident"]
    assert incident["place"]["kelurahan"] == "Sidodadi"
    assert incident["location"]["source"] == "kelurahan"


def test_an_unknown_kelurahan_is_422_on_that_field(
    shared_client: TestClient, shared_tokens: Tokens
) -> None:
    response = shared_client.post(
        "/api/reports",
        json=report_json(location=None, kelurahan="Gotham City"),
        headers=auth(shared_tokens, "operator"),
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "kelurahan"]


def test_an_aml_sms_gives_the_location_and_its_radius_as_accuracy(
    shared_client: TestClient, shared_tokens: Tokens
) -> None:
    sms = (
        'A"ML=1;lt=-0.49060;lg=117.14420;rd=12;top=20261122093012;lc=90;pm=G;'
        "si=510101234567890;ei=356938035643809;mcc=510;mnc=10;ml=120"
    )
    location = report(shared_client, shared_tokens, location=None, aml=sms)["incident"]["location"]
    assert (location["lat"], location["lon"], location["accuracy_m"], location["source"]) == (
        -0.4906,
        117.1442,
        12.0,
        "aml",
    )


def test_a_garbled_aml_sms_is_422_on_that_field(
    shared_client: TestClient, shared_tokens: Tokens
) -> None:
    response = shared_client.post(
        "/api/reports",
        json=report_json(location=None, aml='A"ML=1;lg=117.1;rd=10'),
        headers=auth(shared_tokens, "operator"),
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "aml"]


def test_a_fire_with_injuries_is_advised_to_fire_and_medical_with_the_nearest_unit(
    client: TestClient, tokens: Tokens
) -> None:
    unit_id = seed_fire_unit(client, tokens)
    advice = report(client, tokens, location=AWS_HOSPITAL, injuries=2)["recommendation"]
    assert advice["agencies"] == ["fire", "medical"]
    assert advice["units"][0]["unit_id"] == unit_id
    assert 0 < advice["units"][0]["eta_s"] < 600
    assert {s["agency"] for s in advice["stations"]} == {"fire", "medical"}


def test_a_second_call_about_the_same_fire_is_suggested_as_duplicate(
    client: TestClient, tokens: Tokens
) -> None:
    first = report(client, tokens, location=AWS_HOSPITAL)["incident"]
    second = report(client, tokens, location={**AWS_HOSPITAL, "lat": -0.4907})
    suggestions = second["recommendation"]["duplicates"]
    assert [s["number"] for s in suggestions] == [first["number"]]
    assert suggestions[0]["distance_m"] < 50


def test_the_map_layers_are_served_as_geojson_to_a_logged_in_user(
    shared_client: TestClient, shared_tokens: Tokens
) -> None:
    client, tokens = shared_client, shared_tokens
    assert client.get("/api/geo/kecamatan").status_code == 401
    layer = client.get("/api/geo/kecamatan", headers=auth(tokens, "agency:fire"))
    assert layer.headers["content-type"] == "application/geo+json"
    assert len(layer.json()["features"]) == 10
    stations = client.get("/api/geo/stations", headers=auth(tokens, "operator")).json()
    assert len(stations["features"]) == 39
    assert client.get("/api/geo/roads", headers=auth(tokens, "operator")).status_code == 422


def test_a_hospital_marked_full_is_skipped_until_available_again(
    client: TestClient, tokens: Tokens
) -> None:
    def nearest_hospital() -> str:
        advice = report(client, tokens, category="medis", location=AWS_HOSPITAL)["recommendation"]
        station: str = next(s["station_id"] for s in advice["stations"] if s["agency"] == "medical")
        return station

    nearest = nearest_hospital()
    url = f"/api/stations/{nearest}/capacity"
    police = client.post(
        url, json={"full": True, "reason": "IGD penuh"}, headers=auth(tokens, "agency:police")
    )
    assert police.status_code == 403
    marked = client.post(
        url, json={"full": True, "reason": "IGD penuh"}, headers=auth(tokens, "agency:medical")
    )
    assert marked.status_code == 200 and marked.json()["full"] is True
    assert nearest_hospital() != nearest
    listed = client.get("/api/stations", headers=auth(tokens, "operator")).json()["stations"]
    assert next(s for s in listed if s["id"] == nearest)["full"] is True
    client.post(
        url, json={"full": False, "reason": "IGD longgar"}, headers=auth(tokens, "operator")
    )
    assert nearest_hospital() == nearest
    unknown = client.post(
        "/api/stations/NOPE/capacity",
        json={"full": True, "reason": "x"},
        headers=auth(tokens, "operator"),
    )
    assert unknown.status_code == 404
