"""The present's checkpoint in the event store's own database: one row (``present_checkpoint``:
name, position, saved_at, body) replaced in one transaction, and only by a later position
(several nodes may write it). What the body holds is ``dispatch.present.checkpoint``'s."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Mapper
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg.sql import SQL, Identifier

from dispatch.present.checkpoint import NAME, TABLE, CheckpointCodec
from dispatch.present.model import Loader, PresentState, Windows


class SQLiteCheckpoints(CheckpointCodec):
    """The checkpoint in the SQLite event store's file."""

    def __init__(self, mapper: Mapper[UUID], recorder: SQLiteApplicationRecorder) -> None:
        super().__init__(mapper)
        self.datastore = recorder.datastore

    def _create(self, curs: Any) -> None:
        curs.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (name TEXT PRIMARY KEY, "
            "position INTEGER NOT NULL, saved_at TEXT NOT NULL, body BLOB NOT NULL)"
        )

    def save(self, position: int, body: bytes) -> bool:
        """Replace the checkpoint unless one at a later position is there; True if written."""
        with self.datastore.transaction(commit=True) as curs:
            self._create(curs)
            curs.execute(
                f"INSERT INTO {TABLE} (name, position, saved_at, body) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET position = excluded.position, "
                "saved_at = excluded.saved_at, body = excluded.body "
                f"WHERE excluded.position > {TABLE}.position",
                (NAME, position, _now(), body),
            )
            return bool(curs.sqlite_cursor.rowcount)

    def load(self, windows: Windows, loader: Loader) -> PresentState | None:
        """The last checkpoint, or None."""
        with self.datastore.transaction(commit=True) as curs:
            self._create(curs)
            curs.execute(f"SELECT body FROM {TABLE} WHERE name = ?", (NAME,))
            row = curs.fetchone()
        return self.decode(bytes(row[0]), windows, loader) if row else None


class PostgresCheckpoints(CheckpointCodec):
    """The checkpoint in the PostgreSQL event store's schema."""

    def __init__(self, mapper: Mapper[UUID], recorder: PostgresApplicationRecorder) -> None:
        super().__init__(mapper)
        self.datastore = recorder.datastore
        self.table = SQL("{}.{}").format(Identifier(self.datastore.schema), Identifier(TABLE))

    def _create(self, curs: Any) -> None:
        curs.execute(
            SQL(
                "CREATE TABLE IF NOT EXISTS {} (name text PRIMARY KEY, position bigint NOT NULL, "
                "saved_at timestamptz NOT NULL, body bytea NOT NULL)"
            ).format(self.table)
        )

    def save(self, position: int, body: bytes) -> bool:
        """Replace the checkpoint unless one at a later position is there; True if written."""
        with self.datastore.transaction(commit=True) as curs:
            self._create(curs)
            curs.execute(
                SQL(
                    "INSERT INTO {0} (name, position, saved_at, body) VALUES (%s, %s, %s, %s) "
                    "ON CONFLICT (name) DO UPDATE SET position = excluded.position, "
                    "saved_at = excluded.saved_at, body = excluded.body "
                    "WHERE excluded.position > {0}.position"
                ).format(self.table),
                (NAME, position, datetime.now(UTC), body),
            )
            return bool(curs.rowcount)

    def load(self, windows: Windows, loader: Loader) -> PresentState | None:
        """The last checkpoint, or None."""
        with self.datastore.transaction(commit=True) as curs:
            self._create(curs)
            curs.execute(SQL("SELECT body FROM {} WHERE name = %s").format(self.table), (NAME,))
            row = curs.fetchone()
        if not row:
            return None
        body = row["body"] if isinstance(row, dict) else row[0]
        return self.decode(bytes(body), windows, loader)


def _now() -> str:
    return datetime.now(UTC).isoformat()
