"""Every route and websocket × every role, checked against the one permissions table.

The expectation of each pair comes from ``dispatch.permissions.PERMISSIONS``, never from a second
list here: a route that enforces something else than the table, or forgets to ask it, fails.
An agency acting on what is its own must pass the role check (its answer may still be a 404,
409 or 422 for other reasons, never 401 or 403); on another agency's incident it gets exactly
the 404 an unknown id gets, with nothing of the incident in the body.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from dispatch.permissions import PERMISSIONS, SHARED_WITH_EVERY_AGENCY, Action, may
from tests.support import Tokens, auth, report_json

ROLES = ("operator", "supervisor", "auditor", "agency:fire", "agency:police", "agency:medical")


@dataclass(frozen=True)
class World:
    """One fire incident (routed to fire), one fire unit, one police incident."""

    fire_incident: str
    fire_number: str
    police_incident: str
    fire_unit: str

    def fill(self, path: str) -> str:
        return path.format(incident=self.fire_incident, unit=self.fire_unit)


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    action: Action
    body: Callable[[World], dict[str, Any]] | None = None
    fire_owned: bool = True  # acts on the fire agency's incident, unit, board or station


def nothing(_: World) -> dict[str, Any]:
    return {}


ROUTES = [
    Route("POST", "/api/reports", Action.REPORT, lambda w: report_json(), fire_owned=False),
    Route("GET", "/api/incidents", Action.READ_INCIDENTS, fire_owned=False),
    Route("GET", "/api/incidents/{incident}", Action.READ_INCIDENTS),
    Route("GET", "/api/incidents/{incident}/events", Action.READ_INCIDENTS),
    Route("GET", "/api/incidents/{incident}/recommendation", Action.READ_RECOMMENDATION),
    Route(
        "GET", "/api/callers/%2B6281234567890/history", Action.READ_CALLER_HISTORY, fire_owned=False
    ),
    Route(
        "POST",
        "/api/incidents/{incident}/triage",
        Action.TRIAGE,
        lambda w: {"priority": "P2", "category": "kebakaran", "reason": "api kecil"},
    ),
    Route(
        "POST", "/api/incidents/{incident}/route", Action.ROUTE, lambda w: {"agencies": ["fire"]}
    ),
    Route(
        "POST",
        "/api/incidents/{incident}/acknowledge",
        Action.ACKNOWLEDGE,
        lambda w: {"agency": "fire"},
    ),
    Route(
        "POST",
        "/api/incidents/{incident}/units",
        Action.ASSIGN_UNIT,
        lambda w: {"unit_id": w.fire_unit},
    ),
    Route("POST", "/api/incidents/{incident}/units/{unit}/release", Action.RELEASE_UNIT, nothing),
    Route(
        "POST", "/api/incidents/{incident}/notes", Action.ADD_NOTE, lambda w: {"text": "catatan"}
    ),
    Route("POST", "/api/incidents/{incident}/status-link", Action.ISSUE_STATUS_LINK, nothing),
    Route(
        "POST",
        "/api/incidents/{incident}/link",
        Action.LINK,
        lambda w: {"primary_id": w.police_incident},
    ),
    Route(
        "POST",
        "/api/incidents/{incident}/verify",
        Action.VERIFY,
        lambda w: {"outcome": "genuine", "reason": "ditelepon balik"},
    ),
    Route(
        "POST",
        "/api/incidents/{incident}/score-override",
        Action.OVERRIDE_SCORE,
        lambda w: {"band": "low", "reason": "jelas darurat"},
    ),
    Route(
        "POST",
        "/api/incidents/{incident}/close",
        Action.CLOSE,
        lambda w: {"disposition": "genuine", "reason": "selesai"},
    ),
    Route("POST", "/api/incidents/{incident}/reopen", Action.REOPEN, lambda w: {"reason": "lagi"}),
    Route("GET", "/api/units", Action.READ_UNITS, fire_owned=False),
    Route("GET", "/api/units/{unit}", Action.READ_UNITS),
    Route(
        "POST",
        "/api/units",
        Action.REGISTER_UNIT,
        lambda w: {
            "code": f"M-{uuid.uuid4().hex[:6]}",
            "callsign": "Ambulans",
            "agency": "medical",
            "unit_type": "ambulance",
            "station_id": "A-RS-HERMINA",
        },
        fire_owned=False,
    ),
    Route(
        "POST",
        "/api/units/{unit}/status",
        Action.SET_UNIT_STATUS,
        lambda w: {"status": "available"},
    ),
    Route(
        "POST",
        "/api/units/{unit}/position",
        Action.SET_UNIT_POSITION,
        lambda w: {"location": {"lat": -0.49, "lon": 117.14}},
    ),
    Route("GET", "/api/boards/fire", Action.READ_BOARD),
    Route("GET", "/api/agencies/fire/record", Action.READ_AGENCY_RECORD),
    Route(
        "POST",
        "/api/stations/A-DAMKAR-P3/capacity",
        Action.SET_CAPACITY,
        lambda w: {"full": False, "reason": "siap"},
    ),
    Route("GET", "/api/audit/incidents/{incident}/timeline", Action.AUDIT),
    Route("GET", "/api/audit/incidents/{incident}/eido", Action.AUDIT),
    Route("GET", "/api/audit/state", Action.AUDIT, fire_owned=False),
    Route("GET", "/api/audit/verify", Action.AUDIT, fire_owned=False),
]


def build_world(client: TestClient, tokens: Tokens) -> World:
    operator = auth(tokens, "operator")
    fire = client.post("/api/reports", json=report_json(), headers=operator).json()["incident"]
    client.post(f"/api/incidents/{fire['id']}/route", json={"agencies": ["fire"]}, headers=operator)
    police = client.post(
        "/api/reports", json=report_json(category="kriminal"), headers=operator
    ).json()["incident"]
    client.post(
        f"/api/incidents/{police['id']}/route", json={"agencies": ["police"]}, headers=operator
    )
    unit = {
        "code": f"F-{uuid.uuid4().hex[:6]}",
        "callsign": "Damkar Posko III-9",
        "agency": "fire",
        "unit_type": "fire_engine",
        "station_id": "A-DAMKAR-P3",
        "location": {"lat": -0.49, "lon": 117.14},
    }
    registered = client.post("/api/units", json=unit, headers=auth(tokens, "supervisor")).json()
    client.post(
        f"/api/incidents/{fire['id']}/units",
        json={"unit_id": registered["id"]},
        headers=operator,
    )
    return World(fire["id"], fire["number"], police["id"], registered["id"])


def call(client: TestClient, route: Route, world: World, headers: dict[str, str]) -> Any:
    body = route.body(world) if route.body else None
    return client.request(route.method, world.fill(route.path), json=body, headers=headers)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ROUTES, ids=[f"{r.method} {r.path}" for r in ROUTES])
def test_each_route_lets_in_exactly_the_roles_the_table_names(
    client: TestClient, tokens: Tokens, route: Route, role: str
) -> None:
    world = build_world(client, tokens)
    answer = call(client, route, world, auth(tokens, role))
    if not may(role, route.action):
        assert answer.status_code == 403, (role, answer.status_code, answer.text)
        return
    # The fire incident and unit are the fire agency's own; other agencies meet them as another
    # agency's: a 404 for an incident, a 403 for acting for another agency, unless shared.
    foreign = role.startswith("agency:") and role != "agency:fire"
    if foreign and route.action not in SHARED_WITH_EVERY_AGENCY and route.fire_owned:
        assert answer.status_code in {403, 404}, (role, answer.status_code, answer.text)
    else:
        assert answer.status_code not in {401, 403, 404}, (role, answer.status_code, answer.text)


INCIDENT_ROUTES = [
    r for r in ROUTES if "{incident}" in r.path and not r.path.startswith("/api/audit")
]


@pytest.mark.parametrize("role", ["agency:police", "agency:medical"])
@pytest.mark.parametrize(
    "route", INCIDENT_ROUTES, ids=[f"{r.method} {r.path}" for r in INCIDENT_ROUTES]
)
def test_another_agencys_incident_is_a_404_naming_nothing_of_it(
    client: TestClient, tokens: Tokens, route: Route, role: str
) -> None:
    world = build_world(client, tokens)
    answer = call(client, route, world, auth(tokens, role))
    if may(role, route.action):
        assert answer.status_code == 404, (role, answer.status_code, answer.text)
        assert world.fire_number not in answer.text
    else:
        assert answer.status_code == 403


FEEDS = [("/ws/console", Action.CONSOLE_FEED), ("/ws/agencies/fire", Action.AGENCY_FEED)]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("path", "action"), FEEDS, ids=[p for p, _ in FEEDS])
def test_each_feed_lets_in_exactly_the_roles_the_table_names(
    client: TestClient, tokens: Tokens, path: str, action: Action, role: str
) -> None:
    foreign = role.startswith("agency:") and path.endswith("/fire") and role != "agency:fire"
    with client.websocket_connect(path, headers=auth(tokens, role)) as socket:
        first = socket.receive_json()
        if may(role, action) and not foreign:
            assert first["type"] == "snapshot", first
        else:
            assert first["type"] == "error" and first["error"] == "forbidden", first
            with pytest.raises(WebSocketDisconnect) as closed:
                socket.receive_json()
            assert closed.value.code == 4403


def test_the_table_names_every_action_and_every_route_asks_it() -> None:
    assert set(PERMISSIONS) == set(Action)
    assert {r.action for r in ROUTES} | {a for _, a in FEEDS} == set(Action)
