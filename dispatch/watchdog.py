"""The escalation watchdog: a background process driven by the event log and a clock.

An incident routed but not acknowledged within its priority's timeout, or with no unit
dispatched within the processing target (NFPA 1225: 60 s), gets an ``Escalated`` event, once
per reason. Several nodes may run it: the second escalation of a reason is a no-op.
"""

from __future__ import annotations

import copy
import logging
import threading
from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.persistence import InterfaceError, OperationalError

from dispatch.center import DispatchCenter
from dispatch.context import acting_as
from dispatch.deadlines import DeadlineIndex, Timers
from dispatch.ports import Escalations
from domain.incident import Incident
from domain.taxonomy import Agency, EscalationReason

log = logging.getLogger(__name__)
ACTOR = "system:watchdog"


class EscalationWatchdog:
    """Checks open incidents against their deadlines and records escalations.

    The check looks only at the incidents whose deadline has come (``DeadlineIndex``, kept as
    the present applies events, started by the first check); each is copied under the
    present's lock and judged outside it. Assigning ``policy`` takes effect at the next check.
    """

    def __init__(self, center: DispatchCenter, policy: Escalations) -> None:
        self.center = center
        self.policy = policy
        self._index: DeadlineIndex | None = None

    def check(self, now: datetime | None = None) -> list[tuple[UUID, EscalationReason]]:
        """Escalate whatever is overdue at ``now``; returns what was escalated."""
        now = now or self.center.clock()
        index = self._deadlines()
        self.center.present.refresh()
        due = index.due(now)
        escalated = []
        try:
            with self.center.present.locked() as state:  # a copy of the few due, nothing more
                found = [copy.copy(state.incidents[i]) for i in due if i in state.incidents]
            found.sort(key=lambda i: i.received_at, reverse=True)
            for incident in found:
                if incident.is_closed:
                    continue
                for reason in self._due(incident, now):
                    unacked = self._unacknowledged(incident)
                    agency = unacked[0] if reason is EscalationReason.NOT_ACKNOWLEDGED else None
                    with acting_as(ACTOR):
                        self.center.escalate(
                            incident.id, reason, self._detail(incident, reason, now), agency
                        )
                    escalated.append((incident.id, reason))
        finally:
            index.retry(due, now)
        return escalated

    def close(self) -> None:
        """Stop following the present (a later check starts again)."""
        if self._index is not None:
            self._index.stop()
            self._index = None

    def _deadlines(self) -> DeadlineIndex:
        if self._index is None:
            self._index = DeadlineIndex(self.center.present, self.policy)
            self._index.start()
        elif self._index.policy is not self.policy:
            self._index.use(self.policy)
        return self._index

    def _due(self, incident: Incident, now: datetime) -> list[EscalationReason]:
        return Timers.of(incident).due(self.policy, now)

    @staticmethod
    def _unacknowledged(incident: Incident) -> list[Agency]:
        return [a for a in incident.agencies if a not in incident.acknowledged_at]

    @staticmethod
    def _detail(incident: Incident, reason: EscalationReason, now: datetime) -> str:
        waited = int((now - incident.received_at) / timedelta(seconds=1))
        if reason is EscalationReason.NOT_ACKNOWLEDGED:
            return f"{incident.number}: belum diakui / not acknowledged ({waited} s since report)"
        return f"{incident.number}: belum ada unit / no unit dispatched ({waited} s since report)"

    def run(self, stop: threading.Event, interval_s: float = 1.0) -> None:
        """Check every ``interval_s`` until ``stop`` is set. A failed check never ends the
        loop: escalations must resume by themselves once the store is back (an outage is
        logged when it starts and when it ends, any other error with its traceback)."""
        try:
            self._loop(stop, interval_s)
        finally:
            self.close()

    def _loop(self, stop: threading.Event, interval_s: float) -> None:
        unreachable = False
        while not stop.wait(interval_s):
            try:
                self.check()
            except (OperationalError, InterfaceError) as error:
                if not unreachable:
                    log.error("escalation watchdog cannot reach the store, retrying: %s", error)
                unreachable = True
                continue
            except Exception:
                log.exception("escalation check failed; retrying in %.1f s", interval_s)
                continue
            if unreachable:
                log.warning("escalation watchdog: the store is back, checking again")
                unreachable = False
