"""The README's promise: a fresh server takes a report over HTTP and shows its events."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx

from tests.e2e.server import cli, parse_tokens, running_server


def test_demo_prints_one_token_per_role_and_running_it_again_changes_nothing(
    tmp_path: Path,
) -> None:
    env_dir = tmp_path / "var"
    with running_server(env_dir) as server:
        again = cli("demo", env=server.env)
    assert "0 registered, 49 already there" in again.stdout
    assert parse_tokens(again.stdout) == server.tokens
    assert set(server.tokens) >= {"operator", "supervisor", "auditor", "agency:fire"}


def test_a_report_posted_to_a_running_server_shows_its_events(tmp_path: Path) -> None:
    with running_server(tmp_path / "var") as server:
        operator = {"Authorization": f"Bearer {server.tokens['operator']}"}
        body = {
            "report_id": str(uuid.uuid4()),
            "channel": "voice",
            "caller_number": "+6281350001234",
            "location": {"lat": -0.4906, "lon": 117.1442, "accuracy_m": 12, "source": "aml"},
            "category": "kebakaran",
            "description": "Api besar di rumah warga dekat RSUD AWS, ada orang terjebak",
            "injuries": 2,
        }
        created = httpx.post(f"{server.url}/api/reports", json=body, headers=operator)
        assert created.status_code == 201, created.text
        incident = created.json()["incident"]
        events = httpx.get(f"{server.url}/api/incidents/{incident['id']}/events", headers=operator)
        assert [e["type"] for e in events.json()["events"]][:2] == ["Reported", "Scored"]
        units = httpx.get(f"{server.url}/api/units?agency=fire", headers=operator).json()["units"]
        assert len(units) == 18
        docs = httpx.get(f"{server.url}/openapi.json").json()
        assert "/api/reports" in docs["paths"]
    assert server.process.returncode == 0
