"""The escalation policy: no acknowledgement in time, no unit within the processing target."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

import pytest

from adapters.routing import EscalationPolicy, Router
from domain.taxonomy import EscalationReason, Priority
from tests.unit.routing.samples import NOW

R = EscalationReason
T0 = NOW


@pytest.fixture
def policy(router: Router) -> EscalationPolicy:
    return EscalationPolicy(router.rules)


def _due(
    policy: EscalationPolicy,
    at_s: float,
    *,
    priority: Priority = Priority.P1,
    routed_at: datetime | None = T0,
    acknowledged: bool = False,
    first_unit_at: datetime | None = T0 + timedelta(seconds=30),
    already: Collection[R] = (),
) -> list[R]:
    return policy.due(
        priority=priority,
        routed_at=routed_at,
        acknowledged=acknowledged,
        first_unit_at=first_unit_at,
        reported_at=T0,
        already=already,
        now=T0 + timedelta(seconds=at_s),
    )


def test_an_incident_not_acknowledged_within_the_priority_timeout_escalates(
    policy: EscalationPolicy,
) -> None:
    assert _due(policy, 59) == []
    assert _due(policy, 60) == [R.NOT_ACKNOWLEDGED]
    assert _due(policy, 119, priority=Priority.P2) == []
    assert _due(policy, 120, priority=Priority.P2) == [R.NOT_ACKNOWLEDGED]


def test_an_acknowledged_or_unrouted_incident_never_escalates_for_acknowledgement(
    policy: EscalationPolicy,
) -> None:
    assert _due(policy, 3600, acknowledged=True) == []
    assert _due(policy, 3600, routed_at=None) == []


def test_no_unit_dispatched_within_sixty_seconds_of_the_report_escalates(
    policy: EscalationPolicy,
) -> None:
    assert _due(policy, 59, acknowledged=True, first_unit_at=None) == []
    assert _due(policy, 60, acknowledged=True, first_unit_at=None) == [R.NO_UNIT_DISPATCHED]
    # P4 is information: no unit is expected, so none is missed.
    assert _due(policy, 600, acknowledged=True, first_unit_at=None, priority=Priority.P4) == []


def test_each_reason_escalates_once(policy: EscalationPolicy) -> None:
    first = _due(policy, 90, first_unit_at=None)
    again = _due(policy, 900, first_unit_at=None, already={R.NOT_ACKNOWLEDGED})
    last = _due(policy, 900, first_unit_at=None, already=set(first))

    assert first == [R.NOT_ACKNOWLEDGED, R.NO_UNIT_DISPATCHED]
    assert again == [R.NO_UNIT_DISPATCHED]
    assert last == []


def test_the_next_check_is_when_the_earliest_pending_escalation_falls_due(
    policy: EscalationPolicy,
) -> None:
    routed = T0 + timedelta(seconds=40)

    def next_check(already: Collection[R]) -> datetime | None:
        return policy.next_check(
            priority=Priority.P1,
            routed_at=routed,
            acknowledged=False,
            first_unit_at=None,
            reported_at=T0,
            already=already,
        )

    assert next_check(()) == T0 + timedelta(seconds=60)
    assert next_check({R.NO_UNIT_DISPATCHED}) == routed + timedelta(seconds=60)
    assert next_check(set(R)) is None
