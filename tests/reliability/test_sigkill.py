"""kill -9 under load, on both backends: nothing acknowledged is lost, doubled or half-written.

A real `siaga112 serve` takes reports from four call-takers (each report with its report_id;
a report whose answer never came, or came as 503, is sent again with the same report_id, as
the console does). The server is killed with SIGKILL mid-load twice and restarted on the
same store. Then every acknowledged report is in the log exactly once, every incident has its
score (intake writes both in one transaction), and `replay verify` and `replay rebuild-check`
pass.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from adapters.center import build_center
from dispatch.settings import Settings
from domain.incident import incident_id_for
from entrypoints.cli import main
from tests.e2e.server import cli, free_port, parse_tokens
from tests.support import report_json

KILLS = 2
CALL_TAKERS = 4
ACKNOWLEDGED_BETWEEN_KILLS = 25


@dataclass
class Floor:
    """Call-takers posting to whichever server is up; what was acknowledged, what is pending."""

    token: str
    url: str = ""
    acknowledged: dict[str, str] = field(default_factory=dict)  # report_id -> incident id
    unexpected: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # 503s: the same report is sent again
    lock: threading.Lock = field(default_factory=threading.Lock)
    stop: threading.Event = field(default_factory=threading.Event)

    def call_taker(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        body: dict[str, Any] | None = None
        with httpx.Client(headers=headers, timeout=10) as client:
            while not (self.stop.is_set() and body is None):
                body = body or report_json()
                try:
                    answer = client.post(f"{self.url}/api/reports", json=body)
                except httpx.TransportError:  # the server died: send the same report again
                    time.sleep(0.05)
                    continue
                if answer.status_code in (200, 201):
                    with self.lock:
                        self.acknowledged[body["report_id"]] = answer.json()["incident"]["id"]
                    body = None
                elif answer.status_code == 503:
                    self.refused.append(answer.text[:200])
                    time.sleep(0.05)
                else:
                    self.unexpected.append(f"{answer.status_code} {answer.text[:300]}")
                    body = None

    def count(self) -> int:
        with self.lock:
            return len(self.acknowledged)


def serve(env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "entrypoints.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    health = ""
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server exited"
        try:
            answer = httpx.get(f"{url}/healthz", timeout=5)
        except httpx.TransportError:
            time.sleep(0.1)
            continue
        if answer.status_code == 200:
            return process, url
        health = answer.text
        time.sleep(0.1)
    process.kill()
    raise AssertionError(f"not healthy after a restart: {health[:1500]}")


def test_sigkill_under_load_loses_doubles_and_half_writes_nothing(
    store: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    floor = Floor(parse_tokens(cli("demo", env=store).stdout)["operator"])
    process, floor.url = serve(store)
    threads = [threading.Thread(target=floor.call_taker) for _ in range(CALL_TAKERS)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(KILLS):
            # When the server is killed mid-load, once it has acknowledged more reports
            target = floor.count() + ACKNOWLEDGED_BETWEEN_KILLS
            deadline = time.monotonic() + 60
            while floor.count() < target:
                assert time.monotonic() < deadline, "the load stalled"
                time.sleep(0.05)
            process.send_signal(signal.SIGKILL)
            process.wait(10)
            # and restarted on the same store
            process, floor.url = serve(store)
    finally:
        floor.stop.set()
        for thread in threads:
            thread.join(30)
        process.send_signal(signal.SIGINT)
        process.wait(30)
    assert not any(t.is_alive() for t in threads), f"still refused: {floor.refused[-3:]}"
    assert floor.unexpected == []
    assert floor.count() >= KILLS * ACKNOWLEDGED_BETWEEN_KILLS
    # Then every acknowledged report is in the log exactly once, and every incident is whole
    settings = Settings(database_url=store["SIAGA_DATABASE_URL"], var_dir=store["SIAGA_VAR_DIR"])
    reported, scored = log_counts(settings)
    for report_id, incident_id in floor.acknowledged.items():
        assert incident_id == str(incident_id_for(uuid.UUID(report_id)))
        assert reported[incident_id] == 1, f"{incident_id} reported {reported[incident_id]}x"
    assert max(reported.values()) == 1
    assert set(scored) == set(reported), "an incident without its score (half written)"
    # and the audit chain and the projections agree with the log
    for name in ("SIAGA_DATABASE_URL", "SIAGA_VAR_DIR"):
        monkeypatch.setenv(name, store[name])
    for check in (["checkpoint"], ["verify"], ["rebuild-check"]):
        assert main(["replay", *check]) == 0, check


def log_counts(settings: Settings) -> tuple[Counter[str], Counter[str]]:
    """How many Reported and Scored events each incident has in the log."""
    center = build_center(settings)
    try:
        notifications = center.recorder.select_notifications(0, 1_000_000)
    finally:
        center.close()
    reported: Counter[str] = Counter()
    scored: Counter[str] = Counter()
    for n in notifications:
        if n.topic.endswith("Incident.Reported"):
            reported[str(n.originator_id)] += 1
        elif n.topic.endswith("Incident.Scored"):
            scored[str(n.originator_id)] += 1
    return reported, scored
