"""What advice costs per report as open incidents pile up: CPU time, one thread, SQLite.

For each ``--open`` count, an empty store first takes that many reports (each stays open),
then ``--reports`` more are timed: CPU time (``time.process_time``) spent in the advisor's
``advise`` and in the whole report. The reports are those of the ingest bench: they cluster in
a few square kilometres, so the number of matching open incidents grows with the open
incidents; it is printed (``matches_per_report``) with the suggestions shown, the best few.
Prints one JSON object.

    python bench/bench_advice_cost.py --open 0 1000 3000
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_ingest import a_report  # the same reports as the ingest bench

from adapters.center import build_center, default_router
from adapters.routing import Recommendation
from adapters.routing_adapter import RoutingAdvisor
from dispatch.ports import Fleet
from dispatch.settings import Settings
from domain.incident import Incident


class TimedAdvisor(RoutingAdvisor):
    """The advisor intake uses, adding up the CPU time of each ``advise``."""

    spent_s = 0.0
    suggestions = 0
    matches = 0

    def advise(self, incident: Incident, *, fleet: Fleet, at: datetime) -> Recommendation:
        started = time.process_time()
        advice = super().advise(incident, fleet=fleet, at=at)
        self.spent_s += time.process_time() - started
        self.suggestions += len(advice.duplicates)
        self.matches += advice.duplicates_total
        return advice


def measure(opened: int, n: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            database_url=f"sqlite:///{tmp}/events.db", var_dir=Path(tmp), watchdog_enabled=False
        )
        advisor = TimedAdvisor(default_router())
        center = build_center(settings, geography=advisor, advisor=advisor)
        try:
            for i in range(opened):
                center.report(a_report(i))
            reports = [a_report(i) for i in range(opened, opened + n)]
            advisor.spent_s, advisor.suggestions, advisor.matches = 0.0, 0, 0
            started = time.process_time()
            for report in reports:
                center.report(report)
            cpu = time.process_time() - started
        finally:
            center.close()
    return {
        "open_incidents": opened,
        "reports": n,
        "advice_cpu_ms_per_report": round(advisor.spent_s / n * 1000, 3),
        "report_cpu_ms_per_report": round(cpu / n * 1000, 3),
        "suggestions_per_report": round(advisor.suggestions / n, 1),
        "matches_per_report": round(advisor.matches / n, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--open", type=int, nargs="+", default=[0, 1000, 3000], help="open incidents (0 1000 3000)"
    )
    parser.add_argument("--reports", type=int, default=300, help="reports timed at each (300)")
    args = parser.parse_args(argv)
    print(json.dumps({"sqlite": [measure(opened, args.reports) for opened in args.open]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
