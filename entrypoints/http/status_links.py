"""Status links over HTTP: the call-taker issues one; the caller opens ``/s/{token}``.

``POST /api/incidents/{id}/status-link`` (call center) returns the link, and sends it by SMS
when asked (to the number given, else the caller's). ``GET /s/{token}`` needs no login and shows
only the progress; an unknown and an expired token get the very same 404 page.
"""

from __future__ import annotations

import html
import re
import threading
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from pydantic import Field

from adapters.routing_adapter import router_eta
from adapters.status_link_store import open_status_link_store
from console_ui.security import HEADERS
from dispatch.permissions import Action
from dispatch.status_links import Progress, StatusLinks, Step
from entrypoints.bootstrap import Services
from entrypoints.http.deps import CurrentPrincipal, ServicesDep
from entrypoints.http.responses import StatusLinkJSON
from entrypoints.http.schemas import E164, Strict

router = APIRouter(tags=["status links"])
PAGE_HEADERS = {**HEADERS, "Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
TOKEN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
_LOCK = threading.Lock()
STEPS = (
    (Step.RECEIVED, "Laporan diterima"),
    (Step.ON_THE_WAY, "Bantuan dalam perjalanan"),
    (Step.ARRIVED, "Bantuan tiba di lokasi"),
    (Step.CLOSED, "Selesai"),
)
NOW_TEXT = {
    Step.RECEIVED: "Laporan Anda sudah diterima petugas 112 dan sedang ditangani.",
    Step.ON_THE_WAY: "Bantuan sedang menuju lokasi Anda.",
    Step.ARRIVED: "Bantuan sudah tiba di lokasi.",
    Step.CLOSED: "Penanganan laporan ini sudah selesai. Terima kasih telah menghubungi 112.",
}


class StatusLinkIn(Strict):
    """Whether to send the link by SMS, and to which number (default: the caller's)."""

    send_sms: bool = False
    number: str | None = Field(None, pattern=E164, description="E.164; default: the caller's")


def status_links(request: Request, services: Services) -> StatusLinks:
    """The app's status-link service (made on first use: it opens its own store)."""
    center = services.center
    with _LOCK:
        links: StatusLinks | None = getattr(request.app.state, "status_links", None)
        if links is None or links.center is not center:
            store = open_status_link_store(services.settings, center.recorder)
            links = StatusLinks(center, store, eta=router_eta(services.router))
            request.app.state.status_links = links
        return links


@router.post(
    "/api/incidents/{incident_id}/status-link",
    status_code=status.HTTP_201_CREATED,
    response_model=StatusLinkJSON,
)
def issue_status_link(
    incident_id: UUID,
    request: Request,
    services: ServicesDep,
    principal: CurrentPrincipal,
    body: StatusLinkIn | None = None,
) -> dict[str, Any]:
    """A new status link for the caller; sent by SMS when ``send_sms`` is true."""
    principal.allow(Action.ISSUE_STATUS_LINK)
    body = body or StatusLinkIn()
    links = status_links(request, services)
    incident = services.center.get_incident(incident_id)
    number = (body.number or incident.caller_number) if body.send_sms else None
    if body.send_sms and not number:
        raise RequestValidationError(
            [
                {
                    "loc": ("body", "number"),
                    "msg": "the caller's number is not known: give the number to send to",
                    "type": "value_error",
                }
            ]
        )
    issued = links.issue(incident_id, principal.actor, send_to=number)
    path = f"/s/{issued.token}"
    url = str(request.base_url).rstrip("/") + path
    if number:
        links.send(number, url)
    return {"url": url, "path": path, "sent_to": issued.sent_to}


def _page(title: str, body: str, *, refresh: bool) -> str:
    meta = "<meta http-equiv='refresh' content='30'>" if refresh else ""
    return (
        "<!doctype html><html lang='id'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"{meta}<title>{html.escape(title)}</title>"
        "<link rel='stylesheet' href='/static/css/publik.css'></head>"
        f"<body><main class='status'><h1>Siaga 112 Samarinda</h1>{body}</main></body></html>\n"
    )


def render_progress(progress: Progress) -> str:
    """The caller's page: the steps, the one reached, and the estimated arrival if known."""
    items = "".join(
        f"<li class='{'done' if step <= progress.step else 'todo'}'>{html.escape(label)}</li>"
        for step, label in STEPS
    )
    eta = ""
    if progress.step is Step.ON_THE_WAY:
        if progress.eta_s is None:
            eta = "<p class='eta'>Perkiraan waktu tiba belum dapat dihitung.</p>"
        else:
            minutes = max(1, round(progress.eta_s / 60))
            eta = f"<p class='eta'>Perkiraan tiba: sekitar {minutes} menit lagi.</p>"
    body = (
        f"<p class='now'>{html.escape(NOW_TEXT[progress.step])}</p>{eta}"
        f"<ol class='steps'>{items}</ol>"
        "<p>Halaman ini diperbarui otomatis. Dalam keadaan darurat baru, telepon 112.</p>"
    )
    return _page("Status laporan 112", body, refresh=progress.step is not Step.CLOSED)


NOT_FOUND = _page(
    "Tautan tidak berlaku",
    "<p class='now'>Tautan ini tidak ditemukan atau sudah tidak berlaku.</p>"
    "<p>Dalam keadaan darurat, telepon 112.</p>",
    refresh=False,
)


@router.get("/s/{token}", response_class=HTMLResponse, include_in_schema=False)
def status_page(
    token: Annotated[str, "the token from the link"],
    request: Request,
    services: ServicesDep,
) -> HTMLResponse:
    """The caller's view of the incident's progress (no login)."""
    progress = None
    if TOKEN.fullmatch(token):
        progress = status_links(request, services).progress(token)
    if progress is None:
        return HTMLResponse(NOT_FOUND, status_code=404, headers=PAGE_HEADERS)
    return HTMLResponse(render_progress(progress), headers=PAGE_HEADERS)
