"""Shared fixtures: settings per backend, centers, the HTTP client, a clock; and the test
process's garbage collector tuned to its heap."""

from __future__ import annotations

import gc
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    # The application is imported by the fixtures that build it, not here: pytest loads this
    # file in every process it starts, and with several workers the process that hands out
    # the tests never needs the application (some 3 s of imports: scikit-learn, FastAPI).
    from fastapi.testclient import TestClient

    from dispatch.center import DispatchCenter
    from dispatch.settings import Settings
    from tests.support import FakeClock, Tokens

#: Allocations between two young collections (CPython's default is 700).
GC_YOUNG_THRESHOLD = 10_000


def pytest_configure(config: pytest.Config) -> None:
    """Collect young garbage less often: the tests allocate in bursts (apps, events, models)
    and with CPython's default of 700 allocations, a full collection every few hundred young
    ones walks the whole heap again (see ``pytest_collection_finish``)."""
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(GC_YOUNG_THRESHOLD, older, oldest)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Leave what the imports and the collection built out of every later collection.

    By now the process holds some 350,000 objects that live as long as it does (scikit-learn,
    SciPy, FastAPI, the test modules); each full collection walked them all again, 4 to 5 s
    of CPU over the unit tests. Garbage made by the tests is still collected as before.
    """
    gc.collect()
    gc.freeze()


@pytest.fixture
def clock() -> FakeClock:
    from tests.support import FakeClock

    return FakeClock()


@pytest.fixture
def memory_settings(tmp_path: Path) -> Settings:
    from dispatch.settings import Settings

    return Settings(database_url="memory://", var_dir=tmp_path)


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    from dispatch.settings import Settings

    return Settings(database_url=f"sqlite:///{tmp_path}/events.db", var_dir=tmp_path)


@pytest.fixture
def postgres_settings(tmp_path: Path) -> Iterator[Settings]:
    from dispatch.settings import Settings
    from tests.support import fresh_database

    with fresh_database() as url:
        yield Settings(database_url=url, var_dir=tmp_path, postgres_connect_timeout=1)


@pytest.fixture(params=["sqlite", "postgres"])
def any_settings(request: pytest.FixtureRequest) -> Settings:
    """Settings for each durable backend: the same test body runs on both."""
    settings: Settings = request.getfixturevalue(f"{request.param}_settings")
    return settings


@pytest.fixture
def center(memory_settings: Settings, clock: FakeClock) -> Iterator[DispatchCenter]:
    from adapters.center import build_center

    built = build_center(memory_settings)
    built.clock = clock
    yield built
    built.close()


@pytest.fixture(scope="session")
def made_tokens(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Tokens]:
    """The roles' tokens file, made once with ``add_token`` (six rewrites of the file)."""
    from adapters.auth import add_token
    from tests.support import ROLES, Tokens

    file = tmp_path_factory.mktemp("tokens") / "tokens.json"
    return file, Tokens({role: add_token(file, role, f"t-{role}") for role in ROLES})


@pytest.fixture
def tokens(tmp_path: Path, made_tokens: tuple[Path, Tokens]) -> Tokens:
    """The roles' tokens, in this test's own ``tokens.json`` (a copy of the one made once)."""
    from tests.support import Tokens

    file, plaintexts = made_tokens
    shutil.copy(file, tmp_path / "tokens.json")  # with its mode (0600)
    return Tokens(plaintexts)


@pytest.fixture
def client(memory_settings: Settings, tokens: Tokens) -> Iterator[TestClient]:
    from tests.support import make_client

    with make_client(memory_settings, tokens) as test_client:
        yield test_client
