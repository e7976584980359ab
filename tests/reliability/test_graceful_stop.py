"""SIGINT under overload, on both backends: the server stops, and nothing it acknowledged is lost.

A real `siaga112 serve` (its output a pipe nobody reads, as under a supervisor that stopped
reading) takes reports from 16 call-takers, each with its own token, sent faster than it can
save them, so a backlog waits for worker threads. Mid-load it gets SIGINT. It must exit (a
liveness bound, generous: this is not a speed test); every answer was 201, or 503 with
Retry-After (nothing saved: the client sends the same report again), or no answer at all (the
connection closed as the server stopped); and after a restart on the same store every report
answered 201 is there.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from adapters.auth import add_token
from tests.e2e.server import cli, free_port, wait_healthy
from tests.support import report_json

CALL_TAKERS = 16
RATE_PER_S = 250.0  # far above what two shared cores save: a backlog builds
ACKNOWLEDGED_BEFORE_SIGNAL = 100
BACKLOG_AT_SIGNAL = 30
EXIT_BOUND_S = 60.0  # liveness: an overloaded server that hangs never exits


def serve(env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    """`siaga112 serve` at the default log level (a JSON line per request), its output a pipe
    that is never read."""
    port = free_port()
    command = [sys.executable, "-m", "entrypoints.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, process)
    return process, url


@dataclass
class Outcomes:
    acknowledged: list[str] = field(default_factory=list)  # incident ids answered 201
    statuses: Counter[str] = field(default_factory=Counter)
    unexpected: list[str] = field(default_factory=list)

    async def post(self, http: httpx.AsyncClient, headers: dict[str, str]) -> None:
        try:
            answer = await http.post("/api/reports", json=report_json(), headers=headers)
        except httpx.TransportError as error:  # the server closed the connection as it stopped
            self.statuses[type(error).__name__] += 1
            return
        self.statuses[str(answer.status_code)] += 1
        if answer.status_code == 201:
            self.acknowledged.append(answer.json()["incident"]["id"])
        elif answer.status_code != 503 or not answer.headers.get("retry-after", "").isdigit():
            self.unexpected.append(f"{answer.status_code} {answer.text[:300]}")


async def overload_then_stop(
    url: str, logins: list[dict[str, str]], process: subprocess.Popen[str]
) -> Outcomes:
    """Reports at RATE_PER_S whatever the answers; SIGINT once enough were acknowledged with a
    backlog waiting; sending goes on for a second after it (as clients do)."""
    outcomes = Outcomes()
    limits = httpx.Limits(max_connections=500, max_keepalive_connections=100)
    async with httpx.AsyncClient(base_url=url, timeout=60, limits=limits) as http:
        posts: list[asyncio.Task[None]] = []
        began, signalled = time.monotonic(), None
        while signalled is None or time.monotonic() < signalled + 1:
            waiting = sum(not post.done() for post in posts)
            enough = len(outcomes.acknowledged) >= ACKNOWLEDGED_BEFORE_SIGNAL
            if signalled is None and enough and waiting >= BACKLOG_AT_SIGNAL:
                process.send_signal(signal.SIGINT)
                signalled = time.monotonic()
            assert time.monotonic() < began + 120, f"the load stalled: {outcomes.statuses}"
            headers = logins[len(posts) % len(logins)]
            posts.append(asyncio.create_task(outcomes.post(http, headers)))
            await asyncio.sleep(max(0.0, began + len(posts) / RATE_PER_S - time.monotonic()))
        await asyncio.gather(*posts)
    return outcomes


def test_sigint_under_overload_stops_the_server_and_loses_no_acknowledged_report(
    store: dict[str, str],
) -> None:
    tokens = Path(store["SIAGA_VAR_DIR"]) / "tokens.json"
    made = [add_token(tokens, "operator", f"call-taker-{n}") for n in range(CALL_TAKERS)]
    logins = [{"Authorization": f"Bearer {token}"} for token in made]
    cli("demo", env=store)
    process, url = serve(store)
    try:
        outcomes = asyncio.run(overload_then_stop(url, logins, process))
        signalled = time.monotonic()
        try:
            process.wait(timeout=EXIT_BOUND_S)
        except subprocess.TimeoutExpired:
            pytest.fail(f"still running {EXIT_BOUND_S:.0f} s after SIGINT: {outcomes.statuses}")
        print(f"exited {time.monotonic() - signalled:.1f} s after the load; {outcomes.statuses}")
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        if process.stdout is not None:
            process.stdout.close()
    assert process.returncode == 0
    assert outcomes.unexpected == []
    assert len(outcomes.acknowledged) >= ACKNOWLEDGED_BEFORE_SIGNAL

    # After a restart on the same store, every report answered 201 is there.
    process, url = serve(store)
    try:
        with httpx.Client(base_url=url, headers=logins[0], timeout=30) as http:
            missing = [
                incident_id
                for incident_id in outcomes.acknowledged
                if http.get(f"/api/incidents/{uuid.UUID(incident_id)}").status_code != 200
            ]
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=EXIT_BOUND_S)
        if process.stdout is not None:
            process.stdout.close()
    assert missing == [], f"{len(missing)} of {len(outcomes.acknowledged)} acknowledged lost"
