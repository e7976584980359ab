"""The audit API: auditors and supervisors read; nobody else does; answers are from the log."""

from __future__ import annotations

import functools
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient

import entrypoints.bootstrap
from dispatch.settings import Settings
from replay.sealing import start_sealing
from tests.support import Tokens, auth, make_client, report_json

WITA = ZoneInfo("Asia/Makassar")


def a_routed_incident(client: TestClient, tokens: Tokens) -> dict[str, str]:
    response = client.post("/api/reports", json=report_json(), headers=auth(tokens, "operator"))
    assert response.status_code == 201, response.text
    incident: dict[str, str] = response.json()["incident"]
    routed = client.post(
        f"/api/incidents/{incident['id']}/route",
        json={"agencies": ["fire"]},
        headers=auth(tokens, "operator"),
    )
    assert routed.status_code == 200, routed.text
    return incident


@pytest.mark.timeshift
@pytest.mark.parametrize("role", ["auditor", "supervisor"])
def test_auditors_and_supervisors_read_a_timeline_by_number(
    shared_client: TestClient, shared_tokens: Tokens, role: str
) -> None:
    client, tokens = shared_client, shared_tokens
    incident = a_routed_incident(client, tokens)
    response = client.get(
        f"/api/audit/incidents/{incident['number']}/timeline", headers=auth(tokens, role)
    )
    assert response.status_code == 200, response.text
    events = response.json()["events"]
    assert [e["type"] for e in events] == ["Reported", "Scored", "Routed"]
    assert events[2]["actor"] == "operator:t-operator"


@pytest.mark.parametrize("role", ["operator", "agency:fire"])
@pytest.mark.parametrize(
    "path",
    [
        "/incidents/{id}/timeline",
        "/incidents/{id}/eido",
        "/state",
        "/verify",
        "/kpi?from=2026-11-22&to=2026-11-23",
    ],
)
def test_other_roles_may_not_read_the_audit_api(
    shared_client: TestClient, shared_tokens: Tokens, role: str, path: str
) -> None:
    incident = a_routed_incident(shared_client, shared_tokens)
    url = "/api/audit" + path.replace("{id}", incident["id"])
    assert shared_client.get(url, headers=auth(shared_tokens, role)).status_code == 403


def test_the_audit_api_needs_a_token(shared_client: TestClient) -> None:
    assert shared_client.get("/api/audit/state").status_code == 401


def test_an_unknown_incident_is_404(shared_client: TestClient, shared_tokens: Tokens) -> None:
    client, tokens = shared_client, shared_tokens
    for reference in ("SMD-20261122-0777", "6f1c7d0e-0000-4000-8000-000000000000"):
        response = client.get(
            f"/api/audit/incidents/{reference}/timeline", headers=auth(tokens, "auditor")
        )
        assert response.status_code == 404, response.text


def test_state_at_a_position_and_the_open_incidents(client: TestClient, tokens: Tokens) -> None:
    incident = a_routed_incident(client, tokens)
    timeline = client.get(
        f"/api/audit/incidents/{incident['id']}/timeline", headers=auth(tokens, "auditor")
    ).json()
    before_routing = timeline["events"][1]["position"]
    response = client.get(
        "/api/audit/state",
        params={"position": before_routing, "incident": incident["number"]},
        headers=auth(tokens, "auditor"),
    )
    assert response.status_code == 200, response.text
    assert response.json()["incident"]["status"] == "new"
    board = client.get(
        "/api/audit/state", params={"board": "fire"}, headers=auth(tokens, "auditor")
    ).json()["board"]
    assert [i["id"] for i in board["incidents"]] == [incident["id"]]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"at": "2026-11-22T10:00", "position": 3}, "position"),
        ({"at": "yesterday"}, "at"),
        ({"board": "navy"}, "board"),
    ],
)
def test_a_malformed_state_question_is_422_naming_the_field(
    shared_client: TestClient, shared_tokens: Tokens, params: dict[str, str | int], field: str
) -> None:
    response = shared_client.get(
        "/api/audit/state", params=params, headers=auth(shared_tokens, "auditor")
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["query", field]


@pytest.mark.timeshift
def test_kpi_for_a_day_counts_its_calls(client: TestClient, tokens: Tokens) -> None:
    incident = a_routed_incident(client, tokens)
    received = datetime.fromisoformat(incident["received_at"]).astimezone(WITA).date()
    day, next_day = received.isoformat(), (received + timedelta(days=1)).isoformat()
    response = client.get(
        "/api/audit/kpi", params={"from": day, "to": next_day}, headers=auth(tokens, "auditor")
    )
    assert response.status_code == 200, response.text
    assert response.json()["calls"]["total"] == 1
    reversed_ = client.get(
        "/api/audit/kpi", params={"from": next_day, "to": day}, headers=auth(tokens, "auditor")
    )
    assert reversed_.status_code == 422


def test_the_eido_export_of_an_incident(client: TestClient, tokens: Tokens) -> None:
    incident = a_routed_incident(client, tokens)
    response = client.get(
        f"/api/audit/incidents/{incident['number']}/eido", headers=auth(tokens, "auditor")
    )
    assert response.status_code == 200, response.text
    assert response.json()["incidentComponent"]["internalIncidentId"] == incident["number"]


def test_the_server_seals_the_log_in_the_background_and_verify_says_ok(
    memory_settings: Settings, tokens: Tokens, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The lifespan's real sealing loop, run every 0.05 s instead of every 2 s: the test waits
    # for its next run, not for the clock.
    quick = functools.partial(start_sealing, interval_s=0.05)
    monkeypatch.setattr(entrypoints.bootstrap, "start_sealing", quick)
    with make_client(memory_settings, tokens) as client:
        a_routed_incident(client, tokens)
        deadline = time.monotonic() + 10
        while True:
            answer = client.get("/api/audit/verify", headers=auth(tokens, "auditor")).json()
            if answer["unsealed_events"] == 0 and answer["sealed_events"] > 0:
                break
            assert time.monotonic() < deadline, answer
            time.sleep(0.02)
    assert answer["ok"] and answer["first_problem"] is None
