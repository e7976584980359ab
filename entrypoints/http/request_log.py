"""Names each HTTP request in the log: its id (the client's ``X-Request-ID`` or a new one,
echoed in the answer), the actor once authenticated, and the incident its path names."""

from __future__ import annotations

import re
import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dispatch.context import begin_request

HEADER = "X-Request-ID"
ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._:-]{1,100}$")  # anything else is replaced, not logged


class RequestLogMiddleware:
    """Pure ASGI (outermost), so uvicorn's access line is written inside the request's context."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get(HEADER, "")
        request = begin_request(given if ACCEPTED_ID.match(given) else uuid.uuid4().hex)

        async def named_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                incident_id = scope.get("path_params", {}).get("incident_id")
                request.incident_id = str(incident_id) if incident_id is not None else None
                MutableHeaders(scope=message)[HEADER] = request.request_id
            await send(message)

        await self.app(scope, receive, named_send)
