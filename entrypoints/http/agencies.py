"""``GET /api/agencies/{agency}/record``: an agency's record (its own; supervisors and auditors
see every agency's), as JSON or, with ``?format=csv``, as a CSV export."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import PlainTextResponse

from dispatch.permissions import Action
from domain.taxonomy import Agency
from entrypoints.http.deps import BackgroundDep, CenterDep, CurrentPrincipal
from entrypoints.http.kpi_facts import facts_reader
from entrypoints.http.responses import AgencyRecordJSON
from replay.agency_record import agency_record, csv_rows

router = APIRouter(prefix="/api/agencies", tags=["agency record"])


@router.get(
    "/{agency}/record",
    response_model=None,
    responses={200: {"model": AgencyRecordJSON, "content": {"text/csv": {}}}},
)
def get_agency_record(
    agency: str,
    background: BackgroundDep,
    center: CenterDep,
    principal: CurrentPrincipal,
    weeks: Annotated[int, Query(ge=1, le=53, description="how many ISO weeks, newest last")] = 12,
    format: Annotated[Literal["json", "csv"], Query(description="json or csv")] = "json",
) -> dict[str, Any] | PlainTextResponse:
    """Acknowledgement and on-scene against targets per week, unacknowledged and escalated
    incidents, each with the link to its events."""
    principal.allow(Action.READ_AGENCY_RECORD)
    try:
        known = Agency(agency)
    except ValueError:
        raise HTTPException(404, f"unknown agency {agency!r}") from None
    principal.require_agency(known)
    record = agency_record(
        center, known.value, weeks=weeks, read=facts_reader(background.readers, center)
    )
    if format == "json":
        return record
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("week", "measure", "metric", "value"))
    writer.writerows(csv_rows(record))
    return PlainTextResponse(out.getvalue(), media_type="text/csv; charset=utf-8")
