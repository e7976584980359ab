"""The responsible station per agency: police by jurisdiction, fire and medical by distance."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

import numpy as np

from adapters.routing.errors import RoutingRulesError
from adapters.routing.geodata import Geodata
from adapters.routing.projection import LocalProjection
from adapters.routing.rules import RoutingRules
from dispatch.advice import Station, StationChoice
from domain.taxonomy import Agency
from domain.values import Place


class _Nearest:
    """Stations of one kind with precomputed positions in metres."""

    def __init__(self, stations: Sequence[Station], projection: LocalProjection) -> None:
        self.stations = list(stations)
        xy = np.array([projection.xy(s.lat, s.lon) for s in stations], dtype=np.float64)
        self.x, self.y = xy[:, 0], xy[:, 1]

    def ranked(self, x0: float, y0: float) -> list[tuple[Station, float]]:
        distance = np.hypot(self.x - x0, self.y - y0)
        return [(self.stations[i], float(distance[i])) for i in np.argsort(distance)]


class StationFinder:
    """Chooses one station per agency for an incident."""

    def __init__(self, rules: RoutingRules, geodata: Geodata) -> None:
        by_id = {s.id: s for s in geodata.stations}
        self._projection = geodata.projection
        self._jurisdiction = {kec: by_id[sid] for kec, sid in rules.police.jurisdiction.items()}
        self._fallback = by_id[rules.police.fallback]
        fire_types = rules.stations.fire_operator_types
        fire = [s for s in geodata.stations if s.agency is Agency.FIRE]
        self._fire = _Nearest([s for s in fire if s.operator_type in fire_types], self._projection)
        self._hospitals = _Nearest(
            [s for s in geodata.stations if s.kind == "hospital" and s.has_emergency_department],
            self._projection,
        )

    def choose(
        self,
        xy: tuple[float, float] | None,
        place: Place | None,
        agencies: Sequence[Agency],
        full_hospitals: Collection[str],
    ) -> list[StationChoice]:
        """One choice per agency that has stations in the data (BPBD and SAR have none yet)."""
        choices: list[StationChoice] = []
        for agency in agencies:
            if agency is Agency.POLICE:
                choices.append(self._police(xy, place))
            elif agency is Agency.FIRE and xy is not None:
                choices.append(self._fire_post(xy))
            elif agency is Agency.MEDICAL and xy is not None:
                choices.append(self._hospital(xy, full_hospitals))
        return choices

    def _police(self, xy: tuple[float, float] | None, place: Place | None) -> StationChoice:
        covering = self._jurisdiction.get(place.kecamatan_code or "") if place else None
        station = covering or self._fallback
        kec = place.kecamatan if place else None
        if covering is not None:
            text_id, text_en = f"Polsek wilayah Kec. {kec}", f"Police sector covering {kec}"
        elif kec is not None:
            text_id = f"Kec. {kec} belum ada Polsek dalam data"
            text_en = f"No police sector on record for {kec}"
        else:
            text_id, text_en = "Kecamatan tidak diketahui", "Kecamatan unknown"
        if place is not None and not place.inside_jurisdiction:
            text_id += " (lokasi di luar Kota Samarinda)"
            text_en += " (location outside Samarinda)"
        return _choice(
            station,
            "jurisdiction" if covering else "fallback",
            None if xy is None else self._distance(xy, station),
            f"{text_id}: {station.name}",
            f"{text_en}: {station.name}",
        )

    def _hospital(self, xy: tuple[float, float], full: Collection[str]) -> StationChoice:
        ranked = self._hospitals.ranked(*xy)
        not_full = [(s, d) for s, d in ranked if s.id not in full]
        station, distance = (not_full or ranked)[0]
        km_id, km_en = _km(distance)
        if not_full:
            text_id = f"RS dengan IGD terdekat yang tidak penuh: {station.name}, {km_id} km"
            text_en = f"Nearest hospital with an emergency department, not full: {station.name}"
        else:
            text_id = f"Semua RS ditandai penuh; terdekat: {station.name}, {km_id} km"
            text_en = f"All hospitals are marked full; nearest: {station.name}"
        return _choice(station, "nearest", distance, text_id, f"{text_en}, {km_en} km")

    def _fire_post(self, xy: tuple[float, float]) -> StationChoice:
        station, distance = self._fire.ranked(*xy)[0]
        km_id, km_en = _km(distance)
        return _choice(
            station,
            "nearest",
            distance,
            f"Pos Damkar terdekat: {station.name}, {km_id} km",
            f"Nearest fire post: {station.name}, {km_en} km",
        )

    def _distance(self, xy: tuple[float, float], station: Station) -> float:
        sx, sy = self._projection.xy(station.lat, station.lon)
        return float(np.hypot(sx - xy[0], sy - xy[1]))


def _km(distance_m: float) -> tuple[str, str]:
    text = f"{distance_m / 1000:.1f}"
    return text.replace(".", ","), text


def _choice(
    station: Station, basis: str, distance: float | None, explanation_id: str, explanation_en: str
) -> StationChoice:
    return StationChoice(
        agency=station.agency,
        station_id=station.id,
        name=station.name,
        kind=station.kind,
        basis=basis,
        distance_m=None if distance is None else round(distance, 1),
        lat=station.lat,
        lon=station.lon,
        explanation_id=explanation_id,
        explanation_en=explanation_en,
    )


def check_rules_against_stations(rules: RoutingRules, geodata: Geodata, path: Path) -> None:
    """Every station id and kecamatan code the rules name must exist, with the right agency."""
    by_id = {s.id: s for s in geodata.stations}
    kecamatan = {a.code: a.name for a in geodata.kecamatan.areas}

    def police_station(key: str, station_id: str) -> None:
        station = by_id.get(station_id)
        if station is None or station.agency is not Agency.POLICE:
            raise RoutingRulesError(path, key, f"{station_id!r} is not a police station id")

    police_station("police.fallback", rules.police.fallback)
    for code, station_id in rules.police.jurisdiction.items():
        if code not in kecamatan:
            raise RoutingRulesError(
                path, f"police.jurisdiction.{code}", f"{code!r} is not a kecamatan code"
            )
        police_station(f"police.jurisdiction.{code}", station_id)
    key = "stations.hospitals_without_emergency_department"
    for station_id in rules.stations.hospitals_without_emergency_department:
        if station_id not in by_id or by_id[station_id].kind != "hospital":
            raise RoutingRulesError(path, key, f"{station_id!r} is not a hospital id")
    if not any(s.has_emergency_department for s in geodata.stations):
        raise RoutingRulesError(path, key, "leaves no hospital with an emergency department")
    fire_types = rules.stations.fire_operator_types
    if not any(s.agency is Agency.FIRE and s.operator_type in fire_types for s in geodata.stations):
        raise RoutingRulesError(
            path,
            "stations.fire_operator_types",
            f"no fire station has operator_type in {fire_types}",
        )
