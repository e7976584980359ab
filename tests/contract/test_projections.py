"""One contract for every projection, on SQLite and on PostgreSQL: rows, position, restart,
one transaction for rows and tracking, rebuild, and one runner per store."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from eventsourcing.persistence import OperationalError

from adapters.center import build_center
from dispatch.center import DispatchCenter
from dispatch.settings import Settings
from domain.taxonomy import Agency, Category, Disposition, UnitStatus, UnitType
from projections.boards import STACKED_CALLS, BoardsView
from projections.callers import CallersView
from projections.catalog import CATALOG
from projections.host import ProjectionHost
from projections.kpis import KpisView
from projections.postgres_views import PostgresRowView
from projections.rebuild import rebuild_and_diff
from projections.tables import RowView
from tests.support import AWS, FakeClock, a_report

CALLER = "+6281350009999"


@pytest.fixture
def center(any_settings: Settings) -> Iterator[DispatchCenter]:
    built = build_center(any_settings)
    built.clock = FakeClock()
    yield built
    built.close()


@pytest.fixture
def host(any_settings: Settings) -> Iterator[ProjectionHost]:
    running = ProjectionHost(any_settings, poll_s=0.05)
    running.start()
    assert running.wait_until_leading(15)
    yield running
    running.stop()


def caught_up(host: ProjectionHost, center: DispatchCenter) -> dict[str, RowView]:
    """Every projection's view once it has processed every event it reads (a runner that
    failed and was restarted by the host is followed to its successor)."""
    views = {}
    for name, spec in CATALOG.items():
        handled = center.recorder.select_notifications(
            start=0, limit=1_000_000, topics=spec.projection.topics
        )
        target = handled[-1].id if handled else 0
        deadline = time.monotonic() + 20
        while True:
            runner = host.runner(name)
            if runner is not None and runner.view.wait_for(target, timeout=0.2):
                break
            assert time.monotonic() < deadline, host.health()
            time.sleep(0.05)
        views[name] = runner.view
    return views


def scenario(center: DispatchCenter) -> dict[str, Any]:
    """Fire and medical on one incident (acknowledged, dispatched), a police one, closures."""
    clock = center.clock
    assert isinstance(clock, FakeClock)
    engine, _ = center.register_unit(
        "F1", "Damkar F1", Agency.FIRE, UnitType.FIRE_ENGINE, "P3", AWS
    )
    blaze = center.report(a_report(caller_number=CALLER)).incident
    clock.advance(40)
    center.route(blaze.id, [Agency.FIRE, Agency.MEDICAL])
    clock.advance(20)
    center.acknowledge(blaze.id, Agency.FIRE)
    clock.advance(30)
    center.assign_unit(blaze.id, engine.id)
    center.update_unit_status(engine.id, UnitStatus.EN_ROUTE)
    theft = center.report(a_report(category=Category.KRIMINAL)).incident
    center.route(theft.id, [Agency.POLICE])
    clock.advance(60)
    prank = center.report(a_report(caller_number=CALLER)).incident
    center.close_incident(prank.id, Disposition.PRANK, "iseng")
    clock.advance(60)
    return {"engine": engine.id, "blaze": blaze.id, "theft": theft.id, "prank": prank.id}


def test_boards_show_each_agencys_active_incidents_with_its_own_timers_and_its_units(
    center: DispatchCenter, host: ProjectionHost
) -> None:
    ids = scenario(center)
    view = caught_up(host, center)["boards"]
    assert isinstance(view, BoardsView)

    position, fire, fire_units = view.board("fire")
    _, medical, _ = view.board("medical")
    _, police, _ = view.board("police")

    assert position is not None and position > 0
    assert [i["incident_id"] for i in fire] == [str(ids["blaze"])]
    assert [i["incident_id"] for i in police] == [str(ids["theft"])]
    assert fire[0]["status"] == "dispatched" and fire[0]["units"][0]["callsign"] == "Damkar F1"
    assert fire[0]["acknowledged_at"] is not None and medical[0]["acknowledged_at"] is None
    assert [(u["code"], u["status"]) for u in fire_units] == [("F1", "en_route")]


def test_a_second_callers_words_reach_the_board_of_the_primarys_agencies_only(
    any_settings: Settings, center: DispatchCenter, host: ProjectionHost
) -> None:
    ids = scenario(center)
    second = center.report(
        a_report(caller_number="+6281350002222", description="korban tidak bernapas", injuries=2)
    ).incident
    center.link_duplicate(second.id, ids["blaze"])
    view = caught_up(host, center)["boards"]
    assert isinstance(view, BoardsView)

    _, fire, _ = view.board("fire")
    _, police, _ = view.board("police")

    [call] = fire[0]["stacked_calls"]
    assert (call["duplicate_number"], call["description"]) == (
        second.number,
        "korban tidak bernapas",
    )
    assert second.place is not None
    assert (call["injuries"], call["kelurahan"]) == (2, second.place.kelurahan)
    assert "caller_number" not in call  # as the incident's own: not on wall screens
    assert [i["stacked_calls"] for i in police] == [[]]
    # Closing the primary takes its stacked calls off the board; a rebuild gives the same rows
    center.close_incident(ids["blaze"], Disposition.GENUINE, "padam")
    view = caught_up(host, center)["boards"]
    assert isinstance(view, BoardsView)
    assert view.board("fire")[1] == []
    assert view.select(STACKED_CALLS, active=1) == []
    report = rebuild_and_diff(any_settings, "boards")
    assert report.identical, report.differences


def test_caller_history_counts_exactly_what_the_live_index_counts(
    center: DispatchCenter, host: ProjectionHost
) -> None:
    scenario(center)
    view = caught_up(host, center)["caller_history"]
    assert isinstance(view, CallersView)
    now = center.clock()
    for at in (
        now - timedelta(seconds=300),
        now - timedelta(seconds=90),
        now,
        now + timedelta(days=2),
    ):
        assert view.history(CALLER, at) == center.present.caller_history(CALLER, at)
    assert view.history(CALLER, now).prior_false == 1


@pytest.mark.timeshift
def test_kpis_count_and_time_what_happened_per_day_agency_and_category(
    center: DispatchCenter, host: ProjectionHost
) -> None:
    scenario(center)
    view = caught_up(host, center)["kpis"]
    assert isinstance(view, KpisView)
    rows = {(r["agency"], r["category"]): r for r in view.counters("2026-11-22")}

    everyone = rows[("*", "kebakaran")]
    assert (everyone["reported"], everyone["closed"]) == (2, {"prank": 1})
    assert everyone["report_to_first_unit_mean_s"] == 90.0
    fire = rows[("fire", "kebakaran")]
    assert (fire["routed"], fire["acknowledged"], fire["dispatched"]) == (1, 1, 1)
    assert (fire["report_to_route_mean_s"], fire["route_to_ack_mean_s"]) == (40.0, 20.0)
    assert rows[("medical", "kebakaran")]["acknowledged"] == 0
    assert rows[("police", "kriminal")]["routed"] == 1


def test_a_restarted_projection_resumes_from_its_position_and_counts_nothing_twice(
    any_settings: Settings, center: DispatchCenter
) -> None:
    first = ProjectionHost(any_settings, poll_s=0.05)
    first.start()
    assert first.wait_until_leading(15)
    center.report(a_report())
    caught_up(first, center)
    first.stop()
    center.report(a_report())
    again = ProjectionHost(any_settings, poll_s=0.05)
    again.start()
    try:
        assert again.wait_until_leading(15)
        view = caught_up(again, center)["kpis"]
        assert isinstance(view, KpisView)
        assert sum(r["reported"] for r in view.counters()) == 2
    finally:
        again.stop()
    assert all(rebuild_and_diff(any_settings, name).identical for name in CATALOG)


def test_a_reader_waiting_for_a_position_has_it_written_without_the_flush_delay(
    any_settings: Settings, center: DispatchCenter, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given views that would wait a minute before writing what they processed
    for spec in CATALOG.values():
        monkeypatch.setattr(spec.view_class(any_settings.backend), "flush_delay_s", 60.0)
    host = ProjectionHost(any_settings, poll_s=0.05)
    host.start()
    try:
        assert host.wait_until_leading(15)
        center.report(a_report())
        # When a reader waits for the report's position, then it is written within seconds
        started = time.monotonic()
        view = caught_up(host, center)["kpis"]
        assert time.monotonic() - started < 10
        assert isinstance(view, KpisView)
        assert sum(r["reported"] for r in view.counters()) == 1
    finally:
        host.stop()


def test_rows_and_position_are_committed_together_or_not_at_all(
    any_settings: Settings, center: DispatchCenter, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given recording the position fails once, inside the transaction that writes the rows
    view_class = CATALOG["kpis"].view_class(any_settings.backend)
    original = view_class._insert_tracking  # type: ignore[attr-defined]
    failures = iter([OperationalError("the disk went away")])

    def flaky(self: Any, cursor: Any, tracking: Any) -> None:
        error = next(failures, None) if tracking.application_name == "dispatch" else None
        if error is not None:
            raise error
        original(self, cursor, tracking)

    monkeypatch.setattr(view_class, "_insert_tracking", flaky)
    host = ProjectionHost(any_settings, poll_s=0.05)
    host.start()
    try:
        assert host.wait_until_leading(15)
        for _ in range(3):
            center.report(a_report())
        # Then the failed batch left nothing behind, and the retry counts each report once
        view = caught_up(host, center)["kpis"]
        assert isinstance(view, KpisView)
        assert sum(r["reported"] for r in view.counters()) == 3
        assert next(failures, None) is None  # the failure did happen
    finally:
        host.stop()


def test_every_projection_rebuilt_from_position_0_equals_the_live_one(
    any_settings: Settings, center: DispatchCenter, host: ProjectionHost
) -> None:
    scenario(center)
    caught_up(host, center)
    for name in CATALOG:
        report = rebuild_and_diff(any_settings, name)
        assert report.identical, report.differences
        assert report.live_rows == report.rebuilt_rows > 0


def test_one_host_runs_the_projections_and_another_takes_over_when_it_stops(
    any_settings: Settings, center: DispatchCenter
) -> None:
    first = ProjectionHost(any_settings, poll_s=0.05)
    second = ProjectionHost(any_settings, poll_s=0.05)
    first.start()
    assert first.wait_until_leading(15)
    second.start()
    try:
        assert not second.wait_until_leading(0.5)
        assert second.role == "standby" and second.runner("boards") is None
        first.stop()
        assert second.wait_until_leading(15)
        center.report(a_report())
        view = caught_up(second, center)["kpis"]
        assert isinstance(view, KpisView)
        assert sum(r["reported"] for r in view.counters()) == 1
    finally:
        first.stop()
        second.stop()


def test_on_postgresql_rows_written_with_copy_equal_rows_written_one_by_one(
    postgres_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the live views, written a few rows at a time (one statement per row)
    center = build_center(postgres_settings)
    center.clock = FakeClock()
    host = ProjectionHost(postgres_settings, poll_s=0.05)
    host.start()
    try:
        assert host.wait_until_leading(15)
        scenario(center)
        caught_up(host, center)
        # When every projection is rebuilt writing its rows with COPY, as a catching-up
        # view writes its large batches
        copied: list[str] = []
        original = PostgresRowView._copy_upsert

        def counted(self: PostgresRowView, curs: Any, table: Any, rows: Any) -> None:
            copied.append(table.name)
            original(self, curs, table, rows)

        monkeypatch.setattr(PostgresRowView, "copy_rows", 1)
        monkeypatch.setattr(PostgresRowView, "_copy_upsert", counted)
        reports = [rebuild_and_diff(postgres_settings, name) for name in CATALOG]
        # Then the rows are the same, to the last column
        assert {"incidents", "routes", "units", "counters"} <= set(copied)
        for report in reports:
            assert report.identical, report.differences
            assert report.live_rows == report.rebuilt_rows > 0
    finally:
        host.stop()
        center.close()


def test_a_nul_character_that_reached_the_log_never_stops_the_boards(
    any_settings: Settings, center: DispatchCenter, host: ProjectionHost
) -> None:
    # Given a report whose texts hold NUL (the HTTP edge refuses it; an older writer did not)
    poisoned = center.report(a_report(address_text="Jl. A\x00B", description="api\x00 besar"))
    center.route(poisoned.incident.id, [Agency.FIRE])
    # When a later incident is routed to the same board
    later = center.report(a_report(caller_number=CALLER)).incident
    center.route(later.id, [Agency.FIRE])
    # Then the board holds both and is healthy; PostgreSQL stores the NUL as U+FFFD
    view = caught_up(host, center)["boards"]
    assert isinstance(view, BoardsView)
    _, fire, _ = view.board("fire")
    rows = {row["incident_id"]: row for row in fire}
    assert set(rows) == {str(poisoned.incident.id), str(later.id)}
    stored = "\x00" if any_settings.backend == "sqlite" else "\ufffd"
    assert rows[str(poisoned.incident.id)]["address_text"] == f"Jl. A{stored}B"
    assert host.health()[0], host.health()
    assert rebuild_and_diff(any_settings, "boards").identical
