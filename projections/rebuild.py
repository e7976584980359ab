"""Rebuild a projection from position 0 into scratch tables and compare with the live one.

The live view is read in one snapshot (rows and tracking position together), then the same
projection class replays the log up to exactly that position into fresh tables (a scratch
SQLite file, or ``<name>_rebuild_<hex>_*`` PostgreSQL tables), and every row is compared.
The scratch tables are dropped afterwards.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from adapters.storage import sqlite_sidecar
from dispatch.settings import Settings
from projections.catalog import CATALOG
from projections.events import EventLog, ProjectionMapper
from projections.log_pages import log_pages
from projections.schema import APPLICATION, Key, Row, Table
from projections.wiring import app_env, open_view

PAGE = 2000


NEVER_RAN = (
    "never ran on this store (no position recorded), nothing to compare; "
    "run `siaga112 project run` or `siaga112 serve` first"
)


@dataclass(frozen=True)
class Difference:
    """One row that differs: absent on one side (None) or with different values."""

    table: str
    key: Key
    live: Row | None
    rebuilt: Row | None

    def as_dict(self) -> dict[str, Any]:
        """As JSON."""
        return {
            "table": self.table,
            "key": list(self.key),
            "live": self.live,
            "rebuilt": self.rebuilt,
        }


@dataclass(frozen=True)
class RebuildReport:
    """What a rebuild found."""

    name: str
    position: int | None
    live_rows: int
    rebuilt_rows: int
    differences: list[Difference] = field(default_factory=list)
    events: int = 0
    seconds: float = 0.0

    @property
    def identical(self) -> bool:
        """True when the rebuilt rows equal the live ones."""
        return not self.differences

    def as_dict(self) -> dict[str, Any]:
        """As JSON."""
        return {
            "name": self.name,
            "position": self.position,
            "live_rows": self.live_rows,
            "rebuilt_rows": self.rebuilt_rows,
            "events": self.events,
            "seconds": round(self.seconds, 3),
            "differences": [d.as_dict() for d in self.differences],
        }


def rebuild_and_diff(settings: Settings, name: str) -> RebuildReport:
    """Replay ``name`` from position 0 into scratch tables and compare with the live tables."""
    spec = CATALOG[name]
    started = time.perf_counter()
    live = open_view(settings, spec)
    try:
        position, live_rows = live.snapshot()
    finally:
        live.close()
    scratch_name = f"{name}_rebuild_{uuid.uuid4().hex[:8]}"
    scratch = open_view(settings, spec, scratch_name)
    try:
        events = replay(settings, spec.projection, scratch, upto=position or 0)
        rebuilt_rows = spec.rows(scratch)
    finally:
        scratch.drop_tables()
        scratch.close()
        if settings.backend == "sqlite":
            _remove_sqlite(sqlite_sidecar(settings, scratch_name))
    return RebuildReport(
        name=name,
        position=position,
        live_rows=sum(len(rows) for rows in live_rows.values()),
        rebuilt_rows=sum(len(rows) for rows in rebuilt_rows.values()),
        differences=diff(spec.view_class(settings.backend).tables, live_rows, rebuilt_rows),
        events=events,
        seconds=time.perf_counter() - started,
    )


def replay(settings: Settings, projection_class: Any, view: Any, *, upto: int) -> int:
    """Feed the log's events up to ``upto`` through a projection into a view, a page at a
    time as a catching-up loop does; returns how many."""
    app = EventLog(env=app_env(settings))
    try:
        projection = projection_class(view=view)
        mapper = app.mapper
        assert isinstance(mapper, ProjectionMapper)
        pages = log_pages(app.recorder)
        count, start = 0, 0
        while start < upto:
            page = [row for row in pages(start, PAGE, projection.topics) if row[4] <= upto]
            if not page:
                break
            projection.process_page(page, mapper, APPLICATION)
            count += len(page)
            start = page[-1][4]
        view.flush()
    finally:
        app.close()
    return count


def diff(
    tables: tuple[Table, ...], live: dict[str, list[Row]], rebuilt: dict[str, list[Row]]
) -> list[Difference]:
    """Rows that are missing on either side or differ, table by table, by key."""
    found: list[Difference] = []
    for table in tables:
        before = {table.key_of(r): r for r in live.get(table.name, [])}
        after = {table.key_of(r): r for r in rebuilt.get(table.name, [])}
        for key in sorted(before.keys() | after.keys(), key=repr):
            if before.get(key) != after.get(key):
                found.append(Difference(table.name, key, before.get(key), after.get(key)))
    return found


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
