"""GET /api/boards/{agency} reads the present, as the agency feeds do (``?source=projection``:
the boards projection's rows, the same board); /healthz shows a failed projection."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

import entrypoints.bootstrap
from dispatch.settings import Settings
from domain.incident import Incident
from projections.boards import BoardsProjection
from projections.host import ProjectionHost
from tests.feeds import Desk, wait_until
from tests.support import FakeClock, Tokens, make_client


@pytest.fixture
def app(sqlite_settings: Settings, tokens: Tokens) -> Iterator[TestClient]:
    with make_client(sqlite_settings, tokens) as client:
        yield client


@pytest.fixture
def desk(app: TestClient, tokens: Tokens) -> Desk:
    return Desk(app, tokens)


def board(
    desk: Desk, agency: str, role: str | None = None, source: str = "present"
) -> dict[str, Any]:
    path = f"/api/boards/{agency}?source={source}"
    response = desk.get(path, role=role or f"agency:{agency}")
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def board_when(desk: Desk, agency: str, condition: Any, source: str = "present") -> dict[str, Any]:
    """The board once it satisfies ``condition`` (projections are asynchronous)."""

    def ready() -> dict[str, Any] | None:
        found = board(desk, agency, source=source)
        return found if condition(found) else None

    found: dict[str, Any] = wait_until(ready)
    return found


def head(app: TestClient) -> int:
    """The log position now (health reads it from the store)."""
    position: int = app.get("/healthz").json()["position"]
    return position


def caught_up_board(desk: Desk, app: TestClient, agency: str) -> dict[str, Any]:
    """The board once it reflects every event written so far (each ends on a board event)."""
    now = head(app)
    return board_when(desk, agency, lambda b: (b["position"] or 0) >= now)


@pytest.mark.timeshift
def test_a_board_shows_the_agencys_active_incidents_with_timers_and_its_units(
    desk: Desk, app: TestClient
) -> None:
    engine = desk.unit("F1", "fire", "fire_engine")
    desk.unit("R1", "police", "police_patrol")
    urgent = desk.report()
    desk.route(urgent, "fire", "medical")
    desk.acknowledge(urgent, "fire")
    desk.assign(urgent, engine)
    done = desk.report()
    desk.route(done, "fire")
    desk.close(done)
    desk.route(desk.report(category="kriminal"), "police")

    fire = caught_up_board(desk, app, "fire")

    [entry] = fire["incidents"]
    assert entry["incident_id"] == urgent and entry["status"] == "dispatched"
    assert entry["priority"] and entry["category"]["code"] == "kebakaran"
    assert entry["location"]["lat"] == pytest.approx(-0.4906)
    assert entry["place"]["kecamatan"]
    assert entry["band"] in ("low", "medium", "high")
    assert entry["routed_at"] and entry["acknowledged_at"] and entry["first_unit_at"]
    assert entry["since_report_s"] >= entry["since_route_s"] >= entry["since_acknowledged_s"] >= 0
    assert [u["callsign"] for u in entry["units"]] == ["fire F1"]
    assert [(u["unit_id"], u["status"]) for u in fire["units"]] == [(engine, "dispatched")]
    medical = board(desk, "medical")
    assert medical["incidents"][0]["acknowledged_at"] is None  # its own timer, not fire's
    assert medical["units"] == []


def test_the_board_timers_count_on_the_centers_clock(desk: Desk, app: TestClient) -> None:
    clock = FakeClock()
    app.app.state.services.center.clock = clock  # type: ignore[attr-defined]
    incident = desk.report()
    clock.advance(30)
    desk.route(incident, "fire")
    clock.advance(90)
    [entry] = caught_up_board(desk, app, "fire")["incidents"]
    assert (entry["since_report_s"], entry["since_route_s"]) == (120.0, 90.0)


def test_a_reopened_incident_comes_back_on_the_board(desk: Desk, app: TestClient) -> None:
    incident = desk.report()
    desk.route(incident, "fire")
    desk.close(incident)
    assert caught_up_board(desk, app, "fire")["incidents"] == []
    desk.reopen(incident)
    reopened = caught_up_board(desk, app, "fire")
    assert [(i["incident_id"], i["status"]) for i in reopened["incidents"]] == [
        (incident, "routed")
    ]


@pytest.mark.parametrize(
    ("role", "status"),
    [("agency:police", 403), ("agency:fire", 200), ("operator", 200), ("auditor", 200)],
)
def test_an_agency_reads_only_its_own_board(
    shared_sqlite_client: TestClient, shared_tokens: Tokens, role: str, status: int
) -> None:
    desk = Desk(shared_sqlite_client, shared_tokens)
    assert desk.get("/api/boards/fire", role=role).status_code == status


def test_a_projection_that_fails_on_an_event_stops_and_healthz_says_so(
    desk: Desk, app: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the boards projection cannot process triage events
    def cannot(*args: object) -> None:
        raise RuntimeError("no column for this priority")

    monkeypatch.setitem(BoardsProjection.handlers, Incident.Triaged, cannot)
    incident = desk.report()
    desk.route(incident, "fire")
    # When an incident is triaged, then another one is routed
    desk.post(
        f"/api/incidents/{incident}/triage",
        {"priority": "P1", "category": "kebakaran", "reason": "ada korban terjebak"},
    )
    later = desk.report()
    desk.route(later, "fire")
    # Then health is 503 naming the projection, the position and the event
    health = wait_until(lambda: (r := app.get("/healthz")).status_code == 503 and r.json())
    boards = health["projections"]["boards"]
    assert boards["status"] == "failed"
    assert "Triaged" in boards["error"] and "no column for this priority" in boards["error"]
    assert health["projections"]["kpis"]["status"] == "running"
    # And the projection's board stopped before that event: nothing after it was applied
    stuck = board(desk, "fire", source="projection")
    assert [i["incident_id"] for i in stuck["incidents"]] == [incident]
    failed_at = int(re.search(r"at position (\d+)", boards["error"]).group(1))  # type: ignore[union-attr]
    assert stuck["position"] < failed_at
    # While the live board, read from the present, is not held back by it
    live = board(desk, "fire")
    assert {i["incident_id"] for i in live["incidents"]} == {incident, later}
    assert live["incidents"][0]["priority"] == "P1"


def test_a_failed_projection_restarted_after_the_fix_applies_the_event_it_stopped_on(
    sqlite_settings: Settings, tokens: Tokens, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The apps' projection host checks its loops every 0.05 s instead of 0.5 s: the failure
    # shows on /healthz at the next check, which the first app waits for.
    quick = functools.partial(ProjectionHost, poll_s=0.05)
    monkeypatch.setattr(entrypoints.bootstrap, "ProjectionHost", quick)

    def cannot(*args: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setitem(BoardsProjection.handlers, Incident.Triaged, cannot)
    with make_client(sqlite_settings, tokens) as app:
        desk = Desk(app, tokens)
        incident = desk.report()
        desk.route(incident, "fire")
        triage = {"priority": "P4", "category": "pohon_tumbang", "reason": "hanya dahan"}
        desk.post(f"/api/incidents/{incident}/triage", triage)
        wait_until(lambda: app.get("/healthz").status_code == 503)
    monkeypatch.undo()  # the fix is deployed
    with make_client(sqlite_settings, tokens) as app:
        desk = Desk(app, tokens)
        fixed = board_when(
            desk, "fire", lambda b: b["incidents"][0]["priority"] == "P4", source="projection"
        )
        assert fixed["incidents"][0]["category"]["code"] == "pohon_tumbang"
        assert app.get("/healthz").status_code == 200


def test_on_a_memory_store_the_board_is_read_from_the_present_and_no_projection_is_kept(
    client: TestClient, tokens: Tokens
) -> None:
    desk = Desk(client, tokens)
    incident = desk.report()
    desk.route(incident, "fire")
    assert [i["incident_id"] for i in board(desk, "fire")["incidents"]] == [incident]
    answer = desk.get("/api/boards/fire?source=projection", role="agency:fire")
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "2"
    assert "not an in-memory store" in answer.text
