"""Feeds across a server restart and across processes (SQLite and PostgreSQL)."""

from __future__ import annotations

import time
from uuid import UUID

from fastapi.testclient import TestClient

from adapters.center import build_center
from dispatch.feeds.hub import FeedConfig
from dispatch.settings import Settings
from domain.taxonomy import Agency
from tests.feeds import Desk, has_event, summary, until
from tests.support import Tokens, a_report, auth, make_client


def feed_app(settings: Settings, tokens: Tokens) -> TestClient:
    """The app with feeds that beat every 50 ms (so reads never block past a deadline)."""
    client = make_client(settings, tokens)
    client.app.state.feed_config = FeedConfig(heartbeat_s=0.05)  # type: ignore[attr-defined]
    return client


def test_after_a_server_restart_a_client_resumes_with_exactly_the_deltas_it_missed(
    any_settings: Settings, tokens: Tokens
) -> None:
    # Given a fire client that saw an incident routed, then the server stopped
    with feed_app(any_settings, tokens) as app:
        desk = Desk(app, tokens)
        first = desk.report()
        desk.route(first, "fire")
        with app.websocket_connect("/ws/agencies/fire", headers=auth(tokens, "agency:fire")) as ws:
            last_seen = ws.receive_json()["position"]
    # While it is down, another process goes on writing
    other = build_center(any_settings)
    try:
        other.acknowledge(UUID(first), Agency.FIRE)
        police_only = other.report(a_report()).incident.id
        other.route(police_only, [Agency.POLICE])
        both = other.report(a_report()).incident.id
        other.route(both, [Agency.POLICE, Agency.FIRE])
    finally:
        other.close()
    # When the server is back and the client reconnects with after=<its last position>
    with feed_app(any_settings, tokens) as app:
        url = f"/ws/agencies/fire?after={last_seen}"
        with app.websocket_connect(url, headers=auth(tokens, "agency:fire")) as ws:
            messages = until(ws, has_event("Routed", str(both)))
    # Then it gets exactly the fire deltas it missed, from the log, and no snapshot
    assert messages[0]["type"] == "incident"
    assert summary(messages) == [
        ("incident", "Acknowledged", first),
        ("incident", "Routed", str(both)),
    ]


def test_a_report_saved_by_another_process_reaches_this_servers_feed_within_a_second(
    any_settings: Settings, tokens: Tokens
) -> None:
    other = build_center(any_settings)
    try:
        with (
            feed_app(any_settings, tokens) as app,
            app.websocket_connect(
                "/ws/agencies/medical", headers=auth(tokens, "agency:medical")
            ) as ws,
        ):
            ws.receive_json()
            started = time.monotonic()
            incident = other.report(a_report()).incident
            other.route(incident.id, [Agency.MEDICAL])
            messages = until(ws, has_event("Routed", str(incident.id)), timeout=1.0)
            elapsed = time.monotonic() - started
    finally:
        other.close()
    assert summary(messages) == [("incident", "Routed", str(incident.id))]
    assert elapsed < 1.0
