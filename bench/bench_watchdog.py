"""What one escalation check costs with many incidents open: CPU time, one thread, SQLite.

An empty store takes ``--open`` reports (the ingest bench's; each stays open), all at one
moment of a hand-moved clock. Then ``--checks`` checks run 30 s later (nothing due: the
processing target is 60 s), and one more 61 s later, when every incident is due for
NO_UNIT_DISPATCHED. Prints one JSON object: CPU per quiet check (``time.process_time``), its
p50 / max wall time, and the due check's CPU and escalations.

    python bench/bench_watchdog.py --open 1500
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_ingest import a_report  # the same reports as the ingest bench

from adapters.center import build_center, default_router
from adapters.routing import EscalationPolicy
from dispatch.settings import Settings
from dispatch.watchdog import EscalationWatchdog


def measure(opened: int, checks: int) -> dict[str, Any]:
    moment = datetime(2026, 11, 22, 1, 30, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            database_url=f"sqlite:///{tmp}/events.db", var_dir=Path(tmp), watchdog_enabled=False
        )
        center = build_center(settings)
        center.clock = lambda: moment
        try:
            for i in range(opened):
                center.report(a_report(i))
            watchdog = EscalationWatchdog(center, EscalationPolicy(default_router().rules))
            watchdog.check(moment)  # the first check starts following the present
            quiet = moment + timedelta(seconds=30)
            cpu, wall = [], []
            for _ in range(checks):
                started, started_wall = time.process_time(), time.perf_counter()
                assert watchdog.check(quiet) == []
                cpu.append(time.process_time() - started)
                wall.append(time.perf_counter() - started_wall)
            started = time.process_time()
            escalated = watchdog.check(moment + timedelta(seconds=61))
            due_cpu = time.process_time() - started
        finally:
            center.close()
    return {
        "open": opened,
        "checks": checks,
        "quiet_check_cpu_ms": round(1000 * statistics.mean(cpu), 3),
        "quiet_check_wall_ms_p50": round(1000 * statistics.median(wall), 3),
        "quiet_check_wall_ms_max": round(1000 * max(wall), 3),
        "due_check_cpu_ms": round(1000 * due_cpu, 1),
        "escalated": len(escalated),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", type=int, default=1500)
    parser.add_argument("--checks", type=int, default=50)
    args = parser.parse_args()
    print(json.dumps(measure(args.open, args.checks)))


if __name__ == "__main__":
    main()
