"""The reference client `siaga112 feed` against a real server: prints, keeps, resumes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from adapters.center import build_center
from dispatch.settings import Settings
from domain.taxonomy import Agency
from tests.e2e.server import RunningServer, running_server
from tests.feeds import Desk
from tests.support import a_report

pytestmark = pytest.mark.e2e


def run_client(server: RunningServer, state: Path, count: int) -> list[dict[str, Any]]:
    """`siaga112 feed fire` until it has printed ``count`` messages."""
    command = [sys.executable, "-m", "entrypoints.cli", "feed", "fire", "--url", server.url]
    command += ["--state-file", str(state), "--max-messages", str(count)]
    env = {**server.env, "SIAGA_TOKEN": server.tokens["agency:fire"]}
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_the_client_prints_the_feed_and_resumes_from_its_file_after_a_server_restart(
    tmp_path: Path,
) -> None:
    var, state = tmp_path / "var", tmp_path / "fire-feed.json"
    # Given a fire incident, and the client's first run: a snapshot, remembered
    with running_server(var) as server, httpx.Client(timeout=10) as http:
        desk = Desk(http, server.tokens, base=server.url)
        first = desk.report()
        desk.route(first, "fire")
        [snapshot] = run_client(server, state, 1)
    assert snapshot["type"] == "snapshot"
    assert [i["id"] for i in snapshot["incidents"]] == [first]
    assert json.loads(state.read_text()) == {"position": snapshot["position"]}
    # While the server is down, the call center goes on (another process writes)
    center = build_center(Settings(database_url=server.env["SIAGA_DATABASE_URL"], var_dir=var))
    try:
        second = center.report(a_report()).incident.id
        center.route(second, [Agency.FIRE])
    finally:
        center.close()
    # When the server is back, the client resumes: no snapshot, just what it missed
    with running_server(var) as server, httpx.Client(timeout=10) as http:
        console = server.url.replace("http://", "ws://") + "/ws/console"
        operator = {"Authorization": f"Bearer {server.tokens['operator']}"}
        watching = connect(console, additional_headers=operator)  # stays open past the stop
        Desk(http, server.tokens, base=server.url).acknowledge(first, "fire")
        missed = run_client(server, state, 2)
    # (and a server with a feed still open stops cleanly: 1012, service restart)
    assert server.process.returncode == 0
    with watching, pytest.raises(ConnectionClosed) as closed:
        while True:
            watching.recv(timeout=5)  # the snapshot, what was on the way, then the close
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1012
    assert [(m["type"], m["event"], m["incident"]["id"]) for m in missed] == [
        ("incident", "Routed", str(second)),
        ("incident", "Acknowledged", first),
    ]
    assert json.loads(state.read_text()) == {"position": missed[-1]["position"]}
