"""GeoJSON layers for the console map (served from the project's own data: works offline)."""

from __future__ import annotations

import json
from typing import Literal

from fastapi import APIRouter, Response

from adapters.routing import Router
from entrypoints.http.deps import CurrentPrincipal, RouterDep

router = APIRouter(prefix="/api/geo", tags=["geo"])
Layer = Literal["kecamatan", "kelurahan", "stations"]


_LAYERS: dict[tuple[int, Layer], bytes] = {}


def _layer_bytes(routing: Router, layer: Layer) -> bytes:
    key = (id(routing), layer)  # one router per process: each layer is encoded once
    if key not in _LAYERS:
        _LAYERS[key] = json.dumps(routing.geojson(layer), separators=(",", ":")).encode()
    return _LAYERS[key]


@router.get("/{layer}", response_class=Response)
def geojson(layer: Layer, routing: RouterDep, principal: CurrentPrincipal) -> Response:
    """A map layer as GeoJSON (simplified, with attribution); cached for an hour by clients."""
    return Response(
        _layer_bytes(routing, layer),
        media_type="application/geo+json",
        headers={"Cache-Control": "private, max-age=3600"},
    )
