"""A client that stops reading is dropped with a resync reason; the others never wait for it."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any, cast

import pytest
from starlette.websockets import WebSocket, WebSocketState

from adapters.center import build_center
from dispatch.center import DispatchCenter
from dispatch.feeds import session as feed_session
from dispatch.feeds.hub import FeedConfig, FeedHub
from dispatch.feeds.session import serve_feed
from dispatch.feeds.state import Audience
from dispatch.settings import Settings
from tests.support import a_report


class FakeSocket:
    """An accepted websocket; a stalled one takes its first message, then never another."""

    def __init__(self, *, stalled: bool = False) -> None:
        self.sent: list[str] = []
        self.closed: tuple[int, str | None] | None = None
        self.application_state = WebSocketState.CONNECTED
        self._incoming: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._stalled = stalled

    async def send_text(self, text: str) -> None:
        if self._stalled and self.sent:
            await asyncio.Event().wait()  # the network stopped taking data
        self.sent.append(text)

    async def receive(self) -> dict[str, Any]:
        return await self._incoming.get()

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        self.closed = (code, reason)
        self.application_state = WebSocketState.DISCONNECTED

    def hang_up(self) -> None:
        self._incoming.put_nowait({"type": "websocket.disconnect", "code": 1000})


@pytest.fixture
def center(memory_settings: Settings) -> Iterator[DispatchCenter]:
    built = build_center(memory_settings)
    yield built
    built.close()


def in_own_loop(scenario: Callable[[FeedHub], Awaitable[None]], center: DispatchCenter) -> None:
    """Run a scenario against a started hub, in a new event loop on its own thread (a test
    session may already run a loop on the main thread, e.g. the browser tests')."""
    errors: list[BaseException] = []

    async def main() -> None:
        hub = FeedHub(center, FeedConfig(queue_size=20, heartbeat_s=60))
        await hub.start()
        try:
            await scenario(hub)
        finally:
            await hub.stop()

    def run() -> None:
        try:
            asyncio.run(main())
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    assert not thread.is_alive(), "the scenario did not finish"
    if errors:
        raise errors[0]


async def eventually(condition: Callable[[], Any], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


def serve(hub: FeedHub, socket: FakeSocket) -> asyncio.Task[None]:
    return asyncio.create_task(serve_feed(cast(WebSocket, socket), hub, Audience(None), None))


async def report_many(center: DispatchCenter, n: int) -> list[str]:
    return [str((await asyncio.to_thread(center.report, a_report())).incident.id) for _ in range(n)]


def test_a_client_too_slow_is_closed_with_4000_and_the_others_get_everything(
    center: DispatchCenter, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The stalled client never takes its resync message: the hub gives up on it after
    # GOODBYE_TIMEOUT_S (1 s) and closes; a tenth of that is as long as this test needs.
    monkeypatch.setattr(feed_session, "GOODBYE_TIMEOUT_S", 0.1)
    in_own_loop(a_slow_and_a_fast_client, center)


async def a_slow_and_a_fast_client(hub: FeedHub) -> None:
    slow, fast = FakeSocket(stalled=True), FakeSocket()
    sessions = [serve(hub, slow), serve(hub, fast)]
    await eventually(lambda: len(hub.clients) == 2)
    # When more changes come than the slow client's queue holds
    ids = await report_many(hub.center, 40)
    # Then the slow one is dropped with a resync reason, and the fast one gets every report
    await eventually(lambda: slow.closed is not None)
    await eventually(lambda: all(any(i in text for text in fast.sent) for i in ids))
    assert slow.closed == (4000, "client too slow")
    assert fast.closed is None
    assert sum('"event":"Reported"' in text for text in fast.sent) == 40
    fast.hang_up()
    await asyncio.gather(*sessions)
    assert not hub.clients


def test_stopping_the_hub_closes_every_feed_as_going_away(center: DispatchCenter) -> None:
    in_own_loop(a_client_when_the_hub_stops, center)


async def a_client_when_the_hub_stops(hub: FeedHub) -> None:
    socket = FakeSocket()
    session = serve(hub, socket)
    await eventually(lambda: len(hub.clients) == 1)
    await hub.stop()
    await asyncio.wait_for(session, 5)
    assert socket.closed is not None and socket.closed[0] == 1001
