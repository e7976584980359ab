"""Replay benchmark: rebuild every open incident from the log, and verify the audit chain.

For each backend (a SQLite file; a fresh PostgreSQL database), N events are bulk-loaded
(10 events per incident, 100 incidents per ``save()``), then, each repeated R times:

* raw read      — ``select_notifications`` in pages of 1000 over the whole log (the limit);
* decode        — the same plus ``mapper.to_domain_event`` for every event;
* replay open   — ``replay state --open``: fold every Incident event into aggregates and list
                  the open incidents (what an auditor runs);
* seal          — the checkpointer's first run over the whole log (records + checkpoints);
* verify        — ``replay verify``: recompute the chain, compare with records and checkpoints.

Prints one JSON object (rates in events per second; times in seconds, median of R runs with
min and max).

    python bench/bench_replay.py --events 100000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from adapters.center import build_center
from dispatch.center import DispatchCenter
from dispatch.ports import unscored
from dispatch.settings import Settings
from domain.incident import Incident
from domain.taxonomy import Agency, Category, Channel, Disposition, LocationSource, Priority
from domain.values import Location, Place
from replay.chain import Signer
from replay.checkpointer import Checkpointer
from replay.checkpoints import open_audit_store
from replay.log import pages
from replay.state import AsOf, state
from replay.verify import verify

EVENTS_PER_INCIDENT = 10
INCIDENTS_PER_SAVE = 100
CATEGORIES = [Category.KEBAKARAN, Category.MEDIS, Category.KECELAKAAN_LALU_LINTAS, Category.BANJIR]
AGENCIES = [Agency.FIRE, Agency.MEDICAL, Agency.POLICE, Agency.BPBD]
START = datetime(2026, 11, 1, tzinfo=UTC)


def an_incident(i: int) -> Incident:
    """One incident with exactly ten events; three in ten stay open."""
    at = START + timedelta(seconds=30 * i)
    agency = AGENCIES[i % 4]
    incident = Incident(
        report_id=uuid.uuid4(),
        number=f"SMD-BENCH-{i:06d}",
        received_at=at,
        channel=Channel.VOICE,
        caller_number=f"+62812{i % 5000:07d}",
        sim_present=True,
        call_duration_s=42.0,
        first_speech_s=1.5,
        silent=False,
        location=Location(
            -0.49 + (i % 97) * 1e-4, 117.14 + (i % 89) * 1e-4, 15.0, LocationSource.AML
        ),
        place=Place("Sidodadi", "64.72.03.1004", "Samarinda Ulu", "64.72.03", True, None),
        address_text="Jl. Juanda gang 3",
        category=CATEGORIES[i % 4],
        priority=Priority.P2,
        description="Rumah terbakar di gang sebelah masjid, api besar, ada anak di dalam",
        persons_involved=2,
        injuries=1,
        hazards=["gas"],
        actor="operator:bench",
        at=at,
    )
    incident.record_score(unscored("bench"), actor="system:classifier", at=at)
    incident.route([agency], actor="operator:bench", at=at + timedelta(seconds=40))
    incident.acknowledge(
        agency, actor=f"agency:{agency.value}/bench", at=at + timedelta(seconds=70)
    )
    unit = uuid.uuid5(uuid.NAMESPACE_URL, f"bench-unit-{i % 200}")
    incident.assign_unit(
        unit, agency, f"U{i % 200}", actor="operator:bench", at=at + timedelta(seconds=90)
    )
    incident.add_note(
        "unit dalam perjalanan", actor="operator:bench", at=at + timedelta(seconds=120)
    )
    incident.add_note("unit tiba di lokasi", actor="operator:bench", at=at + timedelta(seconds=600))
    incident.triage(Priority.P1, incident.category, "korban", actor="operator:bench", at=at)
    if i % 10 < 7:
        incident.release_unit(unit, "selesai", actor="operator:bench", at=at + timedelta(hours=1))
        incident.close(
            Disposition.GENUINE, "selesai", actor="operator:bench", at=at + timedelta(hours=1)
        )
    else:
        incident.add_note("masih ditangani", actor="operator:bench", at=at + timedelta(hours=1))
        incident.add_note("menunggu bantuan", actor="operator:bench", at=at + timedelta(hours=1))
    assert len(incident.pending_events) == EVENTS_PER_INCIDENT, len(incident.pending_events)
    return incident


def load(center: DispatchCenter, events: int) -> dict[str, Any]:
    """Bulk-load ``events`` events, 100 incidents (1000 events) per transaction."""
    incidents = events // EVENTS_PER_INCIDENT
    started = time.perf_counter()
    for first in range(0, incidents, INCIDENTS_PER_SAVE):
        batch = [an_incident(i) for i in range(first, min(first + INCIDENTS_PER_SAVE, incidents))]
        center.save(*batch)
    seconds = time.perf_counter() - started
    return {
        "events": incidents * EVENTS_PER_INCIDENT,
        "seconds": round(seconds, 2),
        "events_per_s": round(incidents * EVENTS_PER_INCIDENT / seconds),
    }


def timed(function: Callable[[], int], repeat: int) -> dict[str, Any]:
    """Median, min and max seconds of ``repeat`` runs; events per second at the median."""
    seconds, counted = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        counted = function()
        seconds.append(time.perf_counter() - started)
    median = statistics.median(seconds)
    return {
        "events": counted,
        "seconds": round(median, 3),
        "seconds_min": round(min(seconds), 3),
        "seconds_max": round(max(seconds), 3),
        "events_per_s": round(counted / median),
    }


def measure(settings: Settings, events: int, repeat: int) -> dict[str, Any]:
    center = build_center(settings)
    try:
        loaded = load(center, events)
        recorder = center.recorder

        def raw() -> int:
            return sum(len(page) for page in pages(recorder))

        def decode() -> int:
            count = 0
            for page in pages(recorder):
                for n in page:
                    center.mapper.to_domain_event(n)
                count += len(page)
            return count

        def replay_open() -> int:
            answer = state(center, AsOf())
            assert len(answer["open"]["incidents"]) == events // EVENTS_PER_INCIDENT * 3 // 10
            read: int = answer["events_read"]
            return read

        key = Signer(b"bench-audit-key")
        audit = open_audit_store(settings, recorder)
        seal = timed(lambda: Checkpointer(recorder, audit, key).run_once(), 1)

        def verify_all() -> int:
            result = verify(recorder, audit, key)
            assert result.ok, result.to_json()
            return result.events_checked

        return {
            "bulk_load": loaded,
            "raw_read": timed(raw, repeat),
            "decode": timed(decode, repeat),
            "replay_open_incidents": timed(replay_open, repeat),
            "seal_first_run": seal,
            "verify": timed(verify_all, repeat),
        }
    finally:
        center.close()


@contextmanager
def sqlite_settings() -> Iterator[Settings]:
    with tempfile.TemporaryDirectory() as directory:
        yield Settings(database_url=f"sqlite:///{directory}/events.db", var_dir=Path(directory))


@contextmanager
def postgres_settings() -> Iterator[Settings]:
    from tests.support import fresh_database

    with tempfile.TemporaryDirectory() as directory, fresh_database() as url:
        yield Settings(database_url=url, var_dir=Path(directory))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--events", type=int, default=100_000, help="events to load (default 100000)"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measure (default 3)")
    parser.add_argument(
        "--backends", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"]
    )
    args = parser.parse_args()
    out: dict[str, Any] = {
        "events": args.events,
        "repeat": args.repeat,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
    }
    for backend in args.backends:
        context = sqlite_settings() if backend == "sqlite" else postgres_settings()
        with context as settings:
            out[backend] = measure(settings, args.events, args.repeat)
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
