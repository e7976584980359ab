"""Ingest benchmark: reports through DispatchCenter beside a raw INSERT + commit loop.

For each backend (SQLite file, PostgreSQL), N reports go through the full intake path
(validation, caller history, scoring, routing advice, number from the node's block, Reported +
Scored saved by group commit) with 1 thread, then with 4. Each thread count starts from an
empty store of its own: advice looks at every open incident (duplicates), so a run that came
after another would read a present twice as large and not be comparable. Beside it, on the
same database server, the physical limit: a plain loop that writes the same rows (a report's
events and, as when every report wrote the day ledger, one ledger-sized row), one durable
transaction per report. Each run also says how many transactions its reports took, how many
ledger blocks, and the process's CPU time per report (every thread: intake, scoring, the
present's follower), which says what a report costs even when the machine is shared.
The process runs on one CPU, as ``serve`` runs a serving process (``--cpu-affinity any``: the
OS places its threads; ``entrypoints/affinity.py`` says why it matters). Prints one JSON
object.

    python bench/bench_ingest.py --reports 2000 --threads 1 4
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, get_args
from urllib.parse import urlparse

import psycopg
from calibration import calibration_ms
from eventsourcing.utils import get_topic

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.center import build_center
from dispatch.center import DispatchCenter
from dispatch.ports import ReportRequest
from dispatch.settings import CpuAffinity, Settings
from domain.ledger import DayLedger
from domain.taxonomy import Category, Channel, LocationSource
from domain.values import Location
from entrypoints.affinity import pin_serving_process
from entrypoints.worker_slot import WorkerSlot

DESCRIPTIONS = [
    "Rumah terbakar di gang sebelah masjid, api besar, ada anak di dalam",
    "Kecelakaan motor dan mobil di Jl. Juanda, satu korban luka di kepala",
    "Bapak pingsan tidak sadar di pasar Segiri, napas lemah",
    "Banjir setinggi lutut masuk rumah warga di Sempaja",
]
CATEGORIES = [Category.KEBAKARAN, Category.KECELAKAAN_LALU_LINTAS, Category.MEDIS, Category.BANJIR]


def a_report(i: int) -> ReportRequest:
    return ReportRequest(
        report_id=uuid.uuid4(),
        channel=Channel.VOICE,
        description=DESCRIPTIONS[i % 4],
        category=CATEGORIES[i % 4],
        caller_number=f"+62812{i % 5000:07d}",
        location=Location(
            -0.50 + (i % 97) * 0.0004, 117.13 + (i % 89) * 0.0004, 20.0, LocationSource.AML
        ),
        injuries=i % 3,
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def run_intake(center: DispatchCenter, n: int, threads: int) -> dict[str, Any]:
    latencies: list[float] = []
    lock = threading.Lock()
    counter = iter(range(n))

    def worker() -> None:
        mine = []
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            started = time.perf_counter()
            center.report(a_report(i))
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(mine)

    batches_before = center.commits.batches
    blocks_before = ledger_blocks(center)
    started, cpu_started = time.perf_counter(), time.process_time()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return {
        "threads": threads,
        "reports": n,
        "reports_per_s": round(n / elapsed, 1),
        "cpu_ms_per_report": round(cpu / n * 1000, 3),
        "transactions": center.commits.batches - batches_before,
        "ledger_blocks": ledger_blocks(center) - blocks_before,
        "p50_ms": round(statistics.median(latencies), 3),
        "p99_ms": round(percentile(latencies, 0.99), 3),
    }


def ledger_blocks(center: DispatchCenter) -> int:
    """Blocks of numbers reserved so far (ledger events other than Opened)."""
    topic = get_topic(DayLedger.BlockReserved)
    return len(center.recorder.select_notifications(0, 1_000_000, topics=[topic]))


def stored_shape(center: DispatchCenter) -> list[list[int]]:
    """Row sizes of each report's transaction, as stored (to replay them raw)."""
    notifications = center.recorder.select_notifications(0, 10_000)
    reported = [n for n in notifications if n.topic.endswith("Incident.Reported")]
    shape = []
    for n in reported[:50]:
        sizes = [len(x.state) for x in notifications if x.originator_id == n.originator_id]
        shape.append([*sizes[:3], 200])  # the incident's events + a ledger-sized row
    return shape


def raw_sqlite(path: Path, shape: list[list[int]], n: int) -> dict[str, Any]:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE raw (originator_id TEXT, version INTEGER, topic TEXT, state BLOB)")
    return _raw_loop(lambda rows: _sqlite_txn(conn, rows), shape, n, close=conn.close)


def _sqlite_txn(conn: sqlite3.Connection, rows: list[tuple[str, int, str, bytes]]) -> None:
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO raw VALUES (?, ?, ?, ?)", rows)
    conn.execute("COMMIT")


def raw_postgres(url: str, shape: list[list[int]], n: int) -> dict[str, Any]:
    conn = psycopg.connect(url)
    conn.execute(
        "CREATE TABLE raw (id bigserial PRIMARY KEY, originator_id uuid, version int, "
        "topic text, state bytea)"
    )
    conn.commit()

    def txn(rows: list[tuple[str, int, str, bytes]]) -> None:
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO raw (originator_id, version, topic, state) VALUES (%s, %s, %s, %s)",
                rows,
            )
        conn.commit()

    return _raw_loop(txn, shape, n, close=conn.close)


def _raw_loop(
    txn: Callable[[list[tuple[str, int, str, bytes]]], None],
    shape: list[list[int]],
    n: int,
    close: Callable[[], None],
) -> dict[str, Any]:
    latencies = []
    started = time.perf_counter()
    for i in range(n):
        sizes = shape[i % len(shape)]
        rows = [(str(uuid.uuid4()), 1, "bench:Raw", os.urandom(size)) for size in sizes]
        t0 = time.perf_counter()
        txn(rows)
        latencies.append((time.perf_counter() - t0) * 1000)
    elapsed = time.perf_counter() - started
    close()
    return {
        "transactions": n,
        "rows_per_transaction": round(statistics.mean(len(s) for s in shape), 2),
        "transactions_per_s": round(n / elapsed, 1),
        "p50_ms": round(statistics.median(latencies), 3),
        "p99_ms": round(percentile(latencies, 0.99), 3),
    }


@contextmanager
def fresh_postgres(admin_url: str) -> Iterator[str]:
    name = f"siaga_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlparse(admin_url)._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def sqlite_stores(tmp: Path) -> Callable[[], AbstractContextManager[Settings]]:
    """Empty SQLite stores, each a file of its own under ``tmp``."""
    runs = iter(range(1_000))

    @contextmanager
    def store() -> Iterator[Settings]:
        folder = tmp / f"run{next(runs)}"
        folder.mkdir()
        yield Settings(database_url=f"sqlite:///{folder}/events.db", var_dir=folder)

    return store


def postgres_stores(admin_url: str) -> Callable[[], AbstractContextManager[Settings]]:
    """Empty PostgreSQL stores, each a database of its own (dropped after)."""

    @contextmanager
    def store() -> Iterator[Settings]:
        with tempfile.TemporaryDirectory() as tmp, fresh_postgres(admin_url) as url:
            yield Settings(database_url=url, var_dir=Path(tmp))

    return store


def bench_backend(
    stores: Callable[[], AbstractContextManager[Settings]], n: int, threads: list[int]
) -> dict[str, Any]:
    """One intake run per thread count, each on an empty store from ``stores``."""
    runs, shape = [], []
    for count in threads:
        with stores() as settings:
            center = build_center(settings.model_copy(update={"watchdog_enabled": False}))
            try:
                center.report(a_report(0))  # warm: router indexes, connections
                runs.append(run_intake(center, n, count))
                shape = stored_shape(center)
            finally:
                center.close()
    return {"intake": runs, "shape_rows": shape[0]}


def store_options(parser: argparse.ArgumentParser) -> None:
    """The options of the intake benches: backends, PostgreSQL admin URL, CPU placement."""
    parser.add_argument(
        "--backends", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"]
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "SIAGA_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
        help="an admin URL; a fresh database is created and dropped",
    )
    parser.add_argument(
        "--cpu-affinity",
        choices=get_args(CpuAffinity),
        default="one",
        help="one (default): this process on one CPU, as serve runs a serving process "
        "(SIAGA_CPU_AFFINITY); any: the OS places its threads",
    )


def place_this_process(args: argparse.Namespace) -> dict[str, Any]:
    """Pin this process as ``--cpu-affinity`` says; what the JSON says of it."""
    cpu = pin_serving_process(args.cpu_affinity, WorkerSlot())
    return {"cpu_affinity": args.cpu_affinity, "cpu": cpu}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=2000, help="reports per run (default 2000)")
    parser.add_argument(
        "--threads", type=int, nargs="+", default=[1, 4], help="intake threads (default 1 4)"
    )
    store_options(parser)
    args = parser.parse_args(argv)
    placed = place_this_process(args)
    calibrated_before = calibration_ms()
    result: dict[str, Any] = {"reports": args.reports, **placed}
    if "sqlite" in args.backends:
        with tempfile.TemporaryDirectory() as tmp:
            result["sqlite"] = bench_backend(sqlite_stores(Path(tmp)), args.reports, args.threads)
            shape = [result["sqlite"].pop("shape_rows")]
            result["sqlite"]["raw_limit"] = raw_sqlite(Path(tmp) / "raw.db", shape, args.reports)
    if "postgres" in args.backends:
        stores = postgres_stores(args.postgres_url)
        result["postgres"] = bench_backend(stores, args.reports, args.threads)
        shape = [result["postgres"].pop("shape_rows")]
        with fresh_postgres(args.postgres_url) as url:
            result["postgres"]["raw_limit"] = raw_postgres(url, shape, args.reports)
    for backend in ("sqlite", "postgres"):
        if backend in result:
            limit = result[backend]["raw_limit"]["transactions_per_s"]
            for run in result[backend]["intake"]:
                run["share_of_raw_limit"] = round(run["reports_per_s"] / limit, 3)
    # bench/calibration.py: how fast the cores were, before and after
    result["calibration_ms"] = {"before": calibrated_before, "after": calibration_ms()}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
