"""One contract, every durable backend: SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Iterator

import psycopg
import pytest
from pydantic import SecretStr

from adapters.center import build_center
from dispatch.center import DispatchCenter
from dispatch.errors import VersionConflict
from dispatch.settings import Settings
from domain.taxonomy import Agency, IncidentStatus, UnitType
from tests.support import AWS, a_report


@pytest.fixture
def store(any_settings: Settings) -> Iterator[DispatchCenter]:
    center = build_center(any_settings)
    yield center
    center.close()


def raw_update(settings: Settings, sql: str) -> None:
    """Run SQL against the events table directly, bypassing the application."""
    if settings.backend == "sqlite":
        with sqlite3.connect(settings.sqlite_path) as conn:
            conn.execute(sql.format(table="stored_events"))
    else:
        with psycopg.connect(settings.database_url, autocommit=True) as conn:
            conn.execute(sql.format(table="dispatch_events"))


def test_a_report_survives_a_restart(any_settings: Settings) -> None:
    center = build_center(any_settings)
    incident = center.report(a_report()).incident
    center.route(incident.id, [Agency.FIRE])
    center.close()
    reopened = build_center(any_settings)
    try:
        again = reopened.get_incident(incident.id)
        assert again.status is IncidentStatus.ROUTED and again.location == AWS
        assert [i.id for i in reopened.present.incidents()] == [incident.id]
    finally:
        reopened.close()


def test_a_retried_report_gives_one_incident(store: DispatchCenter) -> None:
    report = a_report()
    assert store.report(report).created
    assert not store.report(report).created
    assert len(store.present.incidents()) == 1


def test_the_event_log_refuses_update_and_delete(
    any_settings: Settings, store: DispatchCenter
) -> None:
    store.report(a_report())
    errors = (sqlite3.DatabaseError, psycopg.Error)
    with pytest.raises(errors, match="append-only"):
        raw_update(any_settings, "UPDATE {table} SET topic = 'tampered'")
    with pytest.raises(errors, match="append-only"):
        raw_update(any_settings, "DELETE FROM {table}")
    assert len(store.present.incidents()) == 1


def test_two_concurrent_commands_on_one_version_one_wins_one_conflicts(
    store: DispatchCenter,
) -> None:
    incident = store.report(a_report()).incident
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def note(text: str) -> None:
        barrier.wait()
        try:
            store.add_note(incident.id, text, expected_version=incident.version)
            outcomes.append("ok")
        except VersionConflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=note, args=(t,)) for t in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    notes = store.get_incident(incident.id).notes
    assert len(notes) == 1 and store.get_incident(incident.id).version == incident.version + 1


@pytest.mark.timeshift
def test_concurrent_reports_get_distinct_numbers(store: DispatchCenter) -> None:
    numbers: list[str] = []
    lock = threading.Lock()

    def take() -> None:
        for _ in range(5):
            number = store.report(a_report()).incident.number
            with lock:
                numbers.append(number)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(numbers) == 20 and len(set(numbers)) == 20


def test_a_subscription_sees_new_events_in_order(store: DispatchCenter) -> None:
    start = store.recorder.max_notification_id() or 0
    with store.recorder.subscribe(gt=start) as subscription:
        incident = store.report(a_report()).incident
        store.route(incident.id, [Agency.FIRE])
        seen = [next(subscription)]
        while not seen[-1].topic.endswith("Incident.Routed") and len(seen) < 10:
            seen.append(next(subscription))
    assert [n.id for n in seen] == sorted(n.id for n in seen)
    assert [n.topic.rsplit(".", 1)[-1] for n in seen if "Incident" in n.topic] == [
        "Reported",
        "Scored",
        "Routed",
    ]


def test_assigning_a_unit_is_one_transaction(store: DispatchCenter) -> None:
    unit, _ = store.register_unit(
        "P3-9", "Damkar P3-9", Agency.FIRE, UnitType.FIRE_ENGINE, "A-DAMKAR-P3"
    )
    incident = store.report(a_report()).incident
    before = store.recorder.max_notification_id()
    store.route(incident.id, [Agency.FIRE], unit_ids=[unit.id])
    after = store.recorder.select_notifications(before, 10, inclusive_of_start=False)
    assert {n.originator_id for n in after} == {incident.id, unit.id}


def test_event_state_can_be_encrypted_at_rest(any_settings: Settings) -> None:
    from eventsourcing.cipher import AESCipher

    settings = any_settings.model_copy(update={"cipher_key": SecretStr(AESCipher.create_key(32))})
    center = build_center(settings)
    try:
        secret = f"+62811{uuid.uuid4().int % 10**7:07d}"
        incident = center.report(a_report(caller_number=secret)).incident
        stored = center.recorder.select_notifications(0, 100)
        assert all(secret.encode() not in n.state for n in stored)
        assert center.get_incident(incident.id).caller_number == secret
    finally:
        center.close()
