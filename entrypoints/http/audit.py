"""The audit API (``/api/audit``): read-only, for auditors (supervisors may read too)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.exceptions import RequestValidationError

from adapters.scoring import thresholds
from dispatch.permissions import Action
from entrypoints.http.deps import BackgroundDep, CenterDep, CurrentPrincipal, SettingsDep
from entrypoints.http.kpi_facts import facts_reader
from entrypoints.http.responses import (
    EidoJSON,
    KpiJSON,
    RebuildCheckJSON,
    RescoreJSON,
    StateJSON,
    TimelineJSON,
    VerificationJSON,
)
from replay import eido, kpi, rescore, state, timeline, verify
from replay.chain import Signer
from replay.checkpoints import open_audit_store
from replay.errors import InvalidQuery, ModelNotFound
from replay.kpi_labels import Lang
from replay.kpi_source import from_log
from replay.rebuild import RebuildUnavailable, rebuild_check
from replay.times import parse_instant, parse_period

router = APIRouter(prefix="/api/audit", tags=["audit"])
#: Log positions are 64-bit signed integers in both stores; a larger one is a 422, not a 500.
MAX_POSITION = 2**63 - 1
Reference = Annotated[str, "an incident id (UUID) or radio number (SMD-20261122-0042)"]


@contextmanager
def _query_errors() -> Iterator[None]:
    try:
        yield
    except InvalidQuery as error:
        raise RequestValidationError(
            [{"loc": ("query", error.field), "msg": error.reason, "type": "value_error"}]
        ) from error


@router.get("/incidents/{reference}/timeline", response_model=TimelineJSON)
def get_timeline(
    reference: Reference, center: CenterDep, principal: CurrentPrincipal
) -> dict[str, Any]:
    """Every event of an incident (by id or radio number): position, time, actor, type, data."""
    principal.allow(Action.AUDIT)
    return timeline.timeline(center, reference)


@router.get("/incidents/{reference}/eido", response_model=EidoJSON)
def get_eido(
    reference: Reference, center: CenterDep, principal: CurrentPrincipal
) -> dict[str, Any]:
    """The incident as a NENA EIDO-shaped JSON document."""
    principal.allow(Action.AUDIT)
    return eido.eido(center, reference)


@router.get("/incidents/{reference}/rescore", response_model=RescoreJSON)
def get_rescore(
    reference: Reference, center: CenterDep, settings: SettingsDep, principal: CurrentPrincipal
) -> dict[str, Any]:
    """Every recorded score re-run with its recorded model version, and compared."""
    principal.allow(Action.AUDIT)
    try:
        dirs = rescore.default_model_dirs(settings.classifier_model_path)
        return rescore.rescore(center, reference, dirs, thresholds(settings))
    except ModelNotFound as error:
        raise HTTPException(404, str(error)) from error


@router.get("/state", response_model=StateJSON)
def get_state(
    center: CenterDep,
    principal: CurrentPrincipal,
    at: Annotated[str | None, Query(description="ISO 8601; local time (WITA) if no zone")] = None,
    position: Annotated[
        int | None, Query(ge=0, le=MAX_POSITION, description="a log position")
    ] = None,
    incident: Annotated[str | None, Query(description="incident id or radio number")] = None,
    board: Annotated[str | None, Query(description="an agency: police, fire, medical…")] = None,
) -> dict[str, Any]:
    """An incident, an agency's board or every open incident, rebuilt from the log as at a
    recording time or a log position (default: now)."""
    principal.allow(Action.AUDIT)
    with _query_errors():
        when = parse_instant(at, center.local_zone) if at is not None else None
        return state.state(center, state.AsOf(position, when), incident=incident, board=board)


@router.get("/kpi", response_model=KpiJSON)
def get_kpi(
    background: BackgroundDep,
    center: CenterDep,
    principal: CurrentPrincipal,
    from_: Annotated[str, Query(alias="from", description="ISO date or time (WITA if no zone)")],
    to: Annotated[str, Query(description="ISO date or time, exclusive")],
    lang: Annotated[Lang, Query(description="labels and period in id (default) or en")] = "id",
    source: Annotated[
        Literal["projection", "log"],
        Query(description="the kpis projection's rows (default), or the whole log folded"),
    ] = "projection",
) -> dict[str, Any]:
    """Call volumes, dispositions, NFPA 1225 measures against their targets, escalations and
    verification waits for a period; ``source`` in the answer says where the figures were read
    and how far behind the log the projection is."""
    principal.allow(Action.AUDIT)
    with _query_errors():
        start, end = parse_period(from_, to, center.local_zone)
    read = (
        from_log(center)
        if source == "log"
        else facts_reader(background.readers, center)(start, end)
    )
    return kpi.report(center, start, end, lang=lang, facts=read)


@router.get("/rebuild-check", response_model=RebuildCheckJSON)
def get_rebuild_check(settings: SettingsDep, principal: CurrentPrincipal) -> dict[str, Any]:
    """Every projection rebuilt from position 0 and compared with the live one."""
    principal.allow(Action.AUDIT)
    try:
        return rebuild_check(settings)
    except RebuildUnavailable as error:
        raise HTTPException(503, str(error)) from error


@router.get("/verify", response_model=VerificationJSON)
def get_verify(
    center: CenterDep, settings: SettingsDep, principal: CurrentPrincipal
) -> dict[str, Any]:
    """The hash chain recomputed over the log and checked against the signed checkpoints."""
    principal.allow(Action.AUDIT)
    store = open_audit_store(settings, center.recorder)
    signer = Signer(settings.audit_key.get_secret_value().encode())
    try:
        return verify.verify(center.recorder, store, signer).to_json()
    finally:
        store.close()
