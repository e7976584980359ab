"""Shared fixtures: settings per backend, centers, the HTTP client, a clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dispatch.auth import add_token
from dispatch.bootstrap import build_center
from dispatch.center import DispatchCenter
from dispatch.settings import Settings
from tests.support import ROLES, FakeClock, Tokens, fresh_database, make_client


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def memory_settings(tmp_path: Path) -> Settings:
    return Settings(database_url="memory://", var_dir=tmp_path)


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path}/events.db", var_dir=tmp_path)


@pytest.fixture
def postgres_settings(tmp_path: Path) -> Iterator[Settings]:
    with fresh_database() as url:
        yield Settings(database_url=url, var_dir=tmp_path, postgres_connect_timeout=1)


@pytest.fixture(params=["sqlite", "postgres"])
def any_settings(request: pytest.FixtureRequest) -> Settings:
    """Settings for each durable backend: the same test body runs on both."""
    settings: Settings = request.getfixturevalue(f"{request.param}_settings")
    return settings


@pytest.fixture
def center(memory_settings: Settings, clock: FakeClock) -> Iterator[DispatchCenter]:
    built = build_center(memory_settings)
    built.clock = clock
    yield built
    built.close()


@pytest.fixture
def tokens(tmp_path: Path) -> Tokens:
    file = tmp_path / "tokens.json"
    return Tokens({role: add_token(file, role, f"t-{role}") for role in ROLES})


@pytest.fixture
def client(memory_settings: Settings, tokens: Tokens) -> Iterator[TestClient]:
    with make_client(memory_settings, tokens) as test_client:
        yield test_client
