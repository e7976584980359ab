"""Intake over HTTP beside the physical limit: the real server, and a bare endpoint.

For each backend (SQLite file, PostgreSQL), in one run on one machine:

* ``server``: the real ``siaga112 serve`` (uvicorn) on a fresh store, CLIENTS concurrent
  clients each POSTing /api/reports back to back for SECONDS, each a call-taker with its own
  operator token (the intake rate limit is per token: one shared token would measure the
  limit, 50 reports/s, not the server), and the body the console sends
  (``simulator.client.report_body``, calls planned by the shift simulator's traffic model
  around the real stations: AML SMS, map points, silent calls, ...).
* ``bare``: the limit of the same stack (uvicorn, FastAPI, a sync route in the thread pool,
  the same clients and bodies) when a POST does nothing but one durable INSERT of its body
  (SQLite WAL with synchronous=FULL; a PostgreSQL commit) and answers 201.
* ``open_loop``: the real server again, reports sent at RATE per second whatever the answers
  (as calls arrive), for OPEN_SECONDS: latency p50/p99 and errors. When RATE is more than the
  server takes, the writes without a slot are shed (``shed``: 503 'overloaded', nothing
  saved, their p99 in ``shed_p99_ms``); an open loop at half the
  closed loop's throughput runs first (``open_loop_half_capacity``).

With ``--workers N`` the server is ``serve --workers N`` (N serving processes on one port),
and the bare endpoint is measured twice: as one process (the goal's reference) and as N
processes on its port (``bare_same_processes``).

Each phase also gives ``server_cpu_ms_per_request``: the CPU time (all threads, and with
workers all processes) the server used per request answered, which shared cores disturb
less than rates do, and ``clients_cpu_ms_per_request``: the clients' (this process's), who
share the machine with the server. The real server's phases also give the bucket bounds of
its own latency histogram (``server_side_p50_ms_at_most``, ``server_side_p99_ms_at_most``,
from ``/metrics``): when the clients are starved of CPU (with ``--workers 2`` on two cores
the server can take both), their latency includes their own delays, and this does not.
``server_share_of_bare`` is the ratio of the two closed-loop throughputs (goal >= 0.6);
the open-loop goal is p99 <= 50 ms at 100 reports/s. Prints one JSON object.

    python bench/bench_http.py [--backend sqlite|postgres|both] [--clients 16] [--seconds 10]
                               [--rate 100] [--open-seconds 10]

PostgreSQL: a fresh database on SIAGA_TEST_DATABASE_URL's server (or the default local one),
dropped afterwards. Keep phases short (<= 20 s) on a shared machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

import httpx
from calibration import calibration_ms
from processes import cpu_seconds

from adapters.auth import add_token
from simulator.client import report_body
from simulator.traffic import Point, TrafficParams, plan_shift
from tests.e2e.server import RunningServer, free_port, running_server, wait_healthy

Body = dict[str, Any]


# ---- the bare endpoint (bench/bare_insert_server.py, a child process) -------------------------


@contextmanager
def bare_server(database: str, processes: int = 1) -> Iterator[tuple[str, list[int]]]:
    """The bare endpoint: one process, or PROCESSES on one port (SO_REUSEPORT)."""
    port = free_port()
    command = [sys.executable, str(Path(__file__).with_name("bare_insert_server.py")), database]
    command += [str(port), *(["--reuse-port"] if processes > 1 else [])]
    started = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        for _ in range(processes)
    ]
    url = f"http://127.0.0.1:{port}"
    try:
        for process in started:
            wait_healthy(url, process)
        yield url, [process.pid for process in started]
    finally:
        for process in started:
            process.terminate()
        for process in started:
            process.wait(timeout=20)


# ---- load ----------------------------------------------------------------------------------------


def report_bodies(stations: list[Body], count: int) -> Iterator[Body]:
    """The console's POST bodies for calls the shift simulator plans, each a new report id."""
    anchors = [Point(s["lat"], s["lon"]) for s in stations]
    plan = plan_shift(TrafficParams(hours=1.0, calls_per_hour=3600.0), anchors, seed=112)
    for n in range(count):
        yield report_body(plan[n % len(plan)], uuid.uuid4())


def summary(
    latencies_ms: list[float], elapsed_s: float, errors: list[str], shed_ms: list[float]
) -> dict[str, Any]:
    ordered, shed = sorted(latencies_ms), sorted(shed_ms)

    def at(q: float, values: list[float] = ordered) -> float | None:
        return round(values[min(len(values) - 1, int(q * len(values)))], 1) if values else None

    return {
        "requests": len(ordered) + len(errors) + len(shed),
        "shed": len(shed),  # 503 'overloaded' (no write slot in time): nothing saved
        "shed_p99_ms": at(0.99, shed),
        "ok": len(ordered),
        "per_s": round(len(ordered) / elapsed_s, 1),
        "p50_ms": at(0.50),
        "p99_ms": at(0.99),
        "errors": len(errors),
        "first_errors": errors[:3],
    }


class Tally:
    """Latencies of the requests answered 201, and what the others got."""

    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.shed: list[float] = []

    async def post(
        self, http: httpx.AsyncClient, path: str, body: Body, headers: dict[str, str]
    ) -> None:
        started = time.monotonic()
        try:
            answer = await http.post(path, json=body, headers=headers)
        except httpx.TimeoutException:
            self.errors.append("no answer within 30 s")
            return
        except httpx.TransportError as error:  # a connection closed under load: counted, not fatal
            self.errors.append(f"{type(error).__name__}: {error}"[:160])
            return
        if answer.status_code == 201:
            self.latencies.append((time.monotonic() - started) * 1000)
        elif answer.status_code == 503 and b'"overloaded"' in answer.content:
            self.shed.append((time.monotonic() - started) * 1000)
        else:
            self.errors.append(f"HTTP {answer.status_code}: {answer.text[:160]}")


async def closed_loop(
    url: str,
    path: str,
    logins: list[dict[str, str]],
    bodies: Iterator[Body],
    clients: int,
    seconds: float,
) -> dict[str, Any]:
    """CLIENTS clients, each sending its next request when the previous one is answered
    (client n with the n-th login, round robin)."""
    tally = Tally()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as http:
        began = time.monotonic()

        async def client(headers: dict[str, str]) -> None:
            while time.monotonic() < began + seconds:
                await tally.post(http, path, next(bodies), headers)

        await asyncio.gather(*(client(logins[n % len(logins)]) for n in range(clients)))
        elapsed = time.monotonic() - began
    result = summary(tally.latencies, elapsed, tally.errors, tally.shed)
    return {"clients": clients, "seconds": round(elapsed, 1), **result}


async def open_loop(
    url: str, logins: list[dict[str, str]], bodies: Iterator[Body], rate: float, seconds: float
) -> dict[str, Any]:
    """Reports sent at RATE per second on schedule, whatever the answers (the call-takers'
    logins in turn)."""
    tally = Tally()
    limits = httpx.Limits(max_connections=500, max_keepalive_connections=100)
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as http:
        began = time.monotonic()
        posts = []
        for n in range(int(rate * seconds)):
            delay = began + n / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            headers = logins[n % len(logins)]
            posts.append(
                asyncio.create_task(tally.post(http, "/api/reports", next(bodies), headers))
            )
        sent_s = time.monotonic() - began
        await asyncio.gather(*posts)
        elapsed = time.monotonic() - began
    result = summary(tally.latencies, elapsed, tally.errors, tally.shed)
    return {"rate_target_per_s": rate, "rate_sent_per_s": round(len(posts) / sent_s, 1), **result}


# ---- one backend ---------------------------------------------------------------------------------


@contextmanager
def fresh_store(backend: str) -> Iterator[str | None]:
    if backend == "sqlite":
        yield None
        return
    from tests.support import fresh_database

    with fresh_database() as url:
        yield url


def call_takers(var: Path, count: int) -> list[dict[str, str]]:
    """COUNT operator tokens, one per call-taker, stored before the server starts: the intake
    rate limit is per token (a runaway client's guard), and a floor of 16 call-takers is 16."""
    tokens_file = var / "tokens.json"
    made = [add_token(tokens_file, "operator", f"bench-{n}") for n in range(count)]
    return [{"Authorization": f"Bearer {token}"} for token in made]


@contextmanager
def real_server(
    var: Path, url: str | None, result: dict[str, Any], workers: int
) -> Iterator[RunningServer]:
    """The real server; one still working off a backlog when stopped is killed (and said)."""
    try:
        with running_server(var, url, workers=workers) as server:
            yield server
    except subprocess.TimeoutExpired:
        result["server_stop"] = "still busy 20 s after SIGINT: killed"


def own_cpu_seconds() -> float:
    """CPU time of this process alone (the clients), not of the servers it started."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def intake_buckets(url: str) -> dict[float, float]:
    """The server's own ``siaga112_intake_seconds`` histogram of reports answered 201, from
    ``/metrics`` (cumulative counts by upper bound, in seconds)."""
    found: dict[float, float] = {}
    for row in httpx.get(f"{url}/metrics", timeout=30).text.splitlines():
        if row.startswith("siaga112_intake_seconds_bucket{") and 'status="201"' in row:
            bound = row.split('le="', 1)[1].split('"', 1)[0]
            found[float(bound)] = float(row.rsplit(" ", 1)[1])
    return found


def at_most_ms(before: dict[float, float], after: dict[float, float], q: float) -> float | None:
    """The bucket bound (ms) under which a share ``q`` of the phase's reports were answered,
    as the server measured them (from its middleware to its answer: not the time a request
    waited to be read, nor the client's own delays)."""
    counts = sorted((bound, after[bound] - before.get(bound, 0.0)) for bound in after)
    total = counts[-1][1] if counts else 0.0
    for bound, count in counts:
        if total and count >= q * total:
            return round(bound * 1000, 1) if bound != float("inf") else None
    return None


def phase(
    result: dict[str, Any],
    backend: str,
    name: str,
    run: Any,
    pids: list[int],
    server_url: str | None = None,
) -> dict[str, Any]:
    """Run one phase's coroutine, keep and show its figures, with the CPU time the server's
    processes used per request answered (a figure that shared cores disturb less than rates)
    and, for the real server, its own latency histogram's p50/p99 bucket bounds."""
    buckets = intake_buckets(server_url) if server_url else {}
    cpu_before, clients_before = cpu_seconds(pids), own_cpu_seconds()
    figures: dict[str, Any] = asyncio.run(run)
    answered = figures["ok"] + figures["errors"]
    cpu = cpu_seconds(pids) - cpu_before
    clients = own_cpu_seconds() - clients_before
    figures["server_cpu_ms_per_request"] = round(cpu * 1000 / answered, 2) if answered else None
    # The clients share the machine: at the bare endpoint's rate they are most of its work
    figures["clients_cpu_ms_per_request"] = (
        round(clients * 1000 / answered, 2) if answered else None
    )
    if server_url:
        later = intake_buckets(server_url)
        figures["server_side_p50_ms_at_most"] = at_most_ms(buckets, later, 0.5)
        figures["server_side_p99_ms_at_most"] = at_most_ms(buckets, later, 0.99)
    result[name] = figures
    print(f"{backend} {name}: {figures}", file=sys.stderr)
    return figures


def bench_backend(backend: str, args: argparse.Namespace) -> dict[str, Any]:
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        logins = call_takers(Path(tmp) / "var", args.clients)
        var = Path(tmp) / "var"
        with fresh_store(backend) as url, real_server(var, url, result, args.workers) as server:
            headers = logins[0]
            stations = httpx.get(f"{server.url}/api/stations", headers=headers).json()["stations"]
            bodies = report_bodies(stations, 10**7)
            for body in [next(bodies) for _ in range(20)]:  # warm: caches, connections
                httpx.post(f"{server.url}/api/reports", json=body, headers=headers, timeout=60)
            closed = closed_loop(
                server.url, "/api/reports", logins, bodies, args.clients, args.seconds
            )
            served = [server.process.pid]
            taken = phase(result, backend, "server", closed, served, server.url)["per_s"]
            if args.half_capacity:  # first: an overloaded open loop leaves a backlog behind
                rate = max(1.0, round(taken / 2))
                half = open_loop(server.url, logins, bodies, rate, args.open_seconds)
                phase(result, backend, "open_loop_half_capacity", half, served, server.url)
            opened = open_loop(server.url, logins, bodies, args.rate, args.open_seconds)
            phase(result, backend, "open_loop", opened, served, server.url)
        bare_runs = {"bare": 1}
        if args.workers > 1:  # the same number of processes as the server, too
            bare_runs["bare_same_processes"] = args.workers
        for name, processes in bare_runs.items():
            with (
                fresh_store(backend) as url,
                bare_server(url or str(Path(tmp) / f"{name}.db"), processes) as (bare, pids),
            ):
                bodies = report_bodies(stations, 10**7)
                for body in [next(bodies) for _ in range(20)]:
                    httpx.post(f"{bare}/bare", json=body, timeout=60)
                loop = closed_loop(bare, "/bare", [{}], bodies, args.clients, args.seconds)
                phase(result, backend, name, loop, pids)
    result["workers"] = args.workers
    for name in bare_runs:
        share = round(result["server"]["per_s"] / result[name]["per_s"], 3)
        result["server_share_of_" + name] = share
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--clients", type=int, default=16, help="closed loop: concurrent clients")
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="serve --workers N (default 1); with more than 1, the bare endpoint is also "
        "measured with as many processes on its port ('server_share_of_bare_same_processes')",
    )
    parser.add_argument("--seconds", type=float, default=10.0, help="closed loop: seconds each")
    parser.add_argument("--rate", type=float, default=100.0, help="open loop: reports per second")
    parser.add_argument("--open-seconds", type=float, default=10.0, help="open loop: seconds")
    parser.add_argument(
        "--no-half-capacity",
        dest="half_capacity",
        action="store_false",
        help="skip the second open loop at half the closed loop's throughput (the latency "
        "of a server that is not overloaded, when RATE is more than it can take)",
    )
    parser.add_argument(
        "--classifier-timeout-ms",
        default="50",
        help="the server's scoring budget (default 50, the product's default; the end-to-end "
        "tests give 2000)",
    )
    args = parser.parse_args(argv)
    os.environ["SIAGA_CLASSIFIER_TIMEOUT_MS"] = args.classifier_timeout_ms
    load_before, calibrated_before = os.getloadavg()[0], calibration_ms()
    results: dict[str, Any] = {}
    for backend in ["sqlite", "postgres"] if args.backend == "both" else [args.backend]:
        results[backend] = bench_backend(backend, args)
    machine = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_avg_1m_before": round(load_before, 2),
        "load_avg_1m_after": round(os.getloadavg()[0], 2),
        "calibration_ms_before": calibrated_before,  # bench/calibration.py: the cores' speed
        "calibration_ms_after": calibration_ms(),
    }
    goals = {"server_share_of_bare": ">= 0.6", "open_loop_p99_ms": "<= 50 at 100/s"}
    print(json.dumps({"goals": goals, "machine": machine, **results}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
