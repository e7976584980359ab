"""Which routed agencies never acknowledge: the shift's first P1s always leave one silent."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from domain.taxonomy import Agency
from simulator.client import Api
from simulator.feeds import FeedLog
from simulator.responders import NEVER_ACKNOWLEDGED_P1, Responders
from simulator.state import ShiftState, Track
from simulator.traffic import Point, TrafficParams, plan_shift

CALL = plan_shift(TrafficParams(hours=1), [Point(-0.5, 117.15)], seed=1)[0]


def track(priority: str, n: int) -> Track:
    received = datetime(2026, 12, 6, 6, 0, tzinfo=UTC)
    return Track(CALL, f"id-{n}", f"SMD-20261206-{n:04d}", received, priority, "medis", 1)


def test_the_first_routed_p1s_leave_their_first_agency_silent_and_must_escalate() -> None:
    api = Api("http://127.0.0.1:1", {})
    try:
        state = ShiftState(speed=40.0)
        responders = Responders(api, state, FeedLog(), seed=16)
        both = [Agency.POLICE, Agency.MEDICAL]
        p2 = track("P2", 1)
        responders.never_acknowledging(p2, both)
        p1s = [track("P1", n) for n in range(2, 2 + NEVER_ACKNOWLEDGED_P1 + 5)]
        never = [responders.never_acknowledging(t, both) for t in p1s]
    finally:
        asyncio.run(api.close())
    assert p2.must_escalate_since is None
    designated = p1s[:NEVER_ACKNOWLEDGED_P1]
    assert all(t.must_escalate_since is not None for t in designated)
    assert all(Agency.POLICE in n for n in never[:NEVER_ACKNOWLEDGED_P1])
    assert all(t.must_escalate_since is None for t in p1s[NEVER_ACKNOWLEDGED_P1:])
    assert any(Agency.POLICE not in n for n in never[NEVER_ACKNOWLEDGED_P1:])
    assert state.counts["escalations_designated"] == NEVER_ACKNOWLEDGED_P1
