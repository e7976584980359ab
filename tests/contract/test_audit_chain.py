"""Tamper evidence, on SQLite and PostgreSQL: an attacker with write access to the database
drops the append-only triggers and edits the event table; `verify` names the first event
altered, removed, inserted or reordered, and any checkpoint whose signature fails."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest

from adapters.center import build_center
from adapters.storage import sqlite_sidecar
from dispatch.center import DispatchCenter
from dispatch.settings import Settings
from domain.taxonomy import Agency
from replay.chain import Signer
from replay.checkpointer import Checkpointer
from replay.checkpoints import open_audit_store
from replay.errors import AuditStoreMissing
from replay.log import notifications
from replay.sealing import log_is_new
from replay.verify import Verification, verify
from tests.support import a_report

KEY = Signer(b"contract-audit-key")


@pytest.fixture
def store(any_settings: Settings) -> Iterator[DispatchCenter]:
    center = build_center(any_settings)
    for n in range(4):
        incident = center.report(a_report()).incident
        center.route(incident.id, [Agency.FIRE])
        center.add_note(incident.id, f"catatan {n}")
    yield center  # 21 events: the day ledger opens, then 5 events per incident
    center.close()


def seal(settings: Settings, center: DispatchCenter, key: Signer = KEY) -> None:
    audit = open_audit_store(settings, center.recorder)
    Checkpointer(center.recorder, audit, key, every=5).run_once()


def check(settings: Settings, center: DispatchCenter) -> Verification:
    return verify(center.recorder, open_audit_store(settings, center.recorder), KEY)


def positions(center: DispatchCenter) -> list[int]:
    return [n.id for n in notifications(center.recorder)]


class Attacker:
    """Someone with write access to the database who first switches the triggers off."""

    def __init__(self, settings: Settings) -> None:
        self.sqlite = settings.backend == "sqlite"
        self.settings = settings
        self.id = "rowid" if self.sqlite else "notification_id"
        self.table = "stored_events" if self.sqlite else "dispatch_events"

    @contextmanager
    def connection(self) -> Iterator[Any]:
        if self.sqlite:
            with sqlite3.connect(self.settings.sqlite_path) as conn:
                conn.execute("DROP TRIGGER IF EXISTS stored_events_no_update")
                conn.execute("DROP TRIGGER IF EXISTS stored_events_no_delete")
                yield conn
        else:
            with psycopg.connect(self.settings.database_url, autocommit=True) as conn:
                conn.execute("ALTER TABLE dispatch_events DISABLE TRIGGER USER")
                yield conn

    def sql(self, statement: str, *params: Any) -> list[Any]:
        statement = statement.format(id=self.id, table=self.table)
        if not self.sqlite:
            statement = statement.replace("?", "%s")
        with self.connection() as conn:
            cursor = conn.execute(statement, params)
            return list(cursor.fetchall()) if cursor.description else []

    def alter_state_byte(self, position: int) -> None:
        [(state,)] = self.sql("SELECT state FROM {table} WHERE {id} = ?", position)
        changed = bytearray(state)
        changed[len(changed) // 2] ^= 0x01
        self.sql("UPDATE {table} SET state = ? WHERE {id} = ?", bytes(changed), position)

    def delete(self, position: int) -> None:
        self.sql("DELETE FROM {table} WHERE {id} = ?", position)

    def insert_forged(self, position: int) -> None:
        """Slip a forged event in at ``position``, moving every later event one place on."""
        self.sql("UPDATE {table} SET {id} = {id} + 1000000 WHERE {id} >= ?", position)
        self.sql("UPDATE {table} SET {id} = {id} - 999999 WHERE {id} >= 1000000")
        [(topic, state)] = self.sql("SELECT topic, state FROM {table} WHERE {id} = ?", position + 1)
        forged = uuid.uuid4()
        self.sql(
            "INSERT INTO {table} ({id}, originator_id, originator_version, topic, state) "
            "VALUES (?, ?, 1, ?, ?)",
            position,
            forged.hex if self.sqlite else forged,
            topic,
            state,
        )

    def swap(self, first: int, second: int) -> None:
        self.sql("UPDATE {table} SET {id} = ? WHERE {id} = ?", -first, first)
        self.sql("UPDATE {table} SET {id} = ? WHERE {id} = ?", first, second)
        self.sql("UPDATE {table} SET {id} = ? WHERE {id} = ?", second, -first)


def first_problem(result: Verification) -> tuple[str, int | None]:
    assert not result.ok
    assert result.first_problem is not None, result.to_json()
    return result.first_problem.kind, result.first_problem.position


def test_an_untouched_store_verifies(any_settings: Settings, store: DispatchCenter) -> None:
    seal(any_settings, store)
    result = check(any_settings, store)
    assert result.ok, result.to_json()
    assert result.sealed_events == result.events_checked == len(positions(store)) == 21
    assert result.checkpoints == 5


def test_an_altered_state_byte_is_caught(any_settings: Settings, store: DispatchCenter) -> None:
    seal(any_settings, store)
    target = positions(store)[11]
    Attacker(any_settings).alter_state_byte(target)
    assert first_problem(check(any_settings, store)) == ("altered", target)


def test_a_deleted_row_is_caught(any_settings: Settings, store: DispatchCenter) -> None:
    seal(any_settings, store)
    target = positions(store)[6]
    Attacker(any_settings).delete(target)
    assert first_problem(check(any_settings, store)) == ("removed", target)


def test_a_forged_row_slipped_in_is_caught(any_settings: Settings, store: DispatchCenter) -> None:
    seal(any_settings, store)
    target = positions(store)[9]
    Attacker(any_settings).insert_forged(target)
    assert first_problem(check(any_settings, store)) == ("inserted", target)


def test_two_rows_swapped_are_caught_as_reordered(
    any_settings: Settings, store: DispatchCenter
) -> None:
    seal(any_settings, store)
    first, second = positions(store)[4], positions(store)[17]
    Attacker(any_settings).swap(first, second)
    result = check(any_settings, store)
    assert first_problem(result) == ("reordered", first)
    assert f"sealed at position {second}" in result.first_problem.detail  # type: ignore[union-attr]


def test_tampering_after_the_last_checkpoint_waits_for_the_next_one(
    any_settings: Settings, store: DispatchCenter
) -> None:
    seal(any_settings, store)
    incident = store.report(a_report()).incident
    store.add_note(incident.id, "baru")
    assert check(any_settings, store).unsealed_events == 4
    seal(any_settings, store)
    Attacker(any_settings).alter_state_byte(positions(store)[-1])
    assert first_problem(check(any_settings, store)) == ("altered", positions(store)[-1])


class AuditAttacker(Attacker):
    """The same attacker, now editing the audit store."""

    def audit_sql(self, statement: str) -> None:
        if self.sqlite:
            with sqlite3.connect(sqlite_sidecar(self.settings, "audit")) as conn:
                conn.execute("DROP TRIGGER IF EXISTS audit_checkpoints_no_update")
                conn.execute(statement)
        else:
            with psycopg.connect(self.settings.database_url, autocommit=True) as conn:
                conn.execute("ALTER TABLE audit_checkpoints DISABLE TRIGGER USER")
                conn.execute(statement)


def test_a_checkpoint_edited_in_the_audit_store_fails_its_signature(
    any_settings: Settings, store: DispatchCenter
) -> None:
    seal(any_settings, store)
    AuditAttacker(any_settings).audit_sql(
        "UPDATE audit_checkpoints SET event_count = event_count + 1 WHERE position = "
        "(SELECT MAX(position) FROM audit_checkpoints)"
    )
    result = check(any_settings, store)
    assert [p.kind for p in result.checkpoint_problems] == ["bad_signature"]
    assert result.checkpoint_problems[0].position == positions(store)[-1]


def test_checkpoints_signed_with_another_key_are_all_reported(
    any_settings: Settings, store: DispatchCenter
) -> None:
    seal(any_settings, store, key=Signer(b"not the audit key"))
    result = check(any_settings, store)
    assert [p.kind for p in result.checkpoint_problems] == ["bad_signature"] * 5


def test_the_audit_store_is_apart_from_the_events_and_append_only(
    any_settings: Settings, store: DispatchCenter
) -> None:
    seal(any_settings, store)
    errors = (sqlite3.DatabaseError, psycopg.Error)
    if any_settings.backend == "sqlite":
        with sqlite3.connect(any_settings.sqlite_path) as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert not {"audit_chain", "audit_checkpoints"} & tables
        path = sqlite_sidecar(any_settings, "audit")
        with pytest.raises(errors, match="append-only"), sqlite3.connect(path) as conn:
            conn.execute("DELETE FROM audit_checkpoints")
    else:
        with (
            pytest.raises(errors, match="append-only"),
            psycopg.connect(any_settings.database_url, autocommit=True) as conn,
        ):
            conn.execute("UPDATE audit_chain SET originator_version = 0")


def delete_the_audit_store(settings: Settings) -> None:
    """What the attacker does next: make the checkpoints disappear with the store."""
    if settings.backend == "sqlite":
        for path in sqlite_sidecar(settings, "audit").parent.glob("*-audit.db*"):
            path.unlink()
    else:
        with psycopg.connect(settings.database_url, autocommit=True) as conn:
            conn.execute("DROP TABLE audit_chain, audit_checkpoints")


def test_an_event_altered_and_the_audit_store_deleted_still_fails_verify(
    any_settings: Settings, store: DispatchCenter
) -> None:
    # Given a sealed log
    seal(any_settings, store)
    # When an event is altered and the audit store deleted
    Attacker(any_settings).alter_state_byte(positions(store)[11])
    delete_the_audit_store(any_settings)
    # Then verify does not say OK: the log is no longer anchored anywhere
    result = check(any_settings, store)
    assert not result.ok
    assert [p.kind for p in result.checkpoint_problems] == ["unanchored"]
    assert "deleted" in result.checkpoint_problems[0].detail


def test_the_servers_sealer_never_starts_a_chain_over_an_old_unsealed_log(
    any_settings: Settings, store: DispatchCenter
) -> None:
    # Given a log whose audit store is gone, read a day after its events were recorded
    seal(any_settings, store)
    delete_the_audit_store(any_settings)
    a_day_later = datetime.now(UTC) + timedelta(days=1)
    assert log_is_new(store) and not log_is_new(store, now=a_day_later)
    sealer = Checkpointer(
        store.recorder,
        open_audit_store(any_settings, store.recorder),
        KEY,
        may_start=lambda: log_is_new(store, now=a_day_later),
    )
    # When the server's sealer runs, it refuses, and verify keeps failing
    with pytest.raises(AuditStoreMissing, match="deleted or replaced"):
        sealer.run_once()
    assert [p.kind for p in check(any_settings, store).checkpoint_problems] == ["unanchored"]
    # And an auditor's explicit checkpoint seals the log as it now is
    seal(any_settings, store)
    assert check(any_settings, store).ok
