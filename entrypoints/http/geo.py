"""GeoJSON layers for the console map (served from the project's own data: works offline)."""

from __future__ import annotations

import functools
import json
from typing import Literal

from fastapi import APIRouter, Response

from dispatch.bootstrap import default_router
from entrypoints.http.deps import CurrentPrincipal

router = APIRouter(prefix="/api/geo", tags=["geo"])
Layer = Literal["kecamatan", "kelurahan", "stations"]


@functools.cache
def _layer_bytes(layer: Layer) -> bytes:
    return json.dumps(default_router().geojson(layer), separators=(",", ":")).encode()


@router.get("/{layer}", response_class=Response)
def geojson(layer: Layer, principal: CurrentPrincipal) -> Response:
    """A map layer as GeoJSON (simplified, with attribution); cached for an hour by clients."""
    return Response(
        _layer_bytes(layer),
        media_type="application/geo+json",
        headers={"Cache-Control": "private, max-age=3600"},
    )
