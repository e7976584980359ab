"""A subscribable SQLite application recorder (the library's has no subscribe() in 9.5.6).

In-process subscribers are woken right after each commit; writes made by other processes are
picked up by polling. The same projection runners and feeds then work on SQLite and PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    ApplicationRecorder,
    ListenNotifySubscription,
    Mapper,
    StoredEvent,
    Subscription,
)
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore

from adapters.checkpoint_stores import SQLiteCheckpoints

POLL_INTERVAL_S = 0.2

APPEND_ONLY_SQL = [
    "CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
    "BEGIN SELECT RAISE(ABORT, 'siaga112: the event log is append-only'); END",
    "CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
    "BEGIN SELECT RAISE(ABORT, 'siaga112: the event log is append-only'); END",
]


# Subscribers per database file: every recorder of this process on the same file (the app's,
# a projection runner's own app) wakes them all after a commit.
_LISTENERS: dict[str, set[threading.Event]] = {}
_LISTENERS_LOCK = threading.Lock()


class SubscribableSQLiteApplicationRecorder(SQLiteApplicationRecorder):
    """SQLite application recorder that supports subscriptions and refuses UPDATE/DELETE."""

    def __init__(self, datastore: SQLiteDatastore, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name)
        self._key = f"{datastore.pool.db_name}#{events_table_name}"

    def present_checkpoints(self, mapper: Mapper[UUID]) -> SQLiteCheckpoints:
        """The present's checkpoint in this store's file."""
        return SQLiteCheckpoints(mapper, self)

    def construct_create_table_statements(self) -> list[str]:
        statements = super().construct_create_table_statements()
        return statements + [s.format(table=self.events_table_name) for s in APPEND_ONLY_SQL]

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids = super().insert_events(stored_events, **kwargs)
        self.notify_listeners()
        return ids

    def subscribe(
        self, gt: int | None = None, topics: Sequence[str] = ()
    ) -> Subscription[ApplicationRecorder]:
        return SQLiteSubscription(recorder=self, gt=gt, topics=topics)

    def listen(self, wake: threading.Event) -> None:
        """Wake this event after every commit to this database made in this process."""
        with _LISTENERS_LOCK:
            _LISTENERS.setdefault(self._key, set()).add(wake)

    def unlisten(self, wake: threading.Event) -> None:
        """Stop waking this event."""
        with _LISTENERS_LOCK:
            _LISTENERS.get(self._key, set()).discard(wake)

    def notify_listeners(self) -> None:
        """Wake every in-process subscriber of this database."""
        with _LISTENERS_LOCK:
            listeners = list(_LISTENERS.get(self._key, ()))
        for wake in listeners:
            wake.set()


class SQLiteSubscription(ListenNotifySubscription[SubscribableSQLiteApplicationRecorder]):
    """Pulls new notifications when woken by a commit, or every poll interval."""

    def __init__(
        self,
        recorder: SubscribableSQLiteApplicationRecorder,
        gt: int | None = None,
        topics: Sequence[str] = (),
    ) -> None:
        self._stop_polling = threading.Event()
        super().__init__(recorder=recorder, gt=gt, topics=topics)
        recorder.listen(self._has_been_notified)
        self._poller = threading.Thread(target=self._poll, name="sqlite-poll", daemon=True)
        self._poller.start()

    def _poll(self) -> None:
        # Other processes may write to the same file; they cannot wake us, so we look.
        while not self._stop_polling.wait(POLL_INTERVAL_S):
            self._has_been_notified.set()

    def stop(self) -> None:
        self._stop_polling.set()
        super().stop()
        self._recorder.unlisten(self._has_been_notified)
