"""Samarinda's boundaries and stations: read once, validated, indexed in metres."""

from __future__ import annotations

import json
import math
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from adapters.routing.errors import RoutingDataError
from adapters.routing.projection import LocalProjection
from dispatch.advice import Station
from domain.taxonomy import Agency

DEFAULT_DATA_DIR = Path(__file__).with_name("data")
KECAMATAN_FILE = "samarinda_kecamatan.geojson"
KELURAHAN_FILE = "samarinda_kelurahan.geojson"
STATIONS_FILE = "samarinda_stations.geojson"


@dataclass(frozen=True)
class Area:
    """One kecamatan or kelurahan: its names, codes and a representative point."""

    name: str
    code: str
    kecamatan: str
    kecamatan_code: str
    aliases: tuple[str, ...]
    rep_lat: float
    rep_lon: float
    radius_m: float  # radius of the circle of the same area


class AreaLayer:
    """Polygons of one level, in metres, behind an STRtree."""

    def __init__(self, areas: list[Area], lonlat: NDArray[Any], xy: NDArray[Any]) -> None:
        self.areas = areas
        self.lonlat = lonlat
        self.xy = xy
        self.tree = shapely.STRtree(xy)

    def containing(self, point: shapely.Point) -> Area | None:
        """The area a projected point lies in or on the edge of (lowest code on a shared edge)."""
        hits = self.tree.query(point, predicate="intersects")
        return self.areas[int(hits.min())] if hits.size else None

    def nearest(self, point: shapely.Point) -> tuple[Area, float]:
        """The nearest area to a projected point, and the distance in metres."""
        index, distance = self.tree.query_nearest(point, return_distance=True)
        return self.areas[int(index[0])], float(distance[0])


@dataclass(frozen=True)
class Geodata:
    """Everything read from the data folder."""

    kecamatan: AreaLayer
    kelurahan: AreaLayer
    stations: list[Station]
    metadata: dict[str, dict[str, Any]]
    projection: LocalProjection


def load_geodata(data_dir: Path, no_emergency: Collection[str]) -> Geodata:
    """Read and check the three files; RoutingDataError names the file, key and reason.

    The metric projection is centred on the middle of the kecamatan layer's bounding box.
    """
    kec_raw = read_collection(data_dir / KECAMATAN_FILE)
    kel_raw = read_collection(data_dir / KELURAHAN_FILE)
    kec_shapes = _polygons(data_dir / KECAMATAN_FILE, kec_raw)
    xmin, ymin, xmax, ymax = shapely.total_bounds(kec_shapes)
    projection = LocalProjection(lat0=(ymin + ymax) / 2, lon0=(xmin + xmax) / 2)
    kecamatan = _area_layer(
        data_dir / KECAMATAN_FILE, kec_raw, kec_shapes, projection, level="kecamatan"
    )
    kel_shapes = _polygons(data_dir / KELURAHAN_FILE, kel_raw)
    kelurahan = _area_layer(
        data_dir / KELURAHAN_FILE, kel_raw, kel_shapes, projection, level="kelurahan"
    )
    known = {a.code for a in kecamatan.areas}
    for i, area in enumerate(kelurahan.areas):
        if area.kecamatan_code not in known:
            raise RoutingDataError(
                data_dir / KELURAHAN_FILE,
                f"features[{i}].properties.kecamatan_code",
                f"{area.kecamatan_code!r} is not in {KECAMATAN_FILE}",
            )
    stations_path = data_dir / STATIONS_FILE
    st_raw = read_collection(stations_path)
    stations = _stations(stations_path, st_raw, kelurahan, projection, no_emergency)
    metadata = {
        layer: dict(raw.get("metadata") or {})
        for layer, raw in (("kecamatan", kec_raw), ("kelurahan", kel_raw), ("stations", st_raw))
    }
    return Geodata(kecamatan, kelurahan, stations, metadata, projection)


def read_collection(path: Path) -> dict[str, Any]:
    """A GeoJSON FeatureCollection file, checked for shape; RoutingDataError otherwise."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise RoutingDataError(path, "(file)", f"cannot be read: {error.strerror}") from error
    except ValueError as error:
        raise RoutingDataError(path, "(file)", f"is not valid JSON: {error}") from error
    if not isinstance(raw, dict) or raw.get("type") != "FeatureCollection":
        raise RoutingDataError(path, "type", "must be a GeoJSON FeatureCollection")
    if not isinstance(raw.get("features"), list) or not raw["features"]:
        raise RoutingDataError(path, "features", "must be a non-empty list")
    for i, feature in enumerate(raw["features"]):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise RoutingDataError(path, f"features[{i}]", "must be a GeoJSON Feature")
    return raw


def _text(path: Path, feature: dict[str, Any], i: int, key: str) -> str:
    value = (feature.get("properties") or {}).get(key)
    if not isinstance(value, str) or not value.strip():
        raise RoutingDataError(path, f"features[{i}].properties.{key}", "missing or empty")
    return value.strip()


def _geometry(path: Path, feature: dict[str, Any], i: int, kinds: tuple[str, ...]) -> Any:
    key = f"features[{i}].geometry"
    try:
        geometry = shapely.geometry.shape(feature["geometry"])
    except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.ShapelyError) as e:
        raise RoutingDataError(path, key, f"not a readable GeoJSON geometry ({e})") from e
    if geometry.geom_type not in kinds:
        raise RoutingDataError(path, key, f"must be {' or '.join(kinds)}, not {geometry.geom_type}")
    if geometry.is_empty or not geometry.is_valid:
        raise RoutingDataError(path, key, f"invalid: {shapely.is_valid_reason(geometry)}")
    xmin, ymin, xmax, ymax = geometry.bounds
    if not (-180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90):
        raise RoutingDataError(path, key, "coordinates are not [lon, lat] in degrees")
    return geometry


def _polygons(path: Path, raw: dict[str, Any]) -> NDArray[Any]:
    features: list[dict[str, Any]] = raw["features"]
    shapes = [_geometry(path, f, i, ("Polygon", "MultiPolygon")) for i, f in enumerate(features)]
    return np.array(shapes, dtype=object)


def _area_layer(
    path: Path,
    raw: dict[str, Any],
    lonlat: NDArray[Any],
    projection: LocalProjection,
    *,
    level: str,
) -> AreaLayer:
    features: list[dict[str, Any]] = raw["features"]
    xy = shapely.transform(lonlat, projection.forward_coords)
    areas: list[Area] = []
    for i, (feature, polygon) in enumerate(zip(features, xy, strict=True)):
        code = _text(path, feature, i, "code")
        if code in {a.code for a in areas}:
            raise RoutingDataError(path, f"features[{i}].properties.code", f"{code!r} repeats")
        name = _text(path, feature, i, "name")
        is_kel = level == "kelurahan"
        kec = _text(path, feature, i, "kecamatan") if is_kel else name
        kec_code = _text(path, feature, i, "kecamatan_code") if is_kel else code
        alias = (feature["properties"].get("name_kepmendagri_2025") or "").strip()
        rep = polygon.centroid if polygon.contains(polygon.centroid) else polygon.point_on_surface()
        rep_lat, rep_lon = projection.latlon(rep.x, rep.y)
        radius = math.sqrt(polygon.area / math.pi)
        areas.append(
            Area(name, code, kec, kec_code, (alias,) if alias else (), rep_lat, rep_lon, radius)
        )
    return AreaLayer(areas, lonlat, xy)


def _stations(
    path: Path,
    raw: dict[str, Any],
    kelurahan: AreaLayer,
    projection: LocalProjection,
    no_emergency: Collection[str],
) -> list[Station]:
    stations: list[Station] = []
    agencies = {a.value: a for a in Agency}
    for i, feature in enumerate(raw["features"]):
        point = _geometry(path, feature, i, ("Point",))
        station_id = _text(path, feature, i, "id")
        if station_id in {s.id for s in stations}:
            raise RoutingDataError(path, f"features[{i}].properties.id", f"{station_id!r} repeats")
        agency = _text(path, feature, i, "agency")
        if agency not in agencies:
            raise RoutingDataError(
                path, f"features[{i}].properties.agency", f"unknown agency {agency!r}"
            )
        kind = _text(path, feature, i, "kind")
        # Kecamatan/kelurahan are recomputed from the polygons so they can never disagree.
        area = kelurahan.containing(shapely.Point(projection.xy(point.y, point.x)))
        operator = (feature["properties"].get("operator_type") or "").strip() or None
        stations.append(
            Station(
                id=station_id,
                name=_text(path, feature, i, "name"),
                agency=agencies[agency],
                kind=kind,
                lat=point.y,
                lon=point.x,
                kecamatan=area.kecamatan if area else None,
                kelurahan=area.name if area else None,
                has_emergency_department=(station_id not in no_emergency)
                if kind == "hospital"
                else None,
                operator_type=operator,
                source=_text(path, feature, i, "source"),
            )
        )
    return stations
