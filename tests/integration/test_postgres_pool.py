"""The PostgreSQL pool's check: a connection is handed out without a round trip, and never one
the server has hung up on (a restart, a failover, ``pg_terminate_backend``)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from urllib.parse import urlparse

import psycopg
import pytest
from eventsourcing.postgres import PostgresDatastore

from adapters.postgres_factory import PromptReconnectPostgresFactory
from adapters.storage import postgres_env
from dispatch.settings import Settings
from tests.proxy import CuttableProxy
from tests.support import hang_up_every_connection

POOL_SIZE = 3


def datastore_of(settings: Settings) -> PostgresDatastore:
    env = postgres_env(settings) | {"POSTGRES_POOL_SIZE": str(POOL_SIZE)}
    datastore = PromptReconnectPostgresFactory(env).datastore
    datastore.pool.open(wait=True)  # all POOL_SIZE connections made
    return datastore


def backend_pid(datastore: PostgresDatastore) -> int:
    with datastore.get_connection() as conn:
        row = conn.execute("SELECT pg_backend_pid() AS pid").fetchone()
    assert row is not None
    return int(row["pid"])


@pytest.fixture
def datastore(postgres_settings: Settings) -> Iterator[PostgresDatastore]:
    store = datastore_of(postgres_settings)
    yield store
    store.close()


def test_every_connection_the_server_hung_up_on_is_replaced_before_use(
    datastore: PostgresDatastore, postgres_settings: Settings
) -> None:
    # Given a pool whose connections were all used once
    held = [datastore.pool.getconn() for _ in range(POOL_SIZE)]
    for conn in held:
        datastore.pool.putconn(conn)
    # When the server hangs up on every one of them, as a restart does
    gone = hang_up_every_connection(postgres_settings.database_url)
    assert len(gone) >= POOL_SIZE
    # Then each checkout works at its first statement, on a connection made afterwards
    for _ in range(2 * POOL_SIZE):
        assert backend_pid(datastore) not in gone


def test_a_quiet_connection_is_handed_out_without_a_byte_to_the_server(
    postgres_settings: Settings,
) -> None:
    url = urlparse(postgres_settings.database_url)
    proxy = CuttableProxy(url.hostname or "127.0.0.1", url.port or 5432)
    proxy.start()
    through = url._replace(netloc=f"{url.username}@127.0.0.1:{proxy.port}").geturl()
    datastore = datastore_of(postgres_settings.model_copy(update={"database_url": through}))
    try:
        backend_pid(datastore)  # the pool is open and its connection used
        # When the network goes silent (a ping would wait for an answer that never comes)
        proxy.freeze()
        handed: list[bool] = []

        def check_out() -> None:
            with datastore.get_connection():
                handed.append(True)

        thread = threading.Thread(target=check_out, daemon=True)
        thread.start()
        thread.join(10)
        # Then the connection was handed out all the same: nothing was sent to check it
        assert handed == [True]
        proxy.thaw()
        assert backend_pid(datastore) > 0
    finally:
        proxy.thaw()
        datastore.close()
        proxy.cut()


def test_a_connection_that_received_a_notification_while_idle_is_pinged_and_kept(
    datastore: PostgresDatastore, postgres_settings: Settings
) -> None:
    # Given an idle pooled connection that listens (a subscription gave it back)
    with datastore.get_connection() as conn:
        conn.execute("LISTEN siaga_pool_test")
        listening = int(conn.execute("SELECT pg_backend_pid() AS pid").fetchone()["pid"])  # type: ignore[index]
    # When a notification arrives on it while it sits in the pool
    with psycopg.connect(postgres_settings.database_url, autocommit=True) as other:
        other.execute("NOTIFY siaga_pool_test")
    # Then it is still handed out (a ping says the server is there) and works
    seen = {backend_pid(datastore) for _ in range(2 * POOL_SIZE)}
    assert listening in seen
