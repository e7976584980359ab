"""Rebuild check: every projection replayed from position 0 equals the live one, and a live
row changed behind the projection's back is listed as a difference (SQLite and PostgreSQL)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import NamedTuple

import psycopg
import pytest

from adapters.center import build_center
from adapters.storage import sqlite_sidecar
from dispatch.center import DispatchCenter
from dispatch.settings import Settings
from domain.taxonomy import Agency, Disposition, UnitType
from entrypoints.cli import main
from projections.catalog import CATALOG
from projections.host import ProjectionHost
from replay.log import head, notifications
from replay.rebuild import rebuild_check
from tests.support import AWS, a_report


class Projected(NamedTuple):
    center: DispatchCenter
    open_number: str  # the radio number of the incident left open (it follows today's date)


@pytest.fixture
def projected(any_settings: Settings) -> Iterator[Projected]:
    """A few incidents, the last one left open, with every projection caught up with them."""
    center = build_center(any_settings)
    unit, _ = center.register_unit("F1", "Damkar F1", Agency.FIRE, UnitType.FIRE_ENGINE, "P3", AWS)
    for n in range(3):
        incident = center.report(a_report(caller_number=f"+62813500000{n}")).incident
        center.route(incident.id, [Agency.FIRE], unit_ids=[unit.id] if n == 0 else [])
        if n < 2:
            center.close_incident(incident.id, Disposition.GENUINE, "selesai")
    host = ProjectionHost(any_settings)
    host.start()
    try:
        assert host.wait_until_leading(15)
        for name, spec in CATALOG.items():
            runner = host.runner(name)
            assert runner is not None
            # A projection reads (and tracks) only the event types it handles.
            handled = notifications(center.recorder, topics=spec.projection.topics)
            runner.wait(max(n.id for n in handled), timeout=15)
    finally:
        host.stop()
    yield Projected(center, incident.number)
    center.close()


def change_a_live_board_row(settings: Settings, number: str) -> None:
    """Lower the priority of the open incident's board row, behind the projection's back."""
    statement = "UPDATE {table} SET priority = 'P4' WHERE number = "
    if settings.backend == "sqlite":
        with sqlite3.connect(sqlite_sidecar(settings, "boards")) as conn:
            assert conn.execute(statement.format(table="incidents") + "?", (number,)).rowcount == 1
    else:
        with psycopg.connect(settings.database_url, autocommit=True) as conn:
            sql = statement.format(table="boards_incidents") + "%s"
            assert conn.execute(sql, (number,)).rowcount == 1


def test_every_projection_rebuilt_from_zero_equals_the_live_one(
    any_settings: Settings, projected: Projected
) -> None:
    result = rebuild_check(any_settings)
    assert result["ok"], result
    assert [r["name"] for r in result["projections"]] == list(CATALOG)
    for report in result["projections"]:
        assert report["live_rows"] == report["rebuilt_rows"] > 0
        assert 0 < report["position"] <= head(projected.center.recorder)


@pytest.mark.timeshift
def test_a_live_row_changed_behind_the_projection_is_listed(
    any_settings: Settings, projected: Projected, capsys: pytest.CaptureFixture[str]
) -> None:
    change_a_live_board_row(any_settings, projected.open_number)
    result = rebuild_check(any_settings)
    assert not result["ok"]
    boards = next(r for r in result["projections"] if r["name"] == "boards")
    [difference] = boards["differences"]
    assert difference["table"] == "incidents"
    assert (difference["live"]["priority"], difference["rebuilt"]["priority"]) == ("P4", "P1")
    assert main(["--database-url", any_settings.database_url, "replay", "rebuild-check"]) == 1
    out = capsys.readouterr().out
    assert (
        "boards: " in out and "1 differences" in out and out.rstrip().endswith("DIFFERENCES FOUND")
    )
