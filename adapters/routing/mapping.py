"""Small GeoJSON layers for the console map, with the data's attribution."""

from __future__ import annotations

import json
from typing import Any, Literal

import numpy as np
import shapely

from adapters.routing.geodata import AreaLayer, Geodata

Layer = Literal["kecamatan", "kelurahan", "stations"]

# Degrees; ~33 m at the equator: invisible at city zoom, keeps each layer well under 150 KB.
SIMPLIFY_TOLERANCE_DEG = 0.0003
# 1e-5 degrees is ~1.1 m, finer than the 1:10,000 source.
GRID_DEG = 1e-5

BOUNDARY_ATTRIBUTION = (
    "Sumber: Badan Informasi Geospasial (BIG), Batas Wilayah Administrasi Desa/Kelurahan "
    "1:10.000 (2022). Simplified for display; see adapters/routing/data/SOURCES.md."
)
STATIONS_ATTRIBUTION = (
    "Points from public repositories (see adapters/routing/data/SOURCES.md); fire stations "
    "partly © OpenStreetMap contributors, ODbL 1.0. Positions not officially verified."
)


def map_layer(geodata: Geodata, layer: Layer) -> dict[str, Any]:
    """One layer as a GeoJSON FeatureCollection with a top-level ``attribution``."""
    if layer == "stations":
        return _stations(geodata)
    if layer in ("kecamatan", "kelurahan"):
        return _areas(geodata.kecamatan if layer == "kecamatan" else geodata.kelurahan)
    raise ValueError(f"unknown map layer {layer!r}; expected kecamatan, kelurahan or stations")


def _simplified(layer: AreaLayer) -> Any:
    # coverage_simplify keeps shared borders shared (no slivers between neighbours);
    # per-polygon simplify is the fallback for shapely < 2.1.
    if hasattr(shapely, "coverage_simplify"):
        simple = shapely.coverage_simplify(layer.lonlat, SIMPLIFY_TOLERANCE_DEG)
    else:
        simple = shapely.simplify(layer.lonlat, SIMPLIFY_TOLERANCE_DEG, preserve_topology=True)
    return shapely.set_precision(simple, GRID_DEG)


def _areas(layer: AreaLayer) -> dict[str, Any]:
    geometries = _simplified(layer)
    features = [
        {
            "type": "Feature",
            "properties": {"name": area.name, "code": area.code, "kecamatan": area.kecamatan},
            "geometry": json.loads(shapely.to_geojson(geometry)),
        }
        for area, geometry in zip(layer.areas, geometries, strict=True)
    ]
    return {"type": "FeatureCollection", "attribution": BOUNDARY_ATTRIBUTION, "features": features}


def _stations(geodata: Geodata) -> dict[str, Any]:
    features = []
    for station in geodata.stations:
        properties = station.to_dict()
        properties["code"] = properties.pop("id")
        lon, lat = np.round([properties.pop("lon"), properties.pop("lat")], 6)
        features.append(
            {
                "type": "Feature",
                "properties": properties,
                "geometry": {"type": "Point", "coordinates": [float(lon), float(lat)]},
            }
        )
    warning = geodata.metadata["stations"].get("warning")
    attribution = STATIONS_ATTRIBUTION + (f" {warning}" if warning else "")
    return {"type": "FeatureCollection", "attribution": attribution, "features": features}
