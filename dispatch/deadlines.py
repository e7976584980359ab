"""When each open incident could next become due for an escalation, kept as the present applies
events, so the watchdog's check looks only at what is due, not at every open incident.

The present tells ``DeadlineIndex`` of each incident event (under the present's lock, in log
order); the index copies the incident's timers (``Timers``, a few fields) and keeps its next
moment (``Escalations.next_check``) in a heap. ``due(now)`` pops what has come, holding
only the index's own lock. Timers are kept for every open incident, so a new policy recomputes
every deadline without reading the present again.
"""

from __future__ import annotations

import heapq
import threading
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from dispatch.ports import Escalations
from dispatch.present.live import Present
from dispatch.present.model import Applied
from domain.incident import Incident
from domain.taxonomy import EscalationReason, Priority


@dataclass(frozen=True, slots=True)
class Timers:
    """What the escalation policy reads of an incident."""

    priority: Priority
    routed_at: datetime | None
    """the earliest routing not acknowledged yet (None: every routed agency acknowledged)"""
    first_unit_at: datetime | None
    reported_at: datetime
    already: frozenset[EscalationReason]

    @classmethod
    def of(cls, incident: Incident) -> Timers:
        """The incident's timers now."""
        unacked = [a for a in incident.agencies if a not in incident.acknowledged_at]
        return cls(
            priority=incident.priority,
            routed_at=min((incident.routed_at[a] for a in unacked), default=None),
            first_unit_at=incident.first_unit_at,
            reported_at=incident.received_at,
            already=frozenset(incident.escalations),
        )

    def due(self, policy: Escalations, now: datetime) -> list[EscalationReason]:
        """The reasons to escalate at ``now``."""
        return policy.due(
            priority=self.priority,
            routed_at=self.routed_at,
            acknowledged=self.routed_at is None,
            first_unit_at=self.first_unit_at,
            reported_at=self.reported_at,
            already=self.already,
            now=now,
        )

    def next_check(self, policy: Escalations) -> datetime | None:
        """The first moment a reason could be due (None: none ever, as things stand)."""
        return policy.next_check(
            priority=self.priority,
            routed_at=self.routed_at,
            acknowledged=self.routed_at is None,
            first_unit_at=self.first_unit_at,
            reported_at=self.reported_at,
            already=self.already,
        )


class DeadlineIndex:
    """Open incidents by the next moment an escalation could be due (thread-safe)."""

    def __init__(self, present: Present, policy: Escalations) -> None:
        self.present = present
        self.policy = policy
        self._lock = threading.Lock()
        self._timers: dict[UUID, Timers] = {}
        self._deadline: dict[UUID, datetime] = {}
        # (deadline, id), stale entries left in place: one is valid while it is _deadline[id].
        self._heap: list[tuple[datetime, UUID]] = []

    def start(self) -> None:
        """Follow the present's incident events, from its open incidents as they are now."""
        with self.present.locked() as state:  # one pass copying a few fields, once
            self.present.observe(self._applied)
            timers = {i.id: Timers.of(i) for i in state.incidents.values() if not i.is_closed}
            with self._lock:
                self._timers = dict(timers)
        self._install(timers)

    def stop(self) -> None:
        """Stop following the present."""
        self.present.unobserve(self._applied)

    def use(self, policy: Escalations) -> None:
        """Recompute every deadline under another policy."""
        with self._lock:  # events from now on are indexed under the new policy
            self.policy = policy
            timers = dict(self._timers)
        self._install(timers)

    def __len__(self) -> int:
        return len(self._deadline)

    def due(self, now: datetime) -> list[UUID]:
        """The incidents whose deadline is ``now`` or earlier; they stay in the index until their
        timers change (``retry`` puts back those still due, so none is lost)."""
        found: dict[UUID, None] = {}
        with self._lock:
            while self._heap and self._heap[0][0] <= now:
                deadline, incident_id = heapq.heappop(self._heap)
                if self._deadline.get(incident_id) == deadline:
                    found[incident_id] = None
        return list(found)

    def retry(self, incident_ids: list[UUID], now: datetime) -> None:
        """Put back those of ``incident_ids`` whose deadline has not moved past ``now`` (an
        escalation not applied yet, or not written): the next check looks at them again."""
        with self._lock:
            for incident_id in incident_ids:
                deadline = self._deadline.get(incident_id)
                if deadline is not None and deadline <= now:
                    heapq.heappush(self._heap, (deadline, incident_id))

    # ---- kept by the present's events (under its lock) ------------------------------------------

    def _applied(self, applied: Applied) -> None:
        incident = applied.aggregate
        if not isinstance(incident, Incident):
            return
        timers = None if incident.is_closed else Timers.of(incident)
        with self._lock:
            if timers is None:
                self._timers.pop(incident.id, None)
                self._deadline.pop(incident.id, None)
            elif self._timers.get(incident.id) != timers:
                self._timers[incident.id] = timers
                self._set(incident.id, timers.next_check(self.policy))

    def _set(self, incident_id: UUID, deadline: datetime | None) -> None:
        # Under self._lock.
        if deadline is None:
            self._deadline.pop(incident_id, None)
        elif self._deadline.get(incident_id) != deadline:
            self._deadline[incident_id] = deadline
            heapq.heappush(self._heap, (deadline, incident_id))
            if len(self._heap) > 4 * len(self._deadline) + 1024:  # mostly stale: rebuild
                self._heap = [(d, i) for i, d in self._deadline.items()]
                heapq.heapify(self._heap)

    def _install(self, timers: dict[UUID, Timers]) -> None:
        policy = self.policy
        deadlines = {i: t.next_check(policy) for i, t in timers.items()}  # without any lock
        with self._lock:
            for incident_id, deadline in deadlines.items():
                # Unless an event applied meanwhile set this one already (under this policy):
                if self._timers.get(incident_id) is timers[incident_id]:
                    self._set(incident_id, deadline)
