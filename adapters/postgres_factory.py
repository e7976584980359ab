"""The library's PostgreSQL persistence, with a connection pool that reconnects promptly and
checks a connection before use without a round trip.

psycopg_pool replaces a lost connection in the background and, while the database refuses,
waits 1, 2, 4, 8 … s between attempts for up to ``reconnect_timeout`` (5 minutes by default).
After a 10 to 20 s outage the pool's next attempt could therefore come 8 s or more after the
database was back: reports kept getting 503 and /healthz stayed red although nothing was wrong.
Here each background attempt gives up after ``RECONNECT_WINDOW_S`` (the pool's documented
``reconnect_timeout``), so no attempt waits more than about a second; a connection the pool
gave up on is made again at once when the next request asks for one.

The library's pre-ping (``POSTGRES_PRE_PING``: psycopg_pool's ``check_connection``) sends an
empty query before every use: a round trip per checkout, two of the seven statements of a
report. A server that restarts, fails over or drops a connection (``pg_terminate_backend``, a
proxy that cuts) says so on the socket at once: a FATAL message, then end of file. The pool's
``check`` here only looks whether anything arrived on an idle connection (``quiet``): nothing
sent, no wait. Only a connection the server did send something to is pinged; if the ping
fails, it is thrown away, and so is every other idle one (the pool's ``drain``: they were all
opened to the same server); the pool opens new ones and the caller gets one of those at once.
(The pre-ping threw dead ones away one at a time, sleeping 1 s, then 2 s between them: with
three dead, a checkout ran out of its pool timeout.) A connection that dies in the instant
between the check and its first statement is the race the pre-ping had too; the recorders
retry it (``adapters.postgres_recorder``). The event store and every projection view choose
this factory by their ``PERSISTENCE_MODULE`` topic (``adapters.storage``).
"""

from __future__ import annotations

import select
import weakref
from typing import Any

import psycopg
from eventsourcing.postgres import PostgresFactory
from eventsourcing.utils import Environment, EnvType
from psycopg.pq import ConnStatus
from psycopg_pool import ConnectionPool

from adapters.postgres_recorder import FailFastPostgresAggregateRecorder

RECONNECT_WINDOW_S = 2.0


def quiet(conn: psycopg.Connection[Any]) -> bool:
    """Whether nothing arrived on this idle connection since its last use (no round trip)."""
    if conn.pgconn.status != ConnStatus.OK:
        return False
    poller = select.poll()
    poller.register(conn.pgconn.socket, select.POLLIN)
    return not poller.poll(0)


def check_without_round_trip(pool: ConnectionPool[Any]) -> Any:
    """The pool's ``check``: a quiet connection is used as it is; one the server sent something
    to while idle (a FATAL then end of file, or a NOTIFY) is pinged, and if the ping fails, it
    and every other idle connection are thrown away (the pool's ``drain``)."""
    pool_ref = weakref.ref(pool)  # the pool holds its check: no reference cycle

    def check(conn: psycopg.Connection[Any]) -> None:
        if quiet(conn):
            return
        try:
            ConnectionPool.check_connection(conn)  # the pre-ping, for this one only
        except psycopg.Error:
            if (owner := pool_ref()) is not None:
                owner.drain()  # the other idle connections went to the same server
            raise

    return check


class PromptReconnectPostgresFactory(PostgresFactory):
    """``PostgresFactory`` whose pool never backs off for long before reconnecting, and checks
    a connection before use from its socket alone. Its aggregate recorders (the snapshots: the
    library makes them with this class, not from a topic) give up within the same bounded time
    as the event store's recorder (``adapters.postgres_recorder``)."""

    aggregate_recorder_class = FailFastPostgresAggregateRecorder

    def __init__(self, env: Environment | EnvType | None) -> None:
        super().__init__(env)
        # The pool is built closed (``open=False``): set before its first connection.
        pool = self.datastore.pool
        pool.reconnect_timeout = RECONNECT_WINDOW_S
        # psycopg_pool takes ``check`` only when built; the library builds it (with the
        # pre-ping or none): give it ours before it opens.
        pool._check = check_without_round_trip(pool)
