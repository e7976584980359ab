"""Environments for projection loops and views, from the one settings object.

A projection loop opens its own EventLog (``DISPATCH_*`` keys) and its view (``<NAME>_*``
keys): every key is prefixed so that nothing falls back to another store's setting. Pools
are small: a loop's log needs one connection for LISTEN and one to read.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

from eventsourcing.persistence import InfrastructureFactory
from eventsourcing.utils import Environment

from adapters.storage import event_store_env, postgres_env, sqlite_sidecar
from dispatch.settings import Settings
from projections.catalog import CATALOG, ProjectionSpec
from projections.tables import RowView


class ProjectionsUnavailable(Exception):
    """Raised when projections are asked for on a store that cannot hold them (memory)."""


def app_env(settings: Settings) -> dict[str, str]:
    """The event store environment for a projection loop's own log."""
    env = event_store_env(settings)
    if settings.backend == "postgres":
        env.update(DISPATCH_POSTGRES_POOL_SIZE="2", DISPATCH_POSTGRES_MAX_OVERFLOW="2")
    return env


def view_env(settings: Settings, name: str) -> dict[str, str]:
    """The environment of a projection's view: its own SQLite file, or prefixed PG tables."""
    env: dict[str, str]
    if settings.backend == "sqlite":
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(sqlite_sidecar(settings, name)),
            "SQLITE_LOCK_TIMEOUT": "10",
        }
    elif settings.backend == "postgres":
        env = postgres_env(settings) | {"POSTGRES_POOL_SIZE": "1", "POSTGRES_MAX_OVERFLOW": "3"}
    else:
        raise ProjectionsUnavailable(
            "projections need SQLite or PostgreSQL, not an in-memory store"
        )
    return {f"{name.upper()}_{key}": value for key, value in env.items()}


def open_view(settings: Settings, spec: ProjectionSpec, name: str | None = None) -> RowView:
    """A projection's view, for reading (its tables are created when missing;
    ProjectionsUnavailable on a memory store)."""
    name = name or spec.name
    env = view_env(settings, name)  # first: a memory store is ProjectionsUnavailable
    return _open(env, spec.view_class(settings.backend), name)


def open_view_class(settings: Settings, view_class: type[RowView], name: str) -> RowView:
    """A view of this class under this name (its tables are created when missing)."""
    return _open(view_env(settings, name), view_class, name)


def _open(env: dict[str, str], view_class: type[RowView], name: str) -> RowView:
    factory = InfrastructureFactory[RowView].construct(Environment(name, env))
    try:
        return factory.tracking_recorder(view_class)
    except BaseException:
        factory.close()  # its pool: the view that would have closed it was never made
        raise


class ProjectionReaders:
    """Views opened once per process for reading (boards API, health), closed at shutdown."""

    def __init__(self, settings: Settings, catalog: Mapping[str, ProjectionSpec] = CATALOG) -> None:
        self.settings = settings
        self.catalog = catalog
        self._views: dict[str, RowView] = {}
        self._lock = threading.Lock()

    def view(self, name: str) -> RowView:
        """The view of a catalogue projection (ProjectionsUnavailable on a memory store)."""
        with self._lock:
            if name not in self._views:
                self._views[name] = open_view(self.settings, self.catalog[name])
            return self._views[name]

    def close(self) -> None:
        """Close every opened view."""
        with self._lock:
            for view in self._views.values():
                view.close()
            self._views.clear()
