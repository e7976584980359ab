"""Incident resources: intake, reads and the commands of call-takers and agencies."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID, uuid5

from fastapi import APIRouter, Header, Query, Response, status

from adapters.auth import Principal
from dispatch.center import storage_errors
from dispatch.errors import IncidentNotFound, InvalidReport
from dispatch.permissions import Action, may, visible_to
from domain.incident import INCIDENT_NAMESPACE, Incident
from domain.taxonomy import Agency, Category, IncidentStatus
from entrypoints.http.deps import CenterDep, CurrentPrincipal, IntakeLimitDep, StoppingDep
from entrypoints.http.links import incident_links
from entrypoints.http.model_response import model_response
from entrypoints.http.responses import (
    IncidentEventsJSON,
    IncidentListJSON,
    IntakeJSON,
    RecommendationEnvelopeJSON,
)
from entrypoints.http.schemas import (
    REPORT_ID_REQUIRED,
    AcknowledgeIn,
    AssignUnitIn,
    CloseIn,
    LinkIn,
    NoteIn,
    ReasonIn,
    ReleaseUnitIn,
    ReportCreate,
    RouteIn,
    ScoreOverrideIn,
    TriageIn,
    VerifyIn,
)
from formats.incident_json import event_out, incident_out
from formats.models import IncidentJSON
from replay.positions import event_positions

router = APIRouter(prefix="/api", tags=["incidents"])


def visible(principal: Principal, incident: Incident) -> Incident:
    """The incident if the principal may see it (``visible_to``); otherwise the 404 an
    unknown id gets, naming nothing of it."""
    if not visible_to(principal, incident):
        raise IncidentNotFound(incident.id)
    return incident


@router.post(
    "/reports",
    status_code=status.HTTP_201_CREATED,
    response_model=IntakeJSON,
    responses={
        201: {"links": incident_links("/incident/id")},
        200: {"model": IntakeJSON, "description": "a retried report: the same incident again"},
    },
)
def post_report(
    body: ReportCreate,
    center: CenterDep,
    principal: CurrentPrincipal,
    intake_limit: IntakeLimitDep,
    stopping: StoppingDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> Response:
    """Record a call: scored, located and advised; a retried report returns the same incident."""
    principal.allow(Action.REPORT)
    stopping.check()  # a report waiting for a thread when the stop signal came is not begun
    intake_limit.take(principal.actor)
    report_id = body.report_id or (
        uuid5(INCIDENT_NAMESPACE, idempotency_key) if idempotency_key else None
    )
    if report_id is None:
        raise InvalidReport("report_id", REPORT_ID_REQUIRED)
    result = center.report(body.to_request(report_id))
    answer = {
        "created": result.created,
        "incident": incident_out(result.incident),
        "recommendation": result.recommendation.to_dict() if result.recommendation else None,
    }
    # Checked against IntakeJSON and written once, here in the route's thread: returned as a
    # dict, FastAPI would send it back to the thread pool for the same check.
    return model_response(IntakeJSON, answer, 201 if result.created else 200)


@router.get("/incidents", response_model=IncidentListJSON)
def list_incidents(
    center: CenterDep,
    principal: CurrentPrincipal,
    status_: Annotated[IncidentStatus | None, Query(alias="status")] = None,
    agency: Agency | None = None,
    category: Category | None = None,
    include_closed: bool = False,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> dict[str, Any]:
    """Incidents, newest first, filtered by status, agency and category."""
    principal.allow(Action.READ_INCIDENTS)
    if principal.agency is not None:
        principal.require_agency(agency or principal.agency)
        agency = principal.agency
    wants_closed = include_closed or status_ is IncidentStatus.CLOSED
    found = [
        i
        for i in center.present.incidents(include_closed=wants_closed)
        if visible_to(principal, i)
        and (status_ is None or i.status is status_)
        and (agency is None or agency in i.agencies)
        and (category is None or i.category is category)
    ]
    return {
        "position": center.present.position,
        "total": len(found),
        "incidents": [incident_out(i) for i in found[:limit]],
    }


@router.get("/incidents/{incident_id}", response_model=IncidentJSON)
def get_incident(
    incident_id: UUID, center: CenterDep, principal: CurrentPrincipal
) -> dict[str, Any]:
    """One incident's current state and version."""
    principal.allow(Action.READ_INCIDENTS)
    return incident_out(visible(principal, center.get_incident(incident_id)))


@router.get("/incidents/{incident_id}/events", response_model=IncidentEventsJSON)
def get_incident_events(
    incident_id: UUID, center: CenterDep, principal: CurrentPrincipal
) -> dict[str, Any]:
    """The incident's full history: log position, type, time, actor and data of every event."""
    principal.allow(Action.READ_INCIDENTS)
    visible(principal, center.get_incident(incident_id))
    events = center.incident_events(incident_id)
    if not may(
        principal.role, Action.AUDIT
    ):  # a shadow model's scores are never shown to the floor
        events = [e for e in events if not isinstance(e, Incident.ShadowScored)]
    with storage_errors():
        positions = event_positions(center, incident_id)
    return {
        "incident_id": str(incident_id),
        "events": [event_out(e, positions.get(e.originator_version)) for e in events],
    }


@router.get("/incidents/{incident_id}/recommendation", response_model=RecommendationEnvelopeJSON)
def get_recommendation(
    incident_id: UUID, center: CenterDep, principal: CurrentPrincipal
) -> dict[str, Any]:
    """Agencies, stations, units and duplicate suggestions for an incident, as of now."""
    principal.allow(Action.READ_RECOMMENDATION)
    visible(principal, center.get_incident(incident_id))
    advice = center.advise(incident_id)
    return {"recommendation": advice.to_dict() if advice else None}


def _done(incident: Incident) -> dict[str, Any]:
    return incident_out(incident)


@router.post("/incidents/{incident_id}/triage", response_model=IncidentJSON)
def triage(
    incident_id: UUID, body: TriageIn, center: CenterDep, principal: CurrentPrincipal
) -> dict[str, Any]:
    """Set or change priority and category, with a reason."""
    principal.allow(Action.TRIAGE)
    return _done(
        center.triage(incident_id, body.priority, body.category, body.reason, body.expected_version)
    )


@router.post("/incidents/{incident_id}/route", response_model=IncidentJSON)
def route(
    incident_id: UUID, body: RouteIn, center: CenterDep, principal: CurrentPrincipal
) -> dict[str, Any]:
    """Route to agencies and optionally dispatch units, in one action."""
    principal.allow(Action.ROUTE)
    return _done(
        center.route(
            incident_id,
            body.agencies,
            unit_ids=body.unit_ids,
            expected_version=body.expected_version,
        )
    )


@router.post("/incidents/{incident_id}/acknowledge", response_model=IncidentJSON)
def acknowledge(
    incident_id: UUID, body: AcknowledgeIn, center: CenterDep, principal: CurrentPrincipal
) -> dict[str, Any]:
    """An agency confirms it has taken the incident."""
    principal.allow(Action.ACKNOWLEDGE)
    visible(principal, center.get_incident(incident_id))  # another agency's: 404 first
    agency = body.agency or principal.agency
    if agency is None:
        raise InvalidReport("agency", "name the agency that acknowledges")
    principal.require_agency(agency)
    return _done(center.acknowledge(incident_id, agency, body.expected_version))


@router.post("/incidents/{incident_id}/units", response_model=IncidentJSON)
def assign_unit(
    incident_id: UUID, body: AssignUnitIn, center: CenterDep, principal: CurrentPrincipal
) -> dict[str, Any]:
    """Dispatch a unit (incident and unit change together)."""
    principal.allow(Action.ASSIGN_UNIT)
    if principal.agency is not None:  # its own unit, on its own incident
        visible(principal, center.get_incident(incident_id))
        principal.require_agency(center.get_unit(body.unit_id).agency)
    return _done(center.assign_unit(incident_id, body.unit_id, body.expected_version))


@router.post("/incidents/{incident_id}/units/{unit_id}/release", response_model=IncidentJSON)
def release_unit(
    incident_id: UUID,
    unit_id: UUID,
    body: ReleaseUnitIn,
    center: CenterDep,
    principal: CurrentPrincipal,
) -> dict[str, Any]:
    """Release a unit from an incident (the unit becomes available)."""
    principal.allow(Action.RELEASE_UNIT)
    visible(principal, center.get_incident(incident_id))  # another agency's: 404, no number
    principal.require_agency(center.get_unit(unit_id).agency)
    return _done(center.release_unit(incident_id, unit_id, body.reason, body.expected_version))


@router.post("/incidents/{incident_id}/notes", response_model=IncidentJSON)
def add_note(
    incident_id: UUID, body: NoteIn, center: CenterDep, principal: CurrentPrincipal
) -> dict[str, Any]:
    """Add a note (call-takers, and agencies on their own incidents)."""
    principal.allow(Action.ADD_NOTE)
    visible(principal, center.get_incident(incident_id))
    return _done(center.add_note(incident_id, body.text, body.expected_version))


@router.post("/incidents/{incident_id}/link", response_model=IncidentJSON)
def link(
    incident_id: UUID, body: LinkIn, center: CenterDep, principal: CurrentPrincipal
) -> dict[str, Any]:
    """Link this report as a duplicate of a primary incident."""
    principal.allow(Action.LINK)
    return _done(center.link_duplicate(incident_id, body.primary_id, body.expected_version))


@router.post("/incidents/{incident_id}/close", response_model=IncidentJSON)
def close(
    incident_id: UUID, body: CloseIn, center: CenterDep, principal: CurrentPrincipal
) -> dict[str, Any]:
    """Close with a disposition; assigned units are released."""
    principal.allow(Action.CLOSE)
    return _done(
        center.close_incident(incident_id, body.disposition, body.reason, body.expected_version)
    )


@router.post("/incidents/{incident_id}/reopen", response_model=IncidentJSON)
def reopen(
    incident_id: UUID, body: ReasonIn, center: CenterDep, principal: CurrentPrincipal
) -> dict[str, Any]:
    """Reopen a closed incident, with a reason."""
    principal.allow(Action.REOPEN)
    return _done(center.reopen(incident_id, body.reason, body.expected_version))


@router.post("/incidents/{incident_id}/verify", response_model=IncidentJSON)
def verify(
    incident_id: UUID, body: VerifyIn, center: CenterDep, principal: CurrentPrincipal
) -> dict[str, Any]:
    """Record the call-back outcome; a false call is closed with its disposition."""
    principal.allow(Action.VERIFY)
    return _done(
        center.verify(
            incident_id,
            genuine=body.outcome == "genuine",
            reason=body.reason,
            disposition=body.disposition,
            expected_version=body.expected_version,
        )
    )


@router.post("/incidents/{incident_id}/score-override", response_model=IncidentJSON)
def override_score(
    incident_id: UUID, body: ScoreOverrideIn, center: CenterDep, principal: CurrentPrincipal
) -> dict[str, Any]:
    """Override the classifier's band, with a reason."""
    principal.allow(Action.OVERRIDE_SCORE)
    return _done(center.override_score(incident_id, body.band, body.reason, body.expected_version))
