"""Audit stores: chain records and signed checkpoints, kept apart from the events.

SQLite: its own file beside the event store (``<events>-audit.db``). PostgreSQL: its own tables
(``audit_chain``, ``audit_checkpoints``) in the same database, never the events table. Both
refuse UPDATE and DELETE, like the event log. Memory: per event store, for tests and demos.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from datetime import datetime
from typing import Any

import psycopg

from dispatch.settings import Settings
from dispatch.storage import sqlite_sidecar
from replay.chain import AuditStore, ChainRecord, Checkpoint
from replay.errors import AuditStoreConflict

CHECKPOINT_COLUMNS = "position, chain_hash, event_count, sealed_at, key_id, signature"
RECORD_COLUMNS = "position, originator_id, originator_version, digest, link"

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

#: Taken before the DDL: several nodes may start at once.
DDL_LOCK = "SELECT pg_advisory_xact_lock(112113)"
POSTGRES_SCHEMA = [
    "CREATE TABLE IF NOT EXISTS audit_chain (position bigint PRIMARY KEY, "
    "originator_id text NOT NULL, originator_version bigint NOT NULL, "
    "digest bytea NOT NULL, link bytea NOT NULL)",
    "CREATE TABLE IF NOT EXISTS audit_checkpoints (position bigint PRIMARY KEY, "
    "chain_hash text NOT NULL, event_count bigint NOT NULL, sealed_at timestamptz NOT NULL, "
    "key_id text NOT NULL, signature text NOT NULL)",
    "CREATE OR REPLACE FUNCTION siaga112_audit_refuse_change() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION "
    "'siaga112: % on % refused: the audit store is append-only', TG_OP, TG_TABLE_NAME "
    "USING ERRCODE = 'insufficient_privilege'; END $$",
    *(
        f"CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION siaga112_audit_refuse_change()"
        for table in ("audit_chain", "audit_checkpoints")
    ),
    *(
        f"CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION siaga112_audit_refuse_change()"
        for table in ("audit_chain", "audit_checkpoints")
    ),
]


def _audit_tables_exist(conn: psycopg.Connection[Any]) -> bool:
    found = conn.execute(
        "SELECT to_regclass('audit_chain') IS NOT NULL "
        "AND to_regclass('audit_checkpoints') IS NOT NULL"
    ).fetchone()
    return bool(found and found[0])


def _checkpoint(row: Sequence[Any]) -> Checkpoint:
    sealed_at = row[3] if isinstance(row[3], datetime) else datetime.fromisoformat(row[3])
    return Checkpoint(int(row[0]), str(row[1]), int(row[2]), sealed_at, str(row[4]), str(row[5]))


def _record(row: Sequence[Any]) -> ChainRecord:
    return ChainRecord(int(row[0]), str(row[1]), int(row[2]), bytes(row[3]), bytes(row[4]))


def _record_row(r: ChainRecord) -> tuple[Any, ...]:
    return (r.position, r.originator_id, r.originator_version, r.digest, r.link)


def _checkpoint_row(c: Checkpoint, *, iso: bool) -> tuple[Any, ...]:
    at = c.sealed_at.isoformat() if iso else c.sealed_at
    return (c.position, c.chain_hash, c.count, at, c.key_id, c.signature)


class SQLiteAuditStore:
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

    def last_checkpoint(self) -> Checkpoint | None:
        """The newest checkpoint, or None."""
        with self._connect() as conn:
            row = conn.execute(
                f"SELECT {CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY position DESC LIMIT 1"
            ).fetchone()
        return _checkpoint(row) if row else None

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
                    [_record_row(r) for r in records],
                )
                conn.executemany(
                    f"INSERT INTO audit_checkpoints ({CHECKPOINT_COLUMNS}) VALUES (?,?,?,?,?,?)",
                    [_checkpoint_row(c, iso=True) for c in checkpoints],
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
                yield from (_record(r) for r in rows)

    def checkpoints(self) -> list[Checkpoint]:
        """Every checkpoint, by position."""
        with self._connect() as conn:
            rows = conn.execute(
                f"SELECT {CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY position"
            ).fetchall()
        return [_checkpoint(r) for r in rows]


class PostgresAuditStore:
    """The audit store in its own PostgreSQL tables."""

    def __init__(self, url: str, connect_timeout: int = 5) -> None:
        self.url = url
        self.connect_timeout = connect_timeout
        with self._connect() as conn:
            if _audit_tables_exist(conn):
                return  # no DDL (and no DDL privilege needed) once the tables exist
            with conn.transaction():
                conn.execute(DDL_LOCK)
                # Looked at again under the lock: a node that waited here while another made
                # the tables must not replace their triggers while that node seals (the trigger
                # DDL on one table and its writes to the other deadlocked).
                if _audit_tables_exist(conn):
                    return
                for statement in POSTGRES_SCHEMA:
                    conn.execute(statement)

    def _connect(self) -> psycopg.Connection[Any]:
        return psycopg.connect(self.url, connect_timeout=self.connect_timeout, autocommit=True)

    def close(self) -> None:
        """Nothing to close: each operation has its own connection."""

    def last_checkpoint(self) -> Checkpoint | None:
        """The newest checkpoint, or None."""
        with self._connect() as conn:
            row = conn.execute(
                f"SELECT {CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY position DESC LIMIT 1"
            ).fetchone()
        return _checkpoint(row) if row else None

    def append(
        self, records: Sequence[ChainRecord], checkpoints: Sequence[Checkpoint], previous: int
    ) -> None:
        """Store records and their checkpoints in one transaction if ``previous`` is the head."""
        try:
            with self._connect() as conn, conn.transaction(), conn.cursor() as cursor:
                cursor.execute("LOCK TABLE audit_checkpoints IN EXCLUSIVE MODE")
                cursor.execute("SELECT MAX(position) FROM audit_checkpoints")
                head = cursor.fetchone()
                if ((head[0] if head else None) or 0) != previous:
                    raise AuditStoreConflict(f"the audit chain is not at {previous}")
                cursor.executemany(
                    f"INSERT INTO audit_chain ({RECORD_COLUMNS}) VALUES (%s,%s,%s,%s,%s)",
                    [_record_row(r) for r in records],
                )
                cursor.executemany(
                    f"INSERT INTO audit_checkpoints ({CHECKPOINT_COLUMNS}) "
                    "VALUES (%s,%s,%s,%s,%s,%s)",
                    [_checkpoint_row(c, iso=False) for c in checkpoints],
                )
        except psycopg.errors.UniqueViolation as error:
            raise AuditStoreConflict(str(error)) from error

    def records(self) -> Iterator[ChainRecord]:
        """Every chain record, by position (streamed with a server-side cursor)."""
        with (
            self._connect() as conn,
            conn.transaction(),
            conn.cursor(name="audit_chain_records") as cursor,
        ):
            cursor.itersize = 5000
            cursor.execute(f"SELECT {RECORD_COLUMNS} FROM audit_chain ORDER BY position")
            yield from (_record(r) for r in cursor)

    def checkpoints(self) -> list[Checkpoint]:
        """Every checkpoint, by position."""
        with self._connect() as conn:
            rows = conn.execute(
                f"SELECT {CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY position"
            ).fetchall()
        return [_checkpoint(r) for r in rows]


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
