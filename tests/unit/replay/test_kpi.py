"""The KPI report: volumes, dispositions, NFPA 1225 measures, verification waits, files."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from dispatch.center import DispatchCenter
from replay.kpi import percentile, report
from replay.kpi_report import write_report
from tests.support import FakeClock
from tests.unit.replay.conftest import a_day

pytestmark = pytest.mark.timeshift  # KPIs by local (WITA) day and hour

WITA = ZoneInfo("Asia/Makassar")
DAY = (datetime(2026, 11, 22, tzinfo=WITA), datetime(2026, 11, 23, tzinfo=WITA))


@pytest.fixture
def day_report(center: DispatchCenter, clock: FakeClock) -> dict[str, Any]:
    a_day(center, clock)
    return report(center, *DAY)


def test_percentiles_use_the_nearest_rank() -> None:
    values = [float(v) for v in range(1, 11)]
    assert (percentile(values, 50), percentile(values, 90), percentile(values, 100)) == (5, 9, 10)
    assert percentile([], 90) is None


def test_calls_are_counted_by_category_kecamatan_and_local_hour(day_report: dict[str, Any]) -> None:
    calls = day_report["calls"]
    assert calls["total"] == 3
    assert calls["by_category"] == {"kebakaran": 3}
    assert sum(calls["by_kecamatan"].values()) == 3
    assert calls["by_hour"]["09"] == 3 and calls["by_hour"]["01"] == 0  # 01:30 UTC = 09:30 WITA


def test_fire_processing_times_give_p50_p90_and_the_percentage_within_60_seconds(
    day_report: dict[str, Any],
) -> None:
    fire = day_report["nfpa1225"]["by_agency"]["fire"]
    assert fire["routed"] == 2
    assert fire["processing"] == {
        "count": 2,
        "timed": 2,
        "missed": 0,
        "pending": 0,
        "p50_s": 40.0,
        "p90_s": 90.0,
        "max_s": 90.0,
        "target_s": 60.0,
        "within_target": 1,
        "percent_within_target": 50.0,
        "status": "fail",
    }
    assert (fire["acknowledgement"]["p50_s"], fire["acknowledgement"]["p90_s"]) == (20.0, 30.0)
    assert fire["on_scene"]["count"] == 1 and fire["on_scene"]["p90_s"] == 380.0
    assert day_report["nfpa1225"]["by_agency"]["all"]["processing"]["p90_s"] == 90.0


def test_false_call_shares_are_given_by_disposition(day_report: dict[str, Any]) -> None:
    dispositions = day_report["dispositions"]
    assert (dispositions["closed"], dispositions["open"]) == (2, 1)
    assert dispositions["shares"]["prank"] == {"count": 1, "percent": 50.0}
    assert dispositions["shares"]["genuine"] == {"count": 1, "percent": 50.0}
    assert dispositions["shares"]["silent"] == {"count": 0, "percent": 0.0}


def test_the_verification_queue_wait_runs_from_flag_to_verification(
    day_report: dict[str, Any],
) -> None:
    queue = day_report["verification_queue"]
    assert (queue["flagged"], queue["resolved"], queue["still_waiting"]) == (1, 1, 0)
    assert queue["wait"]["p50_s"] == 120.0


def test_incidents_received_outside_the_period_are_left_out(
    center: DispatchCenter, clock: FakeClock
) -> None:
    a_day(center, clock)
    later = report(center, datetime(2026, 11, 23, tzinfo=WITA), datetime(2026, 11, 24, tzinfo=WITA))
    assert later["calls"]["total"] == 0
    assert later["nfpa1225"]["by_agency"] == {}


def test_the_report_is_written_as_json_csv_charts_and_html(
    day_report: dict[str, Any], tmp_path: Path
) -> None:
    paths = write_report(day_report, tmp_path / "kpi")
    assert json.loads(paths["json"].read_text())["calls"]["total"] == 3
    rows = list(csv.DictReader(paths["csv"].open()))
    p90 = [
        r for r in rows if (r["group"], r["key"], r["metric"]) == ("fire", "processing", "p90_s")
    ]
    assert [r["value"] for r in p90] == ["90.0"]
    charts = [p for name, p in paths.items() if name.startswith("chart:")]
    assert len(charts) == 7  # counts by hour, category, disposition, reason; one per measure
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in charts)
    html = paths["html"].read_text()
    assert html.count("data:image/png;base64,") == 7 and "NFPA 1225" in html
