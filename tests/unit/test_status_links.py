"""The caller's status link: progress only, in plain Indonesian; expires; 404 tells nothing."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dispatch.settings import Settings
from dispatch.status_links import token_hash
from tests.support import AWS, FakeClock, Tokens, auth, make_client, report_json, services_of

CALLER = "+6281199887766"
DESCRIPTION = "Kebakaran ZAMRUDKHATULISTIWA di gudang"
ADDRESS = "Gang Kenari Ungu nomor sembilan"


@pytest.fixture
def timed_client(
    memory_settings: Settings, tokens: Tokens, clock: FakeClock
) -> Iterator[TestClient]:
    with make_client(memory_settings, tokens) as test_client:
        services_of(test_client).center.clock = clock
        yield test_client


def operator(tokens: Tokens) -> dict[str, str]:
    return auth(tokens, "operator")


def an_incident(client: TestClient, tokens: Tokens) -> dict[str, Any]:
    body = report_json(caller_number=CALLER, description=DESCRIPTION, address_text=ADDRESS)
    made = client.post("/api/reports", json=body, headers=operator(tokens))
    assert made.status_code == 201, made.text
    incident: dict[str, Any] = made.json()["incident"]
    return incident


def a_link(client: TestClient, tokens: Tokens, incident: dict[str, Any], **body: Any) -> str:
    issued = client.post(
        f"/api/incidents/{incident['id']}/status-link", json=body, headers=operator(tokens)
    )
    assert issued.status_code == 201, issued.text
    path: str = issued.json()["path"]
    return path


def a_fire_unit(client: TestClient, tokens: Tokens) -> str:
    unit = client.post(
        "/api/units",
        json={
            "code": "DMK-01",
            "callsign": "Damkar Satu",
            "agency": "fire",
            "unit_type": "fire_engine",
            "station_id": "A-DAMKAR-P3",
            "location": {
                "lat": AWS.lat + 0.02,
                "lon": AWS.lon,
                "accuracy_m": 10,
                "source": "device",
            },
        },
        headers=auth(tokens, "supervisor"),
    )
    assert unit.status_code == 201, unit.text
    unit_id: str = unit.json()["id"]
    return unit_id


def test_the_link_shows_each_step_of_the_progress_and_nothing_else(
    timed_client: TestClient, tokens: Tokens, clock: FakeClock
) -> None:
    client = timed_client
    incident = an_incident(client, tokens)
    path = a_link(client, tokens, incident)
    pages = [client.get(path).text]
    unit = a_fire_unit(client, tokens)
    routed = client.post(
        f"/api/incidents/{incident['id']}/route",
        json={"agencies": ["fire"], "unit_ids": [unit]},
        headers=operator(tokens),
    )
    assert routed.status_code == 200, routed.text
    pages.append(client.get(path).text)
    clock.advance(300)
    on_scene = client.post(
        f"/api/units/{unit}/status", json={"status": "on_scene"}, headers=operator(tokens)
    )
    assert on_scene.status_code == 200, on_scene.text
    pages.append(client.get(path).text)
    closed = client.post(
        f"/api/incidents/{incident['id']}/close",
        json={"disposition": "genuine", "reason": "api padam"},
        headers=operator(tokens),
    )
    assert closed.status_code == 200, closed.text
    pages.append(client.get(path).text)

    assert "Laporan Anda sudah diterima" in pages[0]
    assert "Bantuan sedang menuju" in pages[1] and "Perkiraan tiba: sekitar" in pages[1]
    assert "Bantuan sudah tiba" in pages[2]
    assert "sudah selesai" in pages[3]
    forbidden = [
        CALLER,
        "81199887766",
        "ZAMRUDKHATULISTIWA",
        "Kenari",
        incident["id"],
        incident["number"],
        f"{AWS.lat:.3f}",
        f"{AWS.lon:.3f}",
        "Damkar",
        "DMK-01",
        "kebakaran",
        "fire",
    ]
    for page in pages:
        assert [f for f in forbidden if f.lower() in page.lower()] == []


def test_the_link_expires_a_day_after_the_incident_closes(
    timed_client: TestClient, tokens: Tokens, clock: FakeClock
) -> None:
    client = timed_client
    incident = an_incident(client, tokens)
    path = a_link(client, tokens, incident)
    client.post(
        f"/api/incidents/{incident['id']}/close",
        json={"disposition": "genuine", "reason": "selesai"},
        headers=operator(tokens),
    )
    clock.advance(24 * 3600 - 1)
    assert client.get(path).status_code == 200
    clock.advance(1)
    expired = client.get(path)
    unknown = client.get("/s/" + "A" * 16)
    malformed = client.get("/s/%3Cscript%3E")
    assert [expired.status_code, unknown.status_code, malformed.status_code] == [404, 404, 404]
    assert expired.text == unknown.text == malformed.text  # nothing tells the two apart


def test_the_sms_goes_through_the_gateway_port_and_the_default_logs_a_masked_number(
    client: TestClient, tokens: Tokens, caplog: pytest.LogCaptureFixture
) -> None:
    incident = an_incident(client, tokens)
    with caplog.at_level(logging.INFO, logger="siaga112.status_links"):
        issued = client.post(
            f"/api/incidents/{incident['id']}/status-link",
            json={"send_sms": True},
            headers=operator(tokens),
        )
    assert issued.status_code == 201, issued.text
    token = issued.json()["path"].removeprefix("/s/")
    assert issued.json()["sent_to"] == "+62811*****766"
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "+62811*****766" in logged
    assert CALLER not in logged and token not in logged


def test_the_token_is_stored_only_as_its_hash(
    shared_client: TestClient, shared_tokens: Tokens
) -> None:
    incident = an_incident(shared_client, shared_tokens)
    token = a_link(shared_client, shared_tokens, incident).removeprefix("/s/")
    store = shared_client.app.state.status_links.store  # type: ignore[attr-defined]
    assert len(token) >= 16  # 96 random bits
    assert store.find(token) is None
    found = store.find(token_hash(token))
    assert found is not None and str(found.incident_id) == incident["id"]


def test_sending_without_a_known_number_is_a_422_naming_the_field(
    shared_client: TestClient, shared_tokens: Tokens
) -> None:
    made = shared_client.post(
        "/api/reports", json=report_json(caller_number=None), headers=operator(shared_tokens)
    )
    incident = made.json()["incident"]
    refused = shared_client.post(
        f"/api/incidents/{incident['id']}/status-link",
        json={"send_sms": True},
        headers=operator(shared_tokens),
    )
    assert refused.status_code == 422
    assert "number" in refused.text
