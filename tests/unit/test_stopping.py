"""Once the process is told to stop, a report not yet begun gets 503 with Retry-After and
nothing is saved; the stop signal reaches the application the moment it arrives."""

from __future__ import annotations

import signal
from pathlib import Path

import uvicorn
from fastapi.testclient import TestClient

from adapters.auth import TokenRegistry, add_token
from dispatch.settings import Settings
from entrypoints.http.app import create_app
from entrypoints.http.stopping import Stopping, StoppingServer
from tests.support import report_json


def test_a_report_after_the_stop_signal_gets_503_with_retry_after_and_nothing_is_saved(
    tmp_path: Path,
) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/siaga112.db", var_dir=tmp_path)
    token = add_token(tmp_path / "tokens.json", "operator", "rina")
    headers = {"Authorization": f"Bearer {token}"}
    stopping = Stopping()
    registry = TokenRegistry.load(tmp_path / "tokens.json")
    with TestClient(create_app(settings, tokens=registry, stopping=stopping)) as client:
        before = client.post("/api/reports", json=report_json(), headers=headers)
        assert before.status_code == 201
        stopping.begin()
        body = report_json()
        refused = client.post("/api/reports", json=body, headers=headers)
        assert refused.status_code == 503
        assert refused.json()["error"] == "stopping"
        assert "nothing was saved" in refused.json()["detail"]
        assert int(refused.headers["retry-after"]) >= 1
        listed = client.get("/api/incidents", headers=headers).json()
        assert [i["id"] for i in listed["incidents"]] == [before.json()["incident"]["id"]]
        # reads still answer while the in-flight work finishes
        assert client.get("/healthz").status_code == 200

    # The same report, sent again to the restarted server, is taken.
    registry = TokenRegistry.load(tmp_path / "tokens.json")
    with TestClient(create_app(settings, tokens=registry)) as client:
        again = client.post("/api/reports", json=body, headers=headers)
        assert again.status_code == 201


def test_the_stop_signal_sets_stopping_before_uvicorn_notices_it() -> None:
    stopping = Stopping()
    server = StoppingServer(uvicorn.Config(app=lambda: None), stopping)
    assert not stopping.stopping and not server.should_exit
    server.handle_exit(signal.SIGTERM, None)
    assert stopping.stopping and server.should_exit
