"""GET /api/incidents/{id}/events on SQLite and PostgreSQL: every event carries its log position."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from dispatch.settings import Settings
from tests.support import Tokens, auth, make_client, report_json, services_of


@pytest.fixture
def durable_client(any_settings: Settings, tokens: Tokens) -> Iterator[TestClient]:
    any_settings.var_dir.mkdir(parents=True, exist_ok=True)
    with make_client(any_settings, tokens) as test_client:
        yield test_client


def test_each_event_of_an_incident_carries_its_notification_log_position(
    durable_client: TestClient, tokens: Tokens
) -> None:
    operator = auth(tokens, "operator")
    other = durable_client.post("/api/reports", json=report_json(), headers=operator)
    mine = durable_client.post("/api/reports", json=report_json(), headers=operator)
    incident_id = mine.json()["incident"]["id"]
    assert other.status_code == mine.status_code == 201, mine.text
    routed = durable_client.post(
        f"/api/incidents/{incident_id}/route", json={"agencies": ["fire"]}, headers=operator
    )
    assert routed.status_code == 200, routed.text

    events = durable_client.get(f"/api/incidents/{incident_id}/events", headers=operator).json()

    recorder = services_of(durable_client).center.recorder
    in_log = {
        n.originator_version: n.id
        for n in recorder.select_notifications(start=0, limit=10_000)
        if str(n.originator_id) == incident_id
    }
    shown = {e["version"]: e["position"] for e in events["events"]}
    assert shown == in_log
    assert [e["type"] for e in events["events"]][-1] == "Routed"
