"""``/publik``: the public transparency page and its open data. No login, nothing personal.

The figures are computed from the ``kpis`` projection's fact rows at most once a minute (and
only when the log has grown, or the projection was still behind), so an anonymous reader
cannot make the server recompute them on every request. ``data.json`` says where they were
read and how far behind the log they are (``source``).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse

from console_ui.security import HEADERS
from dispatch.center import DispatchCenter
from entrypoints.bootstrap import Background
from entrypoints.http.deps import BackgroundDep, CenterDep
from entrypoints.http.kpi_facts import Reader, facts_reader
from entrypoints.http.responses import PublicFiguresJSON
from replay.kpi_targets import Targets
from replay.log import head
from replay.public_data import render_csv, render_json
from replay.public_figures import PublicFigures, figures, period
from replay.public_page import render_page

router = APIRouter(prefix="/publik", tags=["public"])
REFRESH_S = 60.0
DATA_HEADERS = {**HEADERS, "Access-Control-Allow-Origin": "*"}


@dataclass
class _Cached:
    figures: PublicFigures
    log_head: int | None
    computed: float
    source: dict[str, Any]


class PublicFiguresCache:
    """The last figures computed, refreshed when a minute has passed and the log has grown."""

    def __init__(self, refresh_s: float = REFRESH_S) -> None:
        self.refresh_s = refresh_s
        self._lock = threading.Lock()
        self._cached: _Cached | None = None
        self._targets = Targets.from_rules()

    def get(self, center: DispatchCenter, read: Reader) -> tuple[PublicFigures, dict[str, Any]]:
        """The figures and where they were read, computed now if the cached ones are stale."""
        with self._lock:
            cached = self._cached
            now = time.monotonic()
            if cached and now - cached.computed < self.refresh_s:
                return cached.figures, cached.source
            log_head = head(center.recorder)
            if cached and cached.log_head == log_head and cached.source.get("caught_up", True):
                cached.computed = now
                return cached.figures, cached.source
            at, zone = center.clock(), center.local_zone
            facts = read(*period(at, zone))
            computed = figures(list(facts.collected.incidents.values()), at, zone, self._targets)
            self._cached = _Cached(computed, log_head, now, facts.source)
            return computed, facts.source


def _figures(request: Request, center: DispatchCenter, background: Background) -> PublicFigures:
    return _figures_and_source(request, center, background)[0]


def _figures_and_source(
    request: Request, center: DispatchCenter, background: Background
) -> tuple[PublicFigures, dict[str, Any]]:
    cache: PublicFiguresCache | None = getattr(request.app.state, "public_figures", None)
    if cache is None:
        cache = request.app.state.public_figures = PublicFiguresCache()
    return cache.get(center, facts_reader(background.readers, center))


@router.get("", response_class=HTMLResponse)
def public_page(request: Request, center: CenterDep, background: BackgroundDep) -> HTMLResponse:
    """The transparency page, in Bahasa Indonesia."""
    return HTMLResponse(render_page(_figures(request, center, background)), headers=HEADERS)


@router.get("/data.csv", response_class=PlainTextResponse)
def public_csv(request: Request, center: CenterDep, background: BackgroundDep) -> PlainTextResponse:
    """The open data as CSV, one value per row (columns in data.json's data dictionary)."""
    return PlainTextResponse(
        render_csv(_figures(request, center, background)),
        media_type="text/csv; charset=utf-8",
        headers={**DATA_HEADERS, "Content-Disposition": "inline; filename=siaga112-publik.csv"},
    )


@router.get("/data.json", responses={200: {"model": PublicFiguresJSON}})
def public_json(request: Request, center: CenterDep, background: BackgroundDep) -> JSONResponse:
    """The open data as JSON: period, rules, data dictionary and rows."""
    published, source = _figures_and_source(request, center, background)
    body: dict[str, Any] = render_json(published) | {"source": _public(source)}
    return JSONResponse(body, headers=DATA_HEADERS)


def _public(source: dict[str, Any]) -> dict[str, Any]:
    """Where the figures were read and how far behind the log, without the reason text."""
    return {k: v for k, v in source.items() if k != "why"}
