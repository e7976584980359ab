"""The console's pages and static files, served from this package (nothing from the internet)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

from console_ui.security import HEADERS
from domain.taxonomy import Agency

STATIC_DIR = (Path(__file__).parent / "static").resolve()
MEDIA_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".svg": "image/svg+xml",
}
router = APIRouter(include_in_schema=False)


def _file(name: str) -> FileResponse:
    path = (STATIC_DIR / name).resolve()
    if not path.is_relative_to(STATIC_DIR) or not path.is_file():
        raise HTTPException(404, "not found")
    media_type = MEDIA_TYPES.get(path.suffix)
    if media_type is None:
        raise HTTPException(404, "not found")
    return FileResponse(path, media_type=media_type, headers=HEADERS)


@router.get("/")
def console_page() -> FileResponse:
    """The call-takers' console."""
    return _file("console.html")


@router.get("/board/{agency}")
def board_page(agency: str) -> FileResponse:
    """One agency's board (police, fire, medical, …), for its dispatchers' wall screen."""
    if agency not in {a.value for a in Agency}:
        raise HTTPException(404, f"unknown agency {agency!r}")
    return _file("board.html")


@router.get("/static/{name:path}")
def static_file(name: str) -> FileResponse:
    """The console's scripts, styles and icons."""
    return _file(name)
