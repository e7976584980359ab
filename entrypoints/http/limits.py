"""Limits on request bodies, enforced before the application parses them.

One request must never stall the server: a 50 MB body or five million array items used to be
parsed in full before anything refused them. The body is read up to a size limit (413 past
it), then checked once with a fast parser for what no field validator can name (invalid JSON or
UTF-8, integers beyond 64 bits, nesting too deep): a 422 that says where, never a 400 or 500.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson

from entrypoints.http.errors import FieldError

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Far above any real report (description ≤ 4,000 characters, AML SMS ≤ 1,000).
MAX_BODY_BYTES = 256 * 1024
#: A report is three levels deep; nothing the API takes needs more than a few.
MAX_DEPTH = 16
_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})


class BodyTooLarge(Exception):
    """Raised when a request body is over the size limit."""


def json_problem(body: bytes, max_depth: int = MAX_DEPTH) -> str | None:
    """Why this body is not JSON the API could take, or None when it is."""
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError as error:
        try:  # NaN and Infinity are not JSON, but the field validators name them better
            json.loads(body)
        except (ValueError, RecursionError):
            return f"not valid JSON: {error}"
        return None
    depth = _depth(value)
    if depth > max_depth:
        return f"nested {depth} levels deep; at most {max_depth} are accepted"
    return None


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item if isinstance(child, dict | list))
    return deepest


class BodyLimits:
    """ASGI middleware: bounded body size and well-formed JSON before the route sees it."""

    def __init__(
        self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES, max_depth: int = MAX_DEPTH
    ) -> None:
        self.app, self.max_bytes, self.max_depth = app, max_bytes, max_depth

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in _WITH_BODY:
            await self.app(scope, receive, send)
            return
        try:
            body = await self._read(scope, receive)
        except BodyTooLarge:
            message = f"the body is over {self.max_bytes} bytes, the most this API accepts"
            await _refuse(send, 413, "too_large", message)
            return
        if body is None:  # the client went away
            return
        if body and _is_json(scope):
            problem = json_problem(body, self.max_depth)
            if problem is not None:
                await _refuse(send, 422, "invalid", problem)
                return
        await self.app(scope, _replay(body, receive), send)

    async def _read(self, scope: Scope, receive: Receive) -> bytes | None:
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            raise BodyTooLarge
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_bytes:
                raise BodyTooLarge
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


def _is_json(scope: Scope) -> bool:
    content_type = _header(scope, b"content-type") or ""
    return "json" in content_type.lower()


async def _refuse(send: Send, status: int, code: str, message: str) -> None:
    if status == 422:
        detail: object = [FieldError(("body",), f"the body is {message}", "json_invalid").as_json()]
    else:
        detail = message
    body = orjson.dumps({"error": code, "detail": detail})
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
