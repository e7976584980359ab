"""The escalation watchdog's decision, as a pure function of an incident's timers."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from adapters.routing.rules import RoutingRules
from domain.taxonomy import EscalationReason, Priority


class EscalationPolicy:
    """Decides which escalations are due for an incident; each reason fires at most once."""

    def __init__(self, rules: RoutingRules) -> None:
        self._rules = rules
        self._processing_target = timedelta(seconds=rules.escalation.processing_target_s)

    def due(
        self,
        *,
        priority: Priority,
        routed_at: datetime | None,
        acknowledged: bool,
        first_unit_at: datetime | None,
        reported_at: datetime,
        already: Collection[EscalationReason],
        now: datetime,
    ) -> list[EscalationReason]:
        """The reasons to escalate now that were not escalated before.

        NOT_ACKNOWLEDGED: routed, not acknowledged within the priority's ack timeout.
        NO_UNIT_DISPATCHED: no unit dispatched within the processing target from the report
        (NFPA 1225: 60 s), for priorities where a unit is expected at all.
        """
        reasons: list[EscalationReason] = []
        if (
            routed_at is not None
            and not acknowledged
            and now - routed_at >= self._rules.ack_timeout(priority)
        ):
            reasons.append(EscalationReason.NOT_ACKNOWLEDGED)
        if (
            first_unit_at is None
            and priority in self._rules.escalation.unit_expected_for
            and now - reported_at >= self._processing_target
        ):
            reasons.append(EscalationReason.NO_UNIT_DISPATCHED)
        return [reason for reason in reasons if reason not in already]

    def next_check(
        self,
        *,
        priority: Priority,
        routed_at: datetime | None,
        acknowledged: bool,
        first_unit_at: datetime | None,
        reported_at: datetime,
        already: Collection[EscalationReason],
    ) -> datetime | None:
        """When the next escalation could become due, so a watchdog can sleep until then."""
        times: list[datetime] = []
        if (
            routed_at is not None
            and not acknowledged
            and EscalationReason.NOT_ACKNOWLEDGED not in already
        ):
            times.append(routed_at + self._rules.ack_timeout(priority))
        if (
            first_unit_at is None
            and priority in self._rules.escalation.unit_expected_for
            and EscalationReason.NO_UNIT_DISPATCHED not in already
        ):
            times.append(reported_at + self._processing_target)
        return min(times, default=None)
