"""Report → agency websocket delivery: p50/p99 with many connected clients.

Two measurements per backend (SQLite file, PostgreSQL), CLIENTS clients on /ws/agencies/fire:

* ``feed`` — the feed path at RATE reports/s: a server runs in this process (uvicorn) and a
  writer thread saves each report (Reported + Scored + Routed to fire and medical, one
  transaction, as intake does) straight into its event store at its scheduled time (WRITERS
  threads: one PostgreSQL commit takes longer than 5 ms). Latency:
  from just before ``save()`` to the arrival of the incident's ``Routed`` delta at a client
  (clients run in a child process; CLOCK_MONOTONIC is shared). Every client's arrival counts.
* ``http`` — end to end at HTTP_RATE reports/s: ``siaga112 serve`` with auto-route, one
  POST /api/reports per report (open loop), latency from the start of the POST.

The clients offer permessage-deflate as a browser's websocket does (the agency boards), so the
server compresses each message for each client; ``--no-compression`` leaves it out.

Prints ONE JSON object. Localhost only; bounded by --seconds and --drain-s.

    python bench/bench_feeds.py [--backend sqlite|postgres|both] [--rate 200] [--clients 50]
                                [--seconds 5] [--http-rate 50] [--database-url postgresql://...]

PostgreSQL: a fresh database on SIAGA_TEST_DATABASE_URL's server (dropped afterwards), or
--database-url (used as is).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

import httpx
from calibration import calibration_ms
from processes import cpu_seconds
from websockets.asyncio.client import connect

ROUTED = re.compile(r'"event":"Routed","incident":\{"id":"([0-9a-f-]{36})"')


# ---- clients (a child process) ----------------------------------------------------------------


async def listen_all(
    url: str, token: str, clients: int, expected: int, timeout: float, deflate: bool
) -> None:
    """Connect the clients, say "ready", record arrivals, print them as JSON at the end.

    With ``deflate`` each offers permessage-deflate, as browsers (the agency boards) do, and
    the server compresses every message for every client."""
    compression = "deflate" if deflate else None
    arrivals: list[tuple[str, float]] = []
    ready = asyncio.Event()
    connected = [0]
    errors: list[str] = []

    async def one() -> None:
        headers = {"Authorization": f"Bearer {token}"}
        async with connect(
            url, additional_headers=headers, compression=compression, max_size=None
        ) as ws:
            await ws.recv()  # the snapshot
            connected[0] += 1
            if connected[0] == clients:
                ready.set()
            got = 0
            try:
                async for text in ws:
                    found = ROUTED.search(str(text)[:200])
                    if found:
                        arrivals.append((found.group(1), time.monotonic()))
                        got += 1
                        if got >= expected:
                            return
            except Exception as error:  # dropped (e.g. too slow): counted, not fatal
                errors.append(repr(error))

    tasks = [asyncio.create_task(one()) for _ in range(clients)]
    await asyncio.wait_for(ready.wait(), 60)
    print("ready", flush=True)
    await asyncio.wait(tasks, timeout=timeout)
    print(json.dumps({"arrivals": arrivals, "errors": errors}), flush=True)
    os._exit(0)  # do not wait for the remaining sockets' closing handshakes


def start_clients(url: str, token: str, expected: int, args: argparse.Namespace) -> Any:
    command = [sys.executable, __file__, "--listen", url, token, str(args.clients), str(expected)]
    command += [str(args.seconds + args.drain_s), "deflate" if args.compression else "none"]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    line = child.stdout.readline()
    assert line.strip() == "ready", line
    return child


def collect(child: Any) -> dict[str, Any]:
    out, _ = child.communicate(timeout=300)
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


# ---- the feed path: writer in the server's process ---------------------------------------------


def feed_run(backend: str, url: str | None, args: argparse.Namespace) -> dict[str, Any]:
    import uvicorn

    from adapters.auth import add_token
    from dispatch.settings import Settings
    from entrypoints.http.app import create_app
    from tests.e2e.server import free_port

    with tempfile.TemporaryDirectory() as tmp:
        var = Path(tmp)
        settings = Settings(database_url=url or f"sqlite:///{var}/events.db", var_dir=var)
        token = add_token(var / "tokens.json", "agency:fire", "bench")
        app = create_app(settings)
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        total = int(args.rate * args.seconds)
        ws_url = f"ws://127.0.0.1:{port}/ws/agencies/fire"
        child = start_clients(ws_url, token, total, args)
        assert thread.ident is not None
        loop_clock = time.pthread_getcpuclockid(thread.ident)
        [present] = [t for t in threading.enumerate() if t.name == "present"]
        present_cpu = thread_cpu_s(present)
        loop_cpu, cpu = time.clock_gettime(loop_clock), time.process_time()
        sent, sending_s = write_reports(app.state.services.center, total, args.rate, args.writers)
        result = collect(child)
        loop_cpu, cpu = time.clock_gettime(loop_clock) - loop_cpu, time.process_time() - cpu
        present_cpu = thread_cpu_s(present) - present_cpu
        server.should_exit = True
        thread.join(30)
    summary = summarise(sent, result, args.clients, total, sending_s, args.rate)
    deliveries = summary["deliveries"]
    return {
        **summary,
        "process_cpu_s": round(cpu, 2),  # writers, the present, projections and the loop
        "loop_cpu_s": round(loop_cpu, 2),  # the event loop's thread: the websockets
        # the present's follower: applies each event and tells the hub (change, render)
        "present_cpu_ms_per_report": round(present_cpu * 1000 / total, 3),
        "loop_cpu_ms_per_delivery": round(loop_cpu * 1000 / deliveries, 3) if deliveries else None,
    }


def thread_cpu_s(thread: threading.Thread) -> float:
    """CPU seconds a thread of this process has used, from /proc."""
    fields = Path(f"/proc/self/task/{thread.native_id}/stat").read_text().rsplit(")", 1)[1]
    ticks = fields.split()
    return (int(ticks[11]) + int(ticks[12])) / os.sysconf("SC_CLK_TCK")


def write_reports(
    center: Any, total: int, rate: float, writers: int
) -> tuple[dict[str, float], float]:
    """Save ``total`` routed fire reports at ``rate`` per second from ``writers`` threads
    (report n is due at n / rate s); their send times."""
    sent: dict[str, float] = {}
    began = time.monotonic()

    def write(first: int) -> None:
        for n in range(first, total, writers):
            delay = began + n / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            incident = routed_fire(n)
            sent[str(incident.id)] = time.monotonic()
            center.save(incident)

    threads = [threading.Thread(target=write, args=(k,)) for k in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sent, time.monotonic() - began


def routed_fire(n: int) -> Any:
    """A report as intake records it: Reported, Scored and Routed to fire and medical."""
    from dispatch.ports import unscored
    from domain.incident import Incident
    from domain.taxonomy import Agency, Category, Channel, Priority
    from domain.values import Location

    now = datetime.now(UTC)
    incident = Incident(
        report_id=uuid.uuid4(),
        number=f"BEN-20261122-{n:05d}",
        received_at=now,
        channel=Channel.VOICE,
        caller_number=None,
        sim_present=None,
        call_duration_s=None,
        first_speech_s=None,
        silent=None,
        location=Location(-0.4906, 117.1442, 15.0),
        place=None,
        address_text=None,
        category=Category.KEBAKARAN,
        priority=Priority.P1,
        description="Rumah terbakar, api besar",
        persons_involved=None,
        injuries=1,
        hazards=[],
        actor="bench",
        at=now,
    )
    incident.record_score(unscored("bench"), actor="bench", at=now)
    incident.route([Agency.FIRE, Agency.MEDICAL], actor="bench", at=now)
    return incident


# ---- end to end over HTTP ------------------------------------------------------------------


def http_run(backend: str, url: str | None, args: argparse.Namespace) -> dict[str, Any]:
    from tests.e2e.server import running_server

    os.environ["SIAGA_AUTO_ROUTE"] = "true"  # the server's env: one POST reports and routes
    measured: dict[str, Any] = {}
    try:
        with (
            tempfile.TemporaryDirectory() as tmp,
            running_server(Path(tmp) / "var", url, workers=args.workers) as server,
        ):
            total = int(args.http_rate * args.seconds)
            ws_url = server.url.replace("http://", "ws://") + "/ws/agencies/fire"
            token = server.tokens["agency:fire"]
            child = start_clients(ws_url, token, total, args)
            cpu = cpu_seconds([server.process.pid])
            sent, sending_s, post_ms, errors = asyncio.run(
                post_reports(server, total, args.http_rate)
            )
            result = collect(child)
            cpu = cpu_seconds([server.process.pid]) - cpu
            summary = summarise(sent, result, args.clients, total, sending_s, args.http_rate)
            measured = {
                **summary,
                "post_ms": percentiles(sorted(post_ms)),
                "post_errors": len(errors),
                "post_error_examples": errors[:3],
                **cpu_per(cpu, len(sent), summary["deliveries"]),
            }
    except subprocess.TimeoutExpired:  # the server took more than 20 s to stop: say so
        if not measured:
            raise
        measured["server_stop_timed_out"] = True
    return measured


def cpu_per(cpu_s: float, reports: int, deliveries: int) -> dict[str, float | None]:
    """The server's CPU while reports were sent and delivered, in total and per operation."""
    return {
        "server_cpu_s": round(cpu_s, 2),
        "server_cpu_ms_per_report": round(cpu_s * 1000 / reports, 2) if reports else None,
        "server_cpu_ms_per_delivery": round(cpu_s * 1000 / deliveries, 3) if deliveries else None,
    }


async def post_reports(
    server: Any, total: int, rate: float
) -> tuple[dict[str, float], float, list[float], list[str]]:
    sent: dict[str, float] = {}
    post_ms: list[float] = []
    errors: list[str] = []
    headers = {"Authorization": f"Bearer {server.tokens['operator']}"}

    async def post(http: httpx.AsyncClient) -> None:
        body = {
            "report_id": str(uuid.uuid4()),
            "location": {"lat": -0.4906, "lon": 117.1442, "accuracy_m": 15, "source": "aml"},
            "category": "kebakaran",
            "description": "Rumah terbakar, api besar, ada orang terjebak",
            "injuries": 1,
        }
        started = time.monotonic()
        try:
            answer = await http.post("/api/reports", json=body, headers=headers)
        except httpx.HTTPError as error:  # a timeout: counted, the run goes on
            errors.append(repr(error))
            return
        post_ms.append((time.monotonic() - started) * 1000)
        if answer.status_code != 201:
            errors.append(f"HTTP {answer.status_code}: {answer.text[:200]}")
        else:
            sent[answer.json()["incident"]["id"]] = started

    limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
    async with httpx.AsyncClient(base_url=server.url, timeout=60, limits=limits) as http:
        began = time.monotonic()
        posts = []
        for n in range(total):
            delay = began + n / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            posts.append(asyncio.create_task(post(http)))
        await asyncio.gather(*posts)
    return sent, time.monotonic() - began, post_ms, errors


# ---- results ---------------------------------------------------------------------------------


def summarise(
    sent: dict[str, float],
    result: dict[str, Any],
    clients: int,
    total: int,
    sending_s: float,
    rate: float,
) -> dict[str, Any]:
    latencies = sorted(
        (arrived - sent[incident]) * 1000
        for incident, arrived in result["arrivals"]
        if incident in sent
    )
    return {
        "reports": total,
        "rate_target_per_s": rate,
        "rate_achieved_per_s": round(total / sending_s, 1),
        "clients": clients,
        "deliveries_expected": len(sent) * clients,
        "deliveries": len(latencies),
        "delivery_ms": percentiles(latencies),
        "client_errors": len(result["errors"]),
    }


def percentiles(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p95": None, "p99": None, "max": None}

    def at(q: float) -> float:
        return round(values[min(len(values) - 1, int(q * len(values)))], 1)

    return {"p50": at(0.50), "p95": at(0.95), "p99": at(0.99), "max": round(values[-1], 1)}


@contextlib.contextmanager
def database(backend: str, url: str | None) -> Iterator[str | None]:
    if backend == "sqlite":
        yield None
    elif url:
        yield url
    else:
        from tests.support import fresh_database

        with fresh_database() as fresh:
            yield fresh


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--listen":
        feed, token, clients, expected, timeout, compression = sys.argv[2:8]
        deflate = compression == "deflate"
        asyncio.run(listen_all(feed, token, int(clients), int(expected), float(timeout), deflate))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rate", type=float, default=200.0, help="feed path: reports/s")
    parser.add_argument("--http-rate", type=float, default=50.0, help="end to end: reports/s")
    parser.add_argument("--clients", type=int, default=50, help="fire feed clients")
    parser.add_argument("--seconds", type=float, default=5.0, help="how long to send")
    parser.add_argument("--drain-s", type=float, default=15.0, help="wait for late deliveries")
    parser.add_argument("--writers", type=int, default=2, help="feed path: writer threads")
    parser.add_argument("--skip-http", action="store_true", help="only the feed path")
    parser.add_argument("--skip-feed", action="store_true", help="only end to end over HTTP")
    parser.add_argument("--database-url", help="PostgreSQL URL to use instead of a fresh one")
    parser.add_argument(
        "--workers", type=int, default=1, help="end to end: serve --workers N (default 1)"
    )
    parser.add_argument(
        "--no-compression",
        dest="compression",
        action="store_false",
        help="clients do not offer permessage-deflate (browsers do: the default offers it)",
    )
    args = parser.parse_args()
    calibrated_before = calibration_ms()
    results: dict[str, Any] = {}
    for backend in ["sqlite", "postgres"] if args.backend == "both" else [args.backend]:
        results[backend] = {}
        if not args.skip_feed:
            with database(backend, args.database_url) as url:
                results[backend]["feed"] = feed_run(backend, url, args)
        if not args.skip_http:
            with database(backend, args.database_url) as url:
                results[backend]["http"] = http_run(backend, url, args)
    machine = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_avg_1m_after": round(os.getloadavg()[0], 2),
        "calibration_ms_before": calibrated_before,  # bench/calibration.py: the cores' speed
        "calibration_ms_after": calibration_ms(),
    }
    offered = {"permessage_deflate": args.compression, "server_workers": args.workers}
    summary = {"goal": "feed p99 <= 100 ms", "machine": machine, "clients": offered}
    print(json.dumps({**summary, **results}, indent=2))


if __name__ == "__main__":
    main()
