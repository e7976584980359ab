"""Event store wiring: the eventsourcing environment for SQLite, PostgreSQL or memory."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from eventsourcing.postgres import PostgresDatastore

from adapters.postgres_recorder import DDL_LOCK
from dispatch.settings import Settings

SQLITE_RECORDER_TOPIC = "adapters.sqlite_recorder:SubscribableSQLiteApplicationRecorder"
POSTGRES_RECORDER_TOPIC = "adapters.postgres_recorder:FailFastPostgresApplicationRecorder"
POSTGRES_FACTORY_TOPIC = "adapters.postgres_factory:PromptReconnectPostgresFactory"


def event_store_env(settings: Settings, *, name: str = "DISPATCH") -> dict[str, str]:
    """The eventsourcing environment of the event store, for an application named ``name``."""
    env: dict[str, str] = {}
    if settings.backend == "memory":
        env["PERSISTENCE_MODULE"] = "eventsourcing.popo"
    elif settings.backend == "sqlite":
        path = settings.sqlite_path
        path.parent.mkdir(parents=True, exist_ok=True)
        env["PERSISTENCE_MODULE"] = "eventsourcing.sqlite"
        env["SQLITE_DBNAME"] = str(path)
        env["SQLITE_LOCK_TIMEOUT"] = "10"
        env["APPLICATION_RECORDER_TOPIC"] = SQLITE_RECORDER_TOPIC
    else:
        env.update(postgres_env(settings))
        env["APPLICATION_RECORDER_TOPIC"] = POSTGRES_RECORDER_TOPIC
    if settings.cipher_key is not None:
        env["CIPHER_TOPIC"] = "eventsourcing.cipher:AESCipher"
        env["CIPHER_KEY"] = settings.cipher_key.get_secret_value()
    # Projection runners build their own application: give them the same keys with our prefix
    # so that a projection's own PERSISTENCE_MODULE never leaks into the event store.
    return {f"{name}_{key}": value for key, value in env.items()}


def postgres_env(settings: Settings) -> dict[str, str]:
    """PostgreSQL connection keys (never POSTGRES_ENABLE_DB_FUNCTIONS: it breaks ordering; no
    POSTGRES_PRE_PING: the factory's pool checks a connection without a round trip)."""
    url = urlparse(settings.database_url)
    return {
        "PERSISTENCE_MODULE": POSTGRES_FACTORY_TOPIC,  # the library's, reconnecting promptly
        "POSTGRES_DBNAME": unquote(url.path.lstrip("/")) or "siaga112",
        "POSTGRES_HOST": url.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(url.port or 5432),
        "POSTGRES_USER": unquote(url.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(url.password or ""),
        "POSTGRES_POOL_SIZE": str(settings.postgres_pool_size),
        "POSTGRES_MAX_OVERFLOW": str(settings.postgres_max_overflow),
        "POSTGRES_CONNECT_TIMEOUT": str(settings.postgres_connect_timeout),
        "POSTGRES_LOCK_TIMEOUT": str(settings.postgres_lock_timeout),
        "POSTGRES_SCHEMA": settings.postgres_schema,
    }


APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION siaga112_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'siaga112: % on % refused: the event log is append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END $$
"""


def make_postgres_append_only(datastore: PostgresDatastore, table: str) -> None:
    """Install triggers so that UPDATE, DELETE and TRUNCATE on the events table fail."""
    statements = [
        # Several nodes may start at once: serialise the DDL.
        f"SELECT pg_advisory_xact_lock({DDL_LOCK})",
        APPEND_ONLY_FUNCTION,
        f"CREATE OR REPLACE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION siaga112_refuse_change()",
        f"CREATE OR REPLACE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION siaga112_refuse_change()",
    ]
    with datastore.transaction(commit=True) as curs:
        for statement in statements:
            curs.execute(statement)


def sqlite_sidecar(settings: Settings, name: str) -> Path:
    """A separate SQLite file for a projection or other store beside the event store."""
    base = settings.sqlite_path
    return base.with_name(f"{base.stem}-{name}{base.suffix or '.db'}")


def keep_local_state_private(settings: Settings) -> None:
    """Make every file this process creates readable by its user alone (0600, folders 0700),
    whatever the umask it was started with, and tighten what an older version left open.

    The stores hold callers' numbers, words and locations (personal data, UU PDP 27/2022).
    """
    os.umask(0o077)
    var = settings.var_dir
    var.mkdir(parents=True, exist_ok=True)
    if var.resolve() not in (Path.cwd().resolve(), Path.home().resolve()):
        var.chmod(0o700)  # never a folder the user also keeps other things in
    ours = [settings.resolved_tokens_file, *var.glob("demo-tokens.json"), *var.glob("feed-*.json")]
    if settings.backend == "sqlite":  # the event store, its WAL and every sidecar store
        store = settings.sqlite_path
        ours += store.parent.glob(f"{store.stem}*{store.suffix}*")
    for path in ours:
        if path.is_file():
            path.chmod(0o600)
