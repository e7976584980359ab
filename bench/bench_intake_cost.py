"""What one report costs at intake, one thread: CPU time and, on PostgreSQL, statements.

Wall-clock rates on a shared machine say more about the neighbours than about intake; CPU
time per report (``time.process_time``: every thread of the process, so scoring's worker and
the present's follower too) and statements sent to PostgreSQL per report (each a round trip;
the pool's pre-ping counts, it is one) do not. Counted by wrapping psycopg's cursor in this
process only. Each backend starts from an empty store; ``--warm`` reports go first.
Prints one JSON object.

    python bench/bench_intake_cost.py --reports 600
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_ingest import a_report, fresh_postgres  # the same reports as the ingest bench

from adapters.center import build_center
from dispatch.settings import Settings

STATEMENTS = [0]


def count_statements() -> None:
    """Count every statement a psycopg cursor of this process sends."""
    execute, executemany = psycopg.Cursor.execute, psycopg.Cursor.executemany

    def counted_execute(self: Any, *args: Any, **kwargs: Any) -> Any:
        STATEMENTS[0] += 1
        return execute(self, *args, **kwargs)

    def counted_executemany(self: Any, *args: Any, **kwargs: Any) -> Any:
        STATEMENTS[0] += 1
        return executemany(self, *args, **kwargs)

    psycopg.Cursor.execute = counted_execute  # type: ignore[method-assign]
    psycopg.Cursor.executemany = counted_executemany  # type: ignore[method-assign]


def measure(settings: Settings, n: int, warm: int) -> dict[str, Any]:
    center = build_center(settings.model_copy(update={"watchdog_enabled": False}))
    try:
        for i in range(warm):
            center.report(a_report(i))
        reports = [a_report(i) for i in range(warm, warm + n)]
        statements, transactions = STATEMENTS[0], center.commits.batches
        started, cpu_started = time.perf_counter(), time.process_time()
        for report in reports:
            center.report(report)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        return {
            "reports": n,
            "cpu_ms_per_report": round(cpu / n * 1000, 3),
            "wall_ms_per_report": round(wall / n * 1000, 3),
            "statements_per_report": round((STATEMENTS[0] - statements) / n, 2),
            "transactions_per_report": round((center.commits.batches - transactions) / n, 3),
        }
    finally:
        center.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reports", type=int, default=600, help="reports measured (600)")
    parser.add_argument("--warm", type=int, default=50, help="reports before measuring (50)")
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
    args = parser.parse_args(argv)
    count_statements()
    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        if "sqlite" in args.backends:
            settings = Settings(database_url=f"sqlite:///{tmp}/events.db", var_dir=Path(tmp))
            result["sqlite"] = measure(settings, args.reports, args.warm)
            del result["sqlite"]["statements_per_report"]  # psycopg only
        if "postgres" in args.backends:
            with fresh_postgres(args.postgres_url) as url:
                settings = Settings(database_url=url, var_dir=Path(tmp))
                result["postgres"] = measure(settings, args.reports, args.warm)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
