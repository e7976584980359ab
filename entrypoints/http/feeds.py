"""Websocket feeds: /ws/agencies/{agency} for responders, /ws/console for the call center.

The token comes in the ``Authorization: Bearer`` header or a ``token`` query parameter
(browsers cannot set websocket headers). The socket is accepted first so that a refusal can
carry a code the client sees: 4401 bad token, 4403 not allowed, 4404 unknown agency, 4400
bad ``after``. Message contract: docs/feeds.md and docs/feed-message.schema.json.
"""

from __future__ import annotations

from fastapi import APIRouter, WebSocket

from adapters.auth import AuthError, Principal, TokenRegistry
from dispatch.feeds.hub import FeedHub
from dispatch.feeds.session import close, error_message, serve_feed
from dispatch.feeds.state import Audience
from dispatch.permissions import Action, may
from domain.taxonomy import Agency
from entrypoints.bootstrap import Background

router = APIRouter(tags=["feeds"])


class Refused(Exception):
    """Raised when a feed request is refused; carries the websocket close code."""

    def __init__(self, code: int, error: str, detail: str) -> None:
        super().__init__(detail)
        self.code, self.error, self.detail = code, error, detail


@router.websocket("/ws/agencies/{agency}")
async def agency_feed(websocket: WebSocket, agency: str) -> None:
    """One agency's active incidents and units (its token; supervisors and auditors too)."""
    await websocket.accept()
    try:
        principal = _principal(websocket)
        target = _agency(agency)
        if not may(principal.role, Action.AGENCY_FEED):
            raise Refused(4403, "forbidden", f"role {principal.role} may not read agency feeds")
        if principal.agency is not None and principal.agency is not target:
            raise Refused(4403, "forbidden", f"{principal.role} may not read {target.value}")
        after = _after(websocket)
    except Refused as refused:
        await _refuse(websocket, refused)
        return
    await serve_feed(websocket, _hub(websocket), Audience(target), after)


@router.websocket("/ws/console")
async def console_feed(websocket: WebSocket) -> None:
    """Every open incident (the verification queue included) and every unit: operators."""
    await websocket.accept()
    try:
        principal = _principal(websocket)
        if not may(principal.role, Action.CONSOLE_FEED):
            raise Refused(4403, "forbidden", f"role {principal.role} may not read the console")
        after = _after(websocket)
    except Refused as refused:
        await _refuse(websocket, refused)
        return
    await serve_feed(websocket, _hub(websocket), Audience(None), after)


def _hub(websocket: WebSocket) -> FeedHub:
    background: Background = websocket.app.state.background
    assert background.hub is not None, "the feed hub starts with the app"
    return background.hub


def _principal(websocket: WebSocket) -> Principal:
    header = websocket.headers.get("authorization", "")
    scheme, _, credentials = header.partition(" ")
    token = credentials.strip() if scheme.lower() == "bearer" else None
    token = token or websocket.query_params.get("token")
    registry: TokenRegistry = websocket.app.state.tokens
    try:
        return registry.authenticate(token)
    except AuthError as error:
        raise Refused(4401, "unauthenticated", str(error)) from error


def _agency(code: str) -> Agency:
    try:
        return Agency(code)
    except ValueError:
        known = ", ".join(a.value for a in Agency)
        raise Refused(4404, "not_found", f"unknown agency {code!r} (known: {known})") from None


def _after(websocket: WebSocket) -> int | None:
    raw = websocket.query_params.get("after")
    if raw is None or raw == "":
        return None
    if not raw.isdigit():
        raise Refused(4400, "invalid", "after must be a log position (a whole number ≥ 0)")
    return int(raw)


async def _refuse(websocket: WebSocket, refused: Refused) -> None:
    await websocket.send_text(error_message(refused.error, refused.detail))
    await close(websocket, refused.code, refused.detail)
