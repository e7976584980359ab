"""A caller number's earlier calls, for the call-taker's "have you called before?".

Read from the live index the intake already keeps (never by replaying the log). Call-center
roles only: a number's history is personal data an agency does not need.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel

from dispatch.permissions import Action
from domain.incident import Incident
from entrypoints.http.deps import CenterDep, CurrentPrincipal
from entrypoints.http.schemas import E164

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
    def of(cls, incident: Incident) -> CallOut:
        """The history line of an incident."""
        return cls(
            incident_id=str(incident.id),
            number=incident.number,
            received_at=incident.received_at,
            category=incident.category.value,
            priority=incident.priority.value,
            status=incident.status.value,
            disposition=incident.disposition.value if incident.disposition else None,
            closed_at=incident.closed_at,
        )


class CallerHistoryOut(BaseModel):
    """Every incident from a number (newest first, the latest ``LISTED``) and repeat counts."""

    caller_number: str
    at: datetime
    calls_1h: int
    calls_24h: int
    total: int
    incidents: list[CallOut]


@router.get("/{number}/history")
def caller_history(
    number: Annotated[str, Path(pattern=E164, description="E.164, e.g. +6281234567890")],
    center: CenterDep,
    principal: CurrentPrincipal,
) -> CallerHistoryOut:
    """The number's incidents (time, category, disposition, number) and calls in the last
    hour and day, as of now on the server's clock."""
    principal.allow(Action.READ_CALLER_HISTORY)
    calls = center.index.calls_from(number)
    at = center.clock()

    def within(span: timedelta) -> int:
        return sum(1 for c in calls if timedelta(0) <= at - c.received_at <= span)

    return CallerHistoryOut(
        caller_number=number,
        at=at,
        calls_1h=within(timedelta(hours=1)),
        calls_24h=within(timedelta(days=1)),
        total=len(calls),
        incidents=[CallOut.of(c) for c in calls[:LISTED]],
    )
