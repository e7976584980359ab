"""What the simulator knows during a shift: the calls it made and the incidents they became."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from domain.taxonomy import Agency
from simulator.feeds import FeedLog
from simulator.invariants import Invariant, Routed, new_invariants
from simulator.traffic import PlannedCall


@dataclass
class Track:
    """One call and the incident it became."""

    call: PlannedCall
    incident_id: str
    number: str
    received_at: datetime
    priority: str
    category: str
    version: int
    status: str = "new"
    reported_mono: float = field(default_factory=time.monotonic)
    linked_to: str | None = None
    closed: bool = False
    closing: bool = False  # a close is on its way: the server may already have it
    routed: set[Agency] = field(default_factory=set)
    escalation_checked: bool = False
    must_escalate_since: float | None = None  # routed (monotonic) with an agency left silent

    def update(self, incident: dict[str, Any]) -> None:
        """Take the incident state from an answer."""
        self.version = max(self.version, int(incident["version"]))
        self.status = incident["status"]
        self.priority = incident["priority"]
        self.closed = incident["status"] == "closed"


@dataclass
class ShiftState:
    """The shift so far: tracks by incident id, routings awaiting feed checks, tallies."""

    speed: float  # shift seconds per wall-clock second
    started: float = field(default_factory=time.monotonic)
    tracks: dict[str, Track] = field(default_factory=dict)
    routed: list[Routed] = field(default_factory=list)
    claimed: set[str] = field(default_factory=set)  # units the simulator is busying
    invariants: dict[str, Invariant] = field(default_factory=new_invariants)
    counts: Counter[str] = field(default_factory=Counter)
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)  # the simulator's own failures
    leak_checked: set[tuple[Agency, str]] = field(default_factory=set)
    foreign_checked: int = 0

    def shift_seconds(self) -> float:
        """Shift time elapsed."""
        return (time.monotonic() - self.started) * self.speed

    async def pause(self, shift_s: float) -> None:
        """Wait ``shift_s`` of shift time."""
        await asyncio.sleep(max(0.0, shift_s) / self.speed)

    def spawn(self, coro: Any) -> None:
        """Run a coroutine as a task of the shift (cancelled at its end)."""
        task: asyncio.Task[None] = asyncio.create_task(coro)
        self.tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        """A task that failed is the simulator's own error: counted and shown, never lost."""
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            self.errors.append(repr(task.exception())[:300])

    def available(self, feeds: FeedLog) -> dict[Agency, list[str]]:
        """Per agency, the callsigns the console feed shows available and nobody is busying."""
        return {
            agency: sorted(
                u.callsign for u in feeds.available(agency) if u.unit_id not in self.claimed
            )
            for agency in Agency
        }

    def earlier_of_event(self, call: PlannedCall) -> list[Track]:
        """Earlier calls about the same event whose incident is open and not linked."""
        return [
            t
            for t in self.tracks.values()
            if t.call.event == call.event
            and t.call.seq < call.seq
            and not t.closed
            and not t.closing
            and t.linked_to is None
        ]
