"""One mapping from the project's errors to HTTP answers."""

from __future__ import annotations

from typing import Any

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from dispatch.api.schemas import incident_out, unit_out
from dispatch.api.stations import UnknownStation
from dispatch.auth import Forbidden, Unauthenticated
from dispatch.errors import (
    IncidentNotFound,
    InvalidReport,
    StorageUnavailable,
    UnitNotFound,
    VersionConflict,
)
from domain.errors import DomainError, NoAgencies, ReasonRequired
from domain.values import InvalidLocation

UNPROCESSABLE = (ReasonRequired, NoAgencies)


def _body(code: str, message: str, **extra: object) -> dict[str, object]:
    return {"error": code, "detail": message, **extra}


def _current_state(request: Request, error: VersionConflict) -> dict[str, Any] | None:
    center = request.app.state.center
    for get, out in ((center.get_incident, incident_out), (center.get_unit, unit_out)):
        try:
            return out(get(error.aggregate_id))
        except (IncidentNotFound, UnitNotFound):
            continue
    return None


def validation_details(errors: Any) -> list[dict[str, Any]]:
    """Pydantic's errors without the offending input, which may not even be valid JSON or text
    (NaN, an unpaired surrogate): echoing it back turned a clear 422 into a 500."""
    return [
        {"loc": list(error["loc"]), "msg": str(error["msg"]), "type": str(error["type"])}
        for error in errors
    ]


def install_error_handlers(app: FastAPI) -> None:
    """Map every domain and application error to one clear HTTP answer."""

    @app.exception_handler(RequestValidationError)
    def _unprocessable(_: Request, error: RequestValidationError) -> JSONResponse:
        return JSONResponse({"error": "invalid", "detail": validation_details(error.errors())}, 422)

    @app.exception_handler(Unauthenticated)
    def _unauthenticated(_: Request, error: Unauthenticated) -> JSONResponse:
        return JSONResponse(
            _body("unauthenticated", str(error)), 401, headers={"WWW-Authenticate": "Bearer"}
        )

    @app.exception_handler(Forbidden)
    def _forbidden(_: Request, error: Forbidden) -> JSONResponse:
        return JSONResponse(_body("forbidden", str(error)), 403)

    @app.exception_handler(IncidentNotFound)
    @app.exception_handler(UnitNotFound)
    @app.exception_handler(UnknownStation)
    def _not_found(_: Request, error: Exception) -> JSONResponse:
        return JSONResponse(_body("not_found", str(error)), 404)

    @app.exception_handler(VersionConflict)
    def _conflict(request: Request, error: VersionConflict) -> JSONResponse:
        return JSONResponse(
            _body(
                "version_conflict",
                str(error),
                current_version=error.current,
                expected_version=error.expected,
                current=_current_state(request, error),
            ),
            409,
        )

    @app.exception_handler(InvalidReport)
    def _invalid(_: Request, error: InvalidReport) -> JSONResponse:
        detail = [
            {"loc": ["body", *error.field.split(".")], "msg": error.reason, "type": "value_error"}
        ]
        return JSONResponse({"error": "invalid", "detail": detail}, 422)

    @app.exception_handler(InvalidLocation)
    def _invalid_location(_: Request, error: InvalidLocation) -> JSONResponse:
        detail = [{"loc": ["body", "location"], "msg": str(error), "type": "value_error"}]
        return JSONResponse({"error": "invalid", "detail": detail}, 422)

    @app.exception_handler(DomainError)
    def _domain(_: Request, error: DomainError) -> JSONResponse:
        status = 422 if isinstance(error, UNPROCESSABLE) else 409
        return JSONResponse(_body(error.code, str(error)), status)

    @app.exception_handler(StorageUnavailable)
    def _unavailable(_: Request, error: StorageUnavailable) -> JSONResponse:
        return JSONResponse(
            _body("storage_unavailable", "the event store cannot be reached; nothing was saved"),
            503,
            headers={"Retry-After": "2"},
        )

    # A store lost while reading (the live index catching up, a read model) is an outage too.
    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(psycopg.OperationalError)
    @app.exception_handler(psycopg.InterfaceError)
    def _unreachable(_: Request, error: Exception) -> JSONResponse:
        return JSONResponse(
            _body(
                "storage_unavailable",
                "the store cannot be reached; retry (writes are idempotent by report_id and "
                "expected_version, so a retry never records anything twice)",
            ),
            503,
            headers={"Retry-After": "2"},
        )
