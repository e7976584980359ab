"""An agency never learns anything of another agency's incident, not even from an error."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support import Tokens, auth, report_json


def test_releasing_a_unit_from_another_agencys_incident_is_404_without_its_number(
    client: TestClient, tokens: Tokens
) -> None:
    # Given a fire-only incident and a police unit
    created = client.post("/api/reports", json=report_json(), headers=auth(tokens, "operator"))
    incident = created.json()["incident"]
    routed = client.post(
        f"/api/incidents/{incident['id']}/route",
        json={"agencies": ["fire"]},
        headers=auth(tokens, "operator"),
    )
    assert routed.status_code == 200, routed.text
    unit = {
        "code": "R2-07",
        "callsign": "Polsek Ulu R2-07",
        "agency": "police",
        "unit_type": "police_patrol",
        "station_id": "C-POLSEK-ULU",
        "location": {"lat": -0.49, "lon": 117.14},
    }
    registered = client.post("/api/units", json=unit, headers=auth(tokens, "supervisor"))
    assert registered.status_code == 201, registered.text
    # When the police ask to release their unit from the fire incident
    answer = client.post(
        f"/api/incidents/{incident['id']}/units/{registered.json()['id']}/release",
        json={},
        headers=auth(tokens, "agency:police"),
    )
    # Then they get the answer an unknown id gets: nothing about the incident
    assert answer.status_code == 404
    assert incident["number"] not in answer.text
