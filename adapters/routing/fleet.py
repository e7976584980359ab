"""Ranking available units by estimated time of arrival, over numpy arrays in metres.

No available unit is left out for want of a fresh position: it is placed at its home station
(or, without one, at its last known place) and its ETA marked less certain. Only units that
are committed or out of service leave the list.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import overload

import numpy as np
from numpy.typing import NDArray

from adapters.routing.explain import Whereabouts, agency_note, unit_reason
from adapters.routing.projection import LocalProjection
from adapters.routing.river import River
from dispatch.advice import (
    AgencyUnitNote,
    PositionSource,
    UnitGap,
    UnitRecommendation,
    UnitSnapshot,
)
from domain.taxonomy import Agency, UnitStatus, UnitType

NAN = math.nan
AVAILABLE = UnitStatus.AVAILABLE
FloatArray = NDArray[np.float64]
SOURCES = (PositionSource.REPORTED, PositionSource.STATION, PositionSource.LAST_KNOWN)


@dataclass(frozen=True)
class HomeStation:
    """Where a unit without a fresh position is assumed to be."""

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
    south: NDArray[np.bool_]  # bank of that position
    home_x: FloatArray  # home station; NaN if the station is not in the data
    home_y: FloatArray
    home_south: NDArray[np.bool_]
    home_names: tuple[str, ...]
    speed_mps: FloatArray


@dataclass(frozen=True)
class UnitAdvice:
    """The units proposed for an incident, and a note for each agency left without one."""

    units: list[UnitRecommendation]
    notes: list[AgencyUnitNote]


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
        river: River,
    ) -> None:
        self._units = tuple(units)
        self.owner = owner
        self.registered = Counter(u.agency for u in self._units)
        self.available = {
            agency: _candidates(
                [u for u in self._units if u.agency is agency and u.status is AVAILABLE],
                projection,
                homes,
                speeds_kmh,
                river,
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
    river: River,
) -> _Candidates:
    # A position counts only with its time: without one its age cannot be judged.
    fixes = [(u.location, u.location_at) if u.location and u.location_at else None for u in units]
    lat = np.array([f[0].lat if f else NAN for f in fixes], dtype=np.float64)
    lon = np.array([f[0].lon if f else NAN for f in fixes], dtype=np.float64)
    x, y = projection.xy_arrays(lat, lon)
    home = [homes.get(u.station_id) for u in units]
    home_x = np.array([h.x if h else NAN for h in home], dtype=np.float64)
    home_y = np.array([h.y if h else NAN for h in home], dtype=np.float64)
    return _Candidates(
        units=tuple(units),
        x=x,
        y=y,
        t=np.array([f[1].timestamp() if f else NAN for f in fixes], dtype=np.float64),
        south=river.south_of(x, y),
        home_x=home_x,
        home_y=home_y,
        home_south=river.south_of(home_x, home_y),
        home_names=tuple(h.name if h else "" for h in home),
        speed_mps=np.array([speeds_kmh[u.unit_type] / 3.6 for u in units], dtype=np.float64),
    )


@dataclass(frozen=True)
class Target:
    """Where the units are wanted, and when."""

    x: float
    y: float
    now_ts: float
    south: bool  # its bank of the Mahakam


def nearest_units(
    index: UnitIndex,
    target: Target,
    agencies: Sequence[Agency],
    river: River,
    *,
    stale_after_s: float,
    road_factor: float,
    per_agency: int,
) -> UnitAdvice:
    """The ``per_agency`` available units of each agency with the shortest ETA, best first.

    A unit whose last position is older than ``stale_after_s`` (or that never reported one)
    stands at its home station, else at its last known place, with its ETA marked less
    certain. Across the Mahakam the distance goes through the best bridge.
    """
    chosen: list[UnitRecommendation] = []
    notes: list[AgencyUnitNote] = []
    for agency in agencies:
        c = index.available[agency]
        found, unlocated = _rank(c, target, river, stale_after_s, road_factor, per_agency)
        chosen += found
        notes += _notes(agency, index.registered[agency], bool(found), unlocated)
    return UnitAdvice(chosen, notes)


def _rank(
    c: _Candidates,
    target: Target,
    river: River,
    stale_after_s: float,
    road_factor: float,
    per_agency: int,
) -> tuple[list[UnitRecommendation], list[str]]:
    if not c.units:
        return [], []
    fresh = c.t >= target.now_ts - stale_after_s  # NaN compares False
    at_home = ~fresh & ~np.isnan(c.home_x)
    source = np.where(fresh, 0, np.where(at_home, 1, 2))
    x, y = np.where(at_home, c.home_x, c.x), np.where(at_home, c.home_y, c.y)
    south = np.where(at_home, c.home_south, c.south)
    crossing = river.distances_to_bank(x, y, south, target.x, target.y, target.south)
    located = ~np.isnan(x)
    eta = np.where(located, road_factor * crossing.distance_m / c.speed_mps, np.inf)
    order = np.argsort(eta, kind="stable")[:per_agency]
    found = []
    for rank, i in enumerate(order[np.isfinite(eta[order])].tolist(), start=1):
        where = Whereabouts(
            source=SOURCES[int(source[i])],
            age_s=None if np.isnan(c.t[i]) else target.now_ts - float(c.t[i]),
            home=c.home_names[i],
            bridge=None if crossing.bridge[i] < 0 else river.bridges[crossing.bridge[i]].name,
        )
        found.append(
            _recommendation(c.units[i], rank, float(crossing.distance_m[i]), float(eta[i]), where)
        )
    return found, [c.units[i].callsign for i in np.flatnonzero(~located).tolist()]


def _notes(
    agency: Agency, registered: int, found: bool, unlocated: list[str]
) -> list[AgencyUnitNote]:
    if unlocated:
        return [agency_note(agency, UnitGap.UNLOCATED, registered, ", ".join(unlocated))]
    if found:
        return []
    gap = UnitGap.NONE_AVAILABLE if registered else UnitGap.NONE_REGISTERED
    return [agency_note(agency, gap, registered)]


def agency_notes(index: UnitIndex, agencies: Sequence[Agency]) -> list[AgencyUnitNote]:
    """Notes for the agencies with no available unit, when no location allows a ranking."""
    return [
        note
        for agency in agencies
        if not index.available[agency].units
        for note in _notes(agency, index.registered[agency], False, [])
    ]


def _recommendation(
    unit: UnitSnapshot, rank: int, distance: float, eta: float, where: Whereabouts
) -> UnitRecommendation:
    explanation_id, explanation_en = unit_reason(unit.unit_type, rank, distance, eta, where)
    return UnitRecommendation(
        unit_id=unit.unit_id,
        callsign=unit.callsign,
        agency=unit.agency,
        unit_type=unit.unit_type,
        distance_m=round(distance, 1),
        eta_s=round(eta, 1),
        explanation_id=explanation_id,
        explanation_en=explanation_en,
        position_source=where.source,
        position_age_s=None if where.age_s is None else round(where.age_s, 1),
        eta_certain=where.source is PositionSource.REPORTED,
        via_bridge=where.bridge,
    )
