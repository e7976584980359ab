"""What one report costs at intake, one thread: CPU time and, on PostgreSQL, statements.

Wall-clock rates on a shared machine say more about the neighbours than about intake; CPU
time per report (``time.process_time``: every thread of the process, so scoring's worker and
the present's follower too) and statements sent to PostgreSQL per report (each a round trip;
the pool's pre-ping counts, it is one) do not. Counted by wrapping psycopg's cursor in this
process only. Each backend starts from an empty store; ``--warm`` reports go first.

``steps_cpu_ms_per_report`` says where that CPU time goes, step by step: reading the log
(the present's refresh, once per report), placing the caller (geography), scoring (the
classifier, with its worker thread), advice (routing: stations, units, duplicates), saving
(group commit: the library's save and the commit) and the rest (validation, numbering,
building the incident's events). Each step is timed around the center's own port or
component for this one center (``time.process_time``, so a step run in a worker thread
counts), never inside them. The steps together are the least a report can cost unless one
of them gets cheaper: ``bench_ingest.py``'s raw commit loop shows what the store allows.
The process runs on one CPU, as ``serve`` runs a serving process (``--cpu-affinity any``: the
OS places its threads). Prints one JSON object.

    python bench/bench_intake_cost.py --reports 600
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_ingest import (
    a_report,
    fresh_postgres,
    place_this_process,
    store_options,
)  # the same reports as the ingest bench

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


class StepClock:
    """CPU time spent in named steps (several calls add up), by wrapping bound methods of
    one center's components on the instance: nothing else is changed."""

    def __init__(self) -> None:
        self.cpu_s: dict[str, float] = {}

    def time(self, step: str, owner: object, *methods: str) -> None:
        """Count ``owner``'s ``methods`` as ``step`` (none when the center lacks the component;
        a method it does not have is an error, never a step silently counted as zero)."""
        self.cpu_s.setdefault(step, 0.0)
        for name in methods if owner is not None else ():
            setattr(owner, name, self._timed(step, getattr(owner, name)))

    def _timed(self, step: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.process_time()
            try:
                return method(*args, **kwargs)
            finally:
                self.cpu_s[step] += time.process_time() - started

        return timed

    def reset(self) -> None:
        """Start counting again from zero."""
        self.cpu_s = dict.fromkeys(self.cpu_s, 0.0)


def measure(settings: Settings, n: int, warm: int) -> dict[str, Any]:
    center = build_center(settings.model_copy(update={"watchdog_enabled": False}))
    steps = StepClock()
    steps.time("read_log", center.present, "refresh")
    steps.time("locate", center.geography, "locate", "resolve_kelurahan", "parse_aml")
    steps.time("score", center.scoring, "score_report")
    steps.time("advise", center.advisor, "advise")
    steps.time("save", center.commits, "save")
    try:
        for i in range(warm):
            center.report(a_report(i))
        reports = [a_report(i) for i in range(warm, warm + n)]
        statements, transactions = STATEMENTS[0], center.commits.batches
        steps.reset()
        started, cpu_started = time.perf_counter(), time.process_time()
        for report in reports:
            center.report(report)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        per_step = {step: round(s / n * 1000, 3) for step, s in steps.cpu_s.items()}
        per_step["rest"] = round((cpu - sum(steps.cpu_s.values())) / n * 1000, 3)
        return {
            "reports": n,
            "cpu_ms_per_report": round(cpu / n * 1000, 3),
            "steps_cpu_ms_per_report": per_step,
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
    store_options(parser)
    args = parser.parse_args(argv)
    placed = place_this_process(args)
    count_statements()
    result: dict[str, Any] = dict(placed)
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
