"""What a checkpoint of the present costs, and how long it holds the present's lock.

A store with OPEN open incidents (reports taken by the real intake: scoring, routing, numbers),
then two checkpoints with BETWEEN more reports between them (each report is a new incident; a
tenth of the open ones also get a note and a tenth are closed). Each checkpoint is written two
ways from the same state:

* ``whole``: the way before increments: everything the checkpoint holds pickled under the
  present's lock (``lock_ms``), then every aggregate and call encoded (``encode_ms``);
* ``increments``: what the present does now (``dispatch.present.increments``): only the list of
  what moved since the last checkpoint taken under the lock (``lock_ms``, ``moved``), then each
  moved aggregate encoded under the lock for its own encoding only (``longest_hold_ms``), and
  the body joined from the texts kept (``encode_ms``, all of it).

The bench checks that both bodies read as the same document. The limit measured in the same
run: ``save_ms``, one write of the body to the store's checkpoint table (what no encoding can
avoid). Times are CPU-bound and single-threaded (``time.perf_counter``; nothing else runs).
Prints one JSON object.

    python bench/bench_checkpoint.py [--backend sqlite|postgres|both] [--open 3000] [--between 500]
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import tempfile
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from bench_ingest import a_report, fresh_postgres

from adapters.center import build_center
from dispatch.center import DispatchCenter
from dispatch.present.calls import Call, Earlier
from dispatch.present.checkpoint import CheckpointStore
from dispatch.present.increments import Increments
from dispatch.settings import Settings
from domain.facility import Facility
from domain.incident import Incident
from domain.taxonomy import Disposition
from domain.unit import Unit


@dataclass(frozen=True)
class Parts:
    """What a checkpoint holds of the present (as the copy before increments held it)."""

    position: int
    horizon: datetime | None
    incidents: dict[UUID, Incident]
    units: dict[UUID, Unit]
    facilities: dict[UUID, Facility]
    calls: dict[str, list[Call]]
    earlier: dict[str, Earlier]
    positions: dict[UUID, int]


def whole(center: DispatchCenter, store: CheckpointStore) -> tuple[bytes, dict[str, Any]]:
    """The checkpoint as it was written before increments: all of it copied under the lock."""
    with center.present.locked() as state:
        began = time.perf_counter()
        parts = (
            state.position,
            state.horizon,
            state.incidents,
            state.units,
            state.facilities,
            state.calls,
            state.earlier,
            state.positions,
        )
        copied = pickle.dumps(parts, protocol=pickle.HIGHEST_PROTOCOL)
        locked = time.perf_counter() - began
    began = time.perf_counter()
    body = store.encode(Parts(*pickle.loads(copied)))
    encoded = time.perf_counter() - began
    return body, {"lock_ms": ms(locked), "encode_ms": ms(encoded), "copy_kib": len(copied) >> 10}


def incremental(
    center: DispatchCenter, store: CheckpointStore, increments: Increments
) -> tuple[bytes, dict[str, Any]]:
    """The checkpoint as the present writes it now."""
    with center.present.locked() as state:
        began = time.perf_counter()
        copy = increments.copy(state)
        locked = time.perf_counter() - began
    holds: list[float] = [0.0]

    @contextmanager
    def timed_lock() -> Iterator[None]:
        with center.present.locked():
            held = time.perf_counter()
            yield
            holds.append(time.perf_counter() - held)

    began = time.perf_counter()
    body = increments.body(copy, store, locked=timed_lock)
    encoded = time.perf_counter() - began
    figures = {
        "lock_ms": ms(locked),
        "longest_hold_ms": ms(max(holds)),
        "encode_ms": ms(encoded),
        "moved": len(copy.moved),
        "aggregates": len(copy.order),
    }
    return body, figures


def checkpoint(center: DispatchCenter, increments: Increments) -> dict[str, Any]:
    store = center.present.checkpoints
    assert store is not None, "no checkpoint store on this backend"
    center.present.refresh()
    old_body, old = whole(center, store)
    new_body, new = incremental(center, store, increments)
    same = json.loads(zlib.decompress(old_body)) == json.loads(zlib.decompress(new_body))
    assert same, "the two bodies read as different documents"
    began = time.perf_counter()
    store.save(center.present.position, new_body)
    return {
        "position": center.present.position,
        "body_kib": len(new_body) >> 10,
        "whole": old,
        "increments": new,
        "save_ms": ms(time.perf_counter() - began),
    }


def bench(settings: Settings, open_count: int, between: int) -> dict[str, Any]:
    center = build_center(settings)
    try:
        say(f"{settings.backend}: {open_count} reports")
        reported = [center.report(a_report(i)).incident.id for i in range(open_count)]
        increments = Increments()
        first = checkpoint(center, increments)
        say(f"{settings.backend}: {between} more reports, notes and closings")
        for i in range(between):
            center.report(a_report(open_count + i))
        for k, incident_id in enumerate(reported[: open_count // 5]):
            if k % 2:
                center.add_note(incident_id, "penelepon dihubungi lagi")
            else:
                center.close_incident(incident_id, Disposition.GENUINE, "selesai")
        second = checkpoint(center, increments)
        return {"first": first, "second": second}
    finally:
        center.close()


@contextmanager
def store_for(backend: str) -> Iterator[Settings]:
    with tempfile.TemporaryDirectory() as tmp:
        if backend == "sqlite":
            yield Settings(database_url=f"sqlite:///{tmp}/store.db", var_dir=Path(tmp))
            return
        admin = os.environ.get(
            "SIAGA_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        )
        with fresh_postgres(admin) as url:
            yield Settings(database_url=url, var_dir=Path(tmp))


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--open", type=int, default=3000, help="open incidents at the first")
    parser.add_argument("--between", type=int, default=500, help="new reports before the second")
    args = parser.parse_args(argv)
    if args.open < 10 or args.between < 0:
        parser.error("--open must be at least 10 and --between at least 0")
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    result: dict[str, Any] = {"open": args.open, "between": args.between}
    for backend in backends:
        with store_for(backend) as settings:
            result[backend] = bench(settings, args.open, args.between)
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
