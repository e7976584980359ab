"""Soak: a steady load of reports and reads against a real `siaga112 serve` for a long time.

Call-takers file reports at a steady rate (and read the incident list, as the console does)
for ``--seconds`` (30 minutes by default). At the end every report that was answered 201 is
looked up by its incident id: it must be there, with the same report id (lost must be 0).
Prints one JSON object: throughput, latency percentiles, the server's resident memory at the
start and the end, lost reports and server errors.

    python bench/soak.py                      # 30 min on a fresh SQLite store
    python bench/soak.py --seconds 60         # a CI-sized run
    python bench/soak.py --database-url postgresql://postgres@127.0.0.1:5432/soak
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from domain.incident import incident_id_for

SAMARINDA = (-0.4906, 117.1442)  # near RSUD Abdoel Wahab Sjahranie


@dataclass
class Server:
    """A server under soak: its address, an operator token and its process (for RSS)."""

    url: str
    token: str
    pid: int | None


@dataclass
class Tally:
    """What the call-takers saw."""

    created: dict[str, str] = field(default_factory=dict)  # report_id -> incident id
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    transport_errors: int = 0
    refusals: list[str] = field(default_factory=list)  # a few answers other than 2xx
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, status: int, elapsed_s: float) -> None:
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            self.latencies_ms.append(elapsed_s * 1000)


def rss_kib(pid: int | None) -> int | None:
    """Resident memory of a process (Linux /proc), in KiB."""
    if pid is None:
        return None
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def local_server(database_url: str | None, stop: dict[str, Any]) -> Iterator[Server]:
    """`siaga112 demo` and `siaga112 serve` in a fresh folder; stopped afterwards (SIGINT).

    ``stop`` receives how long the server took to exit after SIGINT (``stop_s``); one that has
    not exited after 60 s is killed and ``killed`` says so: a defect the result reports.
    """
    with tempfile.TemporaryDirectory(prefix="siaga-soak-") as var:
        env = {**os.environ, "SIAGA_VAR_DIR": var}
        env["SIAGA_DATABASE_URL"] = database_url or f"sqlite:///{var}/siaga112.db"
        cli = [sys.executable, "-m", "entrypoints.cli"]
        demo = subprocess.run([*cli, "demo"], env=env, capture_output=True, text=True, check=True)
        tokens = dict(line.split(": ", 1) for line in demo.stdout.splitlines() if ": " in line)
        port = free_port()
        serve = [*cli, "serve", "--port", str(port), "--log-level", "warning"]
        process = subprocess.Popen(serve, env=env, stdout=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while not healthy(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the server did not start")
                time.sleep(0.2)
            yield Server(url, tokens["operator"], process.pid)
        finally:
            asked = time.monotonic()
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=60)
                stop.update(stop_s=round(time.monotonic() - asked, 2), killed=False)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
                stop.update(stop_s=None, killed=True)


def healthy(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


def report_body(n: int) -> dict[str, Any]:
    lat, lon = SAMARINDA
    return {
        "report_id": str(uuid.uuid4()),
        "channel": "voice",
        "caller_number": f"+628135{n % 1_000_000:06d}",
        "location": {
            "lat": lat + (n % 50) * 0.001,
            "lon": lon + (n % 37) * 0.001,
            "accuracy_m": 20,
            "source": "aml",
        },
        "category": ["kebakaran", "kecelakaan_lalu_lintas", "medis", "kriminal"][n % 4],
        "description": "Laporan uji beban: kejadian di jalan utama, warga minta bantuan",
        "injuries": n % 3,
        "silent": False,
    }


def call_taker(server: Server, until: float, interval_s: float, tally: Tally, seed: int) -> None:
    headers = {"Authorization": f"Bearer {server.token}"}
    n = seed
    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
        next_at = time.monotonic()
        while (now := time.monotonic()) < until:
            if now < next_at:
                time.sleep(next_at - now)
            next_at += interval_s
            n += 1
            body = report_body(n)
            try:
                started = time.monotonic()
                answer = client.post("/api/reports", json=body)
                tally.record(answer.status_code, time.monotonic() - started)
                with tally.lock:
                    if answer.status_code == 201:
                        tally.created[body["report_id"]] = answer.json()["incident"]["id"]
                    elif answer.status_code >= 300 and len(tally.refusals) < 3:
                        tally.refusals.append(f"{answer.status_code} {answer.text[:300]}")
                if n % 5 == 0:  # the console refreshes its list now and then
                    started = time.monotonic()
                    listed = client.get("/api/incidents")
                    tally.record(listed.status_code, time.monotonic() - started)
            except httpx.TransportError:
                with tally.lock:
                    tally.transport_errors += 1


def lost_reports(server: Server, created: dict[str, str]) -> int:
    """Reports answered 201 that the log does not hold under the id their report id maps to."""
    lost = 0
    headers = {"Authorization": f"Bearer {server.token}"}
    with httpx.Client(base_url=server.url, headers=headers, timeout=30) as client:
        for report_id, incident_id in created.items():
            expected = str(incident_id_for(uuid.UUID(report_id)))
            answer = client.get(f"/api/incidents/{expected}/events")
            if expected != incident_id or answer.status_code != 200 or not answer.json():
                lost += 1
    return lost


def soak(server: Server, seconds: float, rate: float, call_takers: int) -> dict[str, Any]:
    tally = Tally()
    rss_start = rss_kib(server.pid)
    started = time.monotonic()
    until = started + seconds
    threads = [
        threading.Thread(
            target=call_taker, args=(server, until, call_takers / rate, tally, i * 10_000_000)
        )
        for i in range(call_takers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    rss_end = rss_kib(server.pid)
    latencies = sorted(tally.latencies_ms)
    cuts = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    return {
        "seconds": round(elapsed, 1),
        "call_takers": call_takers,
        "target_reports_per_s": rate,
        "reports_created": len(tally.created),
        "requests": len(latencies),
        "throughput_rps": round(len(latencies) / elapsed, 2),
        "reports_per_s": round(len(tally.created) / elapsed, 2),
        "latency_ms": {
            "p50": round(cuts[49], 1),
            "p99": round(cuts[98], 1),
            "max": round(latencies[-1], 1) if latencies else None,
        },
        "rss_kib": {
            "start": rss_start,
            "end": rss_end,
            "growth": (rss_end - rss_start) if rss_start and rss_end else None,
        },
        "statuses": {str(k): v for k, v in sorted(tally.statuses.items())},
        "server_errors_5xx": sum(v for k, v in tally.statuses.items() if k >= 500),
        "transport_errors": tally.transport_errors,
        "lost_reports": lost_reports(server, tally.created),
        "refusals": tally.refusals,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1800.0, help="how long (default 30 min)")
    parser.add_argument("--rate", type=float, default=5.0, help="reports per second, in all")
    parser.add_argument("--call-takers", type=int, default=4, help="concurrent clients")
    parser.add_argument("--database-url", help="store of the server started here (SQLite)")
    parser.add_argument("--url", help="soak a running server instead (needs --token)")
    parser.add_argument("--token", help="an operator token of the server at --url")
    args = parser.parse_args()
    if args.url:
        if not args.token:
            parser.error("--url needs --token")
        result = soak(Server(args.url, args.token, None), args.seconds, args.rate, args.call_takers)
    else:
        stop: dict[str, Any] = {}
        with local_server(args.database_url, stop) as server:
            result = soak(server, args.seconds, args.rate, args.call_takers)
        result["server_stop"] = stop
    print(json.dumps(result, indent=2))
    failed = result["lost_reports"] or result["server_errors_5xx"]
    sys.exit(1 if failed or result.get("server_stop", {}).get("killed") else 0)


if __name__ == "__main__":
    main()
