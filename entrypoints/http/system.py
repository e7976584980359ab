"""Health, metrics, the caller's identity and the taxonomy for clients."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from dispatch.errors import StorageUnavailable
from domain.taxonomy import Agency, Category, Disposition, Priority, UnitStatus, UnitType
from entrypoints.http.deps import BackgroundDep, CenterDep, CurrentPrincipal, RouterDep, SettingsDep
from entrypoints.http.responses import EscalationRulesJSON, HealthJSON, MeJSON, TaxonomyJSON

router = APIRouter(tags=["system"])


@router.get("/healthz", response_model=HealthJSON)
def healthz(center: CenterDep, background: BackgroundDep, response: Response) -> dict[str, Any]:
    """Liveness, the event store's reachability and each part's own check (503 when any
    fails: a store that cannot be read, a projection that stopped on an event)."""
    try:
        position = center.present.refresh()
    except Exception as error:  # any store failure makes the node unhealthy, visibly
        response.status_code = 503
        return {"status": "unavailable", "error": str(StorageUnavailable(str(error)))}
    body: dict[str, Any] = {"status": "ok", "position": position}
    # Each background part adds its check: name -> () -> (healthy, detail).
    for name, check in background.health_checks.items():
        healthy, body[name] = check()
        if not healthy:
            response.status_code = 503
            body["status"] = "degraded"
    return body


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    """Prometheus metrics of this process."""
    return Response(generate_latest(request.app.state.metrics), media_type=CONTENT_TYPE_LATEST)


@router.get("/api/me", tags=["auth"], response_model=MeJSON)
def me(principal: CurrentPrincipal) -> dict[str, Any]:
    """Who the token belongs to."""
    return {
        "role": principal.role,
        "name": principal.name,
        "agency": principal.agency.value if principal.agency else None,
        "actor": principal.actor,
    }


@router.get("/api/taxonomy", response_model=TaxonomyJSON)
def taxonomy(principal: CurrentPrincipal, settings: SettingsDep) -> dict[str, Any]:
    """Categories, agencies, priorities, dispositions and unit statuses with their labels, and
    the center's time zone (clients show times in it, whatever the workstation's zone)."""
    return {
        "timezone": settings.timezone,
        "categories": [
            {"code": c.value, "label_id": c.label_id, "label_en": c.label_en} for c in Category
        ],
        "agencies": [
            {"code": a.value, "label_id": a.label_id, "label_en": a.label_en} for a in Agency
        ],
        "priorities": [{"code": p.value, "eido": p.eido} for p in Priority],
        "dispositions": [d.value for d in Disposition],
        "unit_statuses": [s.value for s in UnitStatus],
        "unit_types": [t.value for t in UnitType],
    }


@router.get("/api/escalation-rules", response_model=EscalationRulesJSON)
def escalation_rules(
    principal: CurrentPrincipal, settings: SettingsDep, routing: RouterDep
) -> dict[str, Any]:
    """The deadlines the escalation watchdog applies (read-only), so clients can show and
    check them: acknowledgement timeout per priority, processing target, check interval."""
    rules = routing.rules
    return {
        "ack_timeout_s": {p.value: rules.ack_timeout(p).total_seconds() for p in Priority},
        "processing_target_s": rules.escalation.processing_target_s,
        "unit_expected_for": [p.value for p in rules.escalation.unit_expected_for],
        "watchdog_enabled": settings.watchdog_enabled,
        "watchdog_interval_s": settings.watchdog_interval_s,
    }
