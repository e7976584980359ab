"""The audit store's rows: their columns, and chain records and checkpoints to and from them
(shared by the SQLite and PostgreSQL stores)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from replay.chain import ChainRecord, Checkpoint

CHECKPOINT_COLUMNS = "position, chain_hash, event_count, sealed_at, key_id, signature"
RECORD_COLUMNS = "position, originator_id, originator_version, digest, link"


def checkpoint_of(row: Sequence[Any]) -> Checkpoint:
    """A checkpoint from its row (``sealed_at`` as a timestamp, or ISO text in SQLite)."""
    sealed_at = row[3] if isinstance(row[3], datetime) else datetime.fromisoformat(row[3])
    return Checkpoint(int(row[0]), str(row[1]), int(row[2]), sealed_at, str(row[4]), str(row[5]))


def record_of(row: Sequence[Any]) -> ChainRecord:
    """A chain record from its row."""
    return ChainRecord(int(row[0]), str(row[1]), int(row[2]), bytes(row[3]), bytes(row[4]))


def record_row(r: ChainRecord) -> tuple[Any, ...]:
    """A chain record as its row."""
    return (r.position, r.originator_id, r.originator_version, r.digest, r.link)


def checkpoint_row(c: Checkpoint, *, iso: bool) -> tuple[Any, ...]:
    """A checkpoint as its row (``iso``: ``sealed_at`` as ISO text, for SQLite)."""
    at = c.sealed_at.isoformat() if iso else c.sealed_at
    return (c.position, c.chain_hash, c.count, at, c.key_id, c.signature)


class CheckpointReads(ABC):
    """The checkpoint reads the SQLite and PostgreSQL stores answer alike, with the SQL both
    speak, over a connection ``_connect()`` lends."""

    @abstractmethod
    def _connect(self) -> AbstractContextManager[Any]:
        """A DB-API connection for the time of a ``with`` block."""

    def last_checkpoint(self) -> Checkpoint | None:
        """The newest checkpoint, or None."""
        with self._connect() as conn:
            row = conn.execute(
                f"SELECT {CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY position DESC LIMIT 1"
            ).fetchone()
        return checkpoint_of(row) if row else None

    def checkpoints(self) -> list[Checkpoint]:
        """Every checkpoint, by position."""
        with self._connect() as conn:
            rows = conn.execute(
                f"SELECT {CHECKPOINT_COLUMNS} FROM audit_checkpoints ORDER BY position"
            ).fetchall()
        return [checkpoint_of(r) for r in rows]
