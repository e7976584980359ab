"""A running app (in-memory store) whose feeds beat every 50 ms, and its API by role; the
module's shared app for the access checks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.testclient import WebSocketTestSession

from dispatch.feeds.hub import FeedConfig
from dispatch.settings import Settings
from tests.feeds import Desk
from tests.support import Tokens, make_client

HEARTBEAT_S = 0.05


@pytest.fixture
def app(memory_settings: Settings, tokens: Tokens) -> Iterator[TestClient]:
    client = make_client(memory_settings, tokens)
    client.app.state.feed_config = FeedConfig(heartbeat_s=HEARTBEAT_S)  # type: ignore[attr-defined]
    with client:
        yield client


@pytest.fixture
def desk(app: TestClient, tokens: Tokens) -> Desk:
    return Desk(app, tokens)


Connect = Callable[..., AbstractContextManager[WebSocketTestSession]]


def opener(app: TestClient, tokens: Tokens) -> Connect:
    """Open a feed of ``app`` as a role: connect("/ws/agencies/fire", "agency:fire", after=12)."""

    def open_feed(
        path: str, role: str, **query: Any
    ) -> AbstractContextManager[WebSocketTestSession]:
        params = "&".join(f"{k}={v}" for k, v in query.items())
        url = f"{path}?{params}" if params else path
        headers = {"Authorization": f"Bearer {tokens[role]}"}
        return app.websocket_connect(url, headers=headers)

    return open_feed


@pytest.fixture
def connect(app: TestClient, tokens: Tokens) -> Connect:
    """Open a feed of this test's own app as a role."""
    return opener(app, tokens)


@pytest.fixture
def connect_shared(shared_client: TestClient, shared_tokens: Tokens) -> Connect:
    """Open a feed of the module's shared app: for tests that only check who may open which
    feed and what it answers first, whatever else is in the store."""
    return opener(shared_client, shared_tokens)
