"""One board, three readers, on every durable backend: each agency's websocket snapshot, its
board from the present (``GET /api/boards/{agency}``) and its board from the boards projection
(``?source=projection``) hold the same incidents and units."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dispatch.settings import Settings
from domain.taxonomy import Agency
from tests.feeds import Desk, wait_until
from tests.support import FakeClock, Tokens, auth, make_client, services_of

#: What the projection counts differently: it reads only the events a board shows, so an
#: incident's ``version`` and ``position`` there leave out a note (the present's are the
#: incident's own, which a conditional write sends back).
OWN_COUNT = ("version", "position")


@pytest.fixture
def app(any_settings: Settings, tokens: Tokens) -> Iterator[TestClient]:
    with make_client(any_settings, tokens) as client:
        yield client


def floor(desk: Desk, clock: FakeClock) -> dict[str, str]:
    """Joint, linked, noted, triaged, released, closed and reopened incidents, and units."""
    engine = desk.unit("F1", "fire", "fire_engine")
    ambulance = desk.unit("M1", "medical", "ambulance")
    desk.unit("P1", "police", "police_patrol")
    blaze = desk.report()
    clock.advance(20)
    desk.route(blaze, "fire", "medical")
    desk.acknowledge(blaze, "fire")
    desk.assign(blaze, engine)
    desk.assign(blaze, ambulance)
    desk.post(f"/api/incidents/{blaze}/units/{ambulance}/release", {"reason": "tidak perlu"})
    again = desk.report(description="Api di rumah sebelah, asap tebal")
    desk.post(f"/api/incidents/{again}/link", {"primary_id": blaze})
    theft = desk.report(category="kriminal")
    desk.route(theft, "police")
    desk.note(theft, "pelaku lari ke arah pasar", role="agency:police")
    triage = {"priority": "P2", "category": "kriminal", "reason": "pelaku bersenjata"}
    desk.post(f"/api/incidents/{theft}/triage", triage)
    done = desk.report()
    desk.route(done, "fire")
    desk.close(done)
    back = desk.report(category="banjir")
    desk.route(back, "bpbd", "sar")
    desk.close(back)
    desk.reopen(back)
    clock.advance(45)
    return {"blaze": blaze, "theft": theft, "done": done, "back": back}


def read_all(app: TestClient, desk: Desk, agency: str) -> tuple[Any, Any, Any]:
    """(feed snapshot, present board, projection board), all at the log's head (read again
    if the watchdog wrote meanwhile)."""
    supervisor = auth(desk.tokens, "supervisor")  # type: ignore[arg-type]
    path = f"/api/boards/{agency}"
    for _ in range(5):
        head = app.get("/healthz").json()["position"]
        projected = projected_at(desk, path, head)
        live = desk.get(path, role="supervisor").json()
        with app.websocket_connect(f"/ws/agencies/{agency}", headers=supervisor) as ws:
            snapshot = ws.receive_json()
        if live["position"] == snapshot["position"] == head:
            return snapshot, live, projected
    raise AssertionError("the log kept moving")


def projected_at(desk: Desk, path: str, head: int) -> Any:
    """The projection's board once it has applied the log up to ``head``."""

    def ready() -> Any:
        board = desk.get(f"{path}?source=projection", role="supervisor").json()
        return board if (board["position"] or 0) >= head else None

    return wait_until(ready, timeout=20)


def board_of(board: dict[str, Any]) -> dict[str, Any]:
    """A board without what each reader counts its own way."""
    return {
        "agency": board["agency"],
        "incidents": [drop(i) for i in board["incidents"]],
        "units": [drop(u) for u in board["units"]],
    }


def drop(entry: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in entry.items() if k not in OWN_COUNT}


def test_each_agencys_feed_snapshot_and_board_hold_the_same_incidents_and_units(
    app: TestClient, tokens: Tokens
) -> None:
    clock = FakeClock()
    services_of(app).center.clock = clock
    desk = Desk(app, tokens)
    ids = floor(desk, clock)
    on_boards: dict[str, set[str]] = {}
    for agency in Agency:
        snapshot, live, projected = read_all(app, desk, agency.value)
        incidents = [i["incident_id"] for i in live["incidents"]]
        assert sorted(incidents) == sorted(i["id"] for i in snapshot["incidents"])
        assert sorted(u["unit_id"] for u in live["units"]) == sorted(
            u["id"] for u in snapshot["units"]
        )
        statuses = {i["id"]: i["status"] for i in snapshot["incidents"]}
        assert {i["incident_id"]: i["status"] for i in live["incidents"]} == statuses
        assert board_of(live) == board_of(projected)
        on_boards[agency.value] = set(incidents)
    assert on_boards == {
        "fire": {ids["blaze"]},
        "medical": {ids["blaze"]},
        "police": {ids["theft"]},
        "bpbd": {ids["back"]},
        "sar": {ids["back"]},
    }
    [blaze] = desk.get("/api/boards/fire", role="agency:fire").json()["incidents"]
    assert [u["callsign"] for u in blaze["units"]] == ["fire F1"]
    assert [c["duplicate_number"] for c in blaze["stacked_calls"]] != []
    assert blaze["since_report_s"] == 65.0 and blaze["since_route_s"] == 45.0
