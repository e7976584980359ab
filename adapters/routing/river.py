"""The Mahakam: which bank a point is on, and the distance through the best bridge.

Samarinda lies on both banks of a river 300–700 m wide that road traffic crosses at three
places (data/samarinda_bridges.geojson, sources in data/SOURCES.md). A unit on the other bank
from an incident travels unit → bridge end → across → bridge end → incident, the shortest such
way over all bridges; that distance, not the straight line, is what the ETA multiplies.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from adapters.routing.errors import RoutingDataError
from adapters.routing.geodata import AreaLayer, read_collection
from adapters.routing.projection import LocalProjection

BRIDGES_FILE = "samarinda_bridges.geojson"
BANKS = ("north", "south")

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.intp]


@dataclass(frozen=True)
class Bridge:
    """A road bridge over the Mahakam: its two bank ends in metres and its length."""

    id: str
    name: str
    length_m: float
    north_xy: tuple[float, float]
    south_xy: tuple[float, float]


@dataclass(frozen=True)
class Crossing:
    """Distances from many points to one, through a bridge where the banks differ."""

    distance_m: FloatArray
    bridge: IntArray  # index into River.bridges, or -1 where no bridge is crossed


class River:
    """The two banks as polygons (in metres) and the bridges between them."""

    def __init__(self, north: Any, south: Any, bridges: tuple[Bridge, ...]) -> None:
        self.bridges = bridges
        self._north, self._south = north, south
        shapely.prepare(north)
        shapely.prepare(south)
        self._north_ends = np.array([b.north_xy for b in bridges], dtype=np.float64)
        self._south_ends = np.array([b.south_xy for b in bridges], dtype=np.float64)
        self._lengths = np.array([b.length_m for b in bridges], dtype=np.float64)

    def south_of(self, x: FloatArray, y: FloatArray) -> BoolArray:
        """Whether each point is on the south bank (outside the city: the nearer bank's side)."""
        south: BoolArray = shapely.contains_xy(self._south, x, y)
        outside = ~south & ~shapely.contains_xy(self._north, x, y) & ~np.isnan(x)
        if outside.any():
            points = shapely.points(x[outside], y[outside])
            south[outside] = shapely.distance(self._south, points) < shapely.distance(
                self._north, points
            )
        return south

    def point_south(self, x: float, y: float) -> bool:
        """Whether one point is on the south bank."""
        return bool(self.south_of(np.array([x]), np.array([y]))[0])

    def distances(
        self, x: FloatArray, y: FloatArray, south: BoolArray, x0: float, y0: float
    ) -> Crossing:
        """From each point (``south``: its bank) to (x0, y0), through the best bridge if needed."""
        return self.distances_to_bank(x, y, south, x0, y0, self.point_south(x0, y0))

    def distances_to_bank(
        self,
        x: FloatArray,
        y: FloatArray,
        south: BoolArray,
        x0: float,
        y0: float,
        target_south: bool,
    ) -> Crossing:
        """As :meth:`distances`, with the target's bank already known."""
        direct: FloatArray = np.hypot(x - x0, y - y0)
        none = np.full(x.shape, -1, dtype=np.intp)
        crosses = (south != target_south) & ~np.isnan(x)
        if not crosses.any() or not self.bridges:
            return Crossing(direct, none)
        near_end, far_end = (
            (self._north_ends, self._south_ends)
            if target_south
            else (self._south_ends, self._north_ends)
        )
        to_bridge = np.hypot(x[:, None] - near_end[:, 0], y[:, None] - near_end[:, 1])
        from_bridge = np.hypot(far_end[:, 0] - x0, far_end[:, 1] - y0)
        via = to_bridge + self._lengths + from_bridge
        best = np.argmin(np.where(np.isnan(via), np.inf, via), axis=1)
        through = via[np.arange(len(x)), best]
        return Crossing(np.where(crosses, through, direct), np.where(crosses, best, none))


def load_river(data_dir: Path, kecamatan: AreaLayer, projection: LocalProjection) -> River:
    """Read the bridges and banks; RoutingDataError names the file, key and reason."""
    path = data_dir / BRIDGES_FILE
    raw = read_collection(path)
    banks = _banks(path, raw, {a.code for a in kecamatan.areas})
    sides = {
        bank: shapely.union_all(
            [
                shape
                for area, shape in zip(kecamatan.areas, kecamatan.xy, strict=True)
                if area.code in banks[bank]
            ]
        )
        for bank in BANKS
    }
    bridges = tuple(_bridge(path, f, i, projection) for i, f in enumerate(raw["features"]))
    river = River(sides["north"], sides["south"], bridges)
    for i, bridge in enumerate(bridges):
        ends = np.array([bridge.north_xy, bridge.south_xy])
        if river.south_of(ends[:, 0], ends[:, 1]).tolist() != [False, True]:
            raise RoutingDataError(
                path, f"features[{i}].geometry", "must run from the north bank to the south bank"
            )
    return river


def _banks(path: Path, raw: dict[str, Any], codes: set[str]) -> dict[str, set[str]]:
    given = (raw.get("metadata") or {}).get("banks")
    if not isinstance(given, dict) or sorted(given) != sorted(BANKS):
        raise RoutingDataError(path, "metadata.banks", "must have a north and a south list")
    banks = {bank: set(given[bank]) for bank in BANKS}
    placed = banks["north"] | banks["south"]
    if banks["north"] & banks["south"] or placed != codes:
        wrong = sorted((banks["north"] & banks["south"]) | (placed ^ codes))
        raise RoutingDataError(
            path, "metadata.banks", f"every kecamatan code exactly once; check {wrong}"
        )
    return banks


def _bridge(path: Path, feature: dict[str, Any], i: int, projection: LocalProjection) -> Bridge:
    props = feature.get("properties") or {}
    coords: Any = (feature.get("geometry") or {}).get("coordinates")
    key = f"features[{i}]"
    try:
        (lon_n, lat_n), (lon_s, lat_s) = ((float(a), float(b)) for a, b in coords)
        length = float(props["length_m"])
        name, bridge_id = str(props["name"]), str(props["id"])
    except (KeyError, TypeError, ValueError) as error:
        raise RoutingDataError(
            path, key, f"needs id, name, length_m and a 2-point LineString ({error})"
        ) from error
    if not (length > 0 and name.strip()):
        raise RoutingDataError(path, key, "length_m must be positive and name non-empty")
    return Bridge(bridge_id, name, length, projection.xy(lat_n, lon_n), projection.xy(lat_s, lon_s))
