"""The HTTP contract on in-memory persistence: statuses, validation, roles."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient

from tests.support import Tokens, auth, report_json


def post_report(client: TestClient, tokens: Tokens, **overrides: object) -> dict[str, object]:
    response = client.post(
        "/api/reports", json=report_json(**overrides), headers=auth(tokens, "operator")
    )
    assert response.status_code == 201, response.text
    incident: dict[str, object] = response.json()["incident"]
    return incident


def register_fire_unit(client: TestClient, tokens: Tokens, code: str = "P3-1") -> str:
    body = {
        "code": code,
        "callsign": f"Damkar {code}",
        "agency": "fire",
        "unit_type": "fire_engine",
        "station_id": "A-DAMKAR-P3",
        "location": {"lat": -0.49, "lon": 117.14},
    }
    response = client.post("/api/units", json=body, headers=auth(tokens, "supervisor"))
    assert response.status_code == 201, response.text
    unit_id: str = response.json()["id"]
    return unit_id


def test_a_report_is_created_once_and_a_retry_returns_it_with_200(
    client: TestClient, tokens: Tokens
) -> None:
    body = report_json()
    first = client.post("/api/reports", json=body, headers=auth(tokens, "operator"))
    again = client.post("/api/reports", json=body, headers=auth(tokens, "operator"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["incident"]["id"] == again.json()["incident"]["id"]
    assert first.json()["incident"]["number"].startswith("SMD-")


def test_the_idempotency_key_header_stands_in_for_a_report_id(
    client: TestClient, tokens: Tokens
) -> None:
    body = report_json()
    del body["report_id"]
    headers = {**auth(tokens, "operator"), "Idempotency-Key": "call-7781"}
    first = client.post("/api/reports", json=body, headers=headers)
    again = client.post("/api/reports", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["incident"]["id"] == again.json()["incident"]["id"]


def test_a_report_without_any_id_is_refused_naming_the_field(
    shared_client: TestClient, shared_tokens: Tokens
) -> None:
    body = report_json()
    del body["report_id"]
    response = shared_client.post(
        "/api/reports", json=body, headers=auth(shared_tokens, "operator")
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "report_id"]


def test_unknown_fields_are_refused(shared_client: TestClient, shared_tokens: Tokens) -> None:
    response = shared_client.post(
        "/api/reports",
        json=report_json(categroy="kebakaran"),
        headers=auth(shared_tokens, "operator"),
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "categroy"]


def test_swapped_coordinates_are_refused_with_a_clear_message(
    shared_client: TestClient, shared_tokens: Tokens
) -> None:
    response = shared_client.post(
        "/api/reports",
        json=report_json(location={"lat": 117.15, "lon": -0.5}),
        headers=auth(shared_tokens, "operator"),
    )
    assert response.status_code == 422
    assert "swapped" in response.json()["detail"][0]["msg"]


def test_a_bad_caller_number_and_category_name_their_fields(
    shared_client: TestClient, shared_tokens: Tokens
) -> None:
    response = shared_client.post(
        "/api/reports",
        json=report_json(caller_number="0812", category="volcano"),
        headers=auth(shared_tokens, "operator"),
    )
    assert response.status_code == 422
    assert {tuple(d["loc"]) for d in response.json()["detail"]} == {
        ("body", "caller_number"),
        ("body", "category"),
    }


def test_requests_without_a_valid_token_get_401(shared_client: TestClient) -> None:
    assert shared_client.get("/api/incidents").status_code == 401
    response = shared_client.get("/api/incidents", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_roles_are_enforced_with_403(shared_client: TestClient, shared_tokens: Tokens) -> None:
    assert (
        shared_client.post(
            "/api/reports", json=report_json(), headers=auth(shared_tokens, "auditor")
        ).status_code
        == 403
    )
    assert (
        shared_client.post(
            "/api/reports", json=report_json(), headers=auth(shared_tokens, "agency:fire")
        ).status_code
        == 403
    )
    unit = {
        "code": "X-1",
        "callsign": "x",
        "agency": "fire",
        "unit_type": "fire_engine",
        "station_id": "s",
    }
    assert (
        shared_client.post(
            "/api/units", json=unit, headers=auth(shared_tokens, "operator")
        ).status_code
        == 403
    )


def test_an_agency_sees_only_incidents_routed_to_it(client: TestClient, tokens: Tokens) -> None:
    fire = post_report(client, tokens)
    crime = post_report(client, tokens, category="kriminal")
    client.post(
        f"/api/incidents/{fire['id']}/route",
        json={"agencies": ["fire"]},
        headers=auth(tokens, "operator"),
    )
    client.post(
        f"/api/incidents/{crime['id']}/route",
        json={"agencies": ["police"]},
        headers=auth(tokens, "operator"),
    )
    listed = client.get("/api/incidents", headers=auth(tokens, "agency:fire")).json()["incidents"]
    assert [i["id"] for i in listed] == [fire["id"]]
    assert (
        client.get(f"/api/incidents/{crime['id']}", headers=auth(tokens, "agency:fire")).status_code
        == 404
    )
    assert (
        client.get(
            f"/api/incidents/{crime['id']}/events", headers=auth(tokens, "agency:fire")
        ).status_code
        == 404
    )
    assert (
        client.get("/api/incidents?agency=police", headers=auth(tokens, "agency:fire")).status_code
        == 403
    )


def test_an_agency_acknowledges_its_incident_and_not_another(
    client: TestClient, tokens: Tokens
) -> None:
    incident = post_report(client, tokens)
    client.post(
        f"/api/incidents/{incident['id']}/route",
        json={"agencies": ["fire"]},
        headers=auth(tokens, "operator"),
    )
    ok = client.post(
        f"/api/incidents/{incident['id']}/acknowledge", json={}, headers=auth(tokens, "agency:fire")
    )
    assert ok.status_code == 200 and ok.json()["status"] == "acknowledged"
    other = client.post(
        f"/api/incidents/{incident['id']}/acknowledge",
        json={},
        headers=auth(tokens, "agency:police"),
    )
    assert other.status_code == 404


def test_a_stale_expected_version_gets_409_with_the_current_state(
    client: TestClient, tokens: Tokens
) -> None:
    incident = post_report(client, tokens)
    url = f"/api/incidents/{incident['id']}/notes"
    first = client.post(
        url,
        json={"text": "a", "expected_version": incident["version"]},
        headers=auth(tokens, "operator"),
    )
    stale = client.post(
        url,
        json={"text": "b", "expected_version": incident["version"]},
        headers=auth(tokens, "operator"),
    )
    assert first.status_code == 200 and stale.status_code == 409
    body = stale.json()
    assert body["current_version"] == first.json()["version"]
    assert body["current"]["notes"][0]["text"] == "a"


def test_commands_on_a_closed_incident_are_conflicts(client: TestClient, tokens: Tokens) -> None:
    incident = post_report(client, tokens)
    client.post(
        f"/api/incidents/{incident['id']}/close",
        json={"disposition": "prank", "reason": "iseng"},
        headers=auth(tokens, "operator"),
    )
    response = client.post(
        f"/api/incidents/{incident['id']}/route",
        json={"agencies": ["fire"]},
        headers=auth(tokens, "operator"),
    )
    assert response.status_code == 409 and response.json()["error"] == "incident_closed"


def test_closing_needs_a_known_disposition(
    shared_client: TestClient, shared_tokens: Tokens
) -> None:
    incident = post_report(shared_client, shared_tokens)
    response = shared_client.post(
        f"/api/incidents/{incident['id']}/close",
        json={"reason": "x"},
        headers=auth(shared_tokens, "operator"),
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "disposition"]


def test_unknown_incident_is_404(shared_client: TestClient, shared_tokens: Tokens) -> None:
    assert (
        shared_client.get(
            f"/api/incidents/{uuid.uuid4()}", headers=auth(shared_tokens, "operator")
        ).status_code
        == 404
    )


def test_route_and_dispatch_in_one_action_then_unit_status_from_the_agency(
    client: TestClient, tokens: Tokens
) -> None:
    unit_id = register_fire_unit(client, tokens)
    incident = post_report(client, tokens)
    routed = client.post(
        f"/api/incidents/{incident['id']}/route",
        json={"agencies": ["fire"], "unit_ids": [unit_id]},
        headers=auth(tokens, "operator"),
    ).json()
    assert routed["status"] == "dispatched" and routed["units"][0]["unit_id"] == unit_id
    on_scene = client.post(
        f"/api/units/{unit_id}/status",
        json={"status": "on_scene"},
        headers=auth(tokens, "agency:fire"),
    )
    assert on_scene.status_code == 200 and on_scene.json()["status"] == "on_scene"
    police = client.post(
        f"/api/units/{unit_id}/status",
        json={"status": "available"},
        headers=auth(tokens, "agency:police"),
    )
    assert police.status_code == 403
    skip = client.post(
        f"/api/units/{unit_id}/status",
        json={"status": "at_hospital"},
        headers=auth(tokens, "agency:fire"),
    )
    assert skip.status_code == 409 and skip.json()["error"] == "invalid_status_change"


def test_the_event_history_shows_type_actor_and_data(client: TestClient, tokens: Tokens) -> None:
    incident = post_report(client, tokens)
    client.post(
        f"/api/incidents/{incident['id']}/notes",
        json={"text": "korban dibawa tetangga"},
        headers=auth(tokens, "operator"),
    )
    events = client.get(
        f"/api/incidents/{incident['id']}/events", headers=auth(tokens, "auditor")
    ).json()["events"]
    assert [e["type"] for e in events] == ["Reported", "Scored", "NoteAdded"]
    assert events[0]["actor"] == "operator:t-operator"
    assert events[0]["data"]["category"] == "kebakaran"
    assert events[2]["data"] == {"text": "korban dibawa tetangga"}


def test_listing_filters_by_status_and_category(client: TestClient, tokens: Tokens) -> None:
    post_report(client, tokens)
    flood = post_report(client, tokens, category="banjir")
    client.post(
        f"/api/incidents/{flood['id']}/route",
        json={"agencies": ["bpbd"]},
        headers=auth(tokens, "operator"),
    )
    routed = client.get("/api/incidents?status=routed", headers=auth(tokens, "operator")).json()
    assert [i["id"] for i in routed["incidents"]] == [flood["id"]]
    fires = client.get("/api/incidents?category=kebakaran", headers=auth(tokens, "operator")).json()
    assert fires["total"] == 1


def test_health_and_metrics_answer(client: TestClient, tokens: Tokens) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    post_report(client, tokens)
    assert "siaga112_http_requests" in client.get("/metrics").text
    assert client.get("/api/me", headers=auth(tokens, "agency:fire")).json()["agency"] == "fire"
