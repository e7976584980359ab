"""Offered far more reports than it can save at once, a real server answers each promptly:
201, or 503 'overloaded' with Retry-After and nothing written.

A real `siaga112 serve` with one write slot and no admission wait (a write that finds the slot
taken is refused at once) is offered 400 reports in a burst of 1,000 a second, as they come
(an open loop). With two slots and a 0.3 s wait, and since the write path got lighter
(2026-12-06), a quiet machine took all 400 on SQLite in some runs: the reports then waited in
the event loop before the gate (parsing, the GIL), not at it, so the gate saw no overload.

Every answer must be 201, or 503 'overloaded' with Retry-After that came back within a
generous bound (liveness, not speed: a 503 that waited for the work queued ahead of it is the
failure this guards against). Afterwards, each
report is sent again, one at a time: a report answered 201 is the same incident (200), and a
report answered 503 is created now (201): it was never begun, so nothing of it was written.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.server import running_server
from tests.support import fresh_database, report_json

OFFERED = 400
#: Far more than two cores save (an open loop, as callers come). At 200 a second the server of
#: 2026-12-06 took all 400 on SQLite once the machine was quiet: no overload was left to test.
RATE_PER_S = 1000.0
#: Liveness, not speed (client and server share two loaded cores: 0.3-4.6 s seen at load
#: 11-17). The request deadline is raised to 30 s here, so a report queued behind the work
#: ahead of it would wait far longer than this, and every 503 must be the gate's.
SHED_BOUND_S = 10.0


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/siaga112.db"
    else:
        with fresh_database() as url:
            yield url


@dataclass
class Answers:
    created: dict[str, str] = field(default_factory=dict)  # report_id -> incident id
    shed: list[dict[str, Any]] = field(default_factory=list)  # the reports answered 503
    slow_503s: list[float] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)

    async def post(self, http: httpx.AsyncClient, headers: dict[str, str]) -> None:
        body = report_json()
        started = time.monotonic()
        answer = await http.post("/api/reports", json=body, headers=headers)
        elapsed = time.monotonic() - started
        if answer.status_code == 201:
            self.created[body["report_id"]] = answer.json()["incident"]["id"]
        elif (
            answer.status_code == 503
            and answer.json().get("error") == "overloaded"
            and answer.headers.get("retry-after", "").isdigit()
        ):
            self.shed.append(body)
            if elapsed >= SHED_BOUND_S:
                self.slow_503s.append(round(elapsed, 2))
        else:
            self.unexpected.append(f"{answer.status_code} {answer.text[:300]}")


async def offer(url: str, headers: dict[str, str]) -> Answers:
    answers = Answers()
    limits = httpx.Limits(max_connections=OFFERED, max_keepalive_connections=OFFERED)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as http:
        sent = []
        started = time.monotonic()
        for n in range(OFFERED):
            await asyncio.sleep(max(0.0, started + n / RATE_PER_S - time.monotonic()))
            sent.append(asyncio.create_task(answers.post(http, headers)))
        await asyncio.gather(*sent)
    return answers


@pytest.mark.e2e
def test_an_overloaded_server_answers_201_or_a_prompt_503_with_nothing_written(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SIAGA_WRITE_SLOTS", "1")
    monkeypatch.setenv("SIAGA_ADMISSION_WAIT_S", "0")
    monkeypatch.setenv("SIAGA_INTAKE_RATE_PER_S", "0")  # one token sends it all
    monkeypatch.setenv("SIAGA_REQUEST_DEADLINE_S", "30")
    with running_server(tmp_path, database_url) as server:
        headers = {"Authorization": f"Bearer {server.tokens['operator']}"}
        answers = asyncio.run(offer(server.url, headers))
        assert answers.unexpected == []
        assert answers.created, "nothing was taken"
        assert answers.shed, f"{OFFERED} reports at once were all taken: no overload to test"
        assert answers.slow_503s == [], "503s that were not prompt"
        metrics = httpx.get(f"{server.url}/metrics").text
        assert f'siaga112_writes_shed_total{{write="report"}} {len(answers.shed)}.0' in metrics

        with httpx.Client(base_url=server.url, headers=headers, timeout=30) as http:
            for body in answers.shed:  # never begun: created now
                again = http.post("/api/reports", json=body)
                assert again.status_code == 201, again.text
            for report_id, incident_id in answers.created.items():  # taken once, not twice
                again = http.post("/api/reports", json=report_json(report_id=report_id))
                assert again.status_code == 200, again.text
                assert again.json()["incident"]["id"] == incident_id
