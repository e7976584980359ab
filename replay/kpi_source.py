"""Where the KPI report, the agency records and ``/publik`` take their facts from.

By default from the rows of the ``kpis`` projection (``projections.kpi_facts``): a report over
a year reads the fact rows of the incidents received in its period, not the log. The answer
says how far the projection is behind the log (its position, the log's head, the events it has
still to read), so stale figures are never served as current. The auditors' cross-check reads
the log itself (``from_log``, ``siaga112 replay kpi --from-log``): both give the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from dispatch.center import DispatchCenter
from dispatch.settings import Settings
from projections.catalog import CATALOG
from projections.kpis import KpisProjection, KpisView
from projections.wiring import ProjectionsUnavailable, open_view
from replay.kpi_facts import Collected, Facts, collect
from replay.log import head

BEHIND_COUNTED = 1000  # events still to read counted exactly up to this many
MAX_DAYS = 400  # a longer period reads every fact row at once


@dataclass(frozen=True)
class FactsRead:
    """The facts of the incidents, and where they were read (``source`` in the report)."""

    collected: Collected
    source: dict[str, Any]


def read_facts(
    center: DispatchCenter,
    settings: Settings,
    start: datetime | None = None,
    end: datetime | None = None,
    *,
    log: bool = False,
) -> FactsRead:
    """The facts from the ``kpis`` projection of this store (from the log when ``log`` is
    asked for, or when the store cannot hold projections: a memory store)."""
    if log:
        return from_log(center)
    try:
        view = open_view(settings, CATALOG["kpis"])
    except ProjectionsUnavailable as error:  # a memory store
        return from_log(center, str(error))
    try:
        assert isinstance(view, KpisView)
        return from_projection(center, view, start, end)
    finally:
        view.close()


def from_log(center: DispatchCenter, why: str | None = None) -> FactsRead:
    """Every incident's facts folded from the whole log."""
    collected = collect(center)
    source: dict[str, Any] = {
        "from": "log",
        "log_head": head(center.recorder),
        "events_read": collected.events_read,
    }
    return FactsRead(collected, source | ({"why": why} if why else {}))


def from_projection(
    center: DispatchCenter,
    view: KpisView,
    start: datetime | None = None,
    end: datetime | None = None,
) -> FactsRead:
    """The facts of incidents received in ``[start, end)`` (all when not given) from the
    ``kpis`` projection, with how far it is behind the log; from the log when the view was
    made before it kept facts (it needs a rebuild)."""
    if view.predates_facts():
        return from_log(center, "the kpis projection predates its fact rows: rebuild it")
    position, rows = view.facts(_days(start, end))
    collected = Collected({UUID(row["incident_id"]): facts_of(row) for row in rows})
    source = {"from": "projection", "projection": "kpis", "rows_read": len(rows)}
    return FactsRead(collected, source | lag(center, position))


def lag(center: DispatchCenter, position: int | None) -> dict[str, Any]:
    """The projection's position against the log's head, and what it has still to read."""
    unread = center.recorder.select_notifications(
        position or 0, BEHIND_COUNTED + 1, topics=KpisProjection.topics, inclusive_of_start=False
    )
    behind: int | str = len(unread) if len(unread) <= BEHIND_COUNTED else f">{BEHIND_COUNTED}"
    return {
        "log_head": head(center.recorder),
        "position": position or 0,
        "caught_up": not unread,
        "events_behind": behind,
        "first_unread": unread[0].id if unread else None,
    }


def facts_of(row: dict[str, Any]) -> Facts:
    """A fact row as the report's ``Facts``."""
    return Facts(
        number=row["number"],
        received_at=datetime.fromisoformat(row["received_at"]),
        category=row["category"],
        kecamatan=row["kecamatan"],
        priority=row["priority"],
        routed_at=_times(row["routed_at"]),
        acknowledged_at=_times(row["acknowledged_at"]),
        dispatched_at=_times(row["dispatched_at"]),
        on_scene_at=_times(row["on_scene_at"]),
        escalations=[(reason, agency) for reason, agency in row["escalations"]],
        flagged_at=_time(row["flagged_at"]),
        callback_first=bool(row["callback_first"]),
        verification_ended_at=_time(row["verification_ended_at"]),
        disposition=row["disposition"],
        closed_at=_time(row["closed_at"]),
        band=row["band"],
        band_overridden=bool(row["band_overridden"]),
        verified_genuine=row["verified_genuine"],
    )


def _times(by_agency: dict[str, str]) -> dict[str, datetime]:
    return {agency: datetime.fromisoformat(at) for agency, at in by_agency.items()}


def _time(at: str | None) -> datetime | None:
    return datetime.fromisoformat(at) if at else None


def _days(start: datetime | None, end: datetime | None) -> list[str] | None:
    """The UTC days a period touches (None: read every row)."""
    if start is None or end is None:
        return None
    first, last = start.astimezone(UTC).date(), end.astimezone(UTC).date()
    if (last - first).days > MAX_DAYS:
        return None
    return [(first + timedelta(days=n)).isoformat() for n in range((last - first).days + 1)]
