"""Agency boards: a board read from the present beside the same board read from the boards
projection, over HTTP (the app in process, FastAPI's TestClient), on a store with history.

For each backend, a fresh store is filled with ``--history`` events of finished incidents
(``bench_projection.fill``) and ``--open`` open incidents routed to fire, police or medical
(a third each, fire's acknowledged), then the app starts and the boards projection catches up.
Then, for ``GET /api/boards/fire`` (the present) and ``?source=projection``:

* ``cpu_ms_per_read``: process CPU time per request (client and server share the process), the
  figure that is steady on a shared machine; ``wall_ms_p50`` beside it;
* ``seen_after_write_ms`` and ``reads_until_seen``: a report routed to fire, then the board
  read until it shows it; medians over ``--writes`` writes (the present catches up on read:
  its first read shows it; the projection applies the write in its own thread).

Both boards are checked to list the same incidents first. Prints ONE JSON object.

    python bench/bench_boards.py [--history 20000] [--open 300] [--reads 200] [--writes 20]
                                 [--backend sqlite|postgres|both]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from bench_projection import fill, store  # the same filling as the catch-up bench
from fastapi.testclient import TestClient

from adapters.auth import TokenRegistry, add_token
from dispatch.center import DispatchCenter
from dispatch.ports import unscored
from dispatch.settings import Settings
from domain.incident import Incident
from domain.taxonomy import Agency, Category, Channel, Priority
from domain.values import Location
from entrypoints.http.app import create_app
from projections.wiring import app_env

AGENCIES = [Agency.FIRE, Agency.POLICE, Agency.MEDICAL]


def open_incidents(center: DispatchCenter, count: int) -> None:
    """``count`` open incidents, routed to fire, police or medical in turn."""
    at = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    batch: list[Incident] = []
    for n in range(count):
        moment, agency = at + timedelta(seconds=n), AGENCIES[n % 3]
        incident = Incident(
            uuid.uuid4(), f"OPN-20261123-{n:06d}", moment, Channel.VOICE, f"+6282{n:07d}",
            True, 60.0, 2.0, False, Location(-0.49, 117.14, 20.0), None, None,
            Category.KEBAKARAN, Priority.P2, "Kebakaran rumah", None, 0, [], "bench", moment,
        )  # fmt: skip
        incident.record_score(unscored("bench"), actor="bench", at=moment)
        incident.route([agency], actor="bench", at=moment)
        if agency is Agency.FIRE:
            incident.acknowledge(agency, actor="bench", at=moment)
        batch.append(incident)
        if len(batch) == 50:
            center.save(*batch)
            batch = []
    if batch:
        center.save(*batch)


def report_body() -> dict[str, Any]:
    return {
        "report_id": str(uuid.uuid4()),
        "channel": "voice",
        "caller_number": "+6281234500000",
        "location": {"lat": -0.4906, "lon": 117.1468, "accuracy_m": 15, "source": "aml"},
        "category": "kebakaran",
        "description": "Rumah terbakar",
    }


def reads(client: TestClient, path: str, headers: dict[str, str], count: int) -> dict[str, Any]:
    walls, cpu_started = [], time.process_time()
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        walls.append(time.perf_counter() - started)
        assert response.status_code == 200, response.text
    cpu = time.process_time() - cpu_started
    return {
        "cpu_ms_per_read": round(cpu / count * 1000, 2),
        "wall_ms_p50": round(statistics.median(walls) * 1000, 2),
    }


def seen_after_write(
    client: TestClient, path: str, headers: dict[str, str], writes: int
) -> dict[str, float]:
    """Median ms, and reads, from a report routed to fire until the board at ``path`` lists it."""
    waits, tries = [], []
    for _ in range(writes):
        made = client.post("/api/reports", json=report_body(), headers=headers).json()
        incident = made["incident"]["id"]
        route = {"agencies": ["fire"]}
        client.post(f"/api/incidents/{incident}/route", json=route, headers=headers)
        started, read = time.perf_counter(), 0
        while True:
            read += 1
            board = client.get(path, headers=headers).json()
            if incident in {i["incident_id"] for i in board["incidents"]}:
                break
            assert time.perf_counter() - started < 30, "never shown"
            time.sleep(0.001)
        waits.append(time.perf_counter() - started)
        tries.append(read)
    return {
        "seen_after_write_ms": round(statistics.median(waits) * 1000, 2),
        "reads_until_seen": statistics.median(tries),
    }


def bench(settings: Settings, history: int, open_: int, count: int, writes: int) -> dict[str, Any]:
    center = DispatchCenter(env=app_env(settings))
    try:
        fill(center, history)
        open_incidents(center, open_)
        head = center.recorder.max_notification_id() or 0
    finally:
        center.close()
    settings = settings.model_copy(update={"watchdog_enabled": False})  # no escalations written
    token = add_token(settings.var_dir / "tokens.json", "supervisor", "bench")
    headers = {"Authorization": f"Bearer {token}"}
    registry = TokenRegistry.load(settings.var_dir / "tokens.json")
    with TestClient(create_app(settings, tokens=registry)) as client:
        projected = "/api/boards/fire?source=projection"
        deadline = time.monotonic() + 600
        while (client.get(projected, headers=headers).json()["position"] or 0) < head:
            assert time.monotonic() < deadline, "the boards projection did not catch up"
            time.sleep(0.2)
        live = client.get("/api/boards/fire", headers=headers).json()
        rows = client.get(projected, headers=headers).json()
        same = [i["incident_id"] for i in live["incidents"]] == [
            i["incident_id"] for i in rows["incidents"]
        ]
        present = reads(client, "/api/boards/fire", headers, count)
        projection = reads(client, projected, headers, count)
        present |= seen_after_write(client, "/api/boards/fire", headers, writes)
        projection |= seen_after_write(client, projected, headers, writes)
        return {
            "events": head,
            "fire_board_incidents": len(live["incidents"]),
            "same_incidents": same,
            "present": present,
            "projection": projection,
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--history", type=int, default=20_000)
    parser.add_argument("--open", type=int, default=300)
    parser.add_argument("--reads", type=int, default=200)
    parser.add_argument("--writes", type=int, default=20)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--database-url", help="PostgreSQL URL to use instead of a fresh one")
    args = parser.parse_args()
    results = {}
    for backend in ["sqlite", "postgres"] if args.backend == "both" else [args.backend]:
        with store(backend, args.database_url) as settings:
            results[backend] = bench(settings, args.history, args.open, args.reads, args.writes)
    machine = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_avg_1m_after": round(os.getloadavg()[0], 2),
    }
    print(json.dumps({"machine": machine, **results}, indent=2))


if __name__ == "__main__":
    main()
