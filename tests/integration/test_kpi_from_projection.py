"""The KPI report, the agency records and ``/publik`` read the ``kpis`` projection's fact rows;
folding the whole log (the auditors' cross-check) gives the very same figures, on SQLite and
PostgreSQL. Every fact row names the events it comes from, and a projection behind the log
says so in the report."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.persistence import Tracking

from adapters.center import build_center
from dispatch.center import DispatchCenter
from dispatch.settings import Settings
from domain.taxonomy import (
    Agency,
    Category,
    Disposition,
    EscalationReason,
    Priority,
    ScoreBand,
    UnitStatus,
    UnitType,
)
from projections.catalog import CATALOG
from projections.host import ProjectionHost
from projections.kpi_facts import FACTS
from projections.kpis import MEMO
from projections.schema import APPLICATION
from projections.wiring import open_view
from replay.agency_record import agency_record
from replay.kpi import report
from replay.kpi_source import from_log, read_facts
from replay.kpi_targets import Targets
from replay.public_figures import figures, period
from tests.support import AWS, FakeClock, a_report
from tests.unit.replay.conftest import a_day

AGENCIES = [Agency.FIRE, Agency.POLICE, Agency.MEDICAL]
CATEGORIES = [Category.KEBAKARAN, Category.KRIMINAL, Category.MEDIS, Category.BANJIR]


@pytest.fixture
def center(any_settings: Settings, clock: FakeClock) -> Iterator[DispatchCenter]:
    built = build_center(any_settings)
    built.clock = clock
    yield built
    built.close()


def a_fortnight(center: DispatchCenter, clock: FakeClock) -> None:
    """Two weeks of calls: dispatched, acknowledged late or never, handed off, escalated,
    overridden, flagged and verified, closed, reopened, left open past their targets."""
    a_day(center, clock)
    rng = random.Random(112)
    for n in range(40):
        clock.advance(rng.randint(600, 30_000))
        category = rng.choice(CATEGORIES)
        incident = center.report(
            a_report(category=category, caller_number=f"+62813{n % 7:07d}")
        ).incident
        first = rng.choice(AGENCIES)
        if n % 9 == 4:
            center.triage(incident.id, Priority.P1, category, "korban terjebak")
        if n % 7 == 3:
            center.override_score(incident.id, ScoreBand.LOW, "penelepon dikenal")
        if n % 6 == 5:
            clock.advance(rng.randint(30, 200))
            center.escalate(
                incident.id, EscalationReason.NO_UNIT_DISPATCHED, "belum ada unit", agency=None
            )
            continue  # never routed: a miss on processing
        clock.advance(rng.randint(5, 120))
        unit, _ = center.register_unit(
            f"U{n}", f"{first.value} {n}", first, UnitType.FIRE_ENGINE, "A-P3", AWS
        )
        dispatched = n % 4 != 0
        center.route(incident.id, [first], unit_ids=[unit.id] if dispatched else [])
        if n % 5 == 1:  # handed off: another agency took it
            other = AGENCIES[(AGENCIES.index(first) + 1) % 3]
            clock.advance(rng.randint(60, 400))
            center.route(incident.id, [other])
            clock.advance(rng.randint(5, 60))
            center.acknowledge(incident.id, other)
        elif n % 8 == 2:
            clock.advance(200)
            center.escalate(incident.id, EscalationReason.NOT_ACKNOWLEDGED, "sunyi", agency=first)
        else:
            clock.advance(rng.randint(5, 150))
            center.acknowledge(incident.id, first)
        if dispatched:
            clock.advance(rng.randint(60, 900))
            center.update_unit_status(unit.id, UnitStatus.EN_ROUTE)
            if n % 3:
                clock.advance(rng.randint(120, 900))
                center.update_unit_status(unit.id, UnitStatus.ON_SCENE)
        if n % 10 == 9:
            continue  # left open
        clock.advance(rng.randint(300, 3000))
        disposition = [Disposition.GENUINE, Disposition.PRANK, Disposition.NON_EMERGENCY][n % 3]
        center.close_incident(incident.id, disposition, "selesai")
        if n % 11 == 6:
            center.reopen(incident.id, "penelepon menelepon lagi")
            clock.advance(120)
            center.close_incident(incident.id, Disposition.GENUINE, "selesai lagi")


def caught_up(settings: Settings, center: DispatchCenter) -> None:
    """Run the projections until the kpis projection has read every event it handles."""
    topics = CATALOG["kpis"].projection.topics
    last = center.recorder.select_notifications(0, 1_000_000, topics=topics)[-1].id
    host = ProjectionHost(settings, poll_s=0.05)
    host.start()
    try:
        assert host.wait_until_leading(15)
        deadline = time.monotonic() + 60
        while True:
            loop = host.runner("kpis")
            if loop is not None and loop.view.wait_for(last, timeout=0.2):
                break
            assert time.monotonic() < deadline, host.health()
    finally:
        host.stop()


def without_source(document: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in document.items() if k != "source"}


def test_the_projection_and_the_log_give_identical_figures(
    any_settings: Settings, center: DispatchCenter, clock: FakeClock
) -> None:
    # Given a fortnight of calls, and the projections caught up with it
    start = clock.now - timedelta(hours=1)
    a_fortnight(center, clock)
    end = clock.now + timedelta(hours=1)
    caught_up(any_settings, center)

    # When the report is read from the projection, and folded from the log
    projected = read_facts(center, any_settings, start, end)
    folded = from_log(center)

    # Then the facts, the KPI report, /publik's figures and each agency's record are identical
    assert projected.source["from"] == "projection" and projected.source["caught_up"]
    assert projected.collected.incidents == folded.collected.incidents
    assert len(folded.collected.incidents) == 43
    from_projection = report(center, start, end, facts=projected)
    from_the_log = report(center, start, end, facts=folded)
    assert from_projection["source"]["events_behind"] == 0
    assert from_the_log["source"]["from"] == "log"
    assert without_source(from_projection) == without_source(from_the_log)
    assert from_projection["calls"]["total"] == 43
    assert from_projection["escalations"]["total"] > 0 and from_projection["handoffs"]["incidents"]
    now, zone, targets = clock.now, center.local_zone, Targets.from_rules()
    public = read_facts(center, any_settings, *period(now, zone)).collected.incidents.values()
    assert figures(list(public), now, zone, targets) == figures(
        list(folded.collected.incidents.values()), now, zone, targets
    )
    for agency in AGENCIES:
        mine = agency_record(
            center, agency.value, read=lambda s, e: read_facts(center, any_settings, s, e)
        )
        assert without_source(mine) == without_source(agency_record(center, agency.value))


def test_every_fact_row_names_the_events_it_comes_from(
    any_settings: Settings, center: DispatchCenter, clock: FakeClock
) -> None:
    a_fortnight(center, clock)
    caught_up(any_settings, center)
    log = {n.id: n for n in center.recorder.select_notifications(0, 1_000_000)}
    view = open_view(any_settings, CATALOG["kpis"])
    try:
        rows = view.select(FACTS)
    finally:
        view.close()
    assert len(rows) == 43
    for row in rows:
        incident = UUID(row["incident_id"])
        sources = [log[p] for p in row["positions"]]
        assert sources[0].topic.endswith("Incident.Reported")
        assert sources[0].originator_id == incident
        assert row["position"] == row["positions"][-1] == max(row["positions"])
        for n in sources:  # the incident's own events, or a unit arriving on its scene
            assert n.originator_id == incident or n.topic.endswith("Unit.StatusChanged")
        if row["closed_at"]:
            assert any(n.topic.endswith("Incident.Closed") for n in sources)


def test_a_report_from_a_projection_behind_the_log_says_how_far_behind(
    any_settings: Settings, center: DispatchCenter, clock: FakeClock
) -> None:
    # Given the projection caught up, then a call it has not read yet
    start = clock.now - timedelta(hours=1)
    a_day(center, clock)
    caught_up(any_settings, center)
    later = center.report(a_report()).incident
    unread = center.recorder.select_notifications(0, 1000, topics=CATALOG["kpis"].projection.topics)
    unread = [n for n in unread if n.originator_id == later.id]

    # When the report is read from the projection
    document = report(
        center, start, clock.now + timedelta(hours=1), facts=read_facts(center, any_settings)
    )

    # Then it says where the projection stands against the log, and what it has not read
    source = document["source"]
    assert source["from"] == "projection" and not source["caught_up"]
    assert source["events_behind"] == len(unread) >= 1
    assert source["first_unread"] == unread[0].id
    assert source["position"] < source["first_unread"] <= source["log_head"]
    assert document["calls"]["total"] == 3  # the later call is not in it yet, and it says so


def test_a_kpis_view_made_before_it_kept_facts_is_not_read_as_empty(
    any_settings: Settings, center: DispatchCenter, clock: FakeClock
) -> None:
    # Given a kpis view that counted an incident but has no fact rows (made by an older build)
    a_day(center, clock)
    view = open_view(any_settings, CATALOG["kpis"])
    try:
        view.begin()
        memo: dict[str, Any] = {"incident_id": "x", "day": "2026-11-22", "category": "kebakaran"}
        memo |= {"received_at": clock.now.isoformat(), "routed_at": {}, "unit_agencies": []}
        view.put(MEMO, memo | {"first_unit_at": None, "position": 1})
        view.commit(Tracking(APPLICATION, 1))
        view.flush()
    finally:
        view.close()

    # When the facts are read, then they come from the log, and the report says why
    read = read_facts(center, any_settings)
    assert read.source["from"] == "log" and "rebuild" in read.source["why"]
    assert len(read.collected.incidents) == 3
