"""Who runs the projections: one holder of a lease per store; the others stand by.

PostgreSQL: a session-level advisory lock on a dedicated connection. When the holder dies
its connection closes and the server releases the lock, so a standby node takes over.
SQLite: an exclusive ``flock`` on a file beside the store, released when the process exits.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from typing import Protocol

import psycopg

# pg_advisory_xact_lock(112112) serialises DDL (adapters.storage): a different key.
PROJECTIONS_LOCK = 112_112_001


class Lease(Protocol):
    """A lock that at most one process holds at a time."""

    def acquire(self) -> bool:
        """Try to take the lease now; True when this process holds it."""
        ...

    def held(self) -> bool:
        """True while the lease is still ours (False once it is lost)."""
        ...

    def release(self) -> None:
        """Give the lease up."""
        ...


class PostgresLease:
    """A session-level advisory lock, held on its own connection."""

    def __init__(self, database_url: str, *, key: int = PROJECTIONS_LOCK, timeout: int = 2) -> None:
        self._url = database_url
        self._key = key
        self._timeout = timeout
        self._conn: psycopg.Connection[tuple[object, ...]] | None = None

    def acquire(self) -> bool:
        if self._conn is not None and self.held():
            return True
        self.release()
        try:
            conn = psycopg.connect(
                self._url,
                autocommit=True,
                connect_timeout=self._timeout,
                application_name="siaga112-projections",
                keepalives=1,
                keepalives_idle=5,
                keepalives_interval=2,
                keepalives_count=3,
            )
            row = conn.execute("SELECT pg_try_advisory_lock(%s)", (self._key,)).fetchone()
        except psycopg.Error:
            return False
        if row is None or not row[0]:
            conn.close()
            return False
        self._conn = conn
        return True

    def held(self) -> bool:
        if self._conn is None:
            return False
        try:
            self._conn.execute("SELECT 1")
        except psycopg.Error:
            self.release()
            return False
        return True

    def release(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(psycopg.Error):
                self._conn.close()  # closing the session releases the lock
            self._conn = None


class FileLease:
    """An exclusive lock on a file (one host: SQLite)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._fd: int | None = None

    def acquire(self) -> bool:
        if self._fd is not None:
            return True
        self._path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return True

    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor releases the lock
            self._fd = None
