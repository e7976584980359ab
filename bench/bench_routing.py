"""Per-report routing latency: locate + recommend (stations, units) + duplicate check.

Prints one JSON object: p50/p99 in microseconds for
  * ``indexed`` — the intended hot path: units and open incidents passed as the Router's
    prebuilt ``UnitIndex`` / ``IncidentIndex`` (rebuilt by the caller when they change);
  * ``plain_sequences`` — the same call with plain tuples (the index is built per call);
  * ``naive`` — the baseline: a Python loop over every kelurahan polygon with
    ``polygon.contains(point)``, over every station and incident with haversine, and over every
    unit with the router's own cost (where the unit is taken to be, the distance across the
    Mahakam through the best bridge, its speed);
plus how often the indexed and naive answers agree (same units, same duplicates).

    python bench/bench_routing.py [--units 500 --incidents 2000 --reports 2000 --seed 112]
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

import shapely
from shapely.geometry import shape

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from adapters.routing import OpenIncidentSnapshot, Recommendation, Router, UnitSnapshot
from adapters.routing.geodata import (
    DEFAULT_DATA_DIR,
    KECAMATAN_FILE,
    KELURAHAN_FILE,
    load_geodata,
)
from adapters.routing.projection import haversine_m
from domain.taxonomy import Agency, Category, UnitStatus, UnitType
from domain.values import Location

T = TypeVar("T")
NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
BBOX = (-0.7168, 117.0540, -0.3144, 117.2982)  # Samarinda's extent (SOURCES.md)
UNIT_MIX = [
    (Agency.POLICE, UnitType.POLICE_PATROL, 0.35),
    (Agency.FIRE, UnitType.FIRE_ENGINE, 0.20),
    (Agency.FIRE, UnitType.RESCUE, 0.05),
    (Agency.MEDICAL, UnitType.AMBULANCE, 0.25),
    (Agency.BPBD, UnitType.BPBD_TEAM, 0.08),
    (Agency.SAR, UnitType.RESCUE_BOAT, 0.07),
]


URBAN_CORE = (-0.495, 117.145)  # Samarinda Kota / Ulu; most calls come from the dense core


def random_point(rng: random.Random, router: Router) -> Location:
    """70 % around the urban core, the rest anywhere in the city; ~3 % outside it."""
    while True:
        if rng.random() < 0.7:
            loc = Location(rng.gauss(URBAN_CORE[0], 0.02), rng.gauss(URBAN_CORE[1], 0.02))
        else:
            loc = Location(rng.uniform(BBOX[0], BBOX[2]), rng.uniform(BBOX[1], BBOX[3]))
        if rng.random() < 0.03 or router.locate(loc).inside_jurisdiction:
            return loc


def make_units(router: Router, n: int, rng: random.Random) -> list[UnitSnapshot]:
    stations: dict[Agency, list[str]] = {}
    for s in router.stations():
        stations.setdefault(s.agency, []).append(s.id)
    units = []
    for k in range(n):
        agency, unit_type, _ = rng.choices(UNIT_MIX, weights=[w for *_, w in UNIT_MIX])[0]
        has_fix = rng.random() < 0.85
        units.append(
            UnitSnapshot(
                unit_id=UUID(int=rng.getrandbits(128)),
                callsign=f"{agency.value[:3].upper()}-{k:03d}",
                agency=agency,
                unit_type=unit_type,
                status=UnitStatus.AVAILABLE if rng.random() < 0.6 else UnitStatus.ON_SCENE,
                station_id=rng.choice(stations.get(agency, [f"{agency.value}-post"])),
                location=random_point(rng, router) if has_fix else None,
                location_at=NOW - timedelta(minutes=rng.uniform(0, 45)) if has_fix else None,
            )
        )
    return units


def make_incidents(router: Router, n: int, rng: random.Random) -> list[OpenIncidentSnapshot]:
    return [
        OpenIncidentSnapshot(
            incident_id=UUID(int=rng.getrandbits(128)),
            number=f"SMD-20261122-{k:04d}",
            category=rng.choice(list(Category)),
            location=random_point(rng, router) if rng.random() < 0.95 else None,
            received_at=NOW - timedelta(minutes=rng.uniform(0, 120)),
        )
        for k in range(n)
    ]


class NaiveRouter:
    """The baseline: loops over every polygon, station, unit and incident."""

    def __init__(self, router: Router) -> None:
        self.router = router
        self.rules = router.rules
        self.kelurahan = self._polygons(KELURAHAN_FILE)
        self.kecamatan = self._polygons(KECAMATAN_FILE)
        self.stations = router.stations()
        self.by_id = {s.id: s for s in self.stations}
        self.river = router.river
        self.projection = load_geodata(
            DEFAULT_DATA_DIR, router.rules.stations.hospitals_without_emergency_department
        ).projection

    @staticmethod
    def _polygons(file: str) -> list[tuple[dict[str, Any], Any]]:
        raw = json.loads((DEFAULT_DATA_DIR / file).read_text(encoding="utf-8"))
        return [(f["properties"], shape(f["geometry"])) for f in raw["features"]]

    def recommend(
        self,
        loc: Location,
        category: Category,
        injuries: int,
        units: Sequence[UnitSnapshot],
        incidents: Sequence[OpenIncidentSnapshot],
    ) -> tuple[list[str], list[UUID], list[UUID]]:
        """Station ids, unit ids and duplicate incident ids, as the router would give them."""
        point = shapely.Point(loc.lon, loc.lat)
        kec_code = next((p["kecamatan_code"] for p, g in self.kelurahan if g.contains(point)), None)
        if kec_code is None:  # outside: nearest kecamatan, degrees to metres the naive way
            kec_code = min(self.kecamatan, key=lambda pg: pg[1].distance(point))[0]["code"]
        agencies = self.rules.agencies_for(category, injuries=injuries)
        return (
            self._stations(loc, kec_code, agencies),
            self._units(loc, agencies, units),
            self._duplicates(loc, category, incidents),
        )

    def _stations(self, loc: Location, kec_code: str, agencies: list[Agency]) -> list[str]:
        fire_types = self.rules.stations.fire_operator_types
        eligible = {
            Agency.FIRE: [s for s in self.stations if s.operator_type in fire_types],
            Agency.MEDICAL: [s for s in self.stations if s.has_emergency_department],
        }
        chosen = []
        for agency in agencies:
            if agency is Agency.POLICE:
                police = self.rules.police
                chosen.append(police.jurisdiction.get(kec_code, police.fallback))
            elif agency in eligible:
                nearest = min(
                    eligible[agency], key=lambda s: haversine_m(loc.lat, loc.lon, s.lat, s.lon)
                )
                chosen.append(nearest.id)
        return chosen

    def _units(
        self, loc: Location, agencies: list[Agency], units: Sequence[UnitSnapshot]
    ) -> list[UUID]:
        """Every available unit of each agency, where the router says it is (a position older
        than ``stale_after_s``, or none: its home station, else its last known place), ranked by
        the road distance (across the Mahakam: through the best bridge) over its speed."""
        cut = (NOW - timedelta(seconds=self.rules.units.stale_after_s)).timestamp()
        x0, y0 = self.projection.xy(loc.lat, loc.lon)
        target_south = self.river.point_south(x0, y0)
        chosen: list[UUID] = []
        for agency in agencies:
            ranked = []
            for u in units:
                if u.agency is not agency or u.status is not UnitStatus.AVAILABLE:
                    continue
                fresh = u.location_at is not None and u.location_at.timestamp() >= cut
                home = self.by_id.get(u.station_id) if u.station_id else None
                if u.location is not None and fresh:
                    lat, lon = u.location.lat, u.location.lon
                elif home is not None:
                    lat, lon = home.lat, home.lon
                elif u.location is not None:
                    lat, lon = u.location.lat, u.location.lon
                else:
                    continue  # nowhere known
                x, y = self.projection.xy(lat, lon)
                speed = self.rules.units.speed_kmh[u.unit_type] / 3.6
                eta = (
                    self.rules.units.road_factor * self._road_m(x, y, x0, y0, target_south) / speed
                )
                ranked.append((eta, u.unit_id))
            ranked.sort(key=lambda r: r[0])
            chosen += [unit_id for _, unit_id in ranked[:3]]
        return chosen

    def _road_m(self, x: float, y: float, x0: float, y0: float, target_south: bool) -> float:
        """Metres from (x, y) to (x0, y0): straight on one bank, else through the best bridge."""
        if self.river.point_south(x, y) == target_south or not self.river.bridges:
            return math.hypot(x - x0, y - y0)
        return min(
            math.hypot(x - near[0], y - near[1]) + b.length_m + math.hypot(far[0] - x0, far[1] - y0)
            for b in self.river.bridges
            for near, far in [
                (b.north_xy, b.south_xy) if target_south else (b.south_xy, b.north_xy)
            ]
        )

    def _duplicates(
        self, loc: Location, category: Category, incidents: Sequence[OpenIncidentSnapshot]
    ) -> list[UUID]:
        d = self.rules.duplicates
        found = []
        for i in incidents:
            if i.location is None:
                continue
            if abs((NOW - i.received_at).total_seconds()) > d.window_s:
                continue
            distance = haversine_m(loc.lat, loc.lon, i.location.lat, i.location.lon)
            spread = (loc.accuracy_m or 0.0) + (i.location.accuracy_m or 0.0)
            same = i.category is category
            if not (same if spread > d.radius_m else self.rules.compatible(category, i.category)):
                continue
            if distance - spread <= d.radius_m:
                rank = (not same, max(0.0, distance - spread), not i.agencies, distance, i.number)
                found.append((rank, i.incident_id))
        return [incident_id for _, incident_id in sorted(found, key=lambda f: f[0])]


def percentiles(samples_ns: list[int]) -> dict[str, float]:
    cuts = statistics.quantiles(samples_ns, n=100, method="inclusive")
    return {
        "p50_us": round(statistics.median(samples_ns) / 1000, 1),
        "p99_us": round(cuts[98] / 1000, 1),
        "max_us": round(max(samples_ns) / 1000, 1),
    }


def timed(calls: Sequence[Callable[[], T]]) -> tuple[list[int], list[T]]:
    samples: list[int] = []
    results: list[T] = []
    for call in calls:
        start = time.perf_counter_ns()
        result = call()
        samples.append(time.perf_counter_ns() - start)
        results.append(result)
    return samples, results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=500, help="units in the fleet (500)")
    parser.add_argument("--incidents", type=int, default=2000, help="open incidents (2000)")
    parser.add_argument("--reports", type=int, default=2000, help="reports to time (2000)")
    parser.add_argument("--seed", type=int, default=112, help="random seed (112)")
    args = parser.parse_args(argv)

    rng = random.Random(args.seed)
    start = time.perf_counter()
    router = Router.load()
    load_ms = (time.perf_counter() - start) * 1000
    units, incidents = (
        make_units(router, args.units, rng),
        make_incidents(router, args.incidents, rng),
    )
    start = time.perf_counter()
    unit_index = router.index_units(units)
    units_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    incident_index = router.index_incidents(incidents)
    incidents_ms = (time.perf_counter() - start) * 1000
    reports = [
        (random_point(rng, router), rng.choice(list(Category)), rng.choice([0, 0, 1, 2]))
        for _ in range(args.reports)
    ]
    naive = NaiveRouter(router)

    def routed(
        loc: Location, cat: Category, inj: int, u: Any, i: Any
    ) -> Callable[[], Recommendation]:
        return lambda: router.recommend(
            loc, None, cat, injuries=inj, hazards=(), at=NOW, units=u, open_incidents=i
        )

    for loc, cat, inj in reports[:100]:  # warm-up
        routed(loc, cat, inj, unit_index, incident_index)()
    fast, fast_results = timed([routed(*r, unit_index, incident_index) for r in reports])
    plain_u, plain_i = tuple(units), tuple(incidents)
    plain, _ = timed([routed(*r, plain_u, plain_i) for r in reports])
    slow, slow_results = timed([partial(naive.recommend, *r, units, incidents) for r in reports])
    agree = sum(
        ([c.station_id for c in f.stations], [u.unit_id for u in f.units]) == (s[0], s[1])
        and [d.incident_id for d in f.duplicates] == s[2][: router.rules.duplicates.shown]
        and f.duplicates_total == len(s[2])
        for f, s in zip(fast_results, slow_results, strict=True)
    )
    fast_p, slow_p = percentiles(fast), percentiles(slow)
    result = {
        "units": args.units,
        "open_incidents": args.incidents,
        "reports": args.reports,
        "indexed": fast_p,
        "plain_sequences": percentiles(plain),
        "naive": slow_p,
        "speedup_p50": round(slow_p["p50_us"] / fast_p["p50_us"], 1),
        "goal_p99_us": 1000,
        "goal_met": fast_p["p99_us"] <= 1000,
        "same_answer_as_naive": f"{agree}/{args.reports}",
        "outside_city_reports": sum(
            f.place is not None and not f.place.inside_jurisdiction for f in fast_results
        ),
        "mean_duplicates_per_report": round(
            statistics.fmean(len(f.duplicates) for f in fast_results),
            2,
        ),
        "mean_matches_per_report": round(
            statistics.fmean(f.duplicates_total for f in fast_results), 2
        ),
        "load_ms": round(load_ms, 1),
        "index_build_ms": {"units": round(units_ms, 2), "incidents": round(incidents_ms, 2)},
        "python": platform.python_version(),
        "shapely": shapely.__version__,
        "machine": platform.machine(),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
