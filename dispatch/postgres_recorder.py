"""The library's PostgreSQL application recorder, with its retries bounded in time.

eventsourcing 9.5 retries each read and write of the event store up to 10 times, 0.2 s
apart, and each attempt may wait the pool's timeout (``postgres_connect_timeout``) for a
connection. When the database is down, a call therefore comes back after 12 s (a 1 s timeout)
to 22 s (the default 2 s): a call-taker's report waited that long for its 503, and so did
``/healthz`` (a load balancer gives up sooner) and a server shutting down.

Here the same calls are retried, 0.2 s apart as the library does, only while the first
attempt is less than ``RETRY_BUDGET_S`` old: a dropped connection (a database restart, a
failover) is still retried and goes unnoticed, but an outage is reported within about
``RETRY_BUDGET_S`` plus one pool timeout.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from eventsourcing.persistence import AggregateRecorder, InterfaceError, OperationalError
from eventsourcing.postgres import PostgresAggregateRecorder, PostgresApplicationRecorder

RETRY_BUDGET_S = 2.0
RETRY_WAIT_S = 0.2

F = TypeVar("F", bound=Callable[..., Any])


def bounded(method: F) -> F:
    """The library method without its own retries, retried while the budget lasts."""
    once: Callable[..., Any] = getattr(method, "__wrapped__", method)  # under @retry

    @wraps(once)
    def call(*args: Any, **kwargs: Any) -> Any:
        deadline = time.monotonic() + RETRY_BUDGET_S
        while True:
            try:
                return once(*args, **kwargs)
            except (InterfaceError, OperationalError):
                if time.monotonic() + RETRY_WAIT_S >= deadline:
                    raise
                time.sleep(RETRY_WAIT_S)

    return call  # type: ignore[return-value]


class FailFastPostgresAggregateRecorder(PostgresAggregateRecorder):
    """``PostgresAggregateRecorder`` (the snapshots) giving up within a bounded time."""

    insert_events = bounded(PostgresAggregateRecorder.insert_events)
    select_events = bounded(PostgresAggregateRecorder.select_events)


def fail_fast(recorder: AggregateRecorder) -> AggregateRecorder:
    """The same PostgreSQL aggregate recorder with bounded retries (the library makes the
    snapshot store's recorder itself, with no topic to choose its class); others as they are."""
    if type(recorder) is PostgresAggregateRecorder:
        return FailFastPostgresAggregateRecorder(
            recorder.datastore, events_table_name=recorder.events_table_name
        )
    return recorder


class FailFastPostgresApplicationRecorder(PostgresApplicationRecorder):
    """``PostgresApplicationRecorder`` whose reads and writes give up within a bounded time."""

    insert_events = bounded(PostgresApplicationRecorder.insert_events)
    select_events = bounded(PostgresAggregateRecorder.select_events)
    select_notifications = bounded(PostgresApplicationRecorder.select_notifications)
    max_notification_id = bounded(PostgresApplicationRecorder.max_notification_id)
