"""Start-up time and resident memory of a real server over a long log, beside an empty store.

For the empty store and each size, the store is built, then ``siaga112 serve`` is started and
the seconds until ``/healthz`` answers 200 and the server's resident memory (VmRSS from /proc)
are measured:

- ``cold``: the first start over the store (no checkpoint of the present yet: it replays the
  log from position 0 and writes one); the bench then waits for the projections to reach the
  head, as a server that has been running would have, and stops it (SIGTERM);
- ``warm``: the starts after that (``--rounds``, interleaved between the stores so that the
  shared machine's load falls on all alike; medians), from the present's checkpoint and the
  log's tail: the start a running center makes after a deploy or a crash. Memory is read at
  the first 200 and again after ``--settle`` seconds.

Besides the seconds until 200 (which a loaded machine stretches), the JSON gives the CPU
seconds the server used until then (``cpu_s``, from /proc) and what the present reported in
``/healthz``: the checkpoint position it started from and its own start time.

The watchdog is off in every store alike (year-old open incidents would keep it writing
escalations through each start).

The log is written through the application's own save, in batches of incidents (one
transaction each), with realistic events: each incident is reported, scored, routed,
acknowledged and given notes (10 events an incident); ``--open`` of them stay open (30 % of
the 100k-event store's incidents by default; the same number in the larger stores, since
open work does not grow with history), the others are closed. Incidents come every
``--spacing`` seconds (300 a day by default), from a pool of 20 000 caller numbers.

    python bench/bench_startup.py --sizes 100000            # ~1 min on 2 cores
    python bench/bench_startup.py --sizes 100000,1000000    # the 1M build takes minutes

To build on a busy machine and measure later on a quiet one (the stores stay in ``--dir``):

    python bench/bench_startup.py --sizes 100000,1000000 --dir /tmp/stores --build-only
    python bench/bench_startup.py --sizes 100000,1000000 --dir /tmp/stores --reuse

Progress goes to stderr, the JSON result to stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import httpx

from adapters.storage import event_store_env
from dispatch.center import DispatchCenter
from dispatch.ports import unscored
from dispatch.settings import Settings
from domain.incident import Incident
from domain.taxonomy import Agency, Category, Channel, Disposition, Priority
from domain.values import Location

EVENTS_PER_INCIDENT = 10
BATCH = 100
CALLERS = 20_000
START = datetime(2025, 1, 1, tzinfo=UTC)
AGENCIES = [Agency.FIRE, Agency.POLICE, Agency.MEDICAL]
CATEGORIES = [Category.KEBAKARAN, Category.KECELAKAAN_LALU_LINTAS, Category.KRIMINAL]


def say(text: str) -> None:
    """Progress, on stderr."""
    print(f"[bench_startup {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def an_incident(k: int, closed: bool, spacing_s: float, rng: random.Random) -> Incident:
    """One incident's life: reported, scored, routed, acknowledged, notes, closed or not."""
    at = START + timedelta(seconds=k * spacing_s)
    agency = rng.choice(AGENCIES)
    incident = Incident(
        report_id=uuid4(),
        number=f"BEN-{k:07d}",
        received_at=at,
        channel=Channel.VOICE,
        caller_number=f"+62811{rng.randrange(CALLERS):07d}",
        sim_present=True,
        call_duration_s=60.0,
        first_speech_s=1.5,
        silent=False,
        location=Location(-0.50 + rng.random() * 0.05, 117.12 + rng.random() * 0.05, 20.0),
        place=None,
        address_text="Jl. Contoh",
        category=rng.choice(CATEGORIES),
        priority=Priority.P2,
        description="Laporan uji beban: kejadian di jalan utama, butuh bantuan segera",
        persons_involved=2,
        injuries=0,
        hazards=[],
        actor="bench",
        at=at,
    )
    incident.record_score(unscored("bench"), actor="system:classifier", at=at)
    incident.route([agency], actor="operator:bench", at=at + timedelta(seconds=40))
    incident.acknowledge(agency, actor="agency:bench", at=at + timedelta(seconds=70))
    notes = 5 if closed else 6
    for j in range(notes):
        note_at = at + timedelta(seconds=100 + 60 * j)
        incident.add_note(f"catatan {j}", actor="operator:bench", at=note_at)
    if closed:
        incident.close(
            Disposition.GENUINE, "selesai", actor="operator:bench", at=at + timedelta(hours=1)
        )
    return incident


def build(settings: Settings, events: int, open_count: int, spacing_s: float) -> dict[str, Any]:
    """Write ``events`` events (``events / 10`` incidents) through the application's save."""
    incidents = events // EVENTS_PER_INCIDENT
    rng = random.Random(events)
    open_ids = set(rng.sample(range(incidents), min(open_count, incidents)))
    center = DispatchCenter(env=event_store_env(settings))
    started = time.perf_counter()
    try:
        batch: list[Incident] = []
        for k in range(incidents):
            batch.append(an_incident(k, k not in open_ids, spacing_s, rng))
            if len(batch) == BATCH or k == incidents - 1:
                center.save(*batch)
                batch = []
            if (k + 1) % 5_000 == 0:
                rate = (k + 1) * EVENTS_PER_INCIDENT / (time.perf_counter() - started)
                say(f"built {(k + 1) * EVENTS_PER_INCIDENT:,} of {events:,} events ({rate:,.0f}/s)")
        head = center.recorder.max_notification_id() or 0
    finally:
        center.close()
    return {
        "events": head,
        "incidents": incidents,
        "open": len(open_ids),
        "build_s": round(time.perf_counter() - started, 1),
    }


def rss_mib(pid: int) -> float:
    """Resident memory of a process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(f"no VmRSS for {pid}")


def cpu_s(pid: int) -> float:
    """CPU seconds a process has used (user and system), from /proc: on a shared machine,
    what the start cost, whatever else ran meanwhile."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return round((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"), 2)


def serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    """``siaga112 serve`` as an operator starts it."""
    command = [sys.executable, "-m", "entrypoints.cli", "serve", "--port", str(port)]
    return subprocess.Popen(
        [*command, "--log-level", "warning"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def until_healthy(url: str, process: subprocess.Popen[bytes], timeout_s: float) -> dict[str, Any]:
    """Poll /healthz every 50 ms until it answers 200; its body."""
    deadline = time.perf_counter() + timeout_s
    while time.perf_counter() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            answer = httpx.get(f"{url}/healthz", timeout=1.0)
            if answer.status_code == 200:
                body: dict[str, Any] = answer.json()
                return body
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"/healthz not 200 within {timeout_s} s")


def projections_caught_up(url: str) -> bool:
    """Whether every projection has handled every event of its topics (from /metrics)."""
    lags = [
        float(line.rsplit(" ", 1)[1])
        for line in httpx.get(f"{url}/metrics", timeout=30).text.splitlines()
        if line.startswith("siaga112_projection_lag_events{")
    ]
    return bool(lags) and all(lag == 0 for lag in lags)


def start_once(env: dict[str, str], settle_s: float, wait_projections_s: float) -> dict[str, Any]:
    """Start the server, measure, optionally wait for the projections, stop it."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    process = serve(env, port)
    try:
        body = until_healthy(url, process, timeout_s=600)
        result: dict[str, Any] = {
            "healthz_s": round(time.perf_counter() - started, 2),
            "cpu_s": cpu_s(process.pid),
            "rss_mib": rss_mib(process.pid),
            "position": body["position"],
        }
        present = body.get("feeds") or {}
        for key in ("started_from", "start_s", "incidents"):
            result[f"present_{key}"] = present.get(key)
        time.sleep(settle_s)
        result["rss_settled_mib"] = rss_mib(process.pid)
        if wait_projections_s:
            deadline = time.perf_counter() + wait_projections_s
            while not projections_caught_up(url):
                if time.perf_counter() > deadline:
                    say("projections still catching up; stopping anyway")
                    break
                time.sleep(1.0)
            result["projections_caught_up_s"] = round(time.perf_counter() - started, 1)
        return result
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def prepare(
    args: argparse.Namespace, root: Path, events: int
) -> tuple[dict[str, str], dict[str, Any]]:
    """Build a store of ``events`` events; its server environment and what was built."""
    var_dir = root / f"store-{events}"
    url = f"sqlite:///{var_dir}/siaga112.db"
    env = {**os.environ, "SIAGA_VAR_DIR": str(var_dir), "SIAGA_DATABASE_URL": url}
    # Year-old open incidents would keep the watchdog writing escalations through every start.
    env["SIAGA_WATCHDOG_ENABLED"] = "false"
    marker = var_dir / "built.json"
    if args.reuse and marker.exists():
        say(f"reusing the store of {events:,} events in {url}")
        reused: dict[str, Any] = json.loads(marker.read_text())
        reused["reused"] = True
        return env, reused
    var_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "entrypoints.cli", "demo"], env=env, check=True, capture_output=True
    )
    say(f"building {events:,} events in {url}")
    settings = Settings(database_url=url, var_dir=var_dir)
    built = build(settings, events, args.open, args.spacing) if events else {"events": 0}
    return env, built


def remember(root: Path, events: int, built: dict[str, Any]) -> None:
    """Write what was built (and its cold start) beside the store, for ``--reuse``."""
    (root / f"store-{events}" / "built.json").write_text(json.dumps(built))


def median(values: list[float]) -> float:
    """The middle value (the lower of the two middle ones)."""
    return sorted(values)[(len(values) - 1) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000", help="event counts, comma-separated")
    parser.add_argument("--open", type=int, default=3_000, help="incidents left open")
    parser.add_argument("--spacing", type=float, default=288.0, help="seconds between calls")
    parser.add_argument("--settle", type=float, default=5.0, help="seconds before RSS again")
    parser.add_argument("--rounds", type=int, default=3, help="warm starts of each store")
    parser.add_argument(
        "--wait-projections", type=float, default=900.0, help="at most, after the cold start"
    )
    parser.add_argument("--dir", type=Path, help="where the stores go (default: a temp dir)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse stores already built (and cold-started) in --dir; measure warm starts only",
    )
    parser.add_argument(
        "--build-only", action="store_true", help="build and cold-start the stores, then stop"
    )
    args = parser.parse_args()
    if args.reuse and not args.dir:
        parser.error("--reuse needs --dir (the stores of an earlier run)")
    sizes = [0, *(int(s) for s in args.sizes.split(",") if s)]
    root = args.dir or Path(tempfile.mkdtemp(prefix="bench-startup-"))
    stores: dict[int, tuple[dict[str, str], dict[str, Any]]] = {}
    for events in sizes:
        env, built = prepare(args, root, events)
        if "cold" not in built:
            say(f"cold start over {built['events']:,} events")
            built["cold"] = start_once(env, args.settle, args.wait_projections)
            remember(root, events, built)
        built["warm_runs"] = []
        stores[events] = env, built
    if args.build_only:
        say(f"stores built in {root}; measure them with --reuse --dir {root}")
        return
    for round_ in range(args.rounds):  # interleaved, so the machine's load falls on all alike
        for env, built in stores.values():
            say(f"warm start {round_ + 1}/{args.rounds} over {built['events']:,} events")
            built["warm_runs"].append(start_once(env, args.settle, 0))
    for _, built in stores.values():
        runs = built["warm_runs"]
        built["warm"] = {
            key: median([r[key] for r in runs])
            for key in ("healthz_s", "cpu_s", "rss_mib", "rss_settled_mib")
        }
    empty = stores[0][1]["warm"]
    results: dict[str, Any] = {
        "bench": "startup",
        "backend": "sqlite",
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "empty": stores[0][1],
        "sizes": {},
        "targets": {"healthz_s": 5.0, "rss_vs_empty": 1.5},
    }
    for events in sizes[1:]:
        found = stores[events][1]
        for run in (found["cold"], found["warm"]):
            run["rss_vs_empty"] = round(run["rss_settled_mib"] / empty["rss_settled_mib"], 2)
            run["healthz_vs_empty"] = round(run["healthz_s"] / empty["healthz_s"], 2)
            run["cpu_vs_empty"] = round(run["cpu_s"] / empty["cpu_s"], 2)
        found["meets_targets"] = (
            found["warm"]["healthz_s"] <= 5.0 and found["warm"]["rss_vs_empty"] <= 1.5
        )
        results["sizes"][str(events)] = found
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
