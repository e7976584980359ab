"""The traffic model: which calls reach the center during a shift, and when (seeded, pure).

Calls arrive as a Poisson process whose rate follows a daily curve. Each first call is genuine
or one of four false kinds in a published Indonesian mix; genuine emergencies are often seen
by several people (different numbers, nearby points, a minute or two apart) and callers ring
again (the same caller about the same emergency, a prank caller, an open line).

The mix (share of calls):
- genuine 43.5 % and non-emergency (information) 17.9 %: Semarang 112, 2025, which reports
  emergency 43.5 %, info 17.9 %, prank + ghost 38.6 % (press reports);
- those 38.6 % split between prank and ghost (silent) as Purworejo 112 reports them,
  2022 - Jul 2024: prank 40.9 %, ghost 41.8 % (gatra.com);
- ghost calls split half and half between silent (the line stays open, nobody speaks) and
  accidental (a pocket dial or a child at play, then dropped): our assumption, since no
  Indonesian center publishes that split (Jakarta 2024 counts 370,817 dropped calls of
  637,292, most never recorded as reports: suara.com, tangselxpress, Mar 2025).
The genuine share is far above Jakarta's 0.99 % on purpose: a shift must carry enough genuine
calls to exercise every invariant; the false-call kinds keep their published proportions.
The daily curve and the category weights (phrases.SCENES) are assumptions, not measurements.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace
from enum import Enum

from domain.taxonomy import Category
from simulator import phrases


class Kind(Enum):
    """What a call really is (the simulator knows; the server must not be told)."""

    GENUINE = "genuine"
    SILENT = "silent"
    PRANK = "prank"
    ACCIDENTAL = "accidental"
    NON_EMERGENCY = "non_emergency"


SEMARANG_FALSE = 0.386  # prank + ghost, Semarang 2025
PURWOREJO_PRANK, PURWOREJO_GHOST = 40.9, 41.8
_PRANK = SEMARANG_FALSE * PURWOREJO_PRANK / (PURWOREJO_PRANK + PURWOREJO_GHOST)
_GHOST = SEMARANG_FALSE - _PRANK
MIX: dict[Kind, float] = {
    Kind.GENUINE: 0.435,
    Kind.NON_EMERGENCY: 0.179,
    Kind.PRANK: _PRANK,
    Kind.SILENT: _GHOST / 2,
    Kind.ACCIDENTAL: _GHOST / 2,
}

# Relative call volume by local hour (0-23): quiet before dawn, peaks at dusk. An assumption.
DAILY_CURVE: tuple[float, ...] = (
    0.5, 0.4, 0.3, 0.3, 0.3, 0.4, 0.6, 0.8, 0.9, 1.0, 1.0, 1.1,
    1.1, 1.0, 1.0, 1.1, 1.2, 1.4, 1.5, 1.5, 1.4, 1.2, 0.9, 0.7,
)  # fmt: skip


@dataclass(frozen=True)
class Point:
    """A WGS84 position."""

    lat: float
    lon: float


@dataclass(frozen=True)
class TrafficParams:
    """The knobs of a shift's traffic."""

    hours: float = 8.0
    calls_per_hour: float = 30.0
    start_hour: float = 14.0  # local time the shift starts
    multi_caller_share: float = 0.3  # genuine events reported by more than one caller
    same_caller_share: float = 0.25  # of those extra calls, the first caller ringing again
    late_caller_share: float = 0.25  # of those extra calls, 5 - 20 min later (units en route)
    repeat_share: float = 0.3  # prank and silent callers who ring again
    aml_share: float = 0.3  # calls whose location arrives by AML SMS
    unknown_location_share: float = 0.06  # genuine callers who cannot say where they are
    spread_m: float = 2500.0  # how far from an anchor an emergency may be


@dataclass(frozen=True)
class PlannedCall:
    """One call as it will be made: who, when (shift seconds), where, what is said."""

    seq: int
    at_s: float
    kind: Kind
    category: Category
    description: str
    caller_number: str | None
    location: Point | None
    aml: bool  # the location comes as an AML SMS (else a point picked on the map)
    accuracy_m: float | None
    injuries: int | None
    event: int | None = None  # the emergency a genuine call is about: its first call's seq
    repeat_of: int | None = None  # an earlier call by the same number

    @property
    def silent(self) -> bool:
        """The call-taker heard nobody (ticks 'silent')."""
        return self.kind is Kind.SILENT


def plan_shift(params: TrafficParams, anchors: list[Point], seed: int) -> list[PlannedCall]:
    """Every call of the shift, ordered by time; the same seed gives the same shift."""
    if not anchors:
        raise ValueError("the traffic model needs at least one anchor point")
    rng = random.Random(seed)
    calls: list[PlannedCall] = []
    for at_s in _arrivals(params, rng):
        kind = rng.choices(list(MIX), weights=list(MIX.values()))[0]
        first = _first_call(params, rng, anchors, kind, len(calls), at_s)
        calls.append(first)
        calls += _followers(params, rng, first, len(calls))
    horizon = params.hours * 3600
    ordered = sorted((c for c in calls if c.at_s < horizon), key=lambda c: (c.at_s, c.seq))
    new_seq = {c.seq: i for i, c in enumerate(ordered)}
    return [
        replace(
            c,
            seq=i,
            repeat_of=None if c.repeat_of is None else new_seq.get(c.repeat_of),
            event=None if c.event is None else new_seq.get(c.event, -1 - c.event),
        )
        for i, c in enumerate(ordered)
    ]


def curve_rate(params: TrafficParams, at_s: float) -> float:
    """Calls per second of first calls at a shift time, following the daily curve."""
    hours = [(params.start_hour + h) % 24 for h in range(max(1, math.ceil(params.hours)))]
    mean = sum(DAILY_CURVE[int(h)] for h in hours) / len(hours)
    hour = int((params.start_hour + at_s / 3600) % 24)
    extra = MIX[Kind.GENUINE] * params.multi_caller_share * 1.5 + params.repeat_share * 0.3
    return params.calls_per_hour / 3600 * DAILY_CURVE[hour] / mean / (1 + extra)


def _arrivals(params: TrafficParams, rng: random.Random) -> list[float]:
    """Poisson arrivals with a varying rate, by thinning."""
    peak = max(curve_rate(params, h * 3600) for h in range(24))
    times: list[float] = []
    t = 0.0
    while True:
        t += rng.expovariate(peak)
        if t >= params.hours * 3600:
            return times
        if rng.random() < curve_rate(params, t) / peak:
            times.append(t)


def _first_call(
    params: TrafficParams,
    rng: random.Random,
    anchors: list[Point],
    kind: Kind,
    seq: int,
    at_s: float,
) -> PlannedCall:
    point: Point | None = _offset(rng.choice(anchors), rng.uniform(0, params.spread_m), rng)
    if kind is Kind.GENUINE:
        scene = rng.choices(phrases.SCENES, weights=[s.weight for s in phrases.SCENES])[0]
        category, text = scene.category, rng.choice(scene.descriptions)
        injuries = rng.choice(scene.injuries)
        if rng.random() < params.unknown_location_share:
            point = None
    else:
        category, text = rng.choice(_FALSE_PHRASES[kind])
        injuries = None
        if kind is Kind.NON_EMERGENCY and rng.random() < 0.5:
            point = None  # a question needs no location
    aml = point is not None and rng.random() < params.aml_share
    return PlannedCall(
        seq=seq,
        at_s=at_s,
        kind=kind,
        category=category,
        description=text,
        caller_number=_number(rng) if kind is not Kind.ACCIDENTAL or rng.random() < 0.7 else None,
        location=point,
        aml=aml,
        accuracy_m=round(rng.uniform(5, 40)) if aml else None,
        injuries=injuries,
        event=seq if kind is Kind.GENUINE else None,
    )


def _followers(
    params: TrafficParams, rng: random.Random, first: PlannedCall, seq: int
) -> list[PlannedCall]:
    """Further callers about the same emergency, or the same number ringing again."""
    found: list[PlannedCall] = []
    if first.kind is Kind.GENUINE and first.location and rng.random() < params.multi_caller_share:
        at_s = first.at_s
        for _ in range(rng.choice((1, 1, 2))):
            # most within a minute or two; some while the units are on their way
            at_s += (
                rng.uniform(45, 150)
                if rng.random() > params.late_caller_share
                else rng.uniform(300, 1200)
            )
            same = rng.random() < params.same_caller_share
            point = _offset(first.location, rng.uniform(5, 120), rng)
            found.append(
                replace(
                    first,
                    seq=seq + len(found),
                    at_s=at_s,
                    caller_number=first.caller_number if same else _number(rng),
                    location=point,
                    repeat_of=first.seq if same else None,
                    description=rng.choice(_scene(first.category).descriptions),
                )
            )
    elif (
        first.kind in (Kind.PRANK, Kind.SILENT)
        and first.caller_number
        and rng.random() < params.repeat_share
    ):
        category, text = rng.choice(_FALSE_PHRASES[first.kind])
        found.append(
            replace(
                first,
                seq=seq,
                at_s=first.at_s + rng.uniform(300, 3600),
                category=category,
                description=text,
                repeat_of=first.seq,
            )
        )
    return found


def _scene(category: Category) -> phrases.Scene:
    return next(s for s in phrases.SCENES if s.category is category)


_FALSE_PHRASES = {
    Kind.PRANK: phrases.PRANK,
    Kind.NON_EMERGENCY: phrases.NON_EMERGENCY,
    Kind.SILENT: phrases.SILENT,
    Kind.ACCIDENTAL: phrases.ACCIDENTAL,
}


def _number(rng: random.Random) -> str:
    """An Indonesian mobile number in E.164 (Telkomsel-style 0812 prefix, random digits)."""
    return f"+62812{rng.randrange(10**7, 10**8)}"


def _offset(origin: Point, metres: float, rng: random.Random) -> Point:
    bearing = rng.uniform(0, 2 * math.pi)
    dlat = metres * math.cos(bearing) / 111_320
    dlon = metres * math.sin(bearing) / (111_320 * math.cos(math.radians(origin.lat)))
    return Point(round(origin.lat + dlat, 6), round(origin.lon + dlon, 6))


def distance_m(a: Point, b: Point) -> float:
    """Great-circle distance in metres (haversine), for reports and checks."""
    la1, la2 = math.radians(a.lat), math.radians(b.lat)
    dla, dlo = la2 - la1, math.radians(b.lon - a.lon)
    h = math.sin(dla / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin(dlo / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))
