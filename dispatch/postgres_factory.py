"""The library's PostgreSQL persistence, with a connection pool that reconnects promptly.

psycopg_pool replaces a lost connection in the background and, while the database refuses,
waits 1, 2, 4, 8 … s between attempts for up to ``reconnect_timeout`` (5 minutes by default).
After a 10 to 20 s outage the pool's next attempt could therefore come 8 s or more after the
database was back: reports kept getting 503 and /healthz stayed red although nothing was wrong.

Here each background attempt gives up after ``RECONNECT_WINDOW_S`` (the pool's documented
``reconnect_timeout``), so no attempt waits more than about a second; a connection the pool
gave up on is made again at once when the next request asks for one. The event store and every
projection view choose this factory by their ``PERSISTENCE_MODULE`` topic (``dispatch.storage``).
"""

from __future__ import annotations

from eventsourcing.postgres import PostgresFactory
from eventsourcing.utils import Environment, EnvType

RECONNECT_WINDOW_S = 2.0


class PromptReconnectPostgresFactory(PostgresFactory):
    """``PostgresFactory`` whose pool never backs off for long before reconnecting."""

    def __init__(self, env: Environment | EnvType | None) -> None:
        super().__init__(env)
        # The pool is built closed (``open=False``): set before its first connection.
        self.datastore.pool.reconnect_timeout = RECONNECT_WINDOW_S
