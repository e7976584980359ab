"""The PostgreSQL append as one statement (``adapters.postgres_recorder``): the table lock, the
NOTIFY and the insert in one function, and what tailing readers rely on."""

from __future__ import annotations

import os
import threading
import time
import uuid

import psycopg
import pytest
from eventsourcing.persistence import IntegrityError, OperationalError, StoredEvent

from adapters.center import build_center
from adapters.postgres_recorder import (
    FailFastPostgresAggregateRecorder,
    FailFastPostgresApplicationRecorder,
)
from dispatch.settings import Settings

WRITERS = 4
APPENDS = 150  # per writer, 3 events each


def three_events() -> list[StoredEvent]:
    originator = uuid.uuid4()
    return [StoredEvent(originator, v, "test:Appended", os.urandom(200)) for v in (1, 2, 3)]


def test_tailing_readers_miss_nothing_while_writers_race(postgres_settings: Settings) -> None:
    """Readers that ask only for ids after the last one they saw get every event: ids are
    taken under the table lock, so no id commits after a greater one is visible."""
    center = build_center(postgres_settings.model_copy(update={"watchdog_enabled": False}))
    recorder = center.recorder
    assert isinstance(recorder, FailFastPostgresApplicationRecorder)
    start = recorder.max_notification_id() or 0
    returned: list[int] = []
    done = threading.Event()
    seen: list[list[int]] = [[], []]

    def write() -> None:
        for _ in range(APPENDS):
            ids = recorder.insert_events(three_events())
            assert ids is not None and len(ids) == 3 and ids == sorted(ids)
            returned.extend(ids)

    def tail(mine: list[int]) -> None:
        last = start
        while True:
            finished = done.is_set()  # read before the page: a page after the end sees all
            page = recorder.select_notifications(last, 100, inclusive_of_start=False)
            mine.extend(n.id for n in page)
            last = page[-1].id if page else last
            if finished and not page:
                return

    writers = [threading.Thread(target=write) for _ in range(WRITERS)]
    readers = [threading.Thread(target=tail, args=(s,)) for s in seen]
    try:
        for t in [*readers, *writers]:
            t.start()
        for t in writers:
            t.join()
        done.set()
        for t in readers:
            t.join(timeout=30)
        stored = [n.id for n in recorder.select_notifications(start + 1, 10_000)]
    finally:
        center.close()
    assert len(stored) == WRITERS * APPENDS * 3
    assert sorted(returned) == stored
    assert seen[0] == stored and seen[1] == stored


def test_an_append_that_clashes_stores_none_of_its_events(postgres_settings: Settings) -> None:
    center = build_center(postgres_settings.model_copy(update={"watchdog_enabled": False}))
    try:
        recorder = center.recorder
        first = three_events()
        recorder.insert_events(first)
        before = recorder.max_notification_id()
        clash = [StoredEvent(uuid.uuid4(), 1, "test:Appended", b"{}"), first[0]]
        with pytest.raises(IntegrityError):
            recorder.insert_events(clash)
        assert recorder.max_notification_id() == before
        assert recorder.select_events(clash[0].originator_id) == []
        assert recorder.insert_events([]) == []
    finally:
        center.close()


def test_an_append_waits_for_the_table_lock_at_most_the_lock_timeout(
    postgres_settings: Settings,
) -> None:
    """Someone else holding the events table: the append gives up (lock timeout, then the
    bounded retries) and stores nothing; once the table is free, appends work again."""
    settings = postgres_settings.model_copy(
        update={"watchdog_enabled": False, "postgres_lock_timeout": 1}
    )
    center = build_center(settings)
    try:
        recorder = center.recorder
        assert isinstance(recorder, FailFastPostgresApplicationRecorder)
        before = recorder.max_notification_id()
        with psycopg.connect(settings.database_url) as holder:
            holder.execute(f"LOCK TABLE {recorder.events_table_name} IN EXCLUSIVE MODE")
            started = time.monotonic()
            with pytest.raises(OperationalError, match="lock timeout"):
                recorder.insert_events(three_events())
            waited = time.monotonic() - started
            holder.rollback()
        assert 1.0 <= waited < 6.0
        assert recorder.max_notification_id() == before
        assert recorder.insert_events(three_events()) is not None
    finally:
        center.close()


def test_the_snapshot_store_gives_up_within_the_same_bounded_time(
    postgres_settings: Settings,
) -> None:
    """The library makes the snapshot store's recorder from the factory's class, not from a
    topic: the factory's class is the bounded one, and snapshots are written and read with it."""
    center = build_center(postgres_settings.model_copy(update={"watchdog_enabled": False}))
    try:
        assert center.snapshots is not None
        recorder = center.snapshots.recorder
        assert isinstance(recorder, FailFastPostgresAggregateRecorder)
        snapshot = StoredEvent(uuid.uuid4(), 1, "test:Snapshot", b"{}")
        recorder.insert_events([snapshot])
        assert recorder.select_events(snapshot.originator_id) == [snapshot]
    finally:
        center.close()
