"""The agencies at work: acknowledging (late, or sometimes never), driving units, maintenance.

Each agency acts with its own token, through the same endpoints its screens use.
Delays are in shift time; the watchdog's deadlines are in the server's wall-clock time.
"""

from __future__ import annotations

import random
import time

from domain.taxonomy import Agency, UnitStatus
from simulator.client import Api
from simulator.feeds import FeedLog
from simulator.state import ShiftState, Track
from simulator.traffic import Point

NEVER_ACKNOWLEDGES = 0.12  # share of routings an agency never acknowledges (an assumption)
# The first P1 routings of a shift whose first agency never acknowledges, whatever the draw: the
# watchdog must escalate each of them, so escalations are checked however fast the shift runs.
NEVER_ACKNOWLEDGED_P1 = 3


class Responders:
    """Agency behaviour for one shift (seeded)."""

    def __init__(self, api: Api, state: ShiftState, feeds: FeedLog, seed: int) -> None:
        self.api = api
        self.state = state
        self.feeds = feeds
        self.rng = random.Random(seed ^ 0x5EED)

    def never_acknowledging(self, track: Track, agencies: list[Agency]) -> list[Agency]:
        """The routed agencies that will never acknowledge: 12 % of them drawn, and the first
        agency of each of the shift's first NEVER_ACKNOWLEDGED_P1 routed P1s (which must then
        escalate: ``track.must_escalate_since``)."""
        never = [a for a in agencies if self.rng.random() < NEVER_ACKNOWLEDGES]
        designated = self.state.counts["escalations_designated"]
        if track.priority == "P1" and agencies and designated < NEVER_ACKNOWLEDGED_P1:
            self.state.counts["escalations_designated"] += 1
            track.must_escalate_since = time.monotonic()
            never = [a for a in agencies if a in never or a is agencies[0]]
        return never

    async def acknowledge(self, track: Track, agency: Agency) -> None:
        """The agency acknowledges after a realistic delay (median about a minute)."""
        await self.state.pause(self.rng.lognormvariate(4.0, 0.6))
        if track.closed:
            return
        answer = await self.api.command(
            f"agency:{agency.value}", track.incident_id, "acknowledge", {}
        )
        if answer.ok:
            track.update(answer.body)
            self.state.counts["acknowledged"] += 1

    async def drive(self, track: Track, unit_id: str, eta_s: float) -> None:
        """A dispatched unit: en route with positions on the way, on scene, then clear."""
        view = self.feeds.units.get(unit_id)
        if view is None:
            return
        role = f"agency:{view.agency.value}"
        path = f"/api/units/{unit_id}"
        await self.state.pause(self.rng.uniform(20, 60))
        await self.api.call(role, "POST", f"{path}/status", {"status": UnitStatus.EN_ROUTE.value})
        start, goal = view.location, track.call.location
        legs = 3
        for leg in range(1, legs + 1):
            await self.state.pause(max(eta_s, 60) / (legs + 1))
            if start is not None and goal is not None:
                here = _between(start, goal, leg / (legs + 1))
                body = {"location": {"lat": here.lat, "lon": here.lon, "accuracy_m": 15,
                                     "source": "device"}}  # fmt: skip
                await self.api.call(role, "POST", f"{path}/position", body)
                self.state.counts["positions"] += 1
        await self.state.pause(max(eta_s, 60) / (legs + 1))
        await self._status(role, path, UnitStatus.ON_SCENE, goal)
        await self.state.pause(self.rng.uniform(600, 1800))
        if view.agency is Agency.MEDICAL:
            await self._status(role, path, UnitStatus.TRANSPORTING, None)
            await self.state.pause(self.rng.uniform(300, 900))
            await self._status(role, path, UnitStatus.AT_HOSPITAL, None)
            await self.state.pause(self.rng.uniform(300, 600))
        await self._status(role, path, UnitStatus.AVAILABLE, None)
        self.state.claimed.discard(unit_id)

    async def maintenance(self, until_s: float) -> None:
        """Now and then a unit goes out of service for a while, then back."""
        while self.state.shift_seconds() < until_s:
            await self.state.pause(self.rng.uniform(1800, 5400))
            idle = [u for a in (Agency.POLICE, Agency.FIRE) for u in self.feeds.available(a)]
            idle = [u for u in idle if u.unit_id not in self.state.claimed]
            if not idle:
                continue
            unit = self.rng.choice(idle)
            self.state.claimed.add(unit.unit_id)
            role, path = f"agency:{unit.agency.value}", f"/api/units/{unit.unit_id}"
            await self._status(role, path, UnitStatus.OUT_OF_SERVICE, None)
            self.state.counts["out_of_service"] += 1
            await self.state.pause(self.rng.uniform(1800, 3600))
            await self._status(role, path, UnitStatus.AVAILABLE, None)
            self.state.claimed.discard(unit.unit_id)

    async def _status(self, role: str, path: str, status: UnitStatus, at: Point | None) -> None:
        body: dict[str, object] = {"status": status.value}
        if at is not None:
            body["location"] = {"lat": at.lat, "lon": at.lon, "accuracy_m": 15, "source": "device"}
        await self.api.call(role, "POST", f"{path}/status", body)
        self.state.counts[f"unit_{status.value}"] += 1


def _between(a: Point, b: Point, fraction: float) -> Point:
    return Point(
        round(a.lat + (b.lat - a.lat) * fraction, 6), round(a.lon + (b.lon - a.lon) * fraction, 6)
    )
