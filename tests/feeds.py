"""Helpers for feed and board tests: drive the API by role, read feeds with deadlines."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

from tests.support import report_json

Message = dict[str, Any]


class HttpClient(Protocol):
    """What TestClient and httpx.Client share."""

    def post(self, url: str, *, json: Any = ..., headers: Any = ...) -> Any: ...

    def get(self, url: str, *, headers: Any = ...) -> Any: ...


class Desk:
    """The API as each role uses it (operator by default)."""

    def __init__(self, http: HttpClient, tokens: dict[str, str], base: str = "") -> None:
        self.http, self.tokens, self.base = http, tokens, base

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}

    def post(self, path: str, body: dict[str, Any], role: str = "operator") -> dict[str, Any]:
        response = self.http.post(f"{self.base}{path}", json=body, headers=self.headers(role))
        assert response.status_code in (200, 201), response.text
        answer: dict[str, Any] = response.json()
        return answer

    def get(self, path: str, role: str = "operator") -> Any:
        response = self.http.get(f"{self.base}{path}", headers=self.headers(role))
        return response

    def report(self, **fields: Any) -> str:
        incident_id: str = self.post("/api/reports", report_json(**fields))["incident"]["id"]
        return incident_id

    def route(self, incident_id: str, *agencies: str) -> None:
        self.post(f"/api/incidents/{incident_id}/route", {"agencies": list(agencies)})

    def acknowledge(self, incident_id: str, agency: str) -> None:
        self.post(f"/api/incidents/{incident_id}/acknowledge", {}, role=f"agency:{agency}")

    def note(self, incident_id: str, text: str, role: str = "operator") -> None:
        self.post(f"/api/incidents/{incident_id}/notes", {"text": text}, role=role)

    def close(self, incident_id: str, disposition: str = "genuine") -> None:
        self.post(
            f"/api/incidents/{incident_id}/close", {"disposition": disposition, "reason": "ok"}
        )

    def reopen(self, incident_id: str) -> None:
        self.post(f"/api/incidents/{incident_id}/reopen", {"reason": "caller rang again"})

    def unit(self, code: str, agency: str, unit_type: str) -> str:
        body = {
            "code": code,
            "callsign": f"{agency} {code}",
            "agency": agency,
            "unit_type": unit_type,
            "station_id": f"{agency}-station",
            "location": {"lat": -0.49, "lon": 117.14},
        }
        unit_id: str = self.post("/api/units", body, role="supervisor")["id"]
        return unit_id

    def assign(self, incident_id: str, unit_id: str) -> None:
        self.post(f"/api/incidents/{incident_id}/units", {"unit_id": unit_id})

    def unit_status(self, unit_id: str, status: str, role: str) -> None:
        self.post(f"/api/units/{unit_id}/status", {"status": status}, role=role)

    def unit_position(self, unit_id: str, role: str) -> None:
        body = {"location": {"lat": -0.4912, "lon": 117.1431, "accuracy_m": 8}}
        self.post(f"/api/units/{unit_id}/position", body, role=role)


def deltas(messages: list[Message]) -> list[Message]:
    """The incident and unit deltas of a list of messages (no heartbeats or pongs)."""
    return [m for m in messages if m["type"] in ("incident", "unit")]


def summary(messages: list[Message]) -> list[tuple[str, str, str]]:
    """(type, event, id) of each delta: what tests compare."""
    return [
        (m["type"], m["event"], (m.get("incident") or m.get("unit") or {})["id"])
        for m in deltas(messages)
    ]


def read_until(
    receive: Callable[[], Message],
    done: Callable[[list[Message]], bool],
    timeout: float = 10.0,
) -> list[Message]:
    """Receive until ``done(messages)``; the feed's heartbeats keep ``receive`` from blocking
    past the deadline (tests run feeds with a short heartbeat)."""
    messages: list[Message] = []
    deadline = time.monotonic() + timeout
    while not done(messages):
        assert time.monotonic() < deadline, f"nothing expected in {timeout} s: {messages[-5:]}"
        messages.append(receive())
    return messages


def until(ws: Any, done: Callable[[list[Message]], bool], timeout: float = 10.0) -> list[Message]:
    """Messages from a TestClient websocket until ``done`` (heartbeats bound the wait)."""
    return read_until(ws.receive_json, done, timeout)


def has_event(event: str, entity_id: str) -> Callable[[list[Message]], bool]:
    """A ``done`` condition: a delta of this event on this incident or unit arrived."""

    def done(messages: list[Message]) -> bool:
        return any(s[1] == event and s[2] == entity_id for s in summary(messages))

    return done


def wait_until(condition: Callable[[], Any], timeout: float = 10.0, interval: float = 0.02) -> Any:
    """Poll until ``condition()`` is truthy; returns its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(interval)
