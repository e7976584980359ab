"""`siaga112 serve --workers 2`: two serving processes on one port, one node to its clients.

Reports sent over new connections at once are taken by both workers, each saved once; an
agency's feed, on whichever worker holds its connection, shows every one of them; ``/metrics``
counts the whole node whichever worker answers; a worker that dies is started again while the
other serves; SIGINT stops them all. A worker that cannot start stops the node with its code.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.mmap_dict import MmapedDict
from websockets.sync.client import connect

from tests.e2e.server import RunningServer, free_port, running_server
from tests.feeds import read_until, summary, wait_until
from tests.support import fresh_database, report_json

pytestmark = pytest.mark.e2e

REPORTS = 40
POSTED = 'siaga112_http_requests_total{method="POST",route="/api/reports",status="201"}'


@contextmanager
def two_workers(backend: str, tmp_path: Path) -> Iterator[RunningServer]:
    if backend == "sqlite":
        with running_server(tmp_path, workers=2, log_level="info") as server:
            yield server
    else:
        with (
            fresh_database() as url,
            running_server(tmp_path, url, workers=2, log_level="info") as server,
        ):
            yield server


def workers_of(pid: int) -> list[int]:
    """The supervisor's child processes (its workers), from /proc."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(child) for child in (task / "children").read_text().split()]
    return sorted(found)


def reports_counted_by(pid: int) -> int:
    """The reports one worker answered 201, read from its own file of the shared metrics."""
    environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    folder = next(
        v.split(b"=", 1)[1] for v in environ if v.startswith(b"PROMETHEUS_MULTIPROC_DIR=")
    )
    path = Path(folder.decode()) / f"counter_{pid}.db"
    if not path.exists():
        return 0
    total = 0.0
    values = MmapedDict.read_all_values_from_file(str(path))  # type: ignore[no-untyped-call]
    for key, value, _, _ in values:
        _, sample, labels, _ = json.loads(key)
        if sample == "siaga112_http_requests_total" and labels == {
            "method": "POST",
            "route": "/api/reports",
            "status": "201",
        }:
            total += value
    return int(total)


def metric(url: str, line: str) -> float | None:
    for row in httpx.get(f"{url}/metrics", timeout=10).text.splitlines():
        if row.startswith(line + " "):
            return float(row.rsplit(" ", 1)[1])
    return None


def desk(server: RunningServer) -> dict[str, str]:
    return {"Authorization": f"Bearer {server.tokens['operator']}"}


def report_and_route(server: RunningServer, body: dict[str, Any]) -> tuple[int, int, str]:
    """As a call-taker: the report, then its routing to fire, each on a new connection (the
    kernel hands each to either worker)."""
    headers = desk(server)
    taken = httpx.post(f"{server.url}/api/reports", json=body, headers=headers, timeout=30)
    incident: str = taken.json()["incident"]["id"] if taken.status_code == 201 else ""
    routed = httpx.post(
        f"{server.url}/api/incidents/{incident}/route",
        json={"agencies": ["fire"]},
        headers=headers,
        timeout=30,
    )
    return taken.status_code, routed.status_code, incident


def both_serving(server: RunningServer, log: Path) -> list[int]:
    """Wait until the supervisor says both workers serve; their process ids."""

    def serving() -> list[int]:
        lines = [json.loads(x) for x in log.read_text().splitlines() if x.startswith("{")]
        said = [x["message"] for x in lines if x["logger"] == "siaga112.workers"]
        pids = sorted(int(m.split("pid ")[1].split(")")[0]) for m in said if m.endswith("serving"))
        return pids if pids == workers_of(server.process.pid) else []

    found: list[int] = wait_until(serving, timeout=60)
    return found


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_two_workers_take_reports_feed_agencies_and_count_as_one_node(
    backend: str, tmp_path: Path
) -> None:
    with two_workers(backend, tmp_path) as server:
        pids = both_serving(server, tmp_path / "server.log")
        fire = server.url.replace("http://", "ws://") + "/ws/agencies/fire"
        headers = {"Authorization": f"Bearer {server.tokens['agency:fire']}"}
        with connect(fire, additional_headers=headers) as feed:
            assert json.loads(feed.recv(timeout=10))["type"] == "snapshot"
            with ThreadPoolExecutor(8) as pool:
                done = list(
                    pool.map(lambda _: report_and_route(server, report_json()), range(REPORTS))
                )
            assert [(t, r) for t, r, _ in done] == [(201, 200)] * REPORTS
            incidents = {i for _, _, i in done}
            assert len(incidents) == REPORTS  # each report one incident

            # Both workers took reports (each counts its own in its file of the metrics)
            taken = {pid: reports_counted_by(pid) for pid in pids}
            assert sum(taken.values()) == REPORTS and all(taken.values()), taken

            # The fire feed, held by one worker, shows every routing, whichever worker took it
            messages = read_until(lambda: receive(feed), routed_all(incidents), timeout=20)
            assert {e for _, kind, e in summary(messages) if kind == "Routed"} >= incidents

            # One fire client on the node, whichever worker answers the scrape and holds it
            for _ in range(6):
                assert metric(server.url, 'siaga112_feed_clients{agency="fire"}') == 1

        # Counted once from the log (by the first worker), not once per worker
        wait_until(lambda: scored(server.url) == REPORTS, timeout=20)

        # Whichever worker answers the scrape, it counts the whole node's reports
        for _ in range(6):
            assert metric(server.url, POSTED) == REPORTS

        # The log is sealed for the audit (by the first worker), every event of it
        wait_until(lambda: sealed_all(server), timeout=20)


def sealed_all(server: RunningServer) -> bool:
    """True when /api/audit/verify finds the chain sound and no event left unsealed."""
    headers = {"Authorization": f"Bearer {server.tokens['auditor']}"}
    found = httpx.get(f"{server.url}/api/audit/verify", headers=headers, timeout=30).json()
    return bool(found["ok"] and found["events_checked"] and found["unsealed_events"] == 0)


def scored(url: str) -> float:
    """Reports scored on the floor, all bands, as /metrics says."""
    text = httpx.get(f"{url}/metrics", timeout=10).text
    rows = [r for r in text.splitlines() if r.startswith("siaga112_classifier_scores_total{")]
    return sum(float(r.rsplit(" ", 1)[1]) for r in rows)


def receive(feed: Any) -> Any:
    """The next message, or a stand-in heartbeat after a second of silence (the server's
    heartbeats come every 15 s: read_until must see its deadline)."""
    try:
        return json.loads(feed.recv(timeout=1))
    except TimeoutError:
        return {"type": "heartbeat"}


def routed_all(incidents: set[str]) -> Any:
    def done(messages: list[Any]) -> bool:
        return incidents <= {e for _, kind, e in summary(messages) if kind == "Routed"}

    return done


def test_a_worker_that_dies_is_started_again_while_the_other_serves_and_sigint_stops_all(
    tmp_path: Path,
) -> None:
    with two_workers("sqlite", tmp_path) as server:
        first, second = both_serving(server, tmp_path / "server.log")
        os.kill(first, signal.SIGKILL)
        # The other worker answers meanwhile: a report is taken
        answer = httpx.post(
            f"{server.url}/api/reports", json=report_json(), headers=desk(server), timeout=30
        )
        assert answer.status_code == 201, answer.text
        # A new worker takes the dead one's place
        again = wait_until(
            lambda: (w := workers_of(server.process.pid)) and len(w) == 2 and first not in w and w,
            timeout=30,
        )
        assert second in again
        log = (tmp_path / "server.log").read_text()
        assert f"(pid {first}) exited with -9" in log
        supervisor = server.process
    # running_server sent SIGINT: the supervisor stopped both workers, then itself, cleanly
    assert supervisor.returncode == 0
    for pid in again:
        assert (
            not Path(f"/proc/{pid}").exists()
            or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]
        )


def test_a_worker_that_cannot_start_stops_the_node_with_its_exit_code(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "SIAGA_VAR_DIR": str(tmp_path),
        "SIAGA_DATABASE_URL": "postgresql://postgres@127.0.0.1:1/nowhere",
        "SIAGA_POSTGRES_CONNECT_TIMEOUT": "1",
    }
    started = time.monotonic()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "entrypoints.cli",
            "serve",
            "--port",
            str(free_port()),
            "--workers",
            "2",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 3, done.stderr[-2000:]
    assert "could not start (exit 3): stopping every worker" in done.stderr
    assert time.monotonic() - started < 60


def test_workers_stop_by_themselves_when_the_supervisor_is_killed(tmp_path: Path) -> None:
    with two_workers("sqlite", tmp_path) as server:
        pids = both_serving(server, tmp_path / "server.log")
        server.process.kill()  # SIGKILL: it cannot tell its workers anything
        server.process.wait(timeout=10)

        def gone() -> bool:
            return not any(Path(f"/proc/{pid}").exists() and not zombie(pid) for pid in pids)

        wait_until(gone, timeout=30)
        log = (tmp_path / "server.log").read_text()
        assert log.count("the supervisor is gone: this worker stops") == 2


def zombie(pid: int) -> bool:
    """A process that has exited and waits for its parent (here: init) to collect it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True
