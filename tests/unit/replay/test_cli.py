"""`siaga112 replay …` on a SQLite store, as an auditor would type it."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.center import build_center
from dispatch.center import DispatchCenter
from dispatch.settings import Settings
from domain.taxonomy import Agency
from entrypoints.cli import main
from replay import kpi_report
from tests.support import a_report


@pytest.fixture
def store(sqlite_settings: Settings) -> Iterator[DispatchCenter]:
    center = build_center(sqlite_settings)
    yield center
    center.close()


def run(settings: Settings, *args: str) -> int:
    return main(["--database-url", settings.database_url, "replay", *args])


@pytest.mark.timeshift
def test_timeline_prints_a_table_or_json(
    sqlite_settings: Settings, store: DispatchCenter, capsys: pytest.CaptureFixture[str]
) -> None:
    incident = store.report(a_report()).incident
    store.route(incident.id, [Agency.FIRE])
    assert run(sqlite_settings, "timeline", incident.number) == 0
    table = capsys.readouterr().out
    assert f"Incident {incident.number}" in table and "Routed" in table
    assert run(sqlite_settings, "timeline", str(incident.id), "--json") == 0
    assert [e["type"] for e in json.loads(capsys.readouterr().out)["events"]][-1] == "Routed"


def test_state_as_at_a_position_prints_json(
    sqlite_settings: Settings, store: DispatchCenter, capsys: pytest.CaptureFixture[str]
) -> None:
    incident = store.report(a_report()).incident
    store.route(incident.id, [Agency.FIRE])
    assert run(sqlite_settings, "state", "--position", "3", "--incident", incident.number) == 0
    assert json.loads(capsys.readouterr().out)["incident"]["status"] == "new"
    assert run(sqlite_settings, "state", "--board", "fire") == 0
    board = json.loads(capsys.readouterr().out)["board"]
    assert [i["number"] for i in board["incidents"]] == [incident.number]


def test_an_unknown_incident_is_refused_with_exit_2(
    sqlite_settings: Settings, store: DispatchCenter, capsys: pytest.CaptureFixture[str]
) -> None:
    store.report(a_report())
    assert run(sqlite_settings, "timeline", "SMD-20261122-0404") == 2
    assert "no incident 'SMD-20261122-0404'" in capsys.readouterr().err


def test_checkpoint_then_verify_passes_and_fails_after_tampering(
    sqlite_settings: Settings, store: DispatchCenter, capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in range(3):
        store.report(a_report())  # the day ledger opens, then 3 events per report
    assert run(sqlite_settings, "checkpoint") == 0
    assert "sealed 10 events" in capsys.readouterr().out
    assert run(sqlite_settings, "verify") == 0
    assert capsys.readouterr().out.startswith("OK: 10 events read, 10 sealed")
    with sqlite3.connect(sqlite_settings.sqlite_path) as conn:
        conn.execute("DROP TRIGGER stored_events_no_update")
        conn.execute("UPDATE stored_events SET state = state || x'20' WHERE rowid = 5")
    assert run(sqlite_settings, "verify", "--json") == 1
    result = json.loads(capsys.readouterr().out)
    assert result["first_problem"]["kind"] == "altered"
    assert result["first_problem"]["position"] == 5


@pytest.mark.timeshift
def test_kpi_writes_its_files_and_eido_prints_a_document(
    sqlite_settings: Settings,
    store: DispatchCenter,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    incident = store.report(a_report()).incident
    assert (
        run(
            sqlite_settings,
            "kpi",
            "--from",
            "2000-01-01",
            "--to",
            "2100-01-01",
            "--out",
            str(tmp_path / "kpi"),
        )
        == 0
    )
    assert {p.name for p in (tmp_path / "kpi").iterdir()} >= {"kpi.json", "kpi.csv", "kpi.html"}
    assert "html: " in capsys.readouterr().out
    assert run(sqlite_settings, "eido", incident.number) == 0
    assert json.loads(capsys.readouterr().out)["incidentComponent"]["internalIncidentId"] == (
        incident.number
    )


def test_kpi_reads_the_projection_says_it_is_behind_and_from_log_folds_the_log(
    sqlite_settings: Settings,
    store: DispatchCenter,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # This test reads kpi.json; the PNG charts (0.35 s of CPU per report) are drawn and
    # checked by test_kpi_writes_its_files_and_eido_prints_a_document and test_kpi.py.
    monkeypatch.setattr(kpi_report, "draw_charts", lambda document, out: {})
    # Given calls in the log, and a kpis projection that has not run yet
    store.report(a_report())
    period = ("--from", "2000-01-01", "--to", "2100-01-01")
    # When the report is made from the projection, it says how far behind the log it is
    assert run(sqlite_settings, "kpi", *period, "--out", str(tmp_path / "p")) == 0
    projected = json.loads((tmp_path / "p" / "kpi.json").read_text())
    assert projected["source"]["from"] == "projection"
    assert not projected["source"]["caught_up"] and projected["source"]["events_behind"] >= 1
    assert projected["calls"]["total"] == 0
    # And from the log, every call is there
    assert run(sqlite_settings, "kpi", *period, "--out", str(tmp_path / "l"), "--from-log") == 0
    folded = json.loads((tmp_path / "l" / "kpi.json").read_text())
    assert folded["source"]["from"] == "log" and folded["calls"]["total"] == 1
