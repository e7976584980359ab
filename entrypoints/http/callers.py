"""A caller number's earlier calls, for the call-taker's "have you called before?".

Read from the ``caller_history`` projection, which keeps every call a number ever made, with
the present's window of it on top (30 days, read after a refresh, so the call just taken and
its latest state are there even while the projection is a moment behind: the call-taker's
result panel asks right after the save); ``position`` says up to where in the log the
projection's lines are. On a store without projections (memory), from the present alone.
Never by replaying the log. Call-center roles only: a number's history is personal
data an agency does not need.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from pydantic import BaseModel

from dispatch.permissions import Action
from dispatch.present import Call
from entrypoints.http.deps import BackgroundDep, CenterDep, CurrentPrincipal
from entrypoints.http.schemas import E164
from projections.callers import CallersView, status_of
from projections.wiring import ProjectionReaders, ProjectionsUnavailable

router = APIRouter(prefix="/api/callers", tags=["callers"])
LISTED = 20


class CallOut(BaseModel):
    """One earlier incident of the number, as the history panel shows it."""

    incident_id: str
    number: str
    received_at: datetime
    category: str
    priority: str
    status: str
    disposition: str | None
    closed_at: datetime | None

    @classmethod
    def of(cls, call: Call) -> CallOut:
        """The history line of a call."""
        return cls(
            incident_id=str(call.incident_id),
            number=call.number,
            received_at=call.received_at,
            category=call.category.value,
            priority=call.priority.value,
            status=call.status.value,
            disposition=call.disposition.value if call.disposition else None,
            closed_at=call.closed_at,
        )

    @classmethod
    def of_line(cls, line: dict[str, Any]) -> CallOut:
        """The history line of an incident, from the projection's row."""
        return cls(
            incident_id=line["incident_id"],
            number=line["number"],
            received_at=datetime.fromisoformat(line["received_at"]),
            category=line["category"],
            priority=line["priority"],
            status=status_of(line).value,
            disposition=line["disposition"],
            closed_at=datetime.fromisoformat(line["closed_at"]) if line["closed_at"] else None,
        )


class CallerHistoryOut(BaseModel):
    """Every incident from a number (newest first, the latest ``LISTED``) and repeat counts."""

    caller_number: str
    at: datetime
    calls_1h: int
    calls_24h: int
    total: int
    incidents: list[CallOut]
    source: Literal["projection", "index"]
    position: int | None  # the projection's log position (None when read from the index)


@router.get("/{number}/history")
def caller_history(
    number: Annotated[str, Path(pattern=E164, description="E.164, e.g. +6281234567890")],
    background: BackgroundDep,
    center: CenterDep,
    principal: CurrentPrincipal,
) -> CallerHistoryOut:
    """The number's incidents (time, category, disposition, number) and calls in the last
    hour and day, as of now on the server's clock."""
    principal.allow(Action.READ_CALLER_HISTORY)
    at = center.clock()
    view = _view(background.readers)
    position, lines = view.lines(number) if view is not None else (None, [])
    # The present after a refresh (the writer's own call included), then the projection's
    # older lines: the present's copy of an incident is the newer one.
    recent = [CallOut.of(c) for c in center.present.calls_from(number)]
    known = {c.incident_id for c in recent}
    older = [CallOut.of_line(line) for line in lines if line["incident_id"] not in known]
    calls = sorted([*recent, *older], key=lambda c: c.received_at, reverse=True)

    def within(span: timedelta) -> int:
        return sum(1 for c in calls if timedelta(0) <= at - c.received_at <= span)

    return CallerHistoryOut(
        caller_number=number,
        at=at,
        calls_1h=within(timedelta(hours=1)),
        calls_24h=within(timedelta(days=1)),
        total=len(calls),
        incidents=calls[:LISTED],
        source="index" if view is None else "projection",
        position=position,
    )


def _view(readers: ProjectionReaders | None) -> CallersView | None:
    """The projection's view, or None on a store without projections (or one that kept calls
    before it kept their lines: it needs a rebuild, and the index answers meanwhile)."""
    if readers is None:
        return None
    try:
        view = readers.view("caller_history")
    except ProjectionsUnavailable:  # a memory store
        return None
    assert isinstance(view, CallersView)
    return None if view.predates_lines() else view
