"""The Router: where an emergency is, who answers it, which units go, what it may duplicate.

Loaded once (files read and validated in ``Router.load``); every other method is pure
computation over in-memory shapes and arrays, fast enough for the intake path (≤ 1 ms).
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import shapely

from adapters.routing import coordinates, mapping
from adapters.routing.duplicates import (
    DuplicateMatches,
    NewReport,
    Thresholds,
    compatibility_matrix,
    find_duplicates,
)
from adapters.routing.fleet import (
    HomeStation,
    Target,
    UnitAdvice,
    UnitIndex,
    agency_notes,
    nearest_units,
)
from adapters.routing.geodata import DEFAULT_DATA_DIR, Geodata, load_geodata
from adapters.routing.incident_index import IncidentIndex
from adapters.routing.places import KelurahanNames
from adapters.routing.river import River, load_river
from adapters.routing.rules import DEFAULT_RULES_PATH, RoutingRules, load_rules
from adapters.routing.stations import StationFinder, check_rules_against_stations
from dispatch.advice import (
    KelurahanMatch,
    OpenIncidentSnapshot,
    Recommendation,
    Station,
    StationChoice,
    UnitRecommendation,
    UnitSnapshot,
)
from domain.taxonomy import Agency, Category, LocationSource, Priority
from domain.values import Location, Place


class Router:
    """Routing decisions over Samarinda's boundaries, stations and the routing rules."""

    def __init__(self, rules: RoutingRules, geodata: Geodata, river: River) -> None:
        """Use :meth:`load`; this wires already validated parts."""
        self.rules = rules
        self._geo = geodata
        self.river = river
        self._projection = geodata.projection
        self._names = KelurahanNames(geodata.kelurahan.areas)
        self._stations = StationFinder(rules, geodata)
        self._homes = {
            s.id: HomeStation(s.name, *self._projection.xy(s.lat, s.lon)) for s in geodata.stations
        }
        self._compatible = compatibility_matrix(rules)
        self._maps: dict[str, dict[str, Any]] = {}

    @classmethod
    def load(cls, rules_path: Path | None = None, data_dir: Path | None = None) -> Router:
        """Read and validate the rules and the geodata (RoutingRulesError / RoutingDataError)."""
        rules_path = rules_path or DEFAULT_RULES_PATH
        rules = load_rules(rules_path)
        geodata = load_geodata(
            data_dir or DEFAULT_DATA_DIR, rules.stations.hospitals_without_emergency_department
        )
        check_rules_against_stations(rules, geodata, rules_path)
        river = load_river(data_dir or DEFAULT_DATA_DIR, geodata.kecamatan, geodata.projection)
        return cls(rules, geodata, river)

    # -- where ---------------------------------------------------------------------------

    def locate(self, location: Location) -> Place:
        """The kelurahan and kecamatan of a point; outside the city, the nearest kecamatan."""
        point = shapely.Point(self._projection.xy(location.lat, location.lon))
        area = self._geo.kelurahan.containing(point)
        if area is not None:
            return Place(area.name, area.code, area.kecamatan, area.kecamatan_code)
        nearest, distance = self._geo.kecamatan.nearest(point)
        return Place(
            kelurahan=None,
            kelurahan_code=None,
            kecamatan=nearest.name,
            kecamatan_code=nearest.code,
            inside_jurisdiction=False,
            distance_outside_m=round(distance, 1),
        )

    def find_kelurahan(self, name: str) -> KelurahanMatch:
        """A kelurahan by name, tolerant of spelling; UnknownPlace/AmbiguousPlace otherwise."""
        area, matched, score = self._names.find(name)
        return KelurahanMatch(
            place=Place(area.name, area.code, area.kecamatan, area.kecamatan_code),
            location=Location(
                lat=area.rep_lat,
                lon=area.rep_lon,
                accuracy_m=round(area.radius_m),
                source=LocationSource.KELURAHAN,
            ),
            matched_name=matched,
            score=score,
        )

    @staticmethod
    def parse_aml(sms: str) -> Location:
        """The position in an EENA AML SMS, with its radius as accuracy (InvalidAML if not)."""
        return coordinates.parse_aml(sms)

    @staticmethod
    def check_coordinates(
        lat: float,
        lon: float,
        *,
        accuracy_m: float | None = None,
        source: LocationSource = LocationSource.OPERATOR_MAP,
    ) -> Location:
        """A Location, or InvalidCoordinates for swapped, out-of-range or NaN values."""
        return coordinates.check_coordinates(lat, lon, accuracy_m=accuracy_m, source=source)

    # -- who -----------------------------------------------------------------------------

    def agencies_for(
        self, category: Category, *, injuries: int | None, hazards: Sequence[str] = ()
    ) -> list[Agency]:
        """The agencies a report needs, by the rules."""
        return self.rules.agencies_for(category, injuries=injuries, hazards=hazards)

    def default_priority(self, category: Category, *, injuries: int | None = None) -> Priority:
        """The intake priority for a category (raised for injuries where the rules say so)."""
        return self.rules.default_priority(category, injuries=injuries)

    def ack_timeout(self, priority: Priority) -> timedelta:
        """How long an agency has to acknowledge an incident of this priority."""
        return self.rules.ack_timeout(priority)

    def stations_for(
        self,
        location: Location | None,
        place: Place | None,
        agencies: Sequence[Agency],
        *,
        full_hospitals: Collection[str] = (),
    ) -> list[StationChoice]:
        """Police by kecamatan jurisdiction, nearest fire post, nearest open hospital with IGD."""
        xy = None if location is None else self._projection.xy(location.lat, location.lon)
        return self._stations.choose(xy, place, agencies, full_hospitals)

    def stations(self) -> list[Station]:
        """All stations in the data."""
        return list(self._geo.stations)

    # -- which units, which duplicates ---------------------------------------------------

    def index_units(self, units: Sequence[UnitSnapshot]) -> UnitIndex:
        """A reusable array index of a fleet snapshot (rebuild it when a unit changes)."""
        speeds = self.rules.units.speed_kmh
        return UnitIndex(units, self._projection, self._homes, speeds, owner=self, river=self.river)

    def index_incidents(self, open_incidents: Sequence[OpenIncidentSnapshot]) -> IncidentIndex:
        """A reusable array index of the open incidents (``put``/``drop`` keep it current)."""
        return IncidentIndex(open_incidents, self._projection, owner=self)

    def _unit_index(self, units: Sequence[UnitSnapshot]) -> UnitIndex:
        if isinstance(units, UnitIndex) and units.owner is self:
            return units
        return self.index_units(units)

    def _incident_index(self, incidents: Sequence[OpenIncidentSnapshot]) -> IncidentIndex:
        if isinstance(incidents, IncidentIndex) and incidents.owner is self:
            return incidents
        return self.index_incidents(incidents)

    def recommend_units(
        self,
        location: Location,
        agencies: Sequence[Agency],
        units: Sequence[UnitSnapshot],
        now: datetime,
        *,
        per_agency: int = 3,
    ) -> list[UnitRecommendation]:
        """The available units of each agency with the shortest ETA, with an explanation each."""
        return self._unit_advice(location, agencies, units, now, per_agency).units

    def _unit_advice(
        self,
        location: Location,
        agencies: Sequence[Agency],
        units: Sequence[UnitSnapshot],
        now: datetime,
        per_agency: int = 3,
    ) -> UnitAdvice:
        x0, y0 = self._projection.xy(location.lat, location.lon)
        return nearest_units(
            self._unit_index(units),
            Target(x0, y0, _timestamp("now", now), self.river.point_south(x0, y0)),
            agencies,
            self.river,
            stale_after_s=self.rules.units.stale_after_s,
            road_factor=self.rules.units.road_factor,
            per_agency=per_agency,
        )

    def duplicates(
        self,
        location: Location | None,
        category: Category,
        at: datetime,
        open_incidents: Sequence[OpenIncidentSnapshot],
        *,
        caller_number: str | None = None,
        exclude: Collection[UUID] = (),
        limit: int | None = None,
    ) -> DuplicateMatches:
        """Open incidents that may be the same emergency: the best ``limit`` (default ``shown``
        in ``[duplicates]``) with their reasons, and how many matched (``exclude``: left out)."""
        rules = self.rules.duplicates
        xy = None if location is None else self._projection.xy(location.lat, location.lon)
        report = NewReport(
            x=None if xy is None else xy[0],
            y=None if xy is None else xy[1],
            accuracy_m=0.0 if location is None else location.accuracy_m or 0.0,
            category=category,
            at_ts=_timestamp("at", at),
            caller_number=caller_number,
        )
        thresholds = Thresholds(rules.radius_m, rules.window_s, rules.same_caller_window_s)
        return find_duplicates(
            self._incident_index(open_incidents),
            report,
            thresholds,
            self._compatible,
            exclude=exclude,
            limit=rules.shown if limit is None else limit,
        )

    def recommend(
        self,
        location: Location | None,
        place: Place | None,
        category: Category,
        *,
        injuries: int | None,
        hazards: Sequence[str],
        at: datetime,
        units: Sequence[UnitSnapshot],
        open_incidents: Sequence[OpenIncidentSnapshot],
        full_hospitals: Collection[str] = (),
        caller_number: str | None = None,
        exclude: Collection[UUID] = (),
    ) -> Recommendation:
        """Everything the intake response needs; without a location, agencies, priority and
        same-caller duplicates (``exclude``: incident ids never to suggest, e.g. itself)."""
        if place is None and location is not None:
            place = self.locate(location)
        agencies = self.agencies_for(category, injuries=injuries, hazards=hazards)
        priority = self.default_priority(category, injuries=injuries)
        stations = self.stations_for(location, place, agencies, full_hospitals=full_hospitals)
        advice = UnitAdvice([], agency_notes(self._unit_index(units), agencies))
        if location is not None:
            advice = self._unit_advice(location, agencies, units, at)
        found = self.duplicates(
            location, category, at, open_incidents, caller_number=caller_number, exclude=exclude
        )
        return Recommendation(
            place=place,
            agencies=tuple(agencies),
            priority=priority,
            stations=tuple(stations),
            units=tuple(advice.units),
            duplicates=tuple(found.shown),
            duplicates_total=found.total,
            ack_timeout_s=self.ack_timeout(priority).total_seconds(),
            unit_notes=tuple(advice.notes),
        )

    # -- map -----------------------------------------------------------------------------

    def geojson(self, layer: mapping.Layer) -> dict[str, Any]:
        """A simplified GeoJSON layer for the console map, with its attribution."""
        if layer not in self._maps:
            self._maps[layer] = mapping.map_layer(self._geo, layer)
        return copy.deepcopy(self._maps[layer])


def _timestamp(name: str, moment: datetime) -> float:
    if moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {moment.isoformat()}")
    return moment.timestamp()
