"""A local metric projection for Samarinda, so distances are metres, not degrees.

Equirectangular projection on a sphere of the IUGG mean Earth radius, centred on the city:
``x = R·cos(φ0)·(λ − λ0)``, ``y = R·(φ − φ0)``. It is affine in (lon, lat), so straight
edges stay straight and point-in-polygon answers are the same as in degrees.

Error for Samarinda's extent (lat 0.31–0.72 S, lon 117.05–117.30 E): against haversine on the
same sphere at most 0.004 % (cos φ varies by 4·10⁻⁵ across the city; measured over 200,000
random pairs), 0.003 % for the 67 km to Balikpapan. Against the WGS84 ellipsoid the sphere
itself is off by up to 0.56 % north–south and 0.11 % east–west (≤ 28 m over 5 km), far below
the road-factor uncertainty of an ETA; the sphere is kept so distances agree with the
haversine figures people check them against.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

EARTH_RADIUS_M = 6_371_008.8
"""IUGG mean Earth radius (R1), in metres."""

FloatArray = NDArray[np.float64]


class LocalProjection:
    """Projects WGS84 degrees to metres east/north of a reference point, and back."""

    def __init__(self, lat0: float, lon0: float) -> None:
        self.lat0 = lat0
        self.lon0 = lon0
        self._ky = EARTH_RADIUS_M * math.pi / 180.0
        self._kx = self._ky * math.cos(math.radians(lat0))

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        """One point, in metres east and north of the reference point."""
        return (lon - self.lon0) * self._kx, (lat - self.lat0) * self._ky

    def xy_arrays(self, lat: FloatArray, lon: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Many points at once (NaN stays NaN)."""
        return (lon - self.lon0) * self._kx, (lat - self.lat0) * self._ky

    def latlon(self, x: float, y: float) -> tuple[float, float]:
        """The inverse of :meth:`xy`."""
        return self.lat0 + y / self._ky, self.lon0 + x / self._kx

    def forward_coords(self, lonlat: FloatArray) -> FloatArray:
        """An (n, 2) array of [lon, lat] to [x, y]; for ``shapely.transform``."""
        return np.column_stack(
            ((lonlat[:, 0] - self.lon0) * self._kx, (lonlat[:, 1] - self.lat0) * self._ky)
        )

    def inverse_coords(self, xy: FloatArray) -> FloatArray:
        """An (n, 2) array of [x, y] back to [lon, lat]; for ``shapely.transform``."""
        return np.column_stack((xy[:, 0] / self._kx + self.lon0, xy[:, 1] / self._ky + self.lat0))


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres on the mean-radius sphere (the reference check)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))
