"""One websocket feed session: snapshot or catch-up, then deltas, heartbeats and replies.

Three tasks per client in one task group: a sender draining its queue, a receiver watching
``ws.receive()`` (so a disconnect or a server shutdown ends the session at once) and a
heartbeat. Whichever ends first, or a kick (slow client, shutdown), cancels the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.websockets import WebSocket, WebSocketState

from dispatch.feeds.hub import Client, FeedHub
from dispatch.feeds.state import Audience, dumps

GOODBYE_TIMEOUT_S = 1.0


def error_message(code: str, detail: str) -> str:
    """An error message (the socket stays open unless a close follows)."""
    return dumps({"type": "error", "error": code, "detail": detail})


def resync_message(reason: str) -> str:
    """Tells the client to start again with a fresh snapshot."""
    return dumps({"type": "resync", "reason": reason})


async def serve_feed(ws: WebSocket, hub: FeedHub, audience: Audience, after: int | None) -> None:
    """Serve one accepted websocket until it closes."""
    try:
        await run_in_threadpool(hub.sync)  # what was written before the client came is in
    except Exception as error:  # the store is unreachable: say so and let the client retry
        await ws.send_text(error_message("storage_unavailable", repr(error)))
        await close(ws, 1011, "the event store cannot be read")
        return
    # The snapshot is made in a worker thread (it waits for the present's lock and encodes
    # every open incident the audience sees: the event loop keeps serving everyone else),
    # shielded so that a client registered there is always detached below.
    with anyio.CancelScope(shield=True):
        if after is None:
            client, snapshot = await run_in_threadpool(hub.attach_with_snapshot, audience)
        else:
            client = await run_in_threadpool(hub.attach_at_head, audience)
    try:
        if after is None:
            initial = [snapshot]
        else:
            caught_up = await _catch_up(ws, hub, client, after)
            if caught_up is None:
                return
            initial = caught_up
        await _run(ws, hub, client, initial)
    finally:
        hub.detach(client)


async def _catch_up(ws: WebSocket, hub: FeedHub, client: Client, after: int) -> list[str] | None:
    if after > client.floor:
        await goodbye(ws, 4000, "position is ahead of this server's log", resync=True)
        return None
    try:
        texts = await run_in_threadpool(hub.catch_up, client.audience, after, client.floor)
    except Exception as error:  # the store is unreachable: say so and let the client retry
        await ws.send_text(error_message("storage_unavailable", repr(error)))
        await close(ws, 1011, "the event store cannot be read")
        return None
    if texts is None:
        await goodbye(ws, 4000, "too far behind: reconnect without after", resync=True)
        return None
    return texts


async def _run(ws: WebSocket, hub: FeedHub, client: Client, initial: list[str]) -> None:
    jobs: list[Callable[[], Awaitable[object]]] = [
        lambda: _send(ws, client, initial),
        lambda: _receive(ws, hub, client),
        lambda: _beat(hub, client),
        client.kicked.wait,
    ]
    async with anyio.create_task_group() as group:
        for job in jobs:
            group.start_soon(_first_ends_all, job, group.cancel_scope)
    if client.kicked.is_set():
        await goodbye(ws, client.close_code, client.close_reason, resync=client.resync)
    else:
        await close(ws, 1000, "")


async def _first_ends_all(job: Callable[[], Awaitable[Any]], scope: anyio.CancelScope) -> None:
    try:
        await job()
    except Exception:  # a failed send or receive: the client is gone, the session ends
        pass
    finally:
        scope.cancel()


async def _send(ws: WebSocket, client: Client, initial: list[str]) -> None:
    for text in initial:
        await ws.send_text(text)
    while True:
        await ws.send_text(await client.queue.get())


async def _receive(ws: WebSocket, hub: FeedHub, client: Client) -> None:
    while True:
        message = await ws.receive()
        if message["type"] == "websocket.disconnect":
            return
        client.put(_reply(hub, client, message.get("text")))


def _reply(hub: FeedHub, client: Client, text: str | None) -> str:
    try:
        request = json.loads(text) if text is not None else None
    except ValueError:
        request = None
    if isinstance(request, dict) and request.get("type") == "ping":
        return dumps({"type": "pong", "position": max(hub.published, client.floor)})
    return error_message("unsupported", 'this feed only answers {"type": "ping"}')


async def _beat(hub: FeedHub, client: Client) -> None:
    while True:
        await asyncio.sleep(hub.config.heartbeat_s)
        client.put(hub.heartbeat(client))


async def goodbye(ws: WebSocket, code: int, reason: str, *, resync: bool = False) -> None:
    """Send a resync (if asked and if the client takes it in time), then close."""
    if resync:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(ws.send_text(resync_message(reason)), GOODBYE_TIMEOUT_S)
    await close(ws, code, reason)


async def close(ws: WebSocket, code: int, reason: str) -> None:
    """Close unless already closed (never raises)."""
    if ws.application_state == WebSocketState.DISCONNECTED:
        return
    short = reason.encode()[:120].decode(errors="ignore")  # a close reason is ≤ 123 bytes
    with contextlib.suppress(Exception):
        await asyncio.wait_for(ws.close(code, short), GOODBYE_TIMEOUT_S)
