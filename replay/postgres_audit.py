"""The audit store in its own PostgreSQL tables (``audit_chain``, ``audit_checkpoints``) in the
event store's database, never the events table; both refuse UPDATE, DELETE and TRUNCATE."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from typing import Any

import psycopg

from replay.audit_rows import (
    CHECKPOINT_COLUMNS,
    RECORD_COLUMNS,
    CheckpointReads,
    checkpoint_row,
    record_of,
    record_row,
)
from replay.chain import ChainRecord, Checkpoint
from replay.errors import AuditStoreConflict

log = logging.getLogger(__name__)

#: Taken before the DDL: several nodes may start at once.
DDL_LOCK = "SELECT pg_advisory_xact_lock(112113)"
DDL_ATTEMPTS = 3
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


class PostgresAuditStore(CheckpointReads):
    """The audit store in its own PostgreSQL tables."""

    def __init__(self, url: str, connect_timeout: int = 5) -> None:
        self.url = url
        self.connect_timeout = connect_timeout
        for attempt in range(DDL_ATTEMPTS):
            try:
                self._make_tables()
                return
            except psycopg.errors.DeadlockDetected:
                # PostgreSQL broke a deadlock between this DDL and another node's sealing by
                # undoing the DDL (seen once, three nodes starting at once: docs/TESTING.md):
                # that node's tables are there, the next look finds them.
                if attempt == DDL_ATTEMPTS - 1:
                    raise
                log.warning("audit store: DDL undone to break a deadlock; looking again")

    def _make_tables(self) -> None:
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
                    [record_row(r) for r in records],
                )
                cursor.executemany(
                    f"INSERT INTO audit_checkpoints ({CHECKPOINT_COLUMNS}) "
                    "VALUES (%s,%s,%s,%s,%s,%s)",
                    [checkpoint_row(c, iso=False) for c in checkpoints],
                )
        except (psycopg.errors.UniqueViolation, psycopg.errors.DeadlockDetected) as error:
            # Another node sealed these, or PostgreSQL undid this append to break a deadlock
            # with another node's DDL: either way nothing was stored; the next run looks again
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
            yield from (record_of(r) for r in cursor)
