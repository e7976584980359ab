"""/docs (Swagger UI) and /redoc (ReDoc), served by this server with nothing from the internet.

The scripts and styles are the ones the ``fastapi-offline`` package ships (MIT; it bundles
Swagger UI, Apache-2.0, and ReDoc, MIT); the pages are ours, under the console's
Content-Security-Policy (``console_ui.security``), so Swagger UI is started from a script file
rather than an inline one, and ReDoc from its ``<redoc spec-url>`` element.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse, HTMLResponse, Response

from console_ui.security import HEADERS, headers

ASSETS = Path(str(files("fastapi_offline") / "static"))
PACKAGED = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "redoc.standalone.js": "text/javascript; charset=utf-8",
    "favicon.png": "image/png",
}
# ReDoc's sidebar shows a logo fetched from its CDN: the one address in it a browser would load.
REDOC_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"
BLANK_IMAGE = b"data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22/%3E"
ASSET_URL = "/docs/assets"
OPENAPI_URL = "/openapi.json"
SWAGGER_START = f"""\
window.ui = SwaggerUIBundle({{
  url: "{OPENAPI_URL}",
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
}});
"""

router = APIRouter(include_in_schema=False)


def _page(title: str, head: str, body: str, *, inline_styles: bool = False) -> HTMLResponse:
    html = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" type="image/png" href="{ASSET_URL}/favicon.png">
{head}
</head>
<body>
{body}
</body>
</html>
"""
    return HTMLResponse(html, headers=headers(inline_styles=inline_styles))


@router.get("/docs")
def swagger_ui() -> HTMLResponse:
    """The HTTP API, to read and to try (Swagger UI)."""
    return _page(
        "Siaga112 API",
        f'<link rel="stylesheet" href="{ASSET_URL}/swagger-ui.css">',
        f'<div id="swagger-ui"></div>\n<script src="{ASSET_URL}/swagger-ui-bundle.js"></script>\n'
        f'<script src="{ASSET_URL}/swagger-start.js"></script>',
    )


@router.get("/redoc")
def redoc() -> HTMLResponse:
    """The HTTP API as one document (ReDoc; its styles are written inline by its script)."""
    return _page(
        "Siaga112 API",
        "",
        f'<redoc spec-url="{OPENAPI_URL}" disable-search="true"></redoc>\n'
        f'<script src="{ASSET_URL}/redoc.standalone.js"></script>',
        inline_styles=True,
    )


@router.get(ASSET_URL + "/swagger-start.js")
def swagger_start() -> Response:
    """Starts Swagger UI on /docs (a file, since the policy forbids inline scripts)."""
    return Response(SWAGGER_START, media_type="text/javascript; charset=utf-8", headers=HEADERS)


@router.get(ASSET_URL + "/redoc.standalone.js")
def redoc_script() -> Response:
    """ReDoc's bundle, with its CDN logo replaced by a blank image (nothing from elsewhere)."""
    return Response(_redoc(), media_type=PACKAGED["redoc.standalone.js"], headers=HEADERS)


@cache
def _redoc() -> bytes:
    return (ASSETS / "redoc.standalone.js").read_bytes().replace(REDOC_LOGO, BLANK_IMAGE)


@router.get(ASSET_URL + "/{name}")
def asset(name: str) -> FileResponse:
    """Swagger UI's scripts and styles and the icon, from the installed package."""
    if name not in PACKAGED:
        raise HTTPException(404, "not found")
    return FileResponse(ASSETS / name, media_type=PACKAGED[name], headers=HEADERS)
