"""One mapping from the project's errors to HTTP answers.

Every 422 has one shape, whatever refused the input (the request schema, a body that is not
JSON, or a rule of the application or the domain)::

    {"error": "invalid",
     "detail": [{"field": "location.lat", "msg": "the reason", "type": "value_error",
                 "loc": ["body", "location", "lat"]}]}

``field`` is the JSON path inside the body (or the query/path/header parameter's name),
``msg`` the reason in words, ``loc`` the same place as a list, with where it came from first.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from adapters.auth import Forbidden, Unauthenticated
from dispatch.errors import (
    IncidentNotFound,
    InvalidReport,
    StorageUnavailable,
    UnitNotFound,
    VersionConflict,
)
from domain.errors import DomainError, NoAgencies, ReasonRequired
from domain.values import InvalidLocation
from entrypoints.http.rate_limit import RateLimited
from entrypoints.http.stations import UnknownStation
from entrypoints.http.stopping import ServerStopping
from formats.incident_json import incident_out, unit_out

# The field each domain refusal is about (a note's text is its own field).
DOMAIN_FIELDS: dict[type[DomainError], str] = {ReasonRequired: "reason", NoAgencies: "agencies"}
TEXT_ROUTES = ("/api/incidents/{incident_id}/notes",)


@dataclass(frozen=True)
class FieldError:
    """One refused part of a request: where it is, and why."""

    loc: tuple[str | int, ...]
    reason: str
    type: str = "value_error"

    @property
    def field(self) -> str:
        """The JSON path of the field (``location.lat``, ``hazards[2]``), without its source."""
        path = ""
        for part in self.loc[1:]:
            path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
        return path or str(self.loc[0])

    def as_json(self) -> dict[str, object]:
        """As one entry of a 422's ``detail``."""
        return {"field": self.field, "msg": self.reason, "type": self.type, "loc": list(self.loc)}


def invalid(errors: Sequence[FieldError]) -> JSONResponse:
    """The one 422 answer."""
    return JSONResponse({"error": "invalid", "detail": [e.as_json() for e in errors]}, 422)


def from_validation(error: dict[str, Any]) -> FieldError:
    """A pydantic/FastAPI validation error, without the input it echoes (a caller number, a
    whole body) and with a body that is not JSON named as such."""
    loc = tuple(error.get("loc") or ("body",))
    reason = str(error.get("msg", "invalid"))
    kind = str(error.get("type", "value_error"))
    if kind == "json_invalid":
        detail = (error.get("ctx") or {}).get("error")
        at = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else None
        where = f" at character {at}" if at is not None else ""
        reason = f"the body is not valid JSON: {detail or reason}{where}"
        loc = (loc[0],)
    return FieldError(loc, reason, kind)


def _domain_field(request: Request, error: DomainError) -> str:
    route = getattr(request.scope.get("route"), "path", "")
    if isinstance(error, ReasonRequired) and route in TEXT_ROUTES:
        return "text"
    return next(f for kind, f in DOMAIN_FIELDS.items() if isinstance(error, kind))


def _body(code: str, message: str, **extra: object) -> dict[str, object]:
    return {"error": code, "detail": message, **extra}


def _current_state(request: Request, error: VersionConflict) -> dict[str, Any] | None:
    services = getattr(request.app.state, "services", None)
    if services is None:
        return None
    center = services.center
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

    @app.exception_handler(RequestValidationError)
    def _invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        return invalid([from_validation(e) for e in error.errors()])

    @app.exception_handler(InvalidReport)
    def _invalid(_: Request, error: InvalidReport) -> JSONResponse:
        return invalid([FieldError(("body", *error.field.split(".")), error.reason)])

    @app.exception_handler(InvalidLocation)
    def _invalid_location(_: Request, error: InvalidLocation) -> JSONResponse:
        return invalid([FieldError(("body", "location"), str(error))])

    @app.exception_handler(DomainError)
    def _domain(request: Request, error: DomainError) -> JSONResponse:
        if isinstance(error, tuple(DOMAIN_FIELDS)):
            field = _domain_field(request, error)
            return invalid([FieldError(("body", field), str(error), error.code)])
        return JSONResponse(_body(error.code, str(error)), 409)

    @app.exception_handler(RateLimited)
    def _rate_limited(_: Request, error: RateLimited) -> JSONResponse:
        seconds = str(max(1, math.ceil(error.retry_after_s)))
        return JSONResponse(
            _body("rate_limited", str(error)), 429, headers={"Retry-After": seconds}
        )

    @app.exception_handler(ServerStopping)
    def _stopping(_: Request, error: ServerStopping) -> JSONResponse:
        return JSONResponse(_body("stopping", str(error)), 503, headers={"Retry-After": "2"})

    @app.exception_handler(StorageUnavailable)
    def _unavailable(_: Request, error: StorageUnavailable) -> JSONResponse:
        return JSONResponse(
            _body("storage_unavailable", "the event store cannot be reached; nothing was saved"),
            503,
            headers={"Retry-After": "2"},
        )

    # A store lost while reading (the present catching up, a read model) is an outage too.
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
