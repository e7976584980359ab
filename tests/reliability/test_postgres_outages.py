"""PostgreSQL outages through a cuttable proxy: refused (cut) and black-holed (frozen)
connections, a restart between two reports; 503 with nothing written, and recovery."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from urllib.parse import urlparse

import psycopg
import pytest

from adapters.center import build_center, default_router
from adapters.postgres_recorder import RETRY_BUDGET_S
from adapters.routing import EscalationPolicy
from dispatch.settings import Settings
from dispatch.watchdog import EscalationWatchdog
from domain.taxonomy import Agency, Priority
from tests.proxy import CuttableProxy
from tests.support import (
    FakeClock,
    Tokens,
    a_report,
    auth,
    hang_up_every_connection,
    make_client,
    report_json,
)


@pytest.fixture
def proxied(postgres_settings: Settings) -> Iterator[tuple[Settings, CuttableProxy]]:
    url = urlparse(postgres_settings.database_url)
    proxy = CuttableProxy(url.hostname or "127.0.0.1", url.port or 5432)
    proxy.start()
    through = url._replace(netloc=f"{url.username}@127.0.0.1:{proxy.port}").geturl()
    yield postgres_settings.model_copy(update={"database_url": through}), proxy
    proxy.cut()


def count_incident_reports(database_url: str) -> int:
    with psycopg.connect(database_url) as conn:
        row = conn.execute(
            "SELECT count(*) FROM dispatch_events WHERE topic LIKE %s", ("%Incident.Reported",)
        ).fetchone()
    assert row is not None
    return int(row[0])


def test_a_database_outage_is_503_and_nothing_is_written(
    proxied: tuple[Settings, CuttableProxy], postgres_settings: Settings, tokens: Tokens
) -> None:
    settings, proxy = proxied
    with make_client(settings, tokens) as client:
        # Given a working node
        ok = client.post("/api/reports", json=report_json(), headers=auth(tokens, "operator"))
        assert ok.status_code == 201
        # When the database goes away
        proxy.cut()
        asked = time.monotonic()
        down = client.post("/api/reports", json=report_json(), headers=auth(tokens, "operator"))
        # Then the caller is told, soon (the retries are bounded: not the library's 10 times a
        # pool timeout), and nothing partial is stored
        assert down.status_code == 503
        assert time.monotonic() - asked < RETRY_BUDGET_S + 2 * settings.postgres_connect_timeout + 2
        assert down.headers["retry-after"] == "2"
        assert down.json()["error"] == "storage_unavailable"
        assert client.get("/healthz").status_code == 503
    assert count_incident_reports(postgres_settings.database_url) == 1


def test_reads_during_an_outage_are_503_not_500(
    proxied: tuple[Settings, CuttableProxy], tokens: Tokens
) -> None:
    settings, proxy = proxied
    with make_client(settings, tokens) as client:
        made = client.post("/api/reports", json=report_json(), headers=auth(tokens, "operator"))
        assert made.status_code == 201
        incident_id = made.json()["incident"]["id"]
        proxy.cut()
        for path in ("/api/incidents", f"/api/incidents/{incident_id}/events", "/api/units"):
            answer = client.get(path, headers=auth(tokens, "operator"))
            assert answer.status_code in (200, 503), (path, answer.status_code, answer.text)
            if answer.status_code == 503:
                assert answer.headers["retry-after"] == "2"
                assert answer.json()["error"] == "storage_unavailable"
        events = client.get(
            f"/api/incidents/{incident_id}/events", headers=auth(tokens, "operator")
        )
        assert events.status_code == 503, events.text


def test_a_silent_partition_is_503_within_the_deadline_and_a_retry_records_one_incident(
    proxied: tuple[Settings, CuttableProxy], postgres_settings: Settings, tokens: Tokens
) -> None:
    settings, proxy = proxied
    settings = settings.model_copy(update={"request_deadline_s": 3.0})
    with make_client(settings, tokens) as client:
        assert (
            client.post(
                "/api/reports", json=report_json(), headers=auth(tokens, "operator")
            ).status_code
            == 201
        )
        # When the network goes silent: connections stay open, no byte comes back
        proxy.freeze()
        body = report_json()
        asked = time.monotonic()
        down = client.post("/api/reports", json=body, headers=auth(tokens, "operator"))
        # Then the call-taker knows within the deadline, and is told a retry is safe
        assert down.status_code == 503, down.text
        assert time.monotonic() - asked < 3.0 + 1.5
        assert down.json()["error"] == "deadline" and "report_id" in down.json()["detail"]
        assert down.headers["retry-after"] == "2"
        health_asked = time.monotonic()
        assert client.get("/healthz").status_code == 503
        assert time.monotonic() - health_asked < 3.0 + 1.5
        # When the network heals, the same report retried is one incident, never two
        proxy.thaw()
        deadline = time.monotonic() + 20
        while (
            again := client.post("/api/reports", json=body, headers=auth(tokens, "operator"))
        ).status_code == 503:
            assert time.monotonic() < deadline, again.text
            time.sleep(0.2)
        assert again.status_code in (200, 201), again.text
    assert count_incident_reports(postgres_settings.database_url) == 2


def test_a_database_restart_between_two_reports_goes_unnoticed(
    proxied: tuple[Settings, CuttableProxy], postgres_settings: Settings, tokens: Tokens
) -> None:
    settings, proxy = proxied
    with make_client(settings, tokens) as client:
        first = client.post("/api/reports", json=report_json(), headers=auth(tokens, "operator"))
        assert first.status_code == 201
        # When every connection drops and the database is back at once (a restart, a failover)
        proxy.cut()
        proxy.start()
        # Then the next report is taken as usual, on new connections
        second = client.post("/api/reports", json=report_json(), headers=auth(tokens, "operator"))
        assert second.status_code == 201, second.text
        # and the node is healthy again as soon as its read side has reconnected (its retry
        # back-off starts at 1 s; a busy machine may need a little more)
        deadline = time.monotonic() + 5
        while (health := client.get("/healthz")).status_code != 200:
            assert time.monotonic() < deadline, health.text
            time.sleep(0.1)
    assert count_incident_reports(postgres_settings.database_url) == 2


def test_the_escalation_watchdog_outlives_an_outage_and_escalates_once_the_database_is_back(
    proxied: tuple[Settings, CuttableProxy], caplog: pytest.LogCaptureFixture
) -> None:
    settings, proxy = proxied
    center = build_center(settings)
    center.clock = clock = FakeClock()
    stop = threading.Event()
    watchdog = EscalationWatchdog(center, EscalationPolicy(default_router().rules))
    thread = threading.Thread(target=watchdog.run, args=(stop, 0.05), daemon=True)
    try:
        # Given a P1 fire routed and not acknowledged, and the watchdog running
        incident = center.report(a_report()).incident
        center.route(incident.id, [Agency.FIRE])
        thread.start()
        # When the database goes away while the watchdog checks, and comes back
        proxy.cut()
        deadline = time.monotonic() + 40  # the library retries for about 12 s first
        while "cannot reach the store" not in caplog.text:
            assert thread.is_alive(), "the watchdog died in the outage"
            assert time.monotonic() < deadline, "the watchdog never met the outage"
            time.sleep(0.1)
        proxy.start()
        clock.advance(default_router().ack_timeout(Priority.P1).total_seconds() + 1)
        # Then the watchdog is still running and escalates the incident
        deadline = time.monotonic() + 30
        while not any(type(e).__name__ == "Escalated" for e in center.incident_events(incident.id)):
            assert thread.is_alive(), "the watchdog died in the outage"
            assert time.monotonic() < deadline, "no escalation after the database came back"
            time.sleep(0.1)
    finally:
        stop.set()
        thread.join(10)
        center.close()


def test_the_server_hanging_up_on_every_connection_under_load_loses_no_report(
    postgres_settings: Settings, tokens: Tokens
) -> None:
    """A restart as the server does it (FATAL, then end of file, on every connection: the
    pool's, the present's LISTEN, the projections'), three times while four call-takers file."""
    headers = auth(tokens, "operator")
    taken: list[str] = []
    wrong: list[str] = []
    stop = threading.Event()
    with make_client(postgres_settings, tokens) as client:

        def call_taker() -> None:
            while not stop.is_set():
                body = report_json()
                # A 503 says "retry": the same report is filed again until it is taken
                while (
                    answer := client.post("/api/reports", json=body, headers=headers)
                ).status_code == 503:
                    if answer.headers.get("retry-after") != "2":
                        wrong.append(f"503 without Retry-After: {answer.text[:200]}")
                    time.sleep(0.2)
                if answer.status_code in (200, 201):
                    taken.append(body["report_id"])
                else:
                    wrong.append(f"{answer.status_code} {answer.text[:200]}")

        threads = [threading.Thread(target=call_taker) for _ in range(4)]
        for thread in threads:
            thread.start()
        try:
            for _ in range(3):
                time.sleep(0.5)
                hang_up_every_connection(postgres_settings.database_url)
            time.sleep(0.5)
        finally:
            stop.set()
            for thread in threads:
                thread.join(30)
        assert wrong == []
        deadline = time.monotonic() + 10
        while (health := client.get("/healthz")).status_code != 200:
            assert time.monotonic() < deadline, health.text
            time.sleep(0.1)
    # Every report was taken once: none lost, none twice
    assert len(taken) == len(set(taken)) > 0
    assert count_incident_reports(postgres_settings.database_url) == len(taken)
