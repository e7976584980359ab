"""Ranking available units by estimated time of arrival, over numpy arrays in metres."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np
from numpy.typing import NDArray

from dispatch.routing.models import UnitRecommendation, UnitSnapshot
from dispatch.routing.projection import LocalProjection
from domain.taxonomy import Agency, UnitStatus, UnitType

NAN = math.nan
AVAILABLE = UnitStatus.AVAILABLE
FloatArray = NDArray[np.float64]

UNIT_TYPE_LABELS: dict[UnitType, tuple[str, str]] = {
    UnitType.POLICE_PATROL: ("mobil patroli", "police patrol"),
    UnitType.FIRE_ENGINE: ("mobil pemadam", "fire engine"),
    UnitType.RESCUE: ("unit rescue", "rescue unit"),
    UnitType.AMBULANCE: ("ambulans", "ambulance"),
    UnitType.RESCUE_BOAT: ("perahu SAR", "rescue boat"),
    UnitType.BPBD_TEAM: ("tim BPBD", "BPBD team"),
}


@dataclass(frozen=True)
class HomeStation:
    """Where a unit without a reported position is assumed to be."""

    name: str
    x: float
    y: float


@dataclass(frozen=True)
class _Candidates:
    """The available units of one agency, as parallel arrays (positions in metres)."""

    units: tuple[UnitSnapshot, ...]
    x: FloatArray  # last reported position; NaN if none
    y: FloatArray
    t: FloatArray  # epoch seconds of that position; NaN if none
    home_x: FloatArray  # home station; NaN if the station is not in the data
    home_y: FloatArray
    home_names: tuple[str, ...]
    speed_mps: FloatArray
    never_reported: NDArray[np.bool_]  # no position at all, but a known home station


class UnitIndex(Sequence[UnitSnapshot]):
    """A fleet snapshot as arrays in metres; build it when units change, reuse it per report.

    It is a Sequence of its snapshots, so it can be passed wherever units are expected.
    """

    def __init__(
        self,
        units: Sequence[UnitSnapshot],
        projection: LocalProjection,
        homes: Mapping[str, HomeStation],
        speeds_kmh: Mapping[UnitType, float],
        owner: object,
    ) -> None:
        self._units = tuple(units)
        self.owner = owner
        self.available = {
            agency: _candidates(
                [u for u in self._units if u.agency is agency and u.status is AVAILABLE],
                projection,
                homes,
                speeds_kmh,
            )
            for agency in Agency
        }

    def __len__(self) -> int:
        return len(self._units)

    @overload
    def __getitem__(self, index: int) -> UnitSnapshot: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[UnitSnapshot]: ...
    def __getitem__(self, index: int | slice) -> UnitSnapshot | Sequence[UnitSnapshot]:
        return self._units[index]

    def __iter__(self) -> Iterator[UnitSnapshot]:
        return iter(self._units)


def _candidates(
    units: list[UnitSnapshot],
    projection: LocalProjection,
    homes: Mapping[str, HomeStation],
    speeds_kmh: Mapping[UnitType, float],
) -> _Candidates:
    # A position counts only with its time: without one its age cannot be judged.
    fixes = [(u.location, u.location_at) if u.location and u.location_at else None for u in units]
    lat = np.array([f[0].lat if f else NAN for f in fixes], dtype=np.float64)
    lon = np.array([f[0].lon if f else NAN for f in fixes], dtype=np.float64)
    x, y = projection.xy_arrays(lat, lon)
    home = [homes.get(u.station_id) for u in units]
    home_x = np.array([h.x if h else NAN for h in home], dtype=np.float64)
    return _Candidates(
        units=tuple(units),
        x=x,
        y=y,
        t=np.array([f[1].timestamp() if f else NAN for f in fixes], dtype=np.float64),
        home_x=home_x,
        home_y=np.array([h.y if h else NAN for h in home], dtype=np.float64),
        home_names=tuple(h.name if h else "" for h in home),
        speed_mps=np.array([speeds_kmh[u.unit_type] / 3.6 for u in units], dtype=np.float64),
        never_reported=np.isnan(x) & ~np.isnan(home_x),
    )


def nearest_units(
    index: UnitIndex,
    x0: float,
    y0: float,
    agencies: Sequence[Agency],
    now_ts: float,
    *,
    stale_after_s: float,
    road_factor: float,
    per_agency: int,
) -> list[UnitRecommendation]:
    """The ``per_agency`` available units of each agency with the shortest ETA, best first.

    Units whose last position is older than ``stale_after_s`` are left out; units that never
    reported one stand at their home station.
    """
    chosen: list[UnitRecommendation] = []
    for agency in agencies:
        c = index.available[agency]
        if not c.units:
            continue
        fresh = c.t >= now_ts - stale_after_s  # NaN compares False
        distance = np.hypot(
            np.where(fresh, c.x, c.home_x) - x0, np.where(fresh, c.y, c.home_y) - y0
        )
        eta = np.where(fresh | c.never_reported, road_factor * distance / c.speed_mps, np.inf)
        order = np.argsort(eta, kind="stable")[:per_agency]
        ranked = zip(order.tolist(), distance[order].tolist(), eta[order].tolist(), strict=True)
        for rank, (i, meters, seconds) in enumerate(ranked, start=1):
            if seconds == math.inf:
                break
            age_s = None if c.never_reported[i] else now_ts - float(c.t[i])
            chosen.append(
                _recommendation(c.units[i], rank, meters, seconds, age_s, c.home_names[i])
            )
    return chosen


def _recommendation(
    unit: UnitSnapshot, rank: int, distance: float, eta: float, age_s: float | None, home: str
) -> UnitRecommendation:
    type_id, type_en = UNIT_TYPE_LABELS[unit.unit_type]
    km, minutes = distance / 1000, max(1, round(eta / 60))
    if age_s is None:
        where_id = f"posisi = pos induk {home} (unit belum melaporkan posisi)"
        where_en = f"position = home station {home} (no position reported)"
    else:
        age = max(0, round(age_s / 60))
        where_id, where_en = f"posisi {age} menit lalu", f"position {age} min old"
    return UnitRecommendation(
        unit_id=unit.unit_id,
        callsign=unit.callsign,
        agency=unit.agency,
        unit_type=unit.unit_type,
        distance_m=round(distance, 1),
        eta_s=round(eta, 1),
        explanation_id=(
            f"{type_id.capitalize()} tersedia terdekat ke-{rank}: {_km_id(km)} km,"
            f" tiba ±{minutes} menit; {where_id}"
        ),
        explanation_en=(
            f"#{rank} nearest available {type_en}: {km:.1f} km, ETA ~{minutes} min; {where_en}"
        ),
        from_home_station=age_s is None,
    )


def _km_id(km: float) -> str:
    """Kilometres with the Indonesian decimal comma."""
    return f"{km:.1f}".replace(".", ",")
