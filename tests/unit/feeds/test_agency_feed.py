"""The agency and console feeds over websockets (TestClient, in-memory store)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from dispatch.ports import ScoredReport, unscored
from domain.taxonomy import ScoreBand
from tests.feeds import Desk, Message, deltas, has_event, summary, until
from tests.support import services_of
from tests.unit.feeds.conftest import Connect


def is_heartbeat(message: Message) -> bool:
    return bool(message["type"] == "heartbeat")


def test_an_agency_feed_starts_with_a_snapshot_of_its_active_incidents_and_its_units(
    desk: Desk, connect: Connect
) -> None:
    # Given incidents routed to fire (one since closed), one routed to police, and units
    fire_engine = desk.unit("F1", "fire", "fire_engine")
    desk.unit("R7", "police", "police_patrol")
    active = desk.report()
    desk.route(active, "fire", "medical")
    closed = desk.report()
    desk.route(closed, "fire")
    desk.close(closed)
    desk.route(desk.report(), "police")
    # When fire connects
    with connect("/ws/agencies/fire", "agency:fire") as ws:
        snapshot = ws.receive_json()
    # Then it sees only its active incident and its own units, with the log position
    assert snapshot["type"] == "snapshot"
    assert [i["id"] for i in snapshot["incidents"]] == [active]
    assert [u["id"] for u in snapshot["units"]] == [fire_engine]
    assert snapshot["position"] >= 1
    assert snapshot["incidents"][0]["status"] == "routed"


def test_an_agency_never_receives_another_agencys_incidents(desk: Desk, connect: Connect) -> None:
    with (
        connect("/ws/agencies/fire", "agency:fire") as fire,
        connect("/ws/agencies/police", "agency:police") as police,
    ):
        fire.receive_json(), police.receive_json()
        # Given a police incident with everything happening to it, then a fire incident
        theft = desk.report(category="kriminal")
        desk.route(theft, "police")
        desk.acknowledge(theft, "police")
        desk.note(theft, "pelaku lari ke arah pasar", role="agency:police")
        desk.close(theft)
        blaze = desk.report()
        desk.route(blaze, "fire")
        # Then fire gets only its own incident, police only its own
        to_fire = until(fire, has_event("Routed", blaze))
        to_police = until(police, has_event("Closed", theft))
    assert {s[2] for s in summary(to_fire)} == {blaze}
    assert {s[2] for s in summary(to_police)} == {theft}
    assert all(m["incident"]["agencies"][0]["agency"] == "fire" for m in deltas(to_fire))


def test_each_change_is_one_delta_in_log_order_and_a_closed_incident_is_sent_once(
    desk: Desk, connect: Connect
) -> None:
    engine = desk.unit("F2", "fire", "fire_engine")
    with connect("/ws/agencies/fire", "agency:fire") as ws:
        ws.receive_json()
        # Given an incident that is routed, acknowledged, dispatched, noted and closed
        incident = desk.report()
        desk.route(incident, "fire")
        desk.acknowledge(incident, "fire")
        desk.assign(incident, engine)
        desk.note(incident, "api padam")
        desk.close(incident)
        desk.note(incident, "catatan susulan")  # after closure: not for the board
        barrier = desk.report()
        desk.route(barrier, "fire")
        messages = until(ws, has_event("Routed", barrier))
    incident_events = [s[1] for s in summary(messages) if s[2] == incident]
    assert incident_events == [
        "Routed",
        "Acknowledged",
        "UnitAssigned",
        "NoteAdded",
        "UnitReleased",
        "Closed",
    ]
    positions = [m["position"] for m in deltas(messages)]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)
    closing = next(m for m in deltas(messages) if m.get("event") == "Closed")
    assert closing["incident"]["status"] == "closed"
    unit_events = [s[1] for s in summary(messages) if s[2] == engine]
    assert unit_events == ["StatusChanged", "StatusChanged"]  # dispatched, then available


def test_agency_actions_appear_on_the_console_and_on_the_other_agencies_feeds(
    desk: Desk, connect: Connect
) -> None:
    engine = desk.unit("F3", "fire", "fire_engine")
    incident = desk.report()
    desk.route(incident, "fire", "medical")
    desk.assign(incident, engine)
    with (
        connect("/ws/console", "operator") as console,
        connect("/ws/agencies/medical", "agency:medical") as medical,
        connect("/ws/agencies/police", "agency:police") as police,
    ):
        for ws in (console, medical, police):
            ws.receive_json()
        # When fire acknowledges, notes, and moves its engine over REST
        desk.acknowledge(incident, "fire")
        desk.note(incident, "dua korban dibawa ke RSUD AWS", role="agency:fire")
        desk.unit_status(engine, "en_route", role="agency:fire")
        desk.unit_position(engine, role="agency:fire")
        # Then the console and medical (same incident) see each of them, police nothing
        expected = [
            ("incident", "Acknowledged", incident),
            ("incident", "NoteAdded", incident),
            ("unit", "StatusChanged", engine),
            ("unit", "PositionReported", engine),
        ]
        on_console = until(console, has_event("PositionReported", engine))
        on_medical = until(medical, has_event("PositionReported", engine))
        barrier = desk.report(category="kriminal")
        desk.route(barrier, "police")
        on_police = until(police, has_event("Routed", barrier))
    assert summary(on_console)[-4:] == expected
    assert summary(on_medical) == expected
    assert summary(on_police) == [("incident", "Routed", barrier)]
    assert "eido" in deltas(on_medical)[0] and "eido" not in deltas(on_console)[-4]


def test_reconnecting_with_after_resends_exactly_the_missed_deltas_without_a_snapshot(
    desk: Desk, connect: Connect
) -> None:
    engine = desk.unit("F4", "fire", "fire_engine")
    first = desk.report()
    desk.route(first, "fire")
    # Given a client that saw its snapshot and went away
    with connect("/ws/agencies/fire", "agency:fire") as ws:
        last_seen = ws.receive_json()["position"]
    # While it is away, a client that stays connected sees what happens
    with connect("/ws/agencies/fire", "agency:fire") as watcher:
        watcher.receive_json()
        desk.acknowledge(first, "fire")
        desk.assign(first, engine)
        second = desk.report()
        desk.route(second, "police")
        desk.route(second, "fire")
        desk.unit_status(engine, "en_route", role="agency:fire")
        live = until(watcher, count_of("StatusChanged", 2))
    # When it comes back with after=<its last position>
    with connect("/ws/agencies/fire", "agency:fire", after=last_seen) as back:
        resent = until(back, lambda m: len(deltas(m)) >= len(deltas(live)))
    # Then it gets no snapshot, and exactly the deltas the connected client got, in order
    assert resent[0]["type"] != "snapshot"
    assert deltas(resent) == deltas(live)
    assert [s[1] for s in summary(live)] == [
        "Acknowledged",
        "UnitAssigned",
        "StatusChanged",
        "Routed",
        "StatusChanged",
    ]


def count_of(event: str, n: int) -> Callable[[list[Message]], bool]:
    """A ``done`` condition: ``n`` deltas of this event arrived."""
    return lambda messages: [s[1] for s in summary(messages)].count(event) >= n


def test_a_position_ahead_of_the_log_is_told_to_resync(connect_shared: Connect) -> None:
    with connect_shared("/ws/agencies/fire", "agency:fire", after=10**9) as ws:
        message = ws.receive_json()
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert message["type"] == "resync"
    assert closed.value.code == 4000


@pytest.mark.parametrize(
    ("path", "role", "code"),
    [
        ("/ws/agencies/police", "agency:fire", 4403),
        ("/ws/agencies/fire", "operator", 4403),
        ("/ws/console", "auditor", 4403),
        ("/ws/console", "agency:fire", 4403),
        ("/ws/agencies/coast_guard", "supervisor", 4404),
    ],
)
def test_a_feed_the_role_may_not_read_is_closed_with_a_code(
    connect_shared: Connect, path: str, role: str, code: int
) -> None:
    with connect_shared(path, role) as ws:
        error = ws.receive_json()
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert error["type"] == "error"
    assert closed.value.code == code


def test_a_bad_token_is_closed_with_4401_and_a_query_token_is_accepted(
    shared_client: TestClient, shared_tokens: dict[str, str]
) -> None:
    app, tokens = shared_client, shared_tokens
    with app.websocket_connect("/ws/agencies/fire?token=not-a-token") as ws:
        assert ws.receive_json()["error"] == "unauthenticated"
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert closed.value.code == 4401
    with app.websocket_connect(f"/ws/agencies/fire?token={tokens['agency:fire']}") as ws:
        assert ws.receive_json()["type"] == "snapshot"


@pytest.mark.parametrize(
    ("path", "role"), [("/ws/agencies/fire", "auditor"), ("/ws/console", "supervisor")]
)
def test_supervisors_and_auditors_read_agency_feeds_and_supervisors_the_console(
    connect_shared: Connect, path: str, role: str
) -> None:
    with connect_shared(path, role) as ws:
        assert ws.receive_json()["type"] == "snapshot"


def test_a_bad_after_is_refused_with_4400(connect_shared: Connect) -> None:
    with connect_shared("/ws/agencies/fire", "agency:fire", after="yesterday") as ws:
        assert ws.receive_json()["error"] == "invalid"
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
    assert closed.value.code == 4400


def test_a_client_message_gets_an_error_a_ping_a_pong_and_the_feed_goes_on(
    desk: Desk, connect: Connect
) -> None:
    with connect("/ws/agencies/fire", "agency:fire") as ws:
        ws.receive_json()
        ws.send_text("acknowledge please")
        ws.send_json({"type": "ping"})
        replies = until(ws, lambda m: any(x["type"] == "pong" for x in m))
        incident = desk.report()
        desk.route(incident, "fire")
        later = until(ws, has_event("Routed", incident))
    assert [m["type"] for m in replies if not is_heartbeat(m)] == ["error", "pong"]
    assert summary(later) == [("incident", "Routed", incident)]


def test_heartbeats_come_regularly_and_carry_the_position(desk: Desk, connect: Connect) -> None:
    incident = desk.report()
    desk.route(incident, "fire")
    with connect("/ws/agencies/fire", "agency:fire") as ws:
        snapshot = ws.receive_json()
        beats = until(ws, lambda m: len(m) >= 3)
    assert all(is_heartbeat(b) for b in beats)
    assert all(b["position"] == snapshot["position"] and b["at"] for b in beats)


def test_events_no_connected_feed_may_see_still_move_its_heartbeats_position(
    app: TestClient, desk: Desk, connect: Connect
) -> None:
    with connect("/ws/agencies/fire", "agency:fire") as ws:
        snapshot = ws.receive_json()
        # Given only a fire feed, and a police incident: nothing it may see, nothing rendered
        theft = desk.report(category="kriminal")
        desk.route(theft, "police")
        head = services_of(app).center.present.refresh()
        # Then its heartbeats come to the log's head, with no delta before them
        messages = until(ws, lambda m: bool(m) and m[-1].get("position") == head)
    assert head > snapshot["position"]
    assert all(is_heartbeat(m) for m in messages)


class AlwaysHighBand:
    """A classifier that finds every call likely false (so it goes to the verification queue)."""

    def score_report(self, *args: object) -> ScoredReport:
        return ScoredReport(replace(unscored("test"), band=ScoreBand.HIGH, p_false=0.9))


def test_the_console_has_every_open_incident_the_verification_queue_and_every_unit(
    app: TestClient, desk: Desk, connect: Connect
) -> None:
    desk.unit("F5", "fire", "fire_engine")
    desk.unit("A1", "medical", "ambulance")
    routed = desk.report()
    desk.route(routed, "police")
    closed = desk.report()
    desk.close(closed, "prank")
    services_of(app).center.scoring = AlwaysHighBand()
    flagged = desk.report(silent=True)
    with connect("/ws/console", "operator") as ws:
        snapshot = ws.receive_json()
    assert {i["id"] for i in snapshot["incidents"]} == {routed, flagged}
    assert [i["id"] for i in snapshot["incidents"] if i["verification"]["pending"]] == [flagged]
    assert {u["agency"] for u in snapshot["units"]} == {"fire", "medical"}
