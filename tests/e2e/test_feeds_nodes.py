"""Two `siaga112 serve` processes on one PostgreSQL: shared feeds, one projection runner."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.sync.client import connect

from tests.e2e.server import RunningServer, running_server
from tests.feeds import Desk, Message, has_event, read_until, wait_until
from tests.support import fresh_database

pytestmark = pytest.mark.e2e


def feed(server: RunningServer, agency: str, role: str) -> Any:
    url = server.url.replace("http://", "ws://") + f"/ws/agencies/{agency}"
    return connect(url, additional_headers={"Authorization": f"Bearer {server.tokens[role]}"})


def receive(ws: Any) -> Message:
    message: Message = json.loads(ws.recv(timeout=5))
    return message


def projections(server: RunningServer) -> dict[str, Any]:
    found: dict[str, Any] = httpx.get(f"{server.url}/healthz", timeout=5).json()["projections"]
    return found


def test_two_nodes_share_feeds_within_a_second_and_run_the_projections_once(
    tmp_path: Path,
) -> None:
    with (
        fresh_database() as url,
        running_server(tmp_path / "a", url) as a,
        running_server(tmp_path / "b", url) as b,
        httpx.Client(timeout=10) as http,
    ):
        # A routing committed on node A appears on node B's agency feed within a second. The
        # second starts when A has answered (the event is in the log): how long A takes to
        # answer two requests is the intake's speed (bench/bench_http.py), which under load
        # and libfaketime took 0.4 s of the second by itself. The read waits 10 s so that a
        # late delivery is measured, not cut off.
        with feed(b, "medical", "agency:medical") as on_b:
            assert receive(on_b)["type"] == "snapshot"
            desk_a = Desk(http, a.tokens, base=a.url)
            incident = desk_a.report(category="medis")
            desk_a.route(incident, "medical")
            committed = time.monotonic()
            messages = read_until(lambda: receive(on_b), has_event("Routed", incident), 10.0)
            elapsed = time.monotonic() - committed
        assert elapsed < 1.0, elapsed
        assert messages[-1]["incident"]["id"] == incident and "eido" in messages[-1]

        # Exactly one node runs the projections; the other stands by
        wait_until(lambda: {role(a), role(b)} == {"leader", "standby"})
        leader, standby = (a, b) if role(a) == "leader" else (b, a)
        # When the leader dies without a chance to clean up
        leader.process.kill()
        leader.process.wait(timeout=10)
        # Then the other takes over, and its boards follow new reports
        wait_until(lambda: role(standby) == "leader", timeout=15)
        desk = Desk(http, standby.tokens, base=standby.url)
        fire = desk.report()
        desk.route(fire, "fire")
        board = wait_until(
            lambda: [
                i
                for i in desk.get("/api/boards/fire?source=projection").json()["incidents"]
                if i["incident_id"] == fire
            ]
        )
        assert board[0]["status"] == "routed"
        assert projections(standby)["boards"]["status"] == "running"


def role(server: RunningServer) -> str:
    found: str = projections(server)["role"]
    return found
