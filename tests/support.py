"""Test helpers: a controllable clock, report builders, PostgreSQL databases."""

from __future__ import annotations

import gc
import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlparse

import psycopg
from fastapi.testclient import TestClient

from adapters.auth import TokenRegistry
from dispatch.ports import ReportRequest
from dispatch.settings import Settings
from domain.taxonomy import Category, Channel
from domain.values import Location
from entrypoints.bootstrap import Background, Services
from entrypoints.http.app import create_app

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/postgres"
# Real places: near RSUD Abdoel Wahab Sjahranie (Samarinda Ulu) and Posko III.
AWS = Location(-0.4906, 117.1442, 15.0)


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 22, 1, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


def a_report(**overrides: Any) -> ReportRequest:
    """A plausible fire report; override any field."""
    fields: dict[str, Any] = {
        "report_id": uuid.uuid4(),
        "channel": Channel.VOICE,
        "description": "Rumah terbakar di gang sebelah masjid, api besar, ada anak di dalam",
        "category": Category.KEBAKARAN,
        "caller_number": "+6281234567890",
        "location": AWS,
        "injuries": 1,
        "silent": False,
        "first_speech_s": 1.5,
        "call_duration_s": 45.0,
    }
    fields.update(overrides)
    return ReportRequest(**fields)


def report_json(**overrides: Any) -> dict[str, Any]:
    """The same report as the API's JSON body."""
    body: dict[str, Any] = {
        "report_id": str(uuid.uuid4()),
        "channel": "voice",
        "caller_number": "+6281234567890",
        "location": {"lat": AWS.lat, "lon": AWS.lon, "accuracy_m": 15, "source": "aml"},
        "category": "kebakaran",
        "description": "Rumah terbakar, api besar, ada anak di dalam",
        "injuries": 1,
        "silent": False,
        "first_speech_s": 1.5,
        "call_duration_s": 45,
    }
    body.update(overrides)
    return body


def pg_admin_url() -> str:
    """The PostgreSQL server tests use (SIAGA_TEST_DATABASE_URL or the local one)."""
    return os.environ.get("SIAGA_TEST_DATABASE_URL", DEFAULT_PG)


def require_postgres() -> str:
    """The admin URL, failing (never skipping) when PostgreSQL cannot be reached."""
    url = pg_admin_url()
    try:
        with psycopg.connect(url, connect_timeout=5) as conn:
            conn.execute("SELECT 1")
    except psycopg.OperationalError as error:
        raise RuntimeError(
            f"PostgreSQL tests need a server at {url} (set SIAGA_TEST_DATABASE_URL): {error}"
        ) from error
    return url


@contextmanager
def fresh_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test; dropped afterwards."""
    from pytest_postgresql.janitor import DatabaseJanitor

    admin = urlparse(require_postgres())
    name = f"siaga_test_{uuid.uuid4().hex[:12]}"
    janitor = DatabaseJanitor(
        user=admin.username or "postgres",
        host=admin.hostname or "127.0.0.1",
        port=admin.port or 5432,
        dbname=name,
        password=admin.password,
    )
    janitor.init()
    try:
        yield admin._replace(path=f"/{name}").geturl()
    finally:
        janitor.drop()


class Tokens(dict[str, str]):
    """Role → plaintext token for the test app."""


ROLES = ["operator", "supervisor", "auditor", "agency:fire", "agency:police", "agency:medical"]


def make_client(settings: Settings, tokens: Tokens) -> TestClient:
    registry = TokenRegistry.load(settings.var_dir / "tokens.json")
    return TestClient(create_app(settings, tokens=registry))


def auth(tokens: Tokens, role: str) -> dict[str, str]:
    """The Authorization header of a role."""
    return {"Authorization": f"Bearer {tokens[role]}"}


def services_of(client: TestClient) -> Services:
    """The services the test app's lifespan built (enter the client first)."""
    services: Services = client.app.state.services  # type: ignore[attr-defined]
    return services


def background_of(client: TestClient) -> Background:
    """The test app's background loops and their parts (feed hub, projections)."""
    background: Background = client.app.state.background  # type: ignore[attr-defined]
    return background


def hang_up_every_connection(database_url: str) -> set[int]:
    """What a restart does to every connection to a database (``pg_terminate_backend``: the
    server says FATAL and hangs up); the backends' ids, once they have all exited."""
    name = urlparse(database_url).path.lstrip("/")
    with psycopg.connect(database_url, autocommit=True) as conn:
        pids = {
            int(pid)
            for (pid,) in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
        }
        for pid in pids:
            conn.execute("SELECT pg_terminate_backend(%s)", (pid,))
        deadline = time.monotonic() + 10
        while conn.execute(
            "SELECT 1 FROM pg_stat_activity WHERE pid = ANY(%s)", (list(pids),)
        ).fetchone():
            assert time.monotonic() < deadline, "the terminated backends did not exit"
            time.sleep(0.02)
    return pids


@contextmanager
def collector_kept() -> Iterator[None]:
    """Let the body turn the garbage collector off, freeze and unfreeze its heap or change its
    thresholds (as ``serve`` does), then put back what the test process had: on or off, its
    thresholds, and the heap that
    ``tests/conftest.py`` froze after collection out of collections again. Refrozen without a
    collection first (a full one costs more than it saves here): what the body left behind is
    kept, a few objects after ``freeze_start_up_heap``'s own collection."""
    enabled, frozen, thresholds = gc.isenabled(), gc.get_freeze_count() > 0, gc.get_threshold()
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
        if frozen:
            gc.freeze()
        if enabled:
            gc.enable()
        else:
            gc.disable()
