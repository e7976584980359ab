"""The traffic model: the published mix, duplicates grouped, the same seed the same shift."""

from __future__ import annotations

import functools
import itertools
from collections import Counter

from simulator.traffic import (
    MIX,
    Kind,
    PlannedCall,
    Point,
    TrafficParams,
    distance_m,
    plan_shift,
)

ANCHORS = [Point(-0.5022, 117.1536), Point(-0.4700, 117.1600), Point(-0.5300, 117.1200)]


LONG = TrafficParams(hours=200, calls_per_hour=30)


@functools.cache  # planned once for the module: about 6,000 calls, read by every test
def long_shift(seed: int = 1) -> tuple[PlannedCall, ...]:
    return tuple(plan_shift(LONG, ANCHORS, seed))


def test_first_calls_follow_the_published_false_call_mix_within_two_points() -> None:
    calls = [c for c in long_shift() if c.repeat_of is None and not _follower(c)]
    counts = Counter(c.kind for c in calls)
    for kind, share in MIX.items():
        assert abs(counts[kind] / len(calls) - share) < 0.02, (kind, counts[kind] / len(calls))


def test_the_hourly_volume_follows_the_daily_curve() -> None:
    # Eight days and more, by the local hour of each call (the shift starts at LONG.start_hour)
    by_hour = Counter(int(LONG.start_hour + c.at_s / 3600) % 24 for c in long_shift())
    assert by_hour[18] > 3 * by_hour[3]  # dusk is busier than before dawn


def test_the_rate_is_about_the_calls_per_hour_asked_for() -> None:
    calls = long_shift()
    assert 0.85 * 30 < len(calls) / 200 < 1.15 * 30


def test_callers_about_one_event_are_nearby_minutes_apart_and_of_its_category() -> None:
    events: dict[int, list[PlannedCall]] = {}
    for call in long_shift():
        if call.event is not None:
            events.setdefault(call.event, []).append(call)
    groups = [g for g in events.values() if len(g) > 1]
    assert len(groups) > 100
    for first, *later in groups:
        for call in later:
            assert call.kind is Kind.GENUINE and call.category is first.category
            assert first.location and call.location
            assert distance_m(first.location, call.location) <= 130
            assert 45 <= call.at_s - first.at_s <= 2 * 1200
    numbers = [len({c.caller_number for c in g}) for g in groups]
    assert any(n == 1 for n in numbers) and any(n > 1 for n in numbers)  # same and other callers


def test_repeat_callers_ring_again_from_the_same_number() -> None:
    calls = long_shift()
    repeats = [c for c in calls if c.repeat_of is not None]
    assert repeats
    for call in repeats:
        assert call.repeat_of is not None
        earlier = calls[call.repeat_of]
        assert earlier.caller_number == call.caller_number and earlier.at_s < call.at_s


def test_the_same_seed_plans_the_same_shift_and_another_seed_another() -> None:
    params = TrafficParams(hours=8, calls_per_hour=30)
    assert plan_shift(params, ANCHORS, 5) == plan_shift(params, ANCHORS, 5)
    assert plan_shift(params, ANCHORS, 5) != plan_shift(params, ANCHORS, 6)


def test_calls_are_in_time_order_with_their_sequence_numbers() -> None:
    calls = long_shift()
    assert [c.seq for c in calls] == list(range(len(calls)))
    assert all(a.at_s <= b.at_s for a, b in itertools.pairwise(calls))


def test_only_silent_calls_are_marked_silent() -> None:
    assert all(c.silent == (c.kind is Kind.SILENT) for c in long_shift())


def _follower(call: PlannedCall) -> bool:
    return call.event is not None and call.event != call.seq
