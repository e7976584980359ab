"""Projection catch-up: events/s rebuilding the boards from N events, beside the raw read rate.

For each backend, a fresh store is filled with N events (incidents going through report,
score, route, acknowledge, unit assigned, note, close; units registering, moving and changing
status), saved in batches. Then on that same store:

* ``raw_read``: the library's ``select_notifications`` in pages of 1000 over the whole log,
  as a ``Notification`` with a UUID per event (the yardstick of the goal);
* ``page_read``: the whole log read with the pages a catching-up loop reads
  (``projections.log_pages``: the same rows as tuples, the id left as text). It is much
  faster than ``raw_read``, so it is shown too: beside it, the catch-up's real limit;
* ``decode``: ``raw_read`` with each notification also turned into a domain event by the
  library's mapper (what projections did before ``projections.events``);
* ``catch_up``: the projection host's own path, a ``ProjectionLoop`` (``projections.loop``)
  with the boards projection and a fresh view (real tables, as the API reads them), from
  position 0 until its tracking reaches the last event it handles.

Each phase starts after ``gc.collect()``, so none pays for the garbage of the one before;
``raw_read`` and ``page_read`` are the best of 3 runs, ``decode`` of 2, ``catch_up`` of 3.
Rates are log events per second (N / seconds); the goal is catch_up ≥ 50 % of raw_read.
Prints ONE JSON object.

    python bench/bench_projection.py [--events 100000] [--backend sqlite|postgres|both]
                                     [--database-url postgresql://...]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from eventsourcing.domain import Aggregate

from dispatch.center import DispatchCenter
from dispatch.ports import unscored
from dispatch.settings import Settings
from domain.incident import Incident
from domain.taxonomy import Agency, Category, Channel, Disposition, Priority, UnitStatus, UnitType
from domain.unit import Unit
from domain.values import Location
from projections.boards import BoardsProjection
from projections.catalog import CATALOG
from projections.log_pages import log_pages
from projections.loop import ProjectionLoop
from projections.wiring import app_env

PAGE = 1000
AGENCIES = [Agency.FIRE, Agency.POLICE, Agency.MEDICAL]


def fill(center: DispatchCenter, events: int) -> int:
    """Save about ``events`` events in batches; returns the head position."""
    at = datetime(2026, 11, 22, 1, 0, tzinfo=UTC)
    units = [
        Unit(f"U{n}", f"Unit {n}", AGENCIES[n % 3], UnitType.FIRE_ENGINE, "S", None, "b", at)
        for n in range(60)
    ]
    center.save(*units)
    written, n = len(units), 0
    while written < events:
        batch: list[Aggregate] = []
        for _ in range(50):
            incident, unit = lifecycle(n, at + timedelta(seconds=n), units[n % len(units)])
            batch += [incident, unit]
            n += 1
        recordings = center.save(*batch)
        written += len(recordings)
    return center.recorder.max_notification_id() or 0


def lifecycle(n: int, at: datetime, unit: Unit) -> tuple[Incident, Unit]:
    """One incident, start to finish, and its unit's moves: 10 events."""
    agency = unit.agency
    incident = Incident(
        uuid.uuid4(), f"BEN-20261122-{n:06d}", at, Channel.VOICE, f"+6281{n % 5000:07d}",
        True, 60.0, 2.0, False, Location(-0.49, 117.14, 20.0), None, None,
        Category.KEBAKARAN, Priority.P2, "Kebakaran rumah", None, 0, [], "bench", at,
    )  # fmt: skip
    incident.record_score(unscored("bench"), actor="bench", at=at)
    incident.route([agency], actor="bench", at=at)
    incident.acknowledge(agency, actor="bench", at=at)
    incident.assign_unit(unit.id, agency, unit.callsign, actor="bench", at=at)
    incident.add_note("on the way", actor="bench", at=at)
    incident.release_unit(unit.id, "done", actor="bench", at=at)
    incident.close(Disposition.GENUINE, "done", actor="bench", at=at)
    unit.report_position(Location(-0.48, 117.15), actor="bench", at=at)
    unit.change_status(UnitStatus.OUT_OF_SERVICE, location=None, actor="bench", at=at)
    unit.change_status(UnitStatus.AVAILABLE, location=None, actor="bench", at=at)
    return incident, unit


def raw_read(center: DispatchCenter, *, decode: bool) -> float:
    gc.collect()  # every phase starts without the garbage of the phases before it
    started, start, count = time.perf_counter(), 0, 0
    while True:
        page = center.recorder.select_notifications(start, PAGE, inclusive_of_start=False)
        if decode:
            for notification in page:
                center.mapper.to_domain_event(notification)
        count += len(page)
        if len(page) < PAGE:
            break
        start = page[-1].id
    return time.perf_counter() - started


def page_read(center: DispatchCenter) -> float:
    """Seconds to read the whole log with the pages a catching-up loop reads."""
    pages = log_pages(center.recorder)
    gc.collect()
    started, start = time.perf_counter(), 0
    while page := pages(start, PAGE, ()):
        start = page[-1][-1]
    return time.perf_counter() - started


def handled_by_boards(center: DispatchCenter) -> tuple[int, int]:
    """How many events the boards projection handles, and the position of the last one."""
    count, start = 0, 0
    while page := center.recorder.select_notifications(
        start, PAGE, topics=BoardsProjection.topics, inclusive_of_start=False
    ):
        count, start = count + len(page), page[-1].id
    return count, start


def catch_up(settings: Settings, center: DispatchCenter) -> tuple[float, int]:
    """Seconds for a fresh boards loop to reach the last event it handles; and how many."""
    name = f"boards_bench_{uuid.uuid4().hex[:6]}"
    projection = type("BenchBoards", (BoardsProjection,), {"name": name})
    count, target = handled_by_boards(center)
    view_class = CATALOG["boards"].view_class(settings.backend)
    gc.collect()
    started = time.perf_counter()
    loop = ProjectionLoop(settings, name, projection, view_class)
    with loop:
        assert loop.wait(target, timeout=600), loop.view.failure
        seconds = time.perf_counter() - started
    loop.view.drop_tables()
    loop.view.close()
    return seconds, count


def bench(settings: Settings, events: int) -> dict[str, Any]:
    center = DispatchCenter(env=app_env(settings))
    try:
        head = fill(center, events)
        total = len(center.recorder.select_notifications(0, 10**9, inclusive_of_start=False))
        raw = min(raw_read(center, decode=False) for _ in range(3))
        pages = min(page_read(center) for _ in range(3))
        decoded = min(raw_read(center, decode=True) for _ in range(2))
        seconds, handled = min(catch_up(settings, center) for _ in range(3))
    finally:
        center.close()
    return {
        "events": total,
        "head_position": head,
        "boards_handled_events": handled,
        "raw_read_events_per_s": round(total / raw),
        "page_read_events_per_s": round(total / pages),
        "decode_events_per_s": round(total / decoded),
        "catch_up_events_per_s": round(total / seconds),
        "catch_up_seconds": round(seconds, 2),
        "catch_up_vs_raw_read": round(raw / seconds, 3),
        "catch_up_vs_page_read": round(pages / seconds, 3),
    }


@contextlib.contextmanager
def store(backend: str, url: str | None) -> Iterator[Settings]:
    with tempfile.TemporaryDirectory() as tmp:
        if backend == "sqlite":
            yield Settings(database_url=f"sqlite:///{tmp}/events.db", var_dir=Path(tmp))
        elif url:
            yield Settings(database_url=url, var_dir=Path(tmp))
        else:
            from tests.support import fresh_database

            with fresh_database() as fresh:
                yield Settings(database_url=fresh, var_dir=Path(tmp))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--database-url", help="PostgreSQL URL to use instead of a fresh one")
    args = parser.parse_args()
    results = {}
    for backend in ["sqlite", "postgres"] if args.backend == "both" else [args.backend]:
        with store(backend, args.database_url) as settings:
            results[backend] = bench(settings, args.events)
    machine = {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_avg_1m_after": round(os.getloadavg()[0], 2),
    }
    print(
        json.dumps(
            {"goal": "catch_up >= 50 % of raw_read", "machine": machine, **results}, indent=2
        )
    )


if __name__ == "__main__":
    main()
