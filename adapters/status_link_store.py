"""Where status links live: only the SHA-256 of each token, never the token itself.

SQLite: its own file beside the event store (``<events>-status-links.db``). PostgreSQL: its own
table ``status_links``. Memory: per event store, for tests and demos. A link records which
incident it shows, when it was made and by whom; whether it still works is decided from the
incident when it is opened (``dispatch.status_links``).
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import datetime
from typing import Any
from uuid import UUID

import psycopg

from adapters.storage import sqlite_sidecar
from dispatch.settings import Settings
from dispatch.status_links import StatusLinkStore, StoredLink

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS status_links (token_hash TEXT PRIMARY KEY, "
    "incident_id TEXT NOT NULL, created_at TEXT NOT NULL, created_by TEXT NOT NULL)"
)


def _row(row: tuple[Any, ...]) -> StoredLink:
    created = row[2] if isinstance(row[2], datetime) else datetime.fromisoformat(row[2])
    return StoredLink(str(row[0]), UUID(str(row[1])), created, str(row[3]))


def _values(link: StoredLink) -> tuple[str, str, str, str]:
    return (link.token_hash, str(link.incident_id), link.created_at.isoformat(), link.created_by)


class SQLiteStatusLinkStore:
    """Status links in their own SQLite file."""

    def __init__(self, path: str) -> None:
        self.path = path
        with self._connect() as conn:
            conn.execute(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=5)) as conn, conn:
            yield conn

    def add(self, link: StoredLink) -> None:
        """Store a new link."""
        with self._connect() as conn:
            conn.execute("INSERT INTO status_links VALUES (?, ?, ?, ?)", _values(link))

    def find(self, token_hash: str) -> StoredLink | None:
        """The link with this token hash, or None."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT * FROM status_links WHERE token_hash = ?", (token_hash,)
            ).fetchone()
        return _row(row) if row else None


class PostgresStatusLinkStore:
    """Status links in their own PostgreSQL table."""

    def __init__(self, url: str, connect_timeout: int = 5) -> None:
        self.url = url
        self.connect_timeout = connect_timeout
        with self._connect() as conn:
            found = conn.execute("SELECT to_regclass('status_links') IS NOT NULL").fetchone()
            if not (found and found[0]):
                with conn.transaction():
                    conn.execute("SELECT pg_advisory_xact_lock(112119)")
                    conn.execute(SCHEMA)

    def _connect(self) -> psycopg.Connection[Any]:
        return psycopg.connect(self.url, connect_timeout=self.connect_timeout, autocommit=True)

    def add(self, link: StoredLink) -> None:
        """Store a new link."""
        with self._connect() as conn:
            conn.execute("INSERT INTO status_links VALUES (%s, %s, %s, %s)", _values(link))

    def find(self, token_hash: str) -> StoredLink | None:
        """The link with this token hash, or None."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT * FROM status_links WHERE token_hash = %s", (token_hash,)
            ).fetchone()
        return _row(row) if row else None


class MemoryStatusLinkStore:
    """Status links in a dict (the memory backend: tests and demos)."""

    def __init__(self) -> None:
        self._links: dict[str, StoredLink] = {}
        self._lock = threading.Lock()

    def add(self, link: StoredLink) -> None:
        """Store a new link."""
        with self._lock:
            self._links[link.token_hash] = link

    def find(self, token_hash: str) -> StoredLink | None:
        """The link with this token hash, or None."""
        with self._lock:
            return self._links.get(token_hash)


_MEMORY: weakref.WeakKeyDictionary[object, MemoryStatusLinkStore] = weakref.WeakKeyDictionary()
_MEMORY_LOCK = threading.Lock()


def open_status_link_store(settings: Settings, recorder: object) -> StatusLinkStore:
    """The status-link store beside this event store (``recorder`` keys the in-memory one)."""
    if settings.backend == "sqlite":
        return SQLiteStatusLinkStore(str(sqlite_sidecar(settings, "status-links")))
    if settings.backend == "postgres":
        return PostgresStatusLinkStore(settings.database_url, settings.postgres_connect_timeout)
    with _MEMORY_LOCK:
        return _MEMORY.setdefault(recorder, MemoryStatusLinkStore())
