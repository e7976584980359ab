"""Audit stores: chain records and signed checkpoints, kept apart from the events.

SQLite: its own file beside the event store (``<events>-audit.db``). PostgreSQL: its own tables
(``audit_chain``, ``audit_checkpoints``) in the same database, never the events table
(``replay.postgres_audit``). Both refuse UPDATE and DELETE, like the event log. Memory: per
event store, for tests and demos. ``open_audit_store`` opens the one beside an event store.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager

from adapters.storage import sqlite_sidecar
from dispatch.settings import Settings
from replay.audit_rows import (
    CHECKPOINT_COLUMNS,
    RECORD_COLUMNS,
    CheckpointReads,
    checkpoint_row,
    record_of,
    record_row,
)
from replay.chain import AuditStore, ChainRecord, Checkpoint
from replay.errors import AuditStoreConflict
from replay.postgres_audit import PostgresAuditStore

SQLITE_SCHEMA = [
    "CREATE TABLE IF NOT EXISTS audit_chain (position INTEGER PRIMARY KEY, "
    "originator_id TEXT NOT NULL, originator_version INTEGER NOT NULL, "
    "digest BLOB NOT NULL, link BLOB NOT NULL)",
    "CREATE TABLE IF NOT EXISTS audit_checkpoints (position INTEGER PRIMARY KEY, "
    "chain_hash TEXT NOT NULL, event_count INTEGER NOT NULL, sealed_at TEXT NOT NULL, "
    "key_id TEXT NOT NULL, signature TEXT NOT NULL)",
    *(
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op} BEFORE {op.upper()} ON {table} "
        "BEGIN SELECT RAISE(ABORT, 'siaga112: the audit store is append-only'); END"
        for table in ("audit_chain", "audit_checkpoints")
        for op in ("update", "delete")
    ),
]


class SQLiteAuditStore(CheckpointReads):
    """The audit store in its own SQLite file (one connection, kept open, used under a lock)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            for statement in SQLITE_SCHEMA:
                conn.execute(statement)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._conn is None:
                self._conn = sqlite3.connect(
                    self.path, timeout=10, isolation_level=None, check_same_thread=False
                )
            yield self._conn

    def close(self) -> None:
        """Close the connection (it reopens if used again)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def append(
        self, records: Sequence[ChainRecord], checkpoints: Sequence[Checkpoint], previous: int
    ) -> None:
        """Store records and their checkpoints in one transaction if ``previous`` is the head."""
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                head = conn.execute("SELECT MAX(position) FROM audit_checkpoints").fetchone()[0]
                if (head or 0) != previous:
                    raise AuditStoreConflict(f"the audit chain is at {head}, not {previous}")
                conn.executemany(
                    f"INSERT INTO audit_chain ({RECORD_COLUMNS}) VALUES (?,?,?,?,?)",
                    [record_row(r) for r in records],
                )
                conn.executemany(
                    f"INSERT INTO audit_checkpoints ({CHECKPOINT_COLUMNS}) VALUES (?,?,?,?,?,?)",
                    [checkpoint_row(c, iso=True) for c in checkpoints],
                )
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def records(self) -> Iterator[ChainRecord]:
        """Every chain record, by position (its own connection: a consistent read)."""
        with closing(sqlite3.connect(self.path, timeout=10)) as conn:
            cursor = conn.execute(f"SELECT {RECORD_COLUMNS} FROM audit_chain ORDER BY position")
            while rows := cursor.fetchmany(2000):
                yield from (record_of(r) for r in rows)


class MemoryAuditStore:
    """The audit store in memory, one per in-memory event store."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[ChainRecord] = []
        self._checkpoints: list[Checkpoint] = []

    def close(self) -> None:
        """Nothing to close: the store lives as long as its event store."""

    def last_checkpoint(self) -> Checkpoint | None:
        """The newest checkpoint, or None."""
        with self._lock:
            return self._checkpoints[-1] if self._checkpoints else None

    def append(
        self, records: Sequence[ChainRecord], checkpoints: Sequence[Checkpoint], previous: int
    ) -> None:
        """Store records and their checkpoints if ``previous`` is the head."""
        with self._lock:
            head = self._checkpoints[-1].position if self._checkpoints else 0
            if head != previous:
                raise AuditStoreConflict(f"the audit chain is at {head}, not {previous}")
            self._records.extend(records)
            self._checkpoints.extend(checkpoints)

    def records(self) -> Iterator[ChainRecord]:
        """Every chain record, by position."""
        with self._lock:
            records = list(self._records)
        yield from records

    def checkpoints(self) -> list[Checkpoint]:
        """Every checkpoint, by position."""
        with self._lock:
            return list(self._checkpoints)


_MEMORY: weakref.WeakKeyDictionary[object, MemoryAuditStore] = weakref.WeakKeyDictionary()
_MEMORY_LOCK = threading.Lock()


def open_audit_store(settings: Settings, recorder: object) -> AuditStore:
    """The audit store beside this event store (``recorder`` keys the in-memory one)."""
    if settings.backend == "sqlite":
        return SQLiteAuditStore(str(sqlite_sidecar(settings, "audit")))
    if settings.backend == "postgres":
        return PostgresAuditStore(settings.database_url, settings.postgres_connect_timeout)
    with _MEMORY_LOCK:
        return _MEMORY.setdefault(recorder, MemoryAuditStore())
