"""The simulator's HTTP client: the console's report body, every request timed and counted.

Every request goes through ``Api.call``, which records its status (5xx are violations), and
intake latency; nothing here decides anything.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from domain.taxonomy import Agency
from simulator.traffic import PlannedCall

JSON = dict[str, Any]
KEEPALIVE_S = 2.0


def report_body(call: PlannedCall, report_id: uuid.UUID) -> JSON:
    """The POST /api/reports body exactly as the console sends it (console_ui/static/js/
    intake.js ``body()``): every field of the form, ``silent`` always said (the 'silent' box,
    unticked when the caller spoke), ``sim_present`` false when 'no SIM' is ticked and null
    otherwise, no ``first_speech_s`` or ``call_duration_s`` (the console measures neither); a
    point picked on the map (no accuracy), or the raw AML SMS. Keep this the one place to
    align with the console."""
    body: JSON = {
        "report_id": str(report_id),
        "channel": "voice",
        "category": call.category.value,
        "description": call.description,
        "persons_involved": None,
        "injuries": call.injuries,
        "caller_number": call.caller_number,
        "address_text": None,
        "silent": call.silent,
        "sim_present": False if call.caller_number is None else None,
    }
    if call.location is not None and call.aml:
        body["aml"] = aml_sms(call)
    elif call.location is not None:
        body["location"] = {
            "lat": call.location.lat,
            "lon": call.location.lon,
            "source": "operator_map",
        }
    return body


def first_units(rec: JSON, agencies: list[Agency]) -> list[JSON]:
    """The first recommended unit of each agency (console_ui/static/js/advice.js)."""
    units: list[JSON] = rec.get("units") or []
    found = [next((u for u in units if u["agency"] == a.value), None) for a in agencies]
    return [u for u in found if u is not None]


def aml_sms(call: PlannedCall) -> str:
    """An EENA Advanced Mobile Location SMS for the call's position (GNSS fix)."""
    if call.location is None:
        raise ValueError(f"call {call.seq} has no location to put in an AML SMS")
    return (
        f'A"ML=1;lt={call.location.lat:+.5f};lg={call.location.lon:+.5f};'
        f"rd={call.accuracy_m or 20:.0f};top=20261206000000;lc=90;pm=G;si=510100000000000;"
        "ei=350000000000000;mcc=510;mnc=10;ml=124"
    )


@dataclass(frozen=True)
class Answer:
    """One HTTP answer: status, JSON body (empty when none) and the server's clock."""

    status: int
    body: JSON
    server_time: datetime | None

    @property
    def ok(self) -> bool:
        """A 2xx answer."""
        return 200 <= self.status < 300


@dataclass(frozen=True)
class ServerError:
    """A 5xx answer, kept as an example."""

    method: str
    path: str
    status: int
    detail: str


@dataclass
class HttpLog:
    """What the server answered during the shift."""

    statuses: dict[int, int] = field(default_factory=dict)
    server_errors: list[ServerError] = field(default_factory=list)
    client_errors: list[ServerError] = field(default_factory=list)
    intake_latency_s: list[float] = field(default_factory=list)

    @property
    def requests(self) -> int:
        """How many requests got an answer."""
        return sum(self.statuses.values())


class Unreachable(Exception):
    """Raised when the server cannot be reached at all."""


class Api:
    """The server's HTTP API with one token per role (operator, agencies, auditor)."""

    def __init__(self, url: str, tokens: dict[str, str], timeout_s: float = 30.0) -> None:
        self.url = url.rstrip("/")
        self.tokens = tokens
        self.log = HttpLog()
        self.on_answer: Callable[[str, str, int, str], None] | None = None
        # Idle connections are dropped before uvicorn's 5 s keep-alive closes them, so a request
        # never goes out on a connection the server is closing (a ReadError, not an answer).
        limits = httpx.Limits(keepalive_expiry=KEEPALIVE_S)
        self._http = httpx.AsyncClient(base_url=self.url, timeout=timeout_s, limits=limits)

    async def close(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    async def call(self, role: str, method: str, path: str, body: JSON | None = None) -> Answer:
        """Send one request as ``role``; transport errors raise Unreachable."""
        headers = {"Authorization": f"Bearer {self.tokens[role]}"}
        try:
            response = await self._http.request(method, path, json=body, headers=headers)
        except httpx.TransportError as error:
            raise Unreachable(f"{method} {path}: {error!r}") from error
        self.log.statuses[response.status_code] = self.log.statuses.get(response.status_code, 0) + 1
        answer = Answer(response.status_code, _json(response), _date(response))
        if self.on_answer is not None:
            self.on_answer(method, path, response.status_code, response.text[:300])
        if response.status_code >= 400:
            failure = ServerError(method, path, response.status_code, response.text[:300])
            if response.status_code >= 500:
                self.log.server_errors.append(failure)
            else:
                self.log.client_errors.append(failure)
        return answer

    async def report(self, call: PlannedCall) -> Answer:
        """Take a call as the console does; the latency is recorded."""
        started = time.perf_counter()
        answer = await self.call(
            "operator", "POST", "/api/reports", report_body(call, uuid.uuid4())
        )
        self.log.intake_latency_s.append(time.perf_counter() - started)
        return answer

    async def command(self, role: str, incident_id: str, action: str, body: JSON) -> Answer:
        """POST /api/incidents/{id}/{action}."""
        return await self.call(role, "POST", f"/api/incidents/{incident_id}/{action}", body)

    async def get(self, role: str, path: str) -> Answer:
        """GET a resource."""
        return await self.call(role, "GET", path)


def _json(response: httpx.Response) -> JSON:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {"items": body}


def _date(response: httpx.Response) -> datetime | None:
    header = response.headers.get("date")
    if not header:
        return None
    try:
        return parsedate_to_datetime(header).astimezone(UTC)
    except (TypeError, ValueError):
        return None
