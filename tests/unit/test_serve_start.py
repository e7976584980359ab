"""How ``serve`` starts: the cyclic garbage collector is off while the app is built and comes
back on once everything is up, before the first request is answered."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from dispatch.settings import Settings
from entrypoints.cli import serving_app
from entrypoints.http.app import create_app
from entrypoints.http.stopping import Stopping
from tests.support import Tokens, auth, background_of, collector_kept, services_of


@pytest.fixture
def collector_restored() -> Iterator[None]:
    with collector_kept():  # serve freezes its start-up heap; this process goes on building apps
        yield


@pytest.mark.usefixtures("collector_restored")
def test_serve_builds_its_app_without_the_collector_and_serves_with_it(
    sqlite_settings: Settings, tokens: Tokens
) -> None:
    gc.enable()
    app = serving_app(sqlite_settings, Stopping())
    assert not gc.isenabled()
    with TestClient(app) as client:
        assert gc.isenabled()
        assert client.get("/healthz").status_code == 200
        assert client.get("/api/me", headers=auth(tokens, "operator")).status_code == 200


def test_started_is_called_once_when_the_services_and_the_background_are_up(
    sqlite_settings: Settings, tokens: Tokens
) -> None:
    seen: list[tuple[bool, bool]] = []
    app = create_app(
        sqlite_settings,
        started=lambda: seen.append(
            (
                hasattr(app.state, "services") and app.state.services.center.scoring is not None,
                "projections" in app.state.background.health_checks,
            )
        ),
    )
    assert seen == []
    with TestClient(app) as client:
        assert seen == [(True, True)]
        assert services_of(client).center.present.state.position >= 0
        assert background_of(client).host is not None
        assert client.get("/healthz").status_code == 200
    assert seen == [(True, True)]
